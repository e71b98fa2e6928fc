"""The score grid: many tools' scores on one page, saved cell by cell.

Only the cells a user changed are written, and only their values (bounds and evidence
stay); a cell someone else changed since the page was loaded is refused, not
overwritten.
"""

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import number_format
from django.utils.translation import gettext

from selector.models import Criterion, Score, Tool
from selector.numbers import parse_number
from selector.services.workspaces import require_role
from survey.localized import localized

_UNCHECKED = object()  # a cell saved whatever its score is now


def _save_grid_cell(*, tool: Tool, criterion: Criterion, score, raw, expected) -> None:
    """Set (or, for None or "", remove) one score's value, keeping its bounds and
    evidence; refuse (code "stale") when the score is no longer ``expected``."""
    value = parse_number(raw, localized(criterion, "name"))
    current = None if score is None else score.value
    if expected is not _UNCHECKED and current != expected and value != current:
        # The message is shown after its first ": " (the grid drops the criterion's
        # name before it): translations keep no ": " in it.
        if current is None:
            message = gettext(
                "Someone else removed it since this page was loaded. Save again to "
                "replace it with yours."
            )
        else:
            message = gettext(
                "Someone else changed to %(value)s since this page was loaded. Save "
                "again to replace it with yours."
            ) % {"value": number_format(Decimal(f"{current:.15g}"), use_l10n=True)}
        raise ValidationError(message, code="stale")
    if value is None:
        if score is not None:
            score.delete()
        return
    score = score or Score(tool=tool, criterion=criterion)
    score.value = value
    score.full_clean(exclude=["tool", "criterion"])
    score.save()


@transaction.atomic
def save_score_grid(
    *,
    user,
    changes: Mapping[Tool, Mapping[str, object]],
    expected: Mapping[tuple[int, str], float | None] | None = None,
) -> None:
    """Save cells of the score grid (tool -> criterion key -> value, None or "" clears
    the score); all cells or none. Only the given cells change, and only their values.

    ``expected`` holds, by (tool id, criterion key), the value the user's page showed
    (None: no score); a cell someone else changed meanwhile is refused, not overwritten.
    Errors are keyed ``"<tool id>:<criterion key>"`` so a page can mark each cell.
    """
    expected = expected or {}
    keys = {key for scores in changes.values() for key in scores}
    criteria = Criterion.objects.in_bulk(keys, field_name="key")
    locked = (
        Score.objects.select_for_update(of=("self",))
        .select_related("criterion")
        .filter(tool__in=list(changes), criterion__in=list(criteria.values()))
    )
    scores = {(s.tool_id, s.criterion_id): s for s in locked}
    errors = {}
    for tool, cells in changes.items():
        require_role(user=user, workspace=tool.workspace)
        for key, raw in cells.items():
            cell = f"{tool.pk}:{key}"
            if key not in criteria:
                errors[cell] = [
                    gettext("Unknown criterion %(key)s.") % {"key": repr(key)}
                ]
                continue
            criterion = criteria[key]
            try:
                with transaction.atomic():
                    _save_grid_cell(
                        tool=tool,
                        criterion=criterion,
                        score=scores.get((tool.pk, criterion.pk)),
                        raw=raw,
                        expected=expected.get((tool.pk, key), _UNCHECKED),
                    )
            except ValidationError as error:
                code = getattr(error, "code", None)
                errors[cell] = [
                    ValidationError(message.split(": ", 1)[-1], code=code)
                    for message in error.messages
                ]
            except IntegrityError:  # scored by someone else since the lock was taken
                errors[cell] = [
                    ValidationError(
                        gettext(
                            "Someone else scored this cell since this page was loaded."
                        ),
                        code="stale",
                    )
                ]
    if errors:
        transaction.set_rollback(True)
        raise ValidationError(errors)
