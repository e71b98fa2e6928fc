"""Admins' writes and reads of criteria and weight profiles.

Every change goes through these functions, which validate where the data is saved
(finite, non-negative weights with one above zero; lower-case unique slugs; a
consistent scale), record who changed what in django-simple-history, and start the
re-ranking of the evaluations that follow an edited profile. Profile tools: derive
from a survey category's shares, derive with AHP (the engine's eigenvector and
consistency ratio), duplicate, compare, revert to an earlier version.
"""

import copy
import logging
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from selector import builtins, engine
from selector.models import Batch, Criterion, Evaluation, Score, Weight, WeightProfile
from selector.numbers import parse_number, parse_weight
from survey.models import Benchmark, Survey

logger = logging.getLogger(__name__)

# Saaty's usual threshold: above it the judgements are too inconsistent to trust.
MAX_CONSISTENCY_RATIO = 0.10
# The fundamental scale runs from 1/9 to 9 (Saaty 1980, table 1.1).
SAATY_MIN, SAATY_MAX = 1 / 9, 9.0
# Lower-case letters and digits, words joined by "-" or "_" (e.g. "roi", "menlo-2024").
KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
# Profile slugs that would shadow the profile pages' own paths.
RESERVED_SLUGS = {"compare", "ahp"}
PERCENT_UNITS = "percent"
BASELINE_REASON = "State before the change log began"
PROFILE_FIELDS = ("slug", "name", "description", "survey_id", "builtin")
FIELD_LABELS = {
    "slug": "Slug",
    "name": "Name",
    "description": "Description",
    "survey_id": "Survey",
    "builtin": "Built-in",
}


# Results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rerank:
    """What saving a profile did to the evaluations that follow it."""

    evaluations: int
    batches: tuple = ()
    started: bool = False  # False: recorded as needing a re-run, nothing enqueued
    error: str = ""

    @property
    def batch(self) -> Batch | None:
        return self.batches[0] if self.batches else None


@dataclass(frozen=True)
class ProfileSave:
    profile: WeightProfile
    changes: list[str]
    rerank: Rerank


@dataclass(frozen=True)
class AhpResult:
    """Weights (shares summing to 1) by criterion key and Saaty's consistency ratio."""

    keys: list[str]
    weights: dict[str, float]
    consistency_ratio: float

    @property
    def consistent(self) -> bool:
        return math.isfinite(self.consistency_ratio) and (
            self.consistency_ratio <= MAX_CONSISTENCY_RATIO
        )


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass
class ChangeEntry:
    """One recorded change of a profile (its fields and weights saved together)."""

    date: datetime
    user: object
    reason: str
    kind: str  # "created" | "changed" | "deleted"
    changes: list[Change] = field(default_factory=list)
    history_id: int | None = None  # the profile's version, for a revert


# Validation ---------------------------------------------------------------------------


def _require_perm(user, perm: str) -> None:
    """Refuse a user without the model permission (None: trusted code)."""
    if user is not None and not user.has_perm(perm):
        raise PermissionDenied(f"You need the {perm!r} permission to do this.")


def key_problem(key: str, *, model, field_name: str, exclude_pk=None) -> str | None:
    """Why ``key`` cannot be a criterion key / profile slug, or None when it can."""
    if not key:
        return "Enter a key."
    if not KEY_PATTERN.match(key):
        return (
            f"{key!r} is not a lower-case slug: use a-z, 0-9, and '-' or '_' between "
            "words (e.g. 'measurable-roi')."
        )
    if model is WeightProfile and key in RESERVED_SLUGS:
        return f"{key!r} is reserved for a page; choose another slug."
    clash = model.objects.filter(**{f"{field_name}__iexact": key}).exclude(
        pk=exclude_pk
    )
    if clash.exists():
        return f"{key!r} is already used by {clash.first()}."
    return None


def validate_weights(weights: Mapping[str, object]) -> dict[str, float]:
    """Clean weights by criterion key; ValidationError naming every bad one.

    Rules: each weight is a finite number >= 0, the keys are existing criteria, and at
    least one weight is above zero (a ranking needs something to weigh).
    """
    if not weights:
        raise ValidationError({"weights": "A profile needs at least one weight."})
    known = set(
        Criterion.objects.filter(key__in=list(weights)).values_list("key", flat=True)
    )
    cleaned, errors = {}, {}
    for key, raw in weights.items():
        if key not in known:
            errors[f"weights.{key}"] = f"There is no criterion with the key {key!r}."
            continue
        try:
            cleaned[key] = parse_weight(raw, key, required=True)
        except ValidationError as error:
            errors[f"weights.{key}"] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    if not any(value > 0 for value in cleaned.values()):
        raise ValidationError(
            {"weights": "At least one weight must be above zero; all are 0."}
        )
    return cleaned


def criterion_problems(criterion: Criterion) -> dict[str, str]:
    """Rules beyond the model's: key format and uniqueness, scores outside the scale."""
    problems = {}
    problem = key_problem(
        criterion.key, model=Criterion, field_name="key", exclude_pk=criterion.pk
    )
    if problem:
        problems["key"] = problem
    if criterion.pk is not None:
        scores = Score.objects.filter(criterion_id=criterion.pk).select_related("tool")
        outside = [
            s
            for s in scores
            if _outside(s.value, criterion.scale_min, criterion.scale_max)
        ]
        if outside:
            listing = ", ".join(f"{s.tool.name} ({s.value:g})" for s in outside[:5])
            more = f" and {len(outside) - 5} more" if len(outside) > 5 else ""
            problems["scale_min"] = (
                f"{len(outside)} existing score(s) fall outside this scale: "
                f"{listing}{more}. Fix those scores first."
            )
    return problems


def _outside(value, low, high) -> bool:
    return (low is not None and value < low) or (high is not None and value > high)


# Criteria -----------------------------------------------------------------------------


@transaction.atomic
def save_criterion(*, user, criterion: Criterion, reason: str = "") -> Criterion:
    """Validate and save a criterion whose fields are set; recorded in its history."""
    _require_perm(
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
    _require_perm(user, "selector.delete_criterion")
    lines = usage_lines(criterion)
    if lines:
        raise ValidationError(
            f"The criterion “{criterion.name}” ({criterion.key}) is in use and was not "
            "deleted: " + "; ".join(lines) + "."
        )
    criterion._history_user = user
    criterion.delete()


# Profiles: save, history baseline, re-ranking ---------------------------------------


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
) -> ProfileSave:
    """Create or update a profile and (when given) replace its weights by criterion key.

    ``data`` sets profile fields (slug, name, description, survey, builtin);
    ``weights`` is the complete new set (criteria left out are removed);
    ``benchmarks`` links weights to survey figures (keys left out keep their link).
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
        )
    outcome = start_rerank(profile=profile, user=user) if rerank else Rerank(0)
    return ProfileSave(profile=profile, changes=changes, rerank=outcome)


def _save_profile_rows(
    *, user, profile, data, weights, benchmarks, reason
) -> list[str]:
    _require_perm(
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
        raise ValidationError({"weights": "A new profile needs at least one weight."})

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


def set_profile_weights(
    *, user, profile: WeightProfile, weights: Mapping[str, object], reason: str = ""
) -> ProfileSave:
    """Replace a profile's weights (criterion key -> value); re-rank its followers."""
    return save_profile(user=user, profile=profile, weights=weights, reason=reason)


def start_rerank(*, profile: WeightProfile, user) -> Rerank:
    """Re-run the evaluations that follow ``profile``, or record that they need it.

    Uses ``selector.batches.rerank_profile`` when that module provides it; otherwise
    (or when it fails to start) a re-rank ``Batch`` without runs records which
    evaluations need re-running, so nothing is forgotten.
    """
    evaluation_ids = list(
        Evaluation.objects.filter(profile=profile)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rerank_profile = _rerank_function()
    if rerank_profile is not None:
        try:
            result = rerank_profile(profile=profile, user=user)
        except Exception as error:  # the edit is saved; say the re-run is still owed
            logger.exception("Re-ranking after editing profile %s failed", profile.slug)
            return _record_pending(profile, user, evaluation_ids, error=str(error))
        return Rerank(
            evaluations=len(evaluation_ids), batches=_as_batches(result), started=True
        )
    return _record_pending(profile, user, evaluation_ids)


def _rerank_function():
    try:
        from selector import batches
    except ModuleNotFoundError as error:
        if error.name != "selector.batches":
            raise
        return None
    return getattr(batches, "rerank_profile", None)


def _as_batches(result) -> tuple:
    if result is None:
        return ()
    if isinstance(result, Batch):
        return (result,)
    if isinstance(result, Iterable):
        return tuple(item for item in result if isinstance(item, Batch))
    return ()


def _record_pending(profile, user, evaluation_ids, *, error: str = "") -> Rerank:
    if not evaluation_ids:
        return Rerank(evaluations=0, error=error)
    batch = Batch.objects.create(
        kind=Batch.Kind.RERANK,
        profile=profile,
        total=len(evaluation_ids),
        options={
            "needs_rerun": True,
            "evaluations": evaluation_ids,
            "reason": f"Weight profile {profile.slug!r} was edited.",
            **({"error": error} if error else {}),
        },
        created_by=user if user is not None and user.is_authenticated else None,
    )
    return Rerank(evaluations=len(evaluation_ids), batches=(batch,), error=error)


# Change log and revert ----------------------------------------------------------------


def _replay(profile_pk: int):
    """Yield (date, rows, fields, weights) after each recorded timestamp, oldest first.

    ``fields`` is the profile's tracked fields; ``weights`` maps weight id to
    (criterion_id, value, benchmark_id) for the weights that existed at that time.
    """
    from selector.models import Weight as W

    profile_rows = list(
        WeightProfile.history.filter(id=profile_pk).select_related("history_user")
    )
    weight_rows = list(
        W.history.filter(profile_id=profile_pk).select_related("history_user")
    )
    rows = sorted(
        profile_rows + weight_rows,
        key=lambda r: (
            r.history_date,
            isinstance(r, WeightProfile.history.model),
            r.pk,
        ),
    )
    fields, weights = {}, {}
    i = 0
    while i < len(rows):
        date = rows[i].history_date
        group = []
        while i < len(rows) and rows[i].history_date == date:
            group.append(rows[i])
            i += 1
        for row in group:
            if isinstance(row, WeightProfile.history.model):
                if row.history_type != "-":
                    fields = {name: getattr(row, name) for name in PROFILE_FIELDS}
            elif row.history_type == "-":
                weights.pop(row.id, None)
            else:
                weights[row.id] = (row.criterion_id, row.value, row.benchmark_id)
        yield date, group, dict(fields), dict(weights)


def profile_change_log(profile: WeightProfile) -> list[ChangeEntry]:
    """Every recorded change of the profile and its weights, newest first."""
    names = dict(Criterion.objects.values_list("pk", "name"))
    surveys = dict(Survey.objects.values_list("pk", "title"))
    entries = []
    previous_fields, previous_weights = None, {}
    for date, group, fields, weights in _replay(profile.pk):
        profile_row = next(
            (r for r in reversed(group) if isinstance(r, WeightProfile.history.model)),
            None,
        )
        user = next((r.history_user for r in group if r.history_user_id), None)
        reason = next(
            (r.history_change_reason for r in group if r.history_change_reason), ""
        )
        changes = []
        if previous_fields is not None:
            for name in PROFILE_FIELDS:
                if previous_fields.get(name) != fields.get(name):
                    changes.append(
                        Change(
                            FIELD_LABELS[name],
                            _label(name, previous_fields.get(name), surveys),
                            _label(name, fields.get(name), surveys),
                        )
                    )
        changes += _weight_changes(previous_weights, weights, names)
        kind = "changed"
        if previous_fields is None and profile_row is not None:
            kind = "loaded" if reason == BASELINE_REASON else "created"
        if profile_row is not None and profile_row.history_type == "-":
            kind = "deleted"
        if previous_fields is None and profile_row is not None:
            changes = [
                Change(f"Weight of {names.get(c, f'criterion #{c}')}", "", f"{v:g}")
                for c, v, _ in sorted(weights.values(), key=lambda t: -t[1])
            ]
        entries.append(
            ChangeEntry(
                date=date,
                user=user,
                reason=reason or "",
                kind=kind,
                changes=changes,
                history_id=profile_row.history_id if profile_row is not None else None,
            )
        )
        if fields:
            previous_fields = fields
        previous_weights = weights
    entries.reverse()
    return entries


def _label(name, value, surveys) -> str:
    if name == "survey_id":
        return surveys.get(value, "none") if value is not None else "none"
    if value in ("", None):
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _weight_changes(before: dict, after: dict, names: dict) -> list[Change]:
    def by_criterion(state):
        return {c: (v, b) for c, v, b in state.values()}

    old, new = by_criterion(before), by_criterion(after)
    changes = []
    for criterion_id in sorted(old.keys() | new.keys(), key=lambda c: names.get(c, "")):
        label = f"Weight of {names.get(criterion_id, f'criterion #{criterion_id}')}"
        o, n = old.get(criterion_id), new.get(criterion_id)
        if o == n:
            continue
        if o is None:
            changes.append(Change(label, "(none)", f"{n[0]:g}"))
        elif n is None:
            changes.append(Change(label, f"{o[0]:g}", "(removed)"))
        elif o[0] != n[0]:
            changes.append(Change(label, f"{o[0]:g}", f"{n[0]:g}"))
        else:
            changes.append(Change(f"Source of {label.lower()}", f"#{o[1]}", f"#{n[1]}"))
    return changes


def profile_version(profile: WeightProfile, history_id: int) -> dict:
    """A version's fields and weights (criterion key -> (value, benchmark))."""
    record = WeightProfile.history.filter(id=profile.pk, history_id=history_id).first()
    if record is None:
        raise ValidationError(f"Profile {profile.slug!r} has no version #{history_id}.")
    state = None
    for date, _, fields, weights in _replay(profile.pk):
        if date > record.history_date:
            break
        state = (fields, weights)
    fields, weights = state
    criteria = Criterion.objects.in_bulk([c for c, _, _ in weights.values()])
    benchmarks = Benchmark.objects.in_bulk([b for _, _, b in weights.values() if b])
    return {
        "record": record,
        "fields": fields,
        "weights": {
            criteria[c].key: (value, benchmarks.get(b))
            for c, value, b in weights.values()
            if c in criteria
        },
        "lost": [c for c, _, _ in weights.values() if c not in criteria],
    }


def revert_profile(*, user, profile: WeightProfile, history_id: int) -> ProfileSave:
    """Restore the profile's fields and weights as they were at a version.

    The revert is itself a recorded change (reason "Reverted to version #N"), so it can
    be undone the same way, and it re-ranks the profile's evaluations like any edit.
    """
    version = profile_version(profile, history_id)
    fields = version["fields"]
    data = {
        "slug": fields["slug"],
        "name": fields["name"],
        "description": fields["description"],
        "builtin": fields["builtin"],
        "survey": Survey.objects.filter(pk=fields["survey_id"]).first()
        if fields["survey_id"]
        else None,
    }
    weights = {key: value for key, (value, _) in version["weights"].items()}
    benchmarks = {key: benchmark for key, (_, benchmark) in version["weights"].items()}
    date = timezone.localtime(version["record"].history_date)
    return save_profile(
        user=user,
        profile=profile,
        data=data,
        weights=weights,
        benchmarks=benchmarks,
        reason=f"Reverted to version #{history_id} of {date:%Y-%m-%d %H:%M:%S}",
    )


# Deriving, duplicating ----------------------------------------------------------------


def benchmark_criteria(category: str) -> dict[str, Criterion]:
    """Benchmark key -> criterion, for a survey category.

    Links come from each criterion's ``benchmark`` (matched by category and key, so they
    also hold for other surveys with the same figures) and from the built-in profiles'
    mapping (e.g. ``pilot_failure_reasons/disappointing_roi`` -> ``roi``).
    """
    criteria = {c.key: c for c in Criterion.objects.select_related("benchmark")}
    mapping = {}
    for spec in builtins.PROFILES:
        if spec.category == category:
            for criterion_key, benchmark_key in spec.weights:
                if criterion_key in criteria:
                    mapping[benchmark_key] = criteria[criterion_key]
    for criterion in criteria.values():
        if criterion.benchmark is not None and criterion.benchmark.category == category:
            mapping.setdefault(criterion.benchmark.key, criterion)
    return mapping


def survey_categories(survey: Survey) -> list[tuple[str, int]]:
    """The survey's share categories that map to criteria: (category, figures)."""
    categories = (
        survey.benchmarks.filter(unit__startswith=PERCENT_UNITS)
        .values_list("category", flat=True)
        .distinct()
    )
    result = []
    for category in sorted(set(categories)):
        mapping = benchmark_criteria(category)
        count = survey.benchmarks.filter(
            category=category, key__in=list(mapping)
        ).count()
        if count:
            result.append((category, count))
    return result


def derive_profile_from_survey(
    *,
    user,
    survey: Survey,
    category: str,
    slug: str,
    name: str,
    description: str = "",
) -> tuple[ProfileSave, list[Benchmark]]:
    """A new profile weighted by a survey category's shares, linked to each figure.

    Returns the save and the category's figures that map to no criterion (left out).
    """
    figures = list(
        survey.benchmarks.filter(category=category).order_by("position", "pk")
    )
    if not figures:
        raise ValidationError(
            {"category": f"The survey {survey.slug!r} has no figures in {category!r}."}
        )
    not_shares = sorted(
        {f.unit for f in figures if not f.unit.startswith(PERCENT_UNITS)}
    )
    if not_shares:
        raise ValidationError(
            {
                "category": f"{category!r} is not a set of shares (its unit is "
                f"{', '.join(not_shares)}); choose a category measured in percent."
            }
        )
    mapping = benchmark_criteria(category)
    mapped = [f for f in figures if f.key in mapping]
    unmapped = [f for f in figures if f.key not in mapping]
    if not mapped:
        raise ValidationError(
            {
                "category": f"No figure of {category!r} maps to a criterion: link a "
                "criterion to one of them (its “benchmark” field) first."
            }
        )
    weights = {mapping[f.key].key: f.value for f in mapped}
    benchmarks = {mapping[f.key].key: f for f in mapped}
    description = description or (
        f"Shares of {survey.title} ({survey.publisher}, {survey.year}"
        f"{f', n={survey.respondents}' if survey.respondents else ''}) for "
        f"{category.replace('_', ' ')}."
    )
    saved = save_profile(
        user=user,
        profile=WeightProfile(survey=survey),
        data={"slug": slug, "name": name, "description": description},
        weights=weights,
        benchmarks=benchmarks,
        reason=f"Derived from {survey.slug}/{category}",
    )
    return saved, unmapped


def _unique_slug(base: str) -> str:
    slug, n = base[:80], 2
    while WeightProfile.objects.filter(slug__iexact=slug).exists():
        suffix = f"-{n}"
        slug, n = base[: 80 - len(suffix)] + suffix, n + 1
    return slug


def duplicate_profile(
    *, user, profile: WeightProfile, slug: str = "", name: str = ""
) -> ProfileSave:
    """A copy of the profile and its weights (with their sources); never built-in."""
    weights = {
        w.criterion.key: w
        for w in profile.weights.select_related("criterion", "benchmark")
    }
    return save_profile(
        user=user,
        profile=WeightProfile(survey=profile.survey),
        data={
            "slug": slug or _unique_slug(f"{profile.slug}-copy"),
            "name": name or f"{profile.name} (copy)",
            "description": profile.description,
            "builtin": False,
        },
        weights={key: w.value for key, w in weights.items()},
        benchmarks={key: w.benchmark for key, w in weights.items()},
        reason=f"Duplicated from {profile.slug}"[:100],
    )


# AHP ----------------------------------------------------------------------------------


def parse_judgement(raw) -> float:
    """A Saaty-scale judgement from a number or a fraction string like '1/3'."""
    if isinstance(raw, str) and "/" in raw:
        top, _, bottom = raw.partition("/")
        value = parse_number(top.strip(), "judgement", required=True) / parse_number(
            bottom.strip(), "judgement", required=True
        )
    else:
        value = parse_number(raw, "judgement", required=True)
    return value


def ahp_matrix(
    keys: Sequence[str], judgements: Mapping[tuple[str, str], object]
) -> np.ndarray:
    """The full reciprocal matrix from judgements {(a, b): how many times a over b}.

    Each pair needs one judgement (either order); both orders must agree
    (the engine checks a_ji = 1 / a_ij).
    """
    index = {key: i for i, key in enumerate(keys)}
    m = len(keys)
    A = np.ones((m, m))
    given = np.zeros((m, m), dtype=bool)
    errors = []
    for (a, b), raw in judgements.items():
        if a not in index or b not in index:
            errors.append(f"{a} vs {b}: both must be among the compared criteria.")
            continue
        if a == b:
            continue
        try:
            value = parse_judgement(raw)
        except ValidationError as error:
            errors.append(f"{a} vs {b}: {error.messages[0]}")
            continue
        if not SAATY_MIN - 1e-9 <= value <= SAATY_MAX + 1e-9:
            errors.append(f"{a} vs {b}: {value:g} is outside Saaty's scale (1/9 to 9).")
            continue
        i, j = index[a], index[b]
        A[i, j] = value
        given[i, j] = True
        if not given[j, i]:
            A[j, i] = 1 / value
    missing = [
        f"{keys[i]} vs {keys[j]}"
        for i in range(m)
        for j in range(i + 1, m)
        if not (given[i, j] or given[j, i])
    ]
    if missing:
        errors.append("Compare " + ", ".join(missing) + ".")
    if errors:
        raise ValidationError({"pairwise": errors})
    return A


def ahp_preview(keys: Sequence[str], judgements) -> AhpResult:
    """AHP weights and consistency ratio from the engine, without saving anything."""
    keys = list(keys)
    if len(keys) < 2:
        raise ValidationError({"criteria": "Choose at least two criteria to compare."})
    if len(set(keys)) != len(keys):
        raise ValidationError({"criteria": "Each criterion can be compared only once."})
    unknown = set(keys) - set(
        Criterion.objects.filter(key__in=keys).values_list("key", flat=True)
    )
    if unknown:
        raise ValidationError(
            {"criteria": f"Unknown criteria: {', '.join(sorted(unknown))}."}
        )
    if isinstance(judgements, Mapping):
        matrix = ahp_matrix(keys, judgements)
    else:
        matrix = np.asarray(judgements, dtype=float)
    try:
        weights, ratio = engine.ahp_weights(matrix, criterion_names=keys)
    except engine.EngineError as error:
        raise ValidationError({"pairwise": str(error)}) from None
    return AhpResult(
        keys=keys,
        weights={key: float(w) for key, w in zip(keys, weights, strict=True)},
        consistency_ratio=float(ratio),
    )


def derive_profile_with_ahp(
    *,
    user,
    keys: Sequence[str],
    pairwise,
    slug: str = "",
    name: str = "",
    description: str = "",
    profile: WeightProfile | None = None,
    confirm_inconsistent: bool = False,
) -> tuple[ProfileSave, AhpResult]:
    """Save AHP weights (as % of 100) into a new profile, or replace ``profile``'s.

    ``pairwise`` is {(key_a, key_b): judgement} on Saaty's 1-9 scale (1/9..9), or a
    full (m, m) matrix in the order of ``keys``. Refused when the consistency ratio is
    above 0.10 unless ``confirm_inconsistent``.
    """
    result = ahp_preview(keys, pairwise)
    ratio = result.consistency_ratio
    if not result.consistent and not confirm_inconsistent:
        shown = (
            f"{ratio:.3f}"
            if math.isfinite(ratio)
            else "unknown (more than 15 criteria)"
        )
        raise ValidationError(
            {
                "confirm_inconsistent": (
                    f"The consistency ratio is {shown}, above Saaty's limit of 0.10: "
                    "the judgements contradict each other. Revise them, or confirm "
                    "to save these weights anyway."
                )
            }
        )
    ratio_text = f"{ratio:.3f}" if math.isfinite(ratio) else "n/a"
    note = f"Derived with AHP (Saaty 1-9 scale, eigenvector), CR {ratio_text}"
    if not result.consistent:
        note += ", saved above 0.10 on confirmation"
    weights = {key: round(share * 100, 6) for key, share in result.weights.items()}
    if profile is None:
        profile = WeightProfile()
        data = {
            "slug": slug,
            "name": name,
            "description": (description + "\n\n" if description else "") + note + ".",
        }
    else:
        data = {"description": description} if description else None
    saved = save_profile(
        user=user,
        profile=profile,
        data=data,
        weights=weights,
        benchmarks={key: None for key in weights},
        reason=note[:100],
    )
    return saved, result


# Reads --------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeightRow:
    criterion: Criterion
    value: float
    share: float  # normalised, 0..1
    benchmark: Benchmark | None

    @property
    def percent(self) -> float:
        return 100 * self.share

    @property
    def edited(self) -> bool:
        return self.benchmark is not None and self.benchmark.value != self.value


def weight_rows(profile: WeightProfile) -> list[WeightRow]:
    """The profile's weights, heaviest first, with their normalised share and source."""
    weights = list(
        profile.weights.select_related("criterion", "benchmark__survey").order_by(
            "-value", "criterion__name"
        )
    )
    total = sum(w.value for w in weights)
    return [
        WeightRow(w.criterion, w.value, w.value / total if total else 0.0, w.benchmark)
        for w in weights
    ]


@dataclass(frozen=True)
class Ranking:
    profile: WeightProfile
    rows: list[dict]  # tool_name, rank, score
    error: str = ""


@dataclass(frozen=True)
class Comparison:
    a: WeightProfile
    b: WeightProfile
    weights: list[dict]
    evaluation: Evaluation | None
    rankings: tuple[Ranking, Ranking] | None
    tools: list[dict]

    @property
    def top_changes(self) -> bool:
        if not self.rankings or any(r.error for r in self.rankings):
            return False
        tops = [
            {row["tool_name"] for row in r.rows if row["rank"] == 1}
            for r in self.rankings
        ]
        return tops[0] != tops[1]


def rank_under_profile(evaluation: Evaluation, profile: WeightProfile) -> Ranking:
    """The evaluation ranked with ``profile``'s own weights; nothing is stored."""
    from selector.computation import compute, snapshot_inputs

    candidate = copy.copy(evaluation)
    candidate.profile = profile
    try:
        inputs = snapshot_inputs(candidate, weights={})
        # Only the ranking is used here: a small SMAA sample keeps the page fast.
        rows, _ = compute({**inputs, "smaa_samples": 50})
    except ValidationError as error:
        return Ranking(profile, [], error=" ".join(_messages(error)))
    except engine.EngineError as error:
        return Ranking(profile, [], error=str(error))
    return Ranking(
        profile,
        [
            {"tool_name": r["tool_name"], "rank": r["rank"], "score": r["score"]}
            for r in rows
        ],
    )


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [m for ms in error.message_dict.values() for m in ms]
    return error.messages


def compare_profiles(
    *, a: WeightProfile, b: WeightProfile, evaluation: Evaluation | None = None
) -> Comparison:
    """Two profiles' weights side by side and, given an evaluation, both rankings."""
    rows_a = {row.criterion.key: row for row in weight_rows(a)}
    rows_b = {row.criterion.key: row for row in weight_rows(b)}
    keys = sorted(
        rows_a.keys() | rows_b.keys(),
        key=lambda k: (
            -max(
                getattr(rows_a.get(k), "share", 0), getattr(rows_b.get(k), "share", 0)
            ),
            k,
        ),
    )
    weights = []
    for key in keys:
        ra, rb = rows_a.get(key), rows_b.get(key)
        criterion = (ra or rb).criterion
        share_a = ra.share if ra else 0.0
        share_b = rb.share if rb else 0.0
        weights.append(
            {
                "criterion": criterion,
                "a": ra,
                "b": rb,
                "share_a": share_a,
                "share_b": share_b,
                "difference": 100 * (share_b - share_a),  # percentage points
            }
        )
    rankings, tools = None, []
    if evaluation is not None:
        rankings = (
            rank_under_profile(evaluation, a),
            rank_under_profile(evaluation, b),
        )
        if not any(r.error for r in rankings):
            rank_b = {row["tool_name"]: row for row in rankings[1].rows}
            for row in rankings[0].rows:
                other = rank_b.get(row["tool_name"])
                tools.append(
                    {
                        "tool_name": row["tool_name"],
                        "rank_a": row["rank"],
                        "score_a": row["score"],
                        "rank_b": other["rank"] if other else None,
                        "score_b": other["score"] if other else None,
                        "moved": (row["rank"] - other["rank"]) if other else 0,
                    }
                )
    return Comparison(a, b, weights, evaluation, rankings, tools)
