"""Weights from pairwise judgements with AHP (Saaty): the matrix, a live preview of the
weights and consistency ratio, and saving them as a profile."""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from django.core.exceptions import ValidationError
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext

from selector import engine
from selector.messages import engine_message
from selector.models import Criterion, WeightProfile
from selector.numbers import parse_number
from selector.services.catalogue.profiles import ProfileSave, save_profile

# Saaty's usual threshold: above it the judgements are too inconsistent to trust.
MAX_CONSISTENCY_RATIO = 0.10
# The fundamental scale runs from 1/9 to 9 (Saaty 1980, table 1.1).
SAATY_MIN, SAATY_MAX = 1 / 9, 9.0


@dataclass(frozen=True)
class AhpResult:
    """Weights (shares summing to 1) by criterion key and Saaty's consistency ratio,
    and the judgements they come from ({"a|b": "3"}: a matters 3 times more than b)."""

    keys: list[str]
    weights: dict[str, float]
    consistency_ratio: float
    judgements: dict[str, str] = field(default_factory=dict)

    @property
    def consistent(self) -> bool:
        return math.isfinite(self.consistency_ratio) and (
            self.consistency_ratio <= MAX_CONSISTENCY_RATIO
        )


def parse_judgement(raw) -> float:
    """A Saaty-scale judgement from a number or a fraction string like '1/3'."""
    if isinstance(raw, str) and "/" in raw:
        top, _, bottom = raw.partition("/")
        value = parse_number(top.strip(), "judgment", required=True) / parse_number(
            bottom.strip(), "judgment", required=True
        )
    else:
        value = parse_number(raw, "judgment", required=True)
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
            errors.append(
                gettext("%(a)s vs %(b)s: both must be among the compared criteria.")
                % {"a": a, "b": b}
            )
            continue
        if a == b:
            continue
        try:
            value = parse_judgement(raw)
        except ValidationError as error:
            errors.append(
                gettext("%(a)s vs %(b)s: %(problem)s")
                % {"a": a, "b": b, "problem": error.messages[0]}
            )
            continue
        if not SAATY_MIN - 1e-9 <= value <= SAATY_MAX + 1e-9:
            errors.append(
                gettext(
                    "%(a)s vs %(b)s: %(value)s is outside Saaty's scale (1/9 to 9)."
                )
                % {"a": a, "b": b, "value": f"{value:g}"}
            )
            continue
        i, j = index[a], index[b]
        A[i, j] = value
        given[i, j] = True
        if not given[j, i]:
            A[j, i] = 1 / value
    missing = [
        gettext("%(a)s vs %(b)s") % {"a": keys[i], "b": keys[j]}
        for i in range(m)
        for j in range(i + 1, m)
        if not (given[i, j] or given[j, i])
    ]
    if missing:
        errors.append(gettext("Compare %(pairs)s.") % {"pairs": ", ".join(missing)})
    if errors:
        raise ValidationError({"pairwise": errors})
    return A


def ahp_preview(keys: Sequence[str], judgements) -> AhpResult:
    """AHP weights and consistency ratio from the engine, without saving anything."""
    keys = list(keys)
    if len(keys) < 2:
        raise ValidationError(
            {"criteria": gettext("Choose at least two criteria to compare.")}
        )
    if len(set(keys)) != len(keys):
        raise ValidationError(
            {"criteria": gettext("Each criterion can be compared only once.")}
        )
    unknown = set(keys) - set(
        Criterion.objects.filter(key__in=keys).values_list("key", flat=True)
    )
    if unknown:
        raise ValidationError(
            {
                "criteria": gettext("Unknown criteria: %(keys)s.")
                % {"keys": ", ".join(sorted(unknown))}
            }
        )
    if isinstance(judgements, Mapping):
        matrix = ahp_matrix(keys, judgements)
    else:
        matrix = np.asarray(judgements, dtype=float)
    try:
        weights, ratio = engine.ahp_weights(matrix, criterion_names=keys)
    except engine.EngineError as error:
        raise ValidationError({"pairwise": engine_message(error)}) from None
    return AhpResult(
        keys=keys,
        weights={key: float(w) for key, w in zip(keys, weights, strict=True)},
        consistency_ratio=float(ratio),
        judgements={
            f"{a}|{b}": saaty_text(matrix[i, j])
            for i, a in enumerate(keys)
            for j, b in enumerate(keys)
            if i < j
        },
    )


def saaty_text(value: float) -> str:
    """A judgement as written on Saaty's scale: "3", "1/3", "2.5"."""
    if value >= 1:
        return f"{value:g}"
    return f"1/{1 / value:.6g}"


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
        raise _inconsistent(ratio)
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
        ahp={
            "judgements": result.judgements,
            "consistency_ratio": ratio if math.isfinite(ratio) else None,
        },
    )
    return saved, result


def _inconsistent(ratio: float) -> ValidationError:
    shown = (
        floatformat(ratio, 3)
        if math.isfinite(ratio)
        else gettext("unknown (more than 15 criteria)")
    )
    return ValidationError(
        {
            "confirm_inconsistent": gettext(
                "The consistency ratio is %(ratio)s, above Saaty's limit of 0.10: "
                "the judgments contradict each other. Revise them, or confirm "
                "to save these weights anyway."
            )
            % {"ratio": shown}
        }
    )
