"""The criteria admin: simple-history's standard diff and revert, saves and deletes
through the criteria service."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from selector.admin.forms import CriterionForm
from selector.admin.mixins import DeleteThroughServiceMixin
from selector.models import Criterion
from selector.presenters import rerank_message
from selector.services.catalogue.criteria import (
    delete_criterion,
    save_criterion,
    usage_lines,
)


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
        (_("In French"), {"fields": ["name_fr", "description_fr", "unit_fr"]}),
        (
            _("Scale"),
            {"fields": ["kind", "scale_min", "scale_max", "unit", "direction"]},
        ),
        (_("Source"), {"fields": ["benchmark"]}),
    ]
    history_list_display = ["key", "name", "scale_label", "direction"]

    def save_model(self, request, obj, form, change):
        reason = ""
        match = request.resolver_match
        if match and match.url_name.endswith("_simple_history"):
            # Stored in the history record, so in English (read in the reader's
            # language by the change log).
            reason = f"Reverted to version #{match.args[1]}"
        saved = save_criterion(user=request.user, criterion=obj, reason=reason)
        if saved.rerank.evaluations:  # the direction changed
            rerank_message(request, saved.rerank, about="criterion")

    def refusals(self, obj) -> list[str]:
        return usage_lines(obj)

    def delete_through_service(self, request, obj) -> None:
        delete_criterion(user=request.user, criterion=obj)
