"""The weight profiles admin's parts about weights: the weights inline (share and
source of each), an earlier version's weights, and the message of a derived profile."""

from django.contrib import admin
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from selector.admin.forms import WeightInlineFormSet
from selector.models import Weight, WeightProfile
from selector.selectors import weight_rows
from selector.services.catalogue.texts import localized


def version_rows(profile: WeightProfile, version: dict) -> tuple[list[dict], list[str]]:
    """The weights of an earlier ``version`` of the profile, heaviest first, each with
    its share of that version's total and the profile's current weight (or None), and
    the keys of the criteria weighted now that the version did not weigh."""
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
    current = {row.criterion.key: row for row in weight_rows(profile)}
    for row in rows:
        row["current"] = current.get(row["key"])
    added_since = sorted(current.keys() - version["weights"].keys())
    return rows, added_since


def created_message(profile: WeightProfile, unmapped) -> str:
    """What deriving a profile from a survey made, and the figures it left out."""
    count = profile.weights.count()
    if unmapped:
        return ngettext(
            "Created “%(name)s” from %(count)d survey figure; left out (no "
            "criterion): %(left_out)s.",
            "Created “%(name)s” from %(count)d survey figures; left out (no "
            "criterion): %(left_out)s.",
            count,
        ) % {
            "name": profile.name,
            "count": count,
            "left_out": ", ".join(f.key for f in unmapped),
        }
    return ngettext(
        "Created “%(name)s” from %(count)d survey figure.",
        "Created “%(name)s” from %(count)d survey figures.",
        count,
    ) % {"name": profile.name, "count": count}


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

    @admin.display(description=_("Normalized"))
    def share(self, obj):
        if obj.pk is None:
            return "–"
        total = sum(obj.profile.weights.values_list("value", flat=True))
        # floatformat rounds (number_format would cut 1.75 to 1.7) and localizes.
        share = floatformat(100 * obj.value / total, 1) if total else "0"
        return gettext("%(number)s%%") % {"number": share}

    @admin.display(description=_("From survey figure"))
    def source(self, obj):
        benchmark = obj.benchmark if obj.pk else None
        if benchmark is None:
            return gettext("– (set by an admin)")
        note = (
            ""
            if benchmark.value == obj.value
            else gettext("; edited from %(value)s") % {"value": f"{benchmark.value:g}"}
        )
        return format_html(
            '{} = {} {} <span class="quiet">({})</span>{}',
            localized(benchmark, "label"),
            f"{benchmark.value:g}",
            benchmark.unit_label,
            benchmark.survey.slug,
            note,
        )
