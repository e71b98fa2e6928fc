"""Criteria: save (validated, recorded in history), usage, delete when unused."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from selector.models import Criterion, Evaluation, Score, WeightProfile
from selector.profiles.rules import BASELINE_REASON, criterion_problems, require_perm


@transaction.atomic
def save_criterion(*, user, criterion: Criterion, reason: str = "") -> Criterion:
    """Validate and save a criterion whose fields are set; recorded in its history."""
    require_perm(
        user, "selector.change_criterion" if criterion.pk else "selector.add_criterion"
    )
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
    return criterion


def criterion_usage(criterion: Criterion) -> dict:
    """The evaluations, profiles and scores that use a criterion."""
    evaluations = (
        Evaluation.objects.filter(
            Q(profile__weights__criterion=criterion)
            | Q(weight_overrides__has_key=criterion.key)
        )
        .select_related("workspace", "profile")
        .distinct()
        .order_by("workspace__name", "name", "pk")
    )
    return {
        "evaluations": list(evaluations),
        "profiles": list(
            WeightProfile.objects.filter(weights__criterion=criterion).distinct()
        ),
        "scores": Score.objects.filter(criterion=criterion).count(),
    }


def usage_lines(criterion: Criterion, usage: dict | None = None) -> list[str]:
    """Readable reasons why a criterion cannot be deleted (empty when it can)."""
    usage = usage or criterion_usage(criterion)
    lines = [
        f"Evaluation “{e.name}” (workspace “{e.workspace.name}”, profile "
        f"“{e.profile.name}”) uses it"
        for e in usage["evaluations"]
    ]
    lines += [
        f"Weight profile “{p.name}” ({p.slug}) weighs it" for p in usage["profiles"]
    ]
    if usage["scores"]:
        lines.append(f"{usage['scores']} tool score(s) are recorded on it")
    return lines


@transaction.atomic
def delete_criterion(*, user, criterion: Criterion) -> None:
    """Delete an unused criterion; refuse, naming the evaluations that use it."""
    require_perm(user, "selector.delete_criterion")
    lines = usage_lines(criterion)
    if lines:
        raise ValidationError(
            f"The criterion “{criterion.name}” ({criterion.key}) is in use and was not "
            "deleted: " + "; ".join(lines) + "."
        )
    criterion._history_user = user
    criterion.delete()
