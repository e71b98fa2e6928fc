"""What a criterion or a weight profile must satisfy, checked where the data is saved,
and the names the profile modules share."""

import re
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext, ngettext

from selector.models import Criterion, Score, WeightProfile
from selector.numbers import parse_weight

# Lower-case letters and digits, words joined by "-" or "_" (e.g. "roi", "menlo-2024").
KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
# Profile slugs that would shadow the profile pages' own paths.
RESERVED_SLUGS = {"compare", "ahp"}
# The change reason of the history rows written for data loaded before tracking began.
BASELINE_REASON = "State before the change log began"
PROFILE_FIELDS = ("slug", "name", "description", "survey_id", "builtin")
FIELD_LABELS = {
    "slug": "Slug",
    "name": "Name",
    "description": "Description",
    "survey_id": "Survey",
    "builtin": "Built-in",
}


def require_perm(user, perm: str) -> None:
    """Refuse a user without the model permission (None: trusted code)."""
    if user is not None and not user.has_perm(perm):
        raise PermissionDenied(
            gettext("You need the %(perm)r permission to do this.") % {"perm": perm}
        )


def key_problem(key: str, *, model, field_name: str, exclude_pk=None) -> str | None:
    """Why ``key`` cannot be a criterion key / profile slug, or None when it can."""
    if not key:
        return gettext("Enter a key.")
    if not KEY_PATTERN.match(key):
        return gettext(
            "%(key)r is not a lower-case slug: use a-z, 0-9, and '-' or '_' between "
            "words (e.g. 'measurable-roi')."
        ) % {"key": key}
    if model is WeightProfile and key in RESERVED_SLUGS:
        return gettext("%(key)r is reserved for a page; choose another slug.") % {
            "key": key
        }
    clash = model.objects.filter(**{f"{field_name}__iexact": key}).exclude(
        pk=exclude_pk
    )
    if clash.exists():
        return gettext("%(key)r is already used by %(other)s.") % {
            "key": key,
            "other": clash.first(),
        }
    return None


def validate_weights(weights: Mapping[str, object]) -> dict[str, float]:
    """Clean weights by criterion key; ValidationError naming every bad one.

    Rules: each weight is a finite number >= 0, the keys are existing criteria, and at
    least one weight is above zero (a ranking needs something to weigh).
    """
    if not weights:
        raise ValidationError(
            {"weights": gettext("A profile needs at least one weight.")}
        )
    known = set(
        Criterion.objects.filter(key__in=list(weights)).values_list("key", flat=True)
    )
    cleaned, errors = {}, {}
    for key, raw in weights.items():
        if key not in known:
            errors[f"weights.{key}"] = gettext(
                "There is no criterion with the key %(key)r."
            ) % {"key": key}
            continue
        try:
            cleaned[key] = parse_weight(raw, key, required=True)
        except ValidationError as error:
            errors[f"weights.{key}"] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    if not any(value > 0 for value in cleaned.values()):
        raise ValidationError(
            {"weights": gettext("At least one weight must be above zero; all are 0.")}
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
            if len(outside) > 5:
                listing = gettext("%(listing)s and %(count)d more") % {
                    "listing": listing,
                    "count": len(outside) - 5,
                }
            # The English reads "score(s)" in both forms, as it always has; the
            # French gets its own singular and plural.
            problems["scale_min"] = ngettext(
                "%(count)d existing score(s) fall outside this scale: %(listing)s. "
                "Fix those scores first.",
                "%(count)d existing score(s) fall outside this scale: %(listing)s. "
                "Fix those scores first.",
                len(outside),
            ) % {"count": len(outside), "listing": listing}
    return problems


def _outside(value, low, high) -> bool:
    return (low is not None and value < low) or (high is not None and value > high)
