"""Criteria: save (validated, recorded in history), usage, delete when unused."""

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from selector.models import Criterion
from selector.selectors import criterion_usage
from selector.services.catalogue.profiles import Rerank, start_rerank
from selector.services.catalogue.rules import (
    BASELINE_REASON,
    criterion_problems,
    require_perm,
)
from selector.services.catalogue.texts import localized
from selector.shipped_texts import shipped


@dataclass(frozen=True)
class CriterionSave:
    criterion: Criterion
    rerank: Rerank


def save_criterion(*, user, criterion: Criterion, reason: str = "") -> CriterionSave:
    """Validate and save a criterion whose fields are set; recorded in its history.

    Changing the direction (higher is better / lower is better) changes every ranking
    that weighs the criterion, so those evaluations are re-ranked (``start_rerank``).
    """
    require_perm(
        user, "selector.change_criterion" if criterion.pk else "selector.add_criterion"
    )
    direction_before = (
        Criterion.objects.filter(pk=criterion.pk)
        .values_list("direction", flat=True)
        .first()
        if criterion.pk is not None
        else None  # a new criterion: nothing weighs it yet
    )
    with transaction.atomic():
        _save_criterion_row(user=user, criterion=criterion, reason=reason)
    if direction_before is None or direction_before == criterion.direction:
        return CriterionSave(criterion, Rerank(0))
    return CriterionSave(criterion, start_rerank(user=user, criterion=criterion))


def _save_criterion_row(*, user, criterion: Criterion, reason: str) -> None:
    errors = {}
    try:
        # The key is checked by criterion_problems, stricter than SlugField.
        criterion.full_clean(exclude=["key"])
    except ValidationError as error:
        errors.update(error.message_dict)
    for name, message in criterion_problems(criterion).items():
        errors.setdefault(name, []).append(message)
    if errors:
        raise ValidationError(errors)
    if criterion.pk is not None and not criterion.history.exists():
        # Loaded by a migration, untracked: record the values before this first edit.
        Criterion.history.bulk_history_create(
            [Criterion.objects.get(pk=criterion.pk)],
            default_date=timezone.now() - timedelta(milliseconds=1),
            default_change_reason=BASELINE_REASON,
        )
    criterion._history_user = user
    criterion._change_reason = reason[:100] or None
    criterion.save()


def usage_lines(criterion: Criterion, usage: dict | None = None) -> list[str]:
    """Readable reasons why a criterion cannot be deleted (empty when it can)."""
    usage = usage or criterion_usage(criterion)
    lines = [
        gettext(
            "Evaluation “%(evaluation)s” (workspace “%(workspace)s”, profile "
            "“%(profile)s”) uses it"
        )
        % {
            "evaluation": shipped(e.name),
            "workspace": shipped(e.workspace.name),
            "profile": localized(e.profile, "name"),
        }
        for e in usage["evaluations"]
    ]
    lines += [
        gettext("Weight profile “%(profile)s” (%(slug)s) weighs it")
        % {"profile": localized(p, "name"), "slug": p.slug}
        for p in usage["profiles"]
    ]
    if usage["scores"]:
        lines.append(
            ngettext(
                "%(count)d tool score is recorded on it",
                "%(count)d tool scores are recorded on it",
                usage["scores"],
            )
            % {"count": usage["scores"]}
        )
    return lines


@transaction.atomic
def delete_criterion(*, user, criterion: Criterion) -> None:
    """Delete an unused criterion; refuse, naming the evaluations that use it."""
    require_perm(user, "selector.delete_criterion")
    lines = usage_lines(criterion)
    if lines:
        raise ValidationError(
            gettext(
                "The criterion “%(criterion)s” (%(key)s) is in use and was not "
                "deleted: %(reasons)s."
            )
            % {
                "criterion": localized(criterion, "name"),
                "key": criterion.key,
                "reasons": "; ".join(lines),
            }
        )
    criterion._history_user = user
    criterion.delete()
