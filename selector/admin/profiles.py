"""The weight profiles admin: a profile and its weights are saved, deleted, duplicated
and reverted together, through the catalogue services."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from selector.admin.forms import (
    DeriveFromSurveyForm,
    WeightProfileForm,
    weights_from_formset,
)
from selector.admin.mixins import DeleteThroughServiceMixin
from selector.admin.profile_weights import WeightInline, created_message, version_rows
from selector.models import Weight, WeightProfile
from selector.presenters import rerank_message
from selector.services.catalogue.deriving import (
    derive_profile_from_survey,
    duplicate_profile,
    survey_categories,
)
from selector.services.catalogue.history import (
    profile_change_log,
    profile_version,
    revert_profile,
    shown_reason,
)
from selector.services.catalogue.profiles import (
    delete_profile,
    profile_usage_lines,
    save_profile,
)
from survey.models import Survey


def _url_or_none(name: str, **kwargs) -> str | None:
    """A URL by name, or None while the page's urls are not installed."""
    try:
        return reverse(name, **kwargs)
    except NoReverseMatch:
        return None


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
        return [f"{obj.name}: {line}" for line in profile_usage_lines(obj)]

    def delete_through_service(self, request, obj) -> None:
        delete_profile(user=request.user, profile=obj)

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

    @admin.display(description=_("Weights"), ordering="n_weights")
    def weight_count(self, obj):
        return obj.n_weights

    @admin.display(description=_("Evaluations"), ordering="n_evaluations")
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
        saved = save_profile(
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
            raise Http404(gettext("No such profile."))
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseRedirect(
                reverse("admin:selector_weightprofile_change", args=[profile.pk])
            )
        saved = duplicate_profile(user=request.user, profile=profile)
        self.log_addition(request, saved.profile, [{"added": {}}])
        messages.success(
            request,
            gettext("Duplicated as “%(name)s” (%(slug)s).")
            % {"name": saved.profile.name, "slug": saved.profile.slug},
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
                saved, unmapped = derive_profile_from_survey(
                    user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                for name, errors in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                self.log_addition(request, saved.profile, [{"added": {}}])
                messages.success(request, created_message(saved.profile, unmapped))
                return HttpResponseRedirect(
                    reverse(
                        "admin:selector_weightprofile_change", args=[saved.profile.pk]
                    )
                )
        categories = [
            (survey, survey_categories(survey)) for survey in Survey.objects.all()
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Derive a weight profile from a survey"),
            "form": form,
            "categories": categories,
        }
        return TemplateResponse(
            request, "admin/selector/weightprofile/derive_survey.html", context
        )

    @admin.action(description=_("Duplicate the selected profiles"), permissions=["add"])
    def duplicate_selected(self, request, queryset):
        for profile in queryset:
            saved = duplicate_profile(user=request.user, profile=profile)
            self.log_addition(request, saved.profile, [{"added": {}}])
        count = queryset.count()
        self.message_user(
            request,
            ngettext(
                "Duplicated %(count)d profile.", "Duplicated %(count)d profiles.", count
            )
            % {"count": count},
        )

    @admin.action(
        description=_("Compare the two selected profiles"), permissions=["view"]
    )
    def compare_selected(self, request, queryset):
        chosen = list(queryset.order_by("name")[:3])
        if len(chosen) != 2:
            self.message_user(
                request,
                gettext("Select exactly two profiles to compare."),
                messages.WARNING,
            )
            return None
        url = _url_or_none("selector:profile-compare")
        if url is None:
            self.message_user(
                request,
                gettext("The comparison page is not installed."),
                messages.ERROR,
            )
            return None
        return HttpResponseRedirect(f"{url}?a={chosen[0].slug}&b={chosen[1].slug}")

    # History: a change log with weights, and a revert that restores them.

    def history_view(self, request, object_id, extra_context=None):
        profile = self.get_object(request, unquote(object_id))
        extra_context = dict(extra_context or {})
        if profile is not None:
            extra_context["change_log"] = profile_change_log(profile)
            extra_context["can_revert"] = self.has_change_permission(request, profile)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        profile = get_object_or_404(WeightProfile, pk=unquote(object_id))
        if not self.has_view_or_change_permission(request, profile):
            raise PermissionDenied
        try:
            version = profile_version(profile, int(version_id))
        except (ValueError, ValidationError):
            raise Http404(gettext("No such version.")) from None
        can_revert = self.has_change_permission(request, profile)
        if request.method == "POST":
            if not can_revert:
                raise PermissionDenied
            try:
                saved = revert_profile(
                    user=request.user, profile=profile, history_id=int(version_id)
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                self.log_change(
                    request,
                    profile,
                    [{"changed": {"fields": saved.changes or ["reverted"]}}],
                )
                messages.success(
                    request,
                    gettext("Reverted “%(name)s” to version #%(version)s.")
                    % {"name": profile.name, "version": version_id},
                )
                rerank_message(request, saved.rerank)
                return HttpResponseRedirect(
                    reverse("admin:selector_weightprofile_history", args=[profile.pk])
                )
        rows, added_since = version_rows(profile, version)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Version #%(version)s of %(profile)s")
            % {"version": version_id, "profile": profile},
            "profile": profile,
            "version": version,
            "reason": shown_reason(version["record"].history_change_reason or ""),
            "rows": rows,
            "removed_since": added_since,  # the template calls them so
            "can_revert": can_revert,
        }
        return TemplateResponse(
            request, "admin/selector/weightprofile/revert_confirm.html", context
        )
