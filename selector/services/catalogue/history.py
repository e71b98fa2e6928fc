"""A profile's change log, its earlier versions, and reverting to one."""

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from selector import formats
from selector.models import Criterion, Weight, WeightProfile
from selector.services.catalogue.profiles import ProfileSave, save_profile
from selector.services.catalogue.rules import (
    BASELINE_REASON,
    PROFILE_FIELDS,
)
from selector.services.catalogue.texts import localized
from survey.models import Benchmark, Survey

# The change log is read in the reader's language; the history rows keep English.
SHOWN_FIELD_LABELS = {
    "slug": gettext_lazy("Slug"),
    "name": gettext_lazy("Name"),
    "description": gettext_lazy("Description"),
    "survey_id": gettext_lazy("Survey"),
    "builtin": gettext_lazy("Built-in"),
}
# Reasons the services record (in English), as patterns, and how they read.
SHOWN_REASONS = (
    (
        re.compile(r"^State before the change log began$"),
        gettext_lazy("State before the change log began"),
    ),
    (
        re.compile(r"^Reverted to version #(?P<version>\d+) of (?P<date>.+)$"),
        gettext_lazy("Reverted to version #%(version)s of %(date)s"),
    ),
    (
        re.compile(r"^Reverted to version #(?P<version>\d+)$"),
        gettext_lazy("Reverted to version #%(version)s"),
    ),
    (
        re.compile(r"^Derived from (?P<source>\S+)$"),
        gettext_lazy("Derived from %(source)s"),
    ),
    (
        re.compile(r"^Duplicated from (?P<source>\S+)$"),
        gettext_lazy("Duplicated from %(source)s"),
    ),
    (
        re.compile(
            r"^Derived with AHP \(Saaty 1-9 scale, eigenvector\), CR (?P<ratio>[\d.]+|n/a)(?P<above>, saved above 0.10 on confirmation)?$"
        ),
        None,
    ),
)


def shown_reason(reason: str) -> str:
    """A recorded change reason in the reader's language (as recorded when unknown)."""
    for pattern, sentence in SHOWN_REASONS:
        match = pattern.match(reason)
        if match is None:
            continue
        if sentence is None:  # the AHP note
            ratio = match["ratio"]
            if ratio != "n/a":
                ratio = floatformat(float(ratio), 3)
            if match["above"]:
                return gettext(
                    "Derived with AHP (Saaty 1-9 scale, eigenvector), CR %(ratio)s, "
                    "saved above 0.10 on confirmation"
                ) % {"ratio": ratio}
            return gettext(
                "Derived with AHP (Saaty 1-9 scale, eigenvector), CR %(ratio)s"
            ) % {"ratio": ratio}
        return str(sentence) % match.groupdict()
    return reason


def _number(value: float) -> str:
    """A weight as the reader's language writes it, without a needless ".0"."""
    value = float(value)
    return formats.number(value, 0 if value.is_integer() else None)


def _weight_label(names: dict, criterion_id) -> str:
    if criterion_id in names:
        return gettext("Weight of %(criterion)s") % {"criterion": names[criterion_id]}
    return gettext("Weight of criterion #%(id)s") % {"id": criterion_id}


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


def _replay(profile_pk: int):
    """Yield (date, rows, fields, weights) after each recorded timestamp, oldest first.

    ``fields`` is the profile's tracked fields; ``weights`` maps weight id to
    (criterion_id, value, benchmark_id) for the weights that existed at that time.
    """
    profile_rows = list(
        WeightProfile.history.filter(id=profile_pk).select_related("history_user")
    )
    weight_rows = list(
        Weight.history.filter(profile_id=profile_pk).select_related("history_user")
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
    names = {c.pk: localized(c, "name") for c in Criterion.objects.all()}
    surveys = {s.pk: localized(s, "title") for s in Survey.objects.all()}
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
                            str(SHOWN_FIELD_LABELS[name]),
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
                Change(_weight_label(names, c), "", _number(v))
                for c, v, _ in sorted(weights.values(), key=lambda t: -t[1])
            ]
        entries.append(
            ChangeEntry(
                date=date,
                user=user,
                reason=shown_reason(reason or ""),
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
        none = gettext("none")
        return surveys.get(value, none) if value is not None else none
    if value in ("", None):
        return gettext("(empty)")
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    return str(value)


def _weight_changes(before: dict, after: dict, names: dict) -> list[Change]:
    def by_criterion(state):
        return {c: (v, b) for c, v, b in state.values()}

    old, new = by_criterion(before), by_criterion(after)
    changes = []
    for criterion_id in sorted(old.keys() | new.keys(), key=lambda c: names.get(c, "")):
        label = _weight_label(names, criterion_id)
        o, n = old.get(criterion_id), new.get(criterion_id)
        if o == n:
            continue
        if o is None:
            changes.append(Change(label, gettext("(none)"), _number(n[0])))
        elif n is None:
            changes.append(Change(label, _number(o[0]), gettext("(removed)")))
        elif o[0] != n[0]:
            changes.append(Change(label, _number(o[0]), _number(n[0])))
        else:
            source = gettext("Source of the weight of %(criterion)s") % {
                "criterion": names.get(criterion_id, f"#{criterion_id}")
            }
            changes.append(Change(source, f"#{o[1]}", f"#{n[1]}"))
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
        ahp=version["record"].ahp,
    )
