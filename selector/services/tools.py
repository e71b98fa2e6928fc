"""Tools and their scores: save, delete, importing a CSV file (the grid: score_grid).

Scores are given by criterion key; each is checked against its criterion's scale. The
checks run in memory (``_check_facts``, ``_checked_scores``), so a save of one tool and
an import of thousands apply the same rules; the import then writes in bulk.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import BinaryIO, NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext

from selector.formats import plain_number
from selector.models import (
    LIST_PRICE,
    PRICE,
    TOOL_FIELDS,
    Criterion,
    Score,
    Tool,
    Workspace,
)
from selector.numbers import cents, parse_number
from selector.services.tool_csv import CsvRow, read_rows
from selector.services.workspaces import require_role

# Tools and scores ----------------------------------------------------------------------


KEEP = None  # a ScoreInput's evidence: keep what the score has


@dataclass(frozen=True)
class ScoreInput:
    value: float
    low: float | None = None
    high: float | None = None
    evidence: str | None = ""  # KEEP keeps the score's evidence (a CSV file has none)
    keep_bounds: bool = False  # a bare value: the score's low and high stay


def _score_input(raw) -> ScoreInput | None:
    """A score as given: a mapping sets every part; a bare value (the tool form's
    field, a number in the API) sets the value only, keeping bounds and evidence."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, ScoreInput):
        return raw
    if isinstance(raw, Mapping):
        return ScoreInput(
            value=raw.get("value"),
            low=raw.get("low"),
            high=raw.get("high"),
            evidence=raw.get("evidence") or "",
        )
    return ScoreInput(value=raw, evidence=KEEP, keep_bounds=True)


def _criteria_by_key(keys: Iterable[str]) -> dict[str, Criterion]:
    keys = set(keys)
    found = {c.key: c for c in Criterion.objects.filter(key__in=keys)}
    unknown = sorted(keys - found.keys())
    if unknown:
        message = gettext("Unknown criterion %(key)s.") % {"key": repr(unknown[0])}
        raise ValidationError({"scores": message})
    return found


class CheckedScore(NamedTuple):
    value: float
    low: float | None
    high: float | None
    evidence: str | None  # None keeps the score's evidence


def _checked_scores(
    scores: Mapping[str, object],
    criteria: Mapping[str, Criterion],
    existing: Mapping[str, Score] | None = None,
) -> dict[str, CheckedScore | None]:
    """Each score by criterion key parsed and checked against its criterion (None: an
    empty value, which deletes the score); nothing is read or written. A bare value
    is checked against the bounds it keeps from ``existing`` (scores by key). Raises
    ValidationError keyed ``scores.<key>``."""
    existing = existing or {}
    checked, errors = {}, {}
    for key, raw in scores.items():
        criterion = criteria[key]
        try:
            score_input = _score_input(raw)
            if score_input is None:
                checked[key] = None
                continue
            names = {"criterion": criterion.shown_name}
            value = parse_number(score_input.value, names["criterion"])
            if value is None:
                message = gettext("%(criterion)s: a value is required.")
                raise ValidationError(message % names)
            low, high = (
                parse_number(score_input.low, gettext("%(criterion)s (low)") % names),
                parse_number(score_input.high, gettext("%(criterion)s (high)") % names),
            )
            if score_input.keep_bounds and key in existing:
                low, high = existing[key].low, existing[key].high
            Score.check_values(criterion, value, low, high)
            evidence = score_input.evidence
            checked[key] = CheckedScore(
                value, low, high, None if evidence is None else str(evidence)
            )
        except ValidationError as error:
            errors[key] = error.messages
    if errors:
        raise ValidationError({f"scores.{key}": value for key, value in errors.items()})
    return checked


def _apply_scores(tool: Tool, scores: Mapping[str, object]) -> None:
    """Create, update or (for an empty value) delete the tool's scores by criterion key."""
    criteria = _criteria_by_key(scores)
    existing = {s.criterion.key: s for s in tool.scores.select_related("criterion")}
    checked = _checked_scores(scores, criteria, existing)
    for key, values in checked.items():
        score = existing.get(key)
        if values is None:
            if score is not None:
                score.delete()
            continue
        score = score or Score(tool=tool, criterion=criteria[key])
        score.value, score.low, score.high = values.value, values.low, values.high
        if values.evidence is not None:
            score.evidence = values.evidence
        score.save()


def _check_facts(tool: Tool, data: Mapping[str, object]) -> None:
    """Set the facts given in ``data`` on ``tool`` and check them (without a query: the
    name's uniqueness is the caller's)."""
    for name in TOOL_FIELDS:
        if name in data:
            setattr(tool, name, data[name] if data[name] is not None else "")
    tool.full_clean(
        exclude=["workspace"], validate_unique=False, validate_constraints=False
    )


def list_price_alias(data: Mapping[str, object], price: object) -> float | None:
    """The price score that ``data``'s ``list_price`` (the tool's former price field)
    writes, or None when it writes none: no list price given (None or empty), or the
    price score ``price`` is given too, which then wins and must agree to the cent.
    Raises ValidationError keyed ``list_price``."""
    raw = data.get(LIST_PRICE)
    if raw is None or raw == "":
        return None
    try:
        number = parse_number(raw, LIST_PRICE)
    except ValidationError as error:
        raise ValidationError({LIST_PRICE: error.messages}) from None
    if number < 0:
        message = gettext("A price cannot be negative (%(value)s).")
        raise ValidationError({LIST_PRICE: message % {"value": plain_number(number)}})
    given = _score_input(price)
    if given is None:
        return number
    try:
        score = parse_number(given.value, PRICE)
    except ValidationError:
        return None  # the price score's own check names it
    if score is not None and cents(score) != cents(number):
        raise ValidationError(
            {
                LIST_PRICE: gettext(
                    "%(number)s differs from the price score (%(score)s); a tool has "
                    "one price, its price score: leave list_price out."
                )
                % {"number": plain_number(number), "score": plain_number(score)}
            }
        )
    return None


@transaction.atomic
def save_tool(
    *,
    user,
    workspace: Workspace,
    data: Mapping[str, object],
    scores: Mapping[str, object] | None = None,
    tool: Tool | None = None,
) -> Tool:
    """Create a tool (``tool`` None) or update it, with its scores by criterion key.

    A ``list_price`` in ``data`` is read as the price score (``list_price_alias``)."""
    if tool is not None and tool.workspace_id != workspace.pk:
        raise PermissionDenied(gettext("The tool belongs to another workspace."))
    require_role(user=user, workspace=workspace)
    scores = dict(scores or {})
    price = list_price_alias(data, scores.get(PRICE))
    if price is not None:
        scores[PRICE] = price
    tool = tool or Tool(workspace=workspace)
    _check_facts(tool, data)
    clash = Tool.objects.filter(workspace=workspace, name__iexact=tool.name).exclude(
        pk=tool.pk
    )
    if clash.exists():
        message = gettext("A tool named %(tool)s already exists here.")
        raise ValidationError({"name": message % {"tool": repr(tool.name)}})
    tool.save()
    if scores:
        _apply_scores(tool, scores)
    return tool


@transaction.atomic
def delete_tool(*, user, tool: Tool) -> None:
    require_role(user=user, workspace=tool.workspace)
    tool.delete()


# CSV import ----------------------------------------------------------------------------


def _messages(error: ValidationError) -> list[str]:
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    return [
        message
        if key == "__all__"
        else gettext("%(column)s: %(message)s")
        % {"column": key.removeprefix("scores."), "message": message}
        for key, messages in error.message_dict.items()
        for message in messages
    ]


def import_tools_csv(
    *, user, workspace: Workspace, source: str | BinaryIO, commit: bool
) -> list[CsvRow]:
    """Check (``commit=False``) or import a tools CSV; every row or none is saved.

    ``source`` is the file's text or a binary file (an upload: its size is checked
    before it is read). Every row is checked in memory by the rules ``save_tool``
    applies, so the preview reports exactly the errors a real import would hit; an
    import then writes in a fixed number of bulk statements. Returns the rows with
    their errors and action ("create" or "update"); raises
    ``tool_csv.CsvFormatError`` for a broken file.
    """
    require_role(user=user, workspace=workspace)
    criteria = list(Criterion.objects.order_by("key"))
    rows = read_rows(source, criteria)
    plan = _ImportPlan(workspace, criteria)
    for row in rows:
        plan.check(row)
    if commit and not any(row.errors for row in rows):
        plan.write()
    return rows


class _ImportPlan:
    """The writes of one import, gathered while its rows are checked."""

    def __init__(self, workspace: Workspace, criteria: list[Criterion]) -> None:
        self.workspace = workspace
        self.criteria = {c.key: c for c in criteria}
        self.existing = {tool.name.lower(): tool for tool in workspace.tools.all()}
        self.first_line: dict[str, int] = {}
        self.new_tools: list[Tool] = []
        self.updated_tools: list[Tool] = []
        self.scores: list[tuple[Tool, int, CheckedScore]] = []
        self.emptied: dict[int, list[Tool]] = defaultdict(list)  # by criterion id

    def check(self, row: CsvRow) -> None:
        name = row.name.lower()
        if name and name in self.first_line:
            row.errors.append(
                gettext("the tool %(tool)s is already on line %(line)d")
                % {"tool": repr(row.name), "line": self.first_line[name]}
            )
        self.first_line.setdefault(name, row.line)
        tool = self.existing.get(name)
        row.action = "update" if tool else "create"
        # Every bad cell is named: the cells checked while reading (which _check skips)
        # and the model's checks of the rest, even when the row already has errors.
        row.errors.extend(self._check(row, tool, writes=not row.errors))

    def _check(self, row: CsvRow, existing: Tool | None, *, writes: bool) -> list[str]:
        """The row's errors; none (and ``writes``): its tool and scores join the
        writes. Facts already refused while reading the row are not checked again."""
        tool = existing or Tool(workspace=self.workspace)
        errors = {}
        data = {k: v for k, v in row.data.items() if k not in row.refused}
        row_scores = dict(row.scores)
        try:
            _check_facts(tool, data)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            price = list_price_alias(data, row_scores.get(PRICE))
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        else:
            if price is not None:  # a list_price column reads as a price column
                row_scores[PRICE] = {"value": price, "low": None, "high": None}
        scores = {
            key: None if cells is None else ScoreInput(**cells, evidence=None)
            for key, cells in row_scores.items()
            if key not in row.refused
            and not {f"{key}_low", f"{key}_high"} & row.refused
            and (
                cells is not None or existing
            )  # an empty cell deletes an existing score
        }
        try:
            checked = _checked_scores(scores, self.criteria)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            return _messages(ValidationError(errors))
        if not writes:
            return []
        (self.updated_tools if existing else self.new_tools).append(tool)
        for key, values in checked.items():
            criterion_id = self.criteria[key].pk
            if values is None:
                self.emptied[criterion_id].append(tool)
            else:
                self.scores.append((tool, criterion_id, values))
        return []

    @transaction.atomic
    def write(self) -> None:
        """Every tool and score in a few statements, whatever the number of rows."""
        Tool.objects.bulk_create(self.new_tools)
        Tool.objects.bulk_create(
            self.updated_tools,
            update_conflicts=True,  # one INSERT ... ON CONFLICT DO UPDATE
            unique_fields=["id"],
            update_fields=[*TOOL_FIELDS, "updated_at"],
        )
        for criterion_id, tools in self.emptied.items():  # one per criterion
            Score.objects.filter(
                criterion_id=criterion_id, tool__in=[tool.pk for tool in tools]
            ).delete()
        _upsert_scores(
            [
                (tool.pk, criterion_id, values.value, values.low, values.high)
                for tool, criterion_id, values in self.scores
            ]
        )


def _upsert_scores(
    rows: list[tuple[int, int, float, float | None, float | None]],
) -> None:
    """Insert (tool id, criterion id, value, low, high) scores, or update them where
    the tool has one on that criterion (its evidence is kept), in one statement.

    Not ``bulk_create``: it builds a model instance per score (about 70 us each here,
    3 s for 5,000 rows of 9 scores). PostgreSQL gets the rows by binary COPY into a
    temporary table, then one INSERT from it; SQLite runs the statement for each row
    in C (``executemany``).
    """
    if not rows:
        return
    table = connection.ops.quote_name(Score._meta.db_table)
    tool, criterion = (
        Score._meta.get_field(name).column for name in ("tool", "criterion")
    )
    columns = f"{tool}, {criterion}, value, low, high, evidence"
    on_conflict = (
        f"ON CONFLICT ({tool}, {criterion}) DO UPDATE SET value = excluded.value, "
        "low = excluded.low, high = excluded.high"
    )
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, '') "
                f"{on_conflict}",
                rows,
            )
            return
        cursor.execute(
            "CREATE TEMPORARY TABLE imported_scores (tool bigint, criterion bigint, "
            "value float8, low float8, high float8) ON COMMIT DROP"
        )
        with cursor.copy("COPY imported_scores FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(["int8", "int8", "float8", "float8", "float8"])
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT *, '' FROM imported_scores "
            f"{on_conflict}"
        )
        cursor.execute(
            "DROP TABLE imported_scores"
        )  # a second import, same transaction
