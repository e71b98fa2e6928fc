"""Django admin for criteria, weight profiles and re-rank batches.

Saves go through ``selector.profiles`` (validation, history, re-ranking); the admin only
parses forms and shows results. History uses django-simple-history: criteria keep its
standard diff and revert; profiles get a change log that includes their weights and a
revert that restores both (recorded as a change of its own).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from selector import profiles
from selector.models import Batch, Criterion, Weight, WeightProfile
from survey.models import Survey


def _url_or_none(name: str, **kwargs) -> str | None:
    """A URL by name, or None while the page's urls are not installed."""
    try:
        return reverse(name, **kwargs)
    except NoReverseMatch:
        return None


def _error_messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [m for ms in error.message_dict.values() for m in ms]
    return error.messages


def batch_url(batch: Batch) -> str:
    """The batch's progress page when it belongs to a workspace, else its admin page."""
    if batch.workspace_id:
        url = _url_or_none("selector:batch-detail", kwargs={"pk": batch.pk})
        if url:
            return url
    return reverse("admin:selector_batch_change", args=[batch.pk])


def rerank_message(
    request,
    rerank: profiles.Rerank,
    *,
    verb: str = "follow",
    subject: str = "this profile",
) -> None:
    """Tell the admin how many evaluations the save affects and where their batch is.

    The evaluations ``verb`` (follow, weigh) the ``subject`` that was saved.
    """
    if rerank.evaluations == 0:
        messages.info(request, f"No evaluation {verb}s {subject}: nothing to re-rank.")
        return
    follow = f"{verb} {subject}"
    links = format_html_join(
        ", ",
        '<a href="{}">batch #{}</a>',
        ((batch_url(b), b.pk) for b in rerank.batches),
    )
    if rerank.started:
        messages.success(
            request,
            format_html(
                "{} evaluation(s) {}: re-ranking started in {}.",
                rerank.evaluations,
                follow,
                links or "a batch",
            ),
        )
    else:
        problem = (
            f" (re-ranking could not start: {rerank.error})" if rerank.error else ""
        )
        messages.warning(
            request,
            format_html(
                "{} evaluation(s) {} and need re-running{}; recorded in {}.",
                rerank.evaluations,
                follow,
                problem,
                links,
            ),
        )


class DeleteThroughServiceMixin:
    """Deletes go through the service (its checks, its history); the reasons it would
    refuse (``refusals``) are shown on the delete page instead of the delete button."""

    def refusals(self, obj) -> list[str]:
        raise NotImplementedError

    def delete_through_service(self, request, obj) -> None:
        raise NotImplementedError

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(
            objs, request
        )
        reasons = list(
            dict.fromkeys(line for obj in objs for line in self.refusals(obj))
        )
        if reasons:
            protected = reasons
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        self.delete_through_service(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_through_service(request, obj)


# Criteria -----------------------------------------------------------------------------


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = "__all__"

    def _post_clean(self):
        super()._post_clean()
        # The same rules as the service, shown next to the fields.
        for name, message in profiles.criterion_problems(self.instance).items():
            self.add_error(name if name in self.fields else None, message)


@admin.register(Criterion)
class CriterionAdmin(DeleteThroughServiceMixin, SimpleHistoryAdmin):
    form = CriterionForm
    list_display = [
        "name",
        "key",
        "kind",
        "scale_label",
        "direction",
        "benchmark",
        "builtin",
    ]
    list_filter = ["kind", "direction", "builtin"]
    list_select_related = ["benchmark__survey"]
    search_fields = ["key", "name", "description"]
    fieldsets = [
        (None, {"fields": ["key", "name", "description", "parent", "builtin"]}),
        ("Scale", {"fields": ["kind", "scale_min", "scale_max", "unit", "direction"]}),
        ("Source", {"fields": ["benchmark"]}),
    ]
    history_list_display = ["key", "name", "scale_label", "direction"]

    def save_model(self, request, obj, form, change):
        reason = ""
        match = request.resolver_match
        if match and match.url_name.endswith("_simple_history"):
            reason = f"Reverted to version #{match.args[1]}"
        saved = profiles.save_criterion(user=request.user, criterion=obj, reason=reason)
        if saved.rerank.evaluations:  # the direction changed
            rerank_message(
                request, saved.rerank, verb="weigh", subject="this criterion"
            )

    def refusals(self, obj) -> list[str]:
        return profiles.usage_lines(obj)

    def delete_through_service(self, request, obj) -> None:
        profiles.delete_criterion(user=request.user, criterion=obj)


# Weight profiles ----------------------------------------------------------------------


class WeightInlineFormSet(BaseInlineFormSet):
    """Checks the whole set of weights with the service's rules before saving."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        weights = weights_from_formset(self)[0]
        try:
            profiles.validate_weights(weights)
        except ValidationError as error:
            raise ValidationError(_error_messages(error)) from None


def weights_from_formset(formset) -> tuple[dict, dict]:
    """(value by criterion key, benchmark by criterion key) of the rows that remain."""
    weights, benchmarks = {}, {}
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE") or not data.get("criterion"):
            continue
        key = data["criterion"].key
        weights[key] = data.get("value")
        benchmarks[key] = data.get("benchmark")
    return weights, benchmarks


class WeightInline(admin.TabularInline):
    model = Weight
    formset = WeightInlineFormSet
    extra = 1
    fields = ["criterion", "value", "share", "benchmark", "source"]
    readonly_fields = ["share", "source"]
    autocomplete_fields = []

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("criterion", "benchmark__survey")
        )

    # Weights are part of their profile: whoever may edit the profile edits its weights.
    def _may_edit_profile(self, request, obj) -> bool:
        perm = "change" if obj is not None else "add"
        return request.user.has_perm(f"selector.{perm}_weightprofile")

    def has_add_permission(self, request, obj):
        return self._may_edit_profile(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_edit_profile(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_edit_profile(request, obj)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("selector.view_weightprofile") or (
            self._may_edit_profile(request, obj)
        )

    @admin.display(description="Normalised")
    def share(self, obj):
        if obj.pk is None:
            return "–"
        total = sum(obj.profile.weights.values_list("value", flat=True))
        return f"{100 * obj.value / total:.1f}%" if total else "0%"

    @admin.display(description="From survey figure")
    def source(self, obj):
        benchmark = obj.benchmark if obj.pk else None
        if benchmark is None:
            return "– (set by an admin)"
        note = (
            "" if benchmark.value == obj.value else f"; edited from {benchmark.value:g}"
        )
        return format_html(
            '{} = {} {} <span class="quiet">({})</span>{}',
            benchmark.label,
            f"{benchmark.value:g}",
            benchmark.unit_label,
            benchmark.survey.slug,
            note,
        )


class WeightProfileForm(forms.ModelForm):
    class Meta:
        model = WeightProfile
        fields = "__all__"

    def _post_clean(self):
        super()._post_clean()
        problem = profiles.key_problem(
            self.instance.slug,
            model=WeightProfile,
            field_name="slug",
            exclude_pk=self.instance.pk,
        )
        if problem and "slug" not in self.errors:
            self.add_error("slug", problem)


class DeriveFromSurveyForm(forms.Form):
    survey = forms.ModelChoiceField(queryset=Survey.objects.all())
    category = forms.CharField(
        help_text="A category of shares, e.g. app_selection_criteria.",
    )
    slug = forms.CharField(max_length=80)
    name = forms.CharField(max_length=150)
    description = forms.CharField(widget=forms.Textarea, required=False)


@admin.register(WeightProfile)
class WeightProfileAdmin(DeleteThroughServiceMixin, SimpleHistoryAdmin):
    form = WeightProfileForm
    list_display = [
        "name",
        "slug",
        "survey",
        "builtin",
        "weight_count",
        "evaluation_count",
        "updated_at",
    ]
    list_filter = ["builtin", "survey"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [WeightInline]
    actions = ["duplicate_selected", "compare_selected"]
    change_form_template = "admin/selector/weightprofile/change_form.html"
    change_list_template = "admin/selector/weightprofile/change_list.html"
    object_history_template = "admin/selector/weightprofile/object_history.html"

    def refusals(self, obj) -> list[str]:
        return [f"{obj.name}: {line}" for line in profiles.profile_usage_lines(obj)]

    def delete_through_service(self, request, obj) -> None:
        profiles.delete_profile(user=request.user, profile=obj)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("survey")
            .annotate(
                n_weights=Count("weights", distinct=True),
                n_evaluations=Count("evaluations", distinct=True),
            )
        )

    @admin.display(description="Weights", ordering="n_weights")
    def weight_count(self, obj):
        return obj.n_weights

    @admin.display(description="Evaluations", ordering="n_evaluations")
    def evaluation_count(self, obj):
        return obj.n_evaluations

    # Saving: the profile and its weights together, through the service.

    def save_model(self, request, obj, form, change):
        """Deferred to save_related, which has the weights too."""

    def save_formset(self, request, form, formset, change):
        """Weights are saved by the service in save_related."""

    def save_related(self, request, form, formsets, change):
        weight_formset = next(fs for fs in formsets if fs.model is Weight)
        weights, benchmarks = weights_from_formset(weight_formset)
        saved = profiles.save_profile(
            user=request.user,
            profile=form.instance,
            weights=weights,
            benchmarks=benchmarks,
        )
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = (
                [],
                [],
                [],
            )
        request._profile_changes = saved.changes
        rerank_message(request, saved.rerank)

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, [], add)
        changes = getattr(request, "_profile_changes", [])
        if changes and not add:
            message.append({"changed": {"fields": changes}})
        return message

    # Extra pages.

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "derive-from-survey/",
                wrap(self.derive_from_survey_view),
                name="selector_weightprofile_derive_survey",
            ),
            path(
                "<path:object_id>/duplicate/",
                wrap(self.duplicate_view),
                name="selector_weightprofile_duplicate",
            ),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        profile = self.get_object(request, unquote(object_id))
        if profile is not None:
            extra_context.update(self._tool_links(profile))
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), **self._tool_links(None)}
        return super().changelist_view(request, extra_context)

    def _tool_links(self, profile):
        links = {"ahp_url": _url_or_none("selector:profile-ahp")}
        if profile is not None:
            links["compare_url"] = _url_or_none("selector:profile-compare")
            links["page_url"] = _url_or_none(
                "selector:profile-detail", kwargs={"slug": profile.slug}
            )
            if links["ahp_url"]:
                links["ahp_profile_url"] = f"{links['ahp_url']}?profile={profile.slug}"
        return links

    def duplicate_view(self, request, object_id):
        profile = self.get_object(request, unquote(object_id))
        if profile is None:
            raise Http404("No such profile.")
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseRedirect(
                reverse("admin:selector_weightprofile_change", args=[profile.pk])
            )
        saved = profiles.duplicate_profile(user=request.user, profile=profile)
        self.log_addition(request, saved.profile, [{"added": {}}])
        messages.success(
            request, f"Duplicated as “{saved.profile.name}” ({saved.profile.slug})."
        )
        return HttpResponseRedirect(
            reverse("admin:selector_weightprofile_change", args=[saved.profile.pk])
        )

    def derive_from_survey_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = DeriveFromSurveyForm(request.POST or None, initial=request.GET.dict())
        if request.method == "POST" and form.is_valid():
            try:
                saved, unmapped = profiles.derive_profile_from_survey(
                    user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                for name, errors in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                self.log_addition(request, saved.profile, [{"added": {}}])
                left_out = ", ".join(f.key for f in unmapped)
                messages.success(
                    request,
                    f"Created “{saved.profile.name}” from "
                    f"{saved.profile.weights.count()} "
                    "survey figure(s)"
                    + (f"; left out (no criterion): {left_out}." if left_out else "."),
                )
                return HttpResponseRedirect(
                    reverse(
                        "admin:selector_weightprofile_change", args=[saved.profile.pk]
                    )
                )
        categories = [
            (survey, profiles.survey_categories(survey))
            for survey in Survey.objects.all()
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Derive a weight profile from a survey",
            "form": form,
            "categories": categories,
        }
        return TemplateResponse(
            request, "admin/selector/weightprofile/derive_survey.html", context
        )

    @admin.action(description="Duplicate the selected profiles", permissions=["add"])
    def duplicate_selected(self, request, queryset):
        for profile in queryset:
            saved = profiles.duplicate_profile(user=request.user, profile=profile)
            self.log_addition(request, saved.profile, [{"added": {}}])
        self.message_user(request, f"Duplicated {queryset.count()} profile(s).")

    @admin.action(description="Compare the two selected profiles", permissions=["view"])
    def compare_selected(self, request, queryset):
        chosen = list(queryset.order_by("name")[:3])
        if len(chosen) != 2:
            self.message_user(
                request, "Select exactly two profiles to compare.", messages.WARNING
            )
            return None
        url = _url_or_none("selector:profile-compare")
        if url is None:
            self.message_user(
                request, "The comparison page is not installed.", messages.ERROR
            )
            return None
        return HttpResponseRedirect(f"{url}?a={chosen[0].slug}&b={chosen[1].slug}")

    # History: a change log with weights, and a revert that restores them.

    def history_view(self, request, object_id, extra_context=None):
        profile = self.get_object(request, unquote(object_id))
        extra_context = dict(extra_context or {})
        if profile is not None:
            extra_context["change_log"] = profiles.profile_change_log(profile)
            extra_context["can_revert"] = self.has_change_permission(request, profile)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        profile = get_object_or_404(WeightProfile, pk=unquote(object_id))
        if not self.has_view_or_change_permission(request, profile):
            raise PermissionDenied
        try:
            version = profiles.profile_version(profile, int(version_id))
        except (ValueError, ValidationError):
            raise Http404("No such version.") from None
        can_revert = self.has_change_permission(request, profile)
        if request.method == "POST":
            if not can_revert:
                raise PermissionDenied
            try:
                saved = profiles.revert_profile(
                    user=request.user, profile=profile, history_id=int(version_id)
                )
            except ValidationError as error:
                for message in _error_messages(error):
                    messages.error(request, message)
            else:
                self.log_change(
                    request,
                    profile,
                    [{"changed": {"fields": saved.changes or ["reverted"]}}],
                )
                messages.success(
                    request, f"Reverted “{profile.name}” to version #{version_id}."
                )
                rerank_message(request, saved.rerank)
                return HttpResponseRedirect(
                    reverse("admin:selector_weightprofile_history", args=[profile.pk])
                )
        total = sum(value for value, _ in version["weights"].values()) or 1
        rows = sorted(
            (
                {
                    "key": key,
                    "value": value,
                    "share": value / total,
                    "benchmark": benchmark,
                }
                for key, (value, benchmark) in version["weights"].items()
            ),
            key=lambda row: -row["value"],
        )
        current = {row.criterion.key: row for row in profiles.weight_rows(profile)}
        for row in rows:
            row["current"] = current.get(row["key"])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Version #{version_id} of {profile}",
            "profile": profile,
            "version": version,
            "rows": rows,
            "removed_since": sorted(current.keys() - version["weights"].keys()),
            "can_revert": can_revert,
        }
        return TemplateResponse(
            request, "admin/selector/weightprofile/revert_confirm.html", context
        )


# Batches (read-only: the link target of the re-rank message) --------------------------


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "kind",
        "status",
        "profile",
        "total",
        "created_by",
        "created_at",
    ]
    list_filter = ["kind", "status"]
    list_select_related = ["profile", "created_by"]
    readonly_fields = [f.name for f in Batch._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
