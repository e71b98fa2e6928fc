"""Saving a profile (fields and weights, one change-log entry) and re-ranking the
evaluations that follow it."""

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from selector.models import Batch, Criterion, Evaluation, Weight, WeightProfile
from selector.queue import WorkTooLarge
from selector.selectors import evaluations_using
from selector.services import batches
from selector.services.catalogue.rules import (
    BASELINE_REASON,
    FIELD_LABELS,
    PROFILE_FIELDS,
    key_problem,
    require_perm,
    validate_weights,
)
from selector.services.catalogue.texts import localized
from selector.services.workspaces import author
from selector.shipped_texts import shipped
from survey.models import Benchmark, Survey

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rerank:
    """What saving a profile did to the evaluations that follow it."""

    evaluations: int
    batches: tuple = ()
    started: bool = False  # False: recorded as needing a re-run, nothing enqueued
    error: str = ""


@dataclass(frozen=True)
class ProfileSave:
    profile: WeightProfile
    changes: list[str]
    rerank: Rerank


def _ensure_baseline(profile: WeightProfile, when: datetime) -> None:
    """Give the profile and its weights a first history row if they have none.

    Rows written by data migrations have no history; without a baseline the change log
    could not show (nor a revert restore) the values before the first tracked edit.
    """
    if profile.pk is None:
        return
    if not profile.history.exists():
        # From the database: the instance may already carry the edit's new values.
        WeightProfile.history.bulk_history_create(
            [WeightProfile.objects.get(pk=profile.pk)],
            default_date=when,
            default_change_reason=BASELINE_REASON,
        )
    tracked = set(
        Weight.history.filter(profile_id=profile.pk).values_list("id", flat=True)
    )
    missing = [w for w in Weight.objects.filter(profile=profile) if w.pk not in tracked]
    if missing:
        Weight.history.bulk_history_create(
            missing,
            default_date=when,
            default_change_reason=BASELINE_REASON,
        )


def _clean_profile(profile: WeightProfile) -> None:
    errors = {}
    try:
        # The slug is checked below, stricter than SlugField.
        profile.full_clean(exclude=["slug"])
    except ValidationError as error:
        errors.update(error.message_dict)
    problem = key_problem(
        profile.slug, model=WeightProfile, field_name="slug", exclude_pk=profile.pk
    )
    if problem:
        errors.setdefault("slug", []).append(problem)
    if errors:
        raise ValidationError(errors)


def save_profile(
    *,
    user,
    profile: WeightProfile,
    data: Mapping[str, object] | None = None,
    weights: Mapping[str, object] | None = None,
    benchmarks: Mapping[str, Benchmark | None] | None = None,
    reason: str = "",
    rerank: bool = True,
    ahp: Mapping | None = None,
) -> ProfileSave:
    """Create or update a profile and (when given) replace its weights by criterion key.

    ``data`` sets profile fields (slug, name, description, survey, builtin);
    ``weights`` is the complete new set (criteria left out are removed);
    ``benchmarks`` links weights to survey figures (keys left out keep their link);
    ``ahp`` records the AHP judgements the new weights come from (new weights set
    without it clear the old record, which no longer explains them).
    Nothing is saved when any rule fails. The profile and its weights are recorded in
    history under one timestamp, so the change log shows one entry per save. Then the
    evaluations that follow the profile are re-ranked (see ``start_rerank``).
    """
    with transaction.atomic():
        changes = _save_profile_rows(
            user=user,
            profile=profile,
            data=data,
            weights=weights,
            benchmarks=benchmarks,
            reason=reason,
            ahp=ahp,
        )
    outcome = start_rerank(profile=profile, user=user) if rerank else Rerank(0)
    return ProfileSave(profile=profile, changes=changes, rerank=outcome)


def _save_profile_rows(
    *, user, profile, data, weights, benchmarks, reason, ahp
) -> list[str]:
    require_perm(
        user,
        "selector.change_weightprofile" if profile.pk else "selector.add_weightprofile",
    )
    for name, value in (data or {}).items():
        if name not in ("slug", "name", "description", "survey", "builtin"):
            raise ValidationError({name: f"{name!r} is not a field of a profile."})
        setattr(profile, name, value.strip() if isinstance(value, str) else value)
    _clean_profile(profile)
    cleaned = validate_weights(weights) if weights is not None else None
    if cleaned is None and profile.pk is None:
        raise ValidationError(
            {"weights": gettext("A new profile needs at least one weight.")}
        )

    now = timezone.now()
    _ensure_baseline(profile, now - timedelta(milliseconds=1))
    before = _profile_fields(profile.pk)
    reason = (reason or "")[:100] or None
    changes = []
    profile._history_user = user
    profile._history_date = now
    profile._change_reason = reason

    if profile.pk is None:
        profile.save()  # a pk for the weights; recorded again below with the weights
        profile._history_date = now
    if cleaned is not None:
        profile.ahp = dict(ahp or {})
        changes += _replace_weights(
            profile, cleaned, benchmarks or {}, user=user, when=now, reason=reason
        )
    after = {name: getattr(profile, name) for name in PROFILE_FIELDS}
    changes = [
        f"{FIELD_LABELS[name]}: {_field_text(name, before.get(name))} → "
        f"{_field_text(name, after[name])}"
        for name in PROFILE_FIELDS
        if before and before.get(name) != after[name]
    ] + changes
    # Saved last, so the profile's version is the newest row of this timestamp.
    profile.save()
    return changes


def _profile_fields(pk) -> dict:
    if pk is None:
        return {}
    return WeightProfile.objects.filter(pk=pk).values(*PROFILE_FIELDS).first() or {}


def _replace_weights(profile, cleaned, benchmarks, *, user, when, reason) -> list[str]:
    criteria = {c.key: c for c in Criterion.objects.filter(key__in=list(cleaned))}
    existing = {w.criterion.key: w for w in profile.weights.select_related("criterion")}
    changes = []
    for key, weight in existing.items():
        if key not in cleaned:
            weight._history_user, weight._history_date = user, when
            weight._change_reason = reason
            weight.delete()
            changes.append(
                f"Weight of {weight.criterion.name}: {weight.value:g} → removed"
            )
    for key, value in cleaned.items():
        weight = existing.get(key)
        benchmark_given = key in benchmarks
        if weight is None:
            weight = Weight(profile=profile, criterion=criteria[key], value=value)
            weight.benchmark = benchmarks.get(key)
            changes.append(f"Weight of {criteria[key].name}: added {value:g}")
        else:
            new_benchmark_id = (
                benchmarks[key].pk if benchmark_given and benchmarks[key] else None
            )
            value_changed = weight.value != value
            link_changed = benchmark_given and weight.benchmark_id != new_benchmark_id
            if not (value_changed or link_changed):
                continue
            if value_changed:
                changes.append(
                    f"Weight of {criteria[key].name}: {weight.value:g} → {value:g}"
                )
            if link_changed:
                changes.append(f"Source of {criteria[key].name}'s weight changed")
            weight.value = value
            if benchmark_given:
                weight.benchmark = benchmarks[key]
        weight.full_clean(validate_constraints=False)
        weight._history_user, weight._history_date = user, when
        weight._change_reason = reason
        weight.save()
    return changes


def _field_text(name: str, value) -> str:
    if name == "survey_id":
        if value is None:
            return "none"
        survey = Survey.objects.filter(pk=value).first()
        return survey.title if survey else f"survey #{value}"
    if value in ("", None):
        return "(empty)"
    return str(value)


def profile_usage_lines(profile: WeightProfile) -> list[str]:
    """Readable reasons why a profile cannot be deleted (empty when it can)."""
    lines = []
    if profile.builtin:
        lines.append(
            gettext(
                "it is built in (from a published survey); duplicate it to make a "
                "copy of your own"
            )
        )
    lines += [
        gettext("evaluation “%(evaluation)s” (workspace “%(workspace)s”) follows it")
        % {
            "evaluation": shipped(e.name),
            "workspace": shipped(e.workspace.name),
        }
        for e in profile.evaluations.select_related("workspace").order_by(
            "workspace__name", "name", "pk"
        )
    ]
    return lines


@transaction.atomic
def delete_profile(*, user, profile: WeightProfile) -> None:
    """Delete a profile nobody follows; refuse a built-in or followed one, saying why.

    The deletion is recorded in the profile's history, with who deleted it.
    """
    require_perm(user, "selector.delete_weightprofile")
    lines = profile_usage_lines(profile)
    if lines:
        raise ValidationError(
            gettext(
                "The weight profile “%(profile)s” (%(slug)s) was not deleted: "
                "%(reasons)s."
            )
            % {
                "profile": localized(profile, "name"),
                "slug": profile.slug,
                "reasons": "; ".join(lines),
            }
        )
    profile._history_user = user
    profile.delete()


def start_rerank(
    *, user, profile: WeightProfile | None = None, criterion: Criterion | None = None
) -> Rerank:
    """Re-run the evaluations that follow ``profile``, or that weigh ``criterion``.

    Should starting fail, the edit stays saved and a re-rank ``Batch`` without runs
    records which evaluations still need re-running, and why, so nothing is forgotten.
    """
    if profile is not None:
        evaluations = Evaluation.objects.filter(profile=profile)
        start = partial(batches.rerank_profile, profile=profile, user=user)
        cause = f"Weight profile {profile.slug!r} was edited."
    else:
        evaluations = evaluations_using(criterion)
        start = partial(batches.rerank_criterion, criterion=criterion, user=user)
        cause = f"The direction of criterion {criterion.key!r} changed."
    try:
        batch = start()
    except Exception as error:  # the edit is saved; say the re-run is still owed
        if isinstance(error, WorkTooLarge):  # a refusal by design, not a fault
            logger.warning("Re-ranking after an edit refused: %s %s", cause, error)
        else:
            logger.exception("Re-ranking after an edit failed: %s", cause)
        evaluation_ids = sorted(set(evaluations.values_list("pk", flat=True)))
        reason = (
            " ".join(error.messages) if isinstance(error, WorkTooLarge) else str(error)
        )
        return _record_pending(profile, user, evaluation_ids, cause=cause, error=reason)
    if batch is None:  # nothing follows the profile or weighs the criterion
        return Rerank(evaluations=0, started=True)
    # One run per evaluation, or a recorded reason why it could not start.
    skipped = len(batch.options.get("skipped", []))
    return Rerank(evaluations=batch.total + skipped, batches=(batch,), started=True)


def _record_pending(profile, user, evaluation_ids, *, cause: str, error: str) -> Rerank:
    if not evaluation_ids:
        return Rerank(evaluations=0, error=error)
    # A record, not work: it has no runs (``total`` counts runs) and is finished at
    # once; ``options["evaluations"]`` names the evaluations still owed a re-run.
    batch = Batch.objects.create(
        kind=Batch.Kind.RERANK,
        profile=profile,
        status=Batch.Status.DONE,
        finished_at=timezone.now(),
        options={
            "needs_rerun": True,
            "evaluations": evaluation_ids,
            "reason": cause,
            **({"error": error} if error else {}),
        },
        created_by=author(user),
    )
    return Rerank(evaluations=len(evaluation_ids), batches=(batch,), error=error)
