"""Weight profile pages: a profile's weights, sources and change log; comparing two
profiles; deriving weights with AHP (with an htmx preview that calls the engine).

Views parse input, call a catalogue or ranking service and render; no maths here.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from selector import selectors
from selector.models import Criterion, Evaluation, WeightProfile
from selector.presenters import rerank_message
from selector.presenters.explanations import WEIGHT_SHARES, profile_guidance
from selector.services.catalogue.ahp import (
    MAX_CONSISTENCY_RATIO,
    ahp_preview,
    derive_profile_with_ahp,
)
from selector.services.catalogue.history import profile_change_log
from selector.services.catalogue.texts import localized
from selector.services.ranking import compare_profiles
from selector.views.profile_forms import AhpForm
from selector.views.workspace import current_membership


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
        raise PermissionDenied(gettext("Only admins can derive weight profiles."))
    slug = request.GET.get("profile") or request.POST.get("profile") or ""
    target = None
    if slug:
        target = get_object_or_404(WeightProfile, slug=slug)
        if not request.user.has_perm("selector.change_weightprofile"):
            raise PermissionDenied(gettext("You cannot change weight profiles."))
    elif not request.user.has_perm("selector.add_weightprofile"):
        raise PermissionDenied(gettext("You cannot add weight profiles."))
    return target, _chosen_criteria(request, target)


@login_required
def profile_list(request):
    context = {
        "profiles": [
            {"profile": profile, "guidance": profile_guidance(profile.slug)}
            for profile in selectors.profile_index()
        ]
    }
    return render(request, "selector/profile_list.html", context)


@login_required
def profile_detail(request, slug: str):
    profile = get_object_or_404(selectors.profiles(), slug=slug)
    context = {
        "profile": profile,
        "rows": selectors.weight_rows(profile),
        "guidance": profile_guidance(profile.slug),
        "weight_shares": WEIGHT_SHARES,
        "change_log": profile_change_log(profile),
        "evaluation_count": Evaluation.objects.filter(profile=profile).count(),
        "others": WeightProfile.objects.exclude(pk=profile.pk).order_by("name"),
        "can_edit": request.user.is_staff
        and request.user.has_perm("selector.change_weightprofile"),
    }
    return render(request, "selector/profile_detail.html", context)


@login_required
def profile_compare(request):
    choices = list(WeightProfile.objects.order_by("name"))
    by_slug = {p.slug: p for p in choices}
    a = by_slug.get(request.GET.get("a", ""))
    b = by_slug.get(request.GET.get("b", ""))
    workspace = current_membership(request).workspace
    evaluations = selectors.comparable_evaluations(request.user, workspace)
    chosen = request.GET.get("evaluation")
    evaluation = None
    if chosen:
        evaluation = next((e for e in evaluations if str(e.pk) == chosen), None)
        if evaluation is None:
            raise Http404(gettext("No such evaluation in this workspace."))
    elif evaluations:
        evaluation = evaluations[0]
    comparison = None
    if a is not None and b is not None:
        comparison = compare_profiles(a=a, b=b, evaluation=evaluation)
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
            saved, result = derive_profile_with_ahp(
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
                result = ahp_preview([c.key for c in criteria], form.judgements())
            except ValidationError:
                result = None
        else:
            messages.success(
                request,
                gettext(
                    "Saved “%(profile)s” with AHP weights (consistency ratio %(ratio)s)."
                )
                % {
                    "profile": localized(saved.profile, "name"),
                    "ratio": floatformat(result.consistency_ratio, 3),
                },
            )
            rerank_message(request, saved.rerank)
            return redirect(
                reverse("selector:profile-detail", kwargs={"slug": saved.profile.slug})
            )
    context = {
        "form": form,
        "target": target,
        "criteria": criteria,
        # in the order of the names the reader sees
        "all_criteria": sorted(
            Criterion.objects.all(), key=lambda c: localized(c, "name").casefold()
        ),
        "result": result,
        "result_rows": _result_rows(result, criteria),
        "max_cr": MAX_CONSISTENCY_RATIO,
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
            result = ahp_preview([c.key for c in criteria], form.judgements())
        except ValidationError as exc:
            error = " ".join(exc.messages)
    context = {
        "result": result,
        "result_rows": _result_rows(result, criteria),
        "error": error,
        "max_cr": MAX_CONSISTENCY_RATIO,
    }
    return render(request, "selector/_ahp_result.html", context)
