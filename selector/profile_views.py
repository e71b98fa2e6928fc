"""Weight profile pages: a profile's weights, sources and change log; comparing two
profiles; deriving weights with AHP (with an htmx preview that calls the engine).

Views parse input, call ``selector.profiles`` and render; no maths here.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from selector import profiles, queries
from selector.models import Criterion, Evaluation, Membership, WeightProfile

# Saaty's fundamental scale, as "how many times more important is A than B".
SAATY_CHOICES = [
    ("9", "9"),
    ("8", "8"),
    ("7", "7"),
    ("6", "6"),
    ("5", "5"),
    ("4", "4"),
    ("3", "3"),
    ("2", "2"),
    ("1", "1"),
    ("1/2", "1/2"),
    ("1/3", "1/3"),
    ("1/4", "1/4"),
    ("1/5", "1/5"),
    ("1/6", "1/6"),
    ("1/7", "1/7"),
    ("1/8", "1/8"),
    ("1/9", "1/9"),
]
SAATY_WORDS = {
    1: "equally important",
    2: "equally to moderately",
    3: "moderately more important",
    4: "moderately to strongly",
    5: "strongly more important",
    6: "strongly to very strongly",
    7: "very strongly more important",
    8: "very to extremely",
    9: "extremely more important",
}


def _pair_choices(a: Criterion, b: Criterion) -> list[tuple[str, str]]:
    choices = []
    for value, _ in SAATY_CHOICES:
        if value == "1":
            choices.append((value, f"1 — {a.name} and {b.name} equally important"))
        elif "/" in value:
            n = int(value.split("/")[1])
            choices.append((value, f"{value} — {b.name} {SAATY_WORDS[n]} ({n})"))
        else:
            choices.append((value, f"{value} — {a.name} {SAATY_WORDS[int(value)]}"))
    return choices


def pair_field_name(a: str, b: str) -> str:
    return f"pair__{a}__{b}"


class AhpForm(forms.Form):
    """Pairwise judgements for the chosen criteria, plus where to save the weights."""

    name = forms.CharField(max_length=150, required=False)
    slug = forms.CharField(max_length=80, required=False)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    confirm_inconsistent = forms.BooleanField(
        required=False,
        label="Save even though the consistency ratio is above 0.10",
    )

    def __init__(self, *args, criteria: list[Criterion], target=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.target = target
        self.pairs = []
        for i, a in enumerate(criteria):
            for b in criteria[i + 1 :]:
                name = pair_field_name(a.key, b.key)
                choices = _pair_choices(a, b)
                # Revising a profile derived with AHP starts from its judgements.
                stored = target.ahp_judgement(a.key, b.key) if target else None
                self.fields[name] = forms.ChoiceField(
                    choices=choices,
                    initial=stored if stored in dict(choices) else "1",
                    label=f"{a.name} vs {b.name}",
                )
                self.pairs.append((a, b, name))
        if target is None:
            self.fields["name"].required = True
            self.fields["slug"].required = True

    def pair_fields(self):
        return [(a, b, self[name]) for a, b, name in self.pairs]

    def judgements(self) -> dict[tuple[str, str], str]:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return {(a.key, b.key): data.get(name, "1") for a, b, name in self.pairs}


def _result_rows(result, criteria) -> list[dict]:
    if result is None:
        return []
    rows = [
        {
            "criterion": c,
            "share": result.weights[c.key],
            "percent": 100 * result.weights[c.key],
        }
        for c in criteria
        if c.key in result.weights
    ]
    return sorted(rows, key=lambda row: -row["share"])


def _chosen_criteria(request, target: WeightProfile | None) -> list[Criterion]:
    keys = request.GET.getlist("criteria") or request.POST.getlist("criteria")
    if not keys and target is not None:
        keys = [w.criterion.key for w in target.weights.select_related("criterion")]
    by_key = {c.key: c for c in Criterion.objects.filter(key__in=keys)}
    return [by_key[k] for k in dict.fromkeys(keys) if k in by_key]


def _ahp_context(request):
    """The target profile (from ?profile=) and the criteria to compare; checks perms."""
    if not request.user.is_staff:
        raise PermissionDenied("Only admins can derive weight profiles.")
    slug = request.GET.get("profile") or request.POST.get("profile") or ""
    target = None
    if slug:
        target = get_object_or_404(WeightProfile, slug=slug)
        if not request.user.has_perm("selector.change_weightprofile"):
            raise PermissionDenied("You cannot change weight profiles.")
    elif not request.user.has_perm("selector.add_weightprofile"):
        raise PermissionDenied("You cannot add weight profiles.")
    return target, _chosen_criteria(request, target)


@login_required
def profile_detail(request, slug: str):
    profile = get_object_or_404(queries.profiles(), slug=slug)
    context = {
        "profile": profile,
        "rows": profiles.weight_rows(profile),
        "change_log": profiles.profile_change_log(profile),
        "evaluation_count": Evaluation.objects.filter(profile=profile).count(),
        "others": WeightProfile.objects.exclude(pk=profile.pk).order_by("name"),
        "can_edit": request.user.is_staff
        and request.user.has_perm("selector.change_weightprofile"),
    }
    return render(request, "selector/profile_detail.html", context)


def _comparable_evaluations(user) -> list[Evaluation]:
    """The demo evaluation (illustrative, shown to everyone) and the user's own.

    The demo workspace is recognised by its name *and* its owner, the demo user created
    by ``seed_demo``, so nobody can publish their own evaluation by naming a workspace
    like the demo's.
    """
    from selector.demo import DEMO_USERNAME, DEMO_WORKSPACE

    demo = list(
        Evaluation.objects.filter(
            workspace__name=DEMO_WORKSPACE,
            workspace__memberships__user__username=DEMO_USERNAME,
            workspace__memberships__role=Membership.Role.OWNER,
        )
        .select_related("workspace")
        .order_by("pk")[:1]
    )
    own = list(queries.evaluations_for(user).exclude(pk__in=[e.pk for e in demo])[:50])
    return demo + own


@login_required
def profile_compare(request):
    choices = list(WeightProfile.objects.order_by("name"))
    by_slug = {p.slug: p for p in choices}
    a = by_slug.get(request.GET.get("a", ""))
    b = by_slug.get(request.GET.get("b", ""))
    evaluations = _comparable_evaluations(request.user)
    chosen = request.GET.get("evaluation")
    evaluation = None
    if chosen:
        evaluation = next((e for e in evaluations if str(e.pk) == chosen), None)
        if evaluation is None:
            raise Http404("No such evaluation among yours.")
    elif evaluations:
        evaluation = evaluations[0]
    comparison = None
    if a is not None and b is not None:
        comparison = profiles.compare_profiles(a=a, b=b, evaluation=evaluation)
    context = {
        "profiles": choices,
        "a": a,
        "b": b,
        "evaluations": evaluations,
        "evaluation": evaluation,
        "comparison": comparison,
    }
    return render(request, "selector/profile_compare.html", context)


@login_required
def profile_ahp(request):
    target, criteria = _ahp_context(request)
    form = AhpForm(request.POST or None, criteria=criteria, target=target)
    result = None
    if request.method == "POST" and len(criteria) >= 2 and form.is_valid():
        data = form.cleaned_data
        try:
            saved, result = profiles.derive_profile_with_ahp(
                user=request.user,
                keys=[c.key for c in criteria],
                pairwise=form.judgements(),
                slug=data["slug"],
                name=data["name"],
                description=data["description"],
                profile=target,
                confirm_inconsistent=data["confirm_inconsistent"],
            )
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
            try:
                result = profiles.ahp_preview(
                    [c.key for c in criteria], form.judgements()
                )
            except ValidationError:
                result = None
        else:
            messages.success(
                request,
                f"Saved “{saved.profile.name}” with AHP weights "
                f"(consistency ratio {result.consistency_ratio:.3f}).",
            )
            from selector.admin import rerank_message

            rerank_message(request, saved.rerank)
            return redirect(
                reverse("selector:profile-detail", kwargs={"slug": saved.profile.slug})
            )
    context = {
        "form": form,
        "target": target,
        "criteria": criteria,
        "all_criteria": Criterion.objects.order_by("name"),
        "result": result,
        "result_rows": _result_rows(result, criteria),
        "max_cr": profiles.MAX_CONSISTENCY_RATIO,
    }
    return render(request, "selector/profile_ahp.html", context)


@login_required
@require_POST
def profile_ahp_preview(request):
    """The weights and consistency ratio of the judgements so far (htmx fragment)."""
    target, criteria = _ahp_context(request)
    form = AhpForm(request.POST, criteria=criteria, target=target)
    form.is_valid()  # only the pair fields matter here; name/slug may still be empty
    result, error = None, ""
    if len(criteria) >= 2:
        try:
            result = profiles.ahp_preview([c.key for c in criteria], form.judgements())
        except ValidationError as exc:
            error = " ".join(m for ms in exc.message_dict.values() for m in ms)
    context = {
        "result": result,
        "result_rows": _result_rows(result, criteria),
        "error": error,
        "max_cr": profiles.MAX_CONSISTENCY_RATIO,
    }
    return render(request, "selector/_ahp_result.html", context)
