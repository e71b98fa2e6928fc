"""The tools CSV format: one tool per row, its facts, then one column per criterion key.

Score columns are named by criterion key (``roi``); optional ``roi_low`` / ``roi_high``
hold uncertainty bounds. Exported files re-import unchanged.
"""

import csv
import io
from dataclasses import dataclass, field

from selector.models import TOOL_FIELDS, Criterion, Tool

FACT_COLUMNS = TOOL_FIELDS
MAX_ROWS = 5000
MAX_BYTES = 2 * 1024 * 1024


class CsvFormatError(ValueError):
    """The file as a whole cannot be read (encoding, header, size)."""


@dataclass
class CsvRow:
    line: int  # line number in the file, header = 1
    data: dict
    scores: dict
    errors: list[str] = field(default_factory=list)
    action: str = "create"  # or "update"

    @property
    def name(self) -> str:
        return self.data.get("name", "")


def criterion_columns(criteria: list[Criterion]) -> list[str]:
    return [f"{c.key}{suffix}" for c in criteria for suffix in ("", "_low", "_high")]


def export_tools(tools, criteria: list[Criterion]) -> str:
    """CSV of the tools; bound columns only for criteria where some tool has bounds."""
    tools = list(tools)
    scores = [{s.criterion_id: s for s in tool.scores.all()} for tool in tools]
    bounded = {
        pk
        for row in scores
        for pk, s in row.items()
        if s.low is not None or s.high is not None
    }
    header = list(FACT_COLUMNS)
    for criterion in criteria:
        header.append(criterion.key)
        if criterion.pk in bounded:
            header += [f"{criterion.key}_low", f"{criterion.key}_high"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for tool, row_scores in zip(tools, scores, strict=True):
        row = [
            "" if getattr(tool, name) is None else getattr(tool, name)
            for name in FACT_COLUMNS
        ]
        for criterion in criteria:
            score = row_scores.get(criterion.pk)
            row.append("" if score is None else _plain(score.value))
            if criterion.pk in bounded:
                row += (
                    ["", ""]
                    if score is None
                    else [_plain(score.low), _plain(score.high)]
                )
        writer.writerow(row)
    return out.getvalue()


def _plain(value) -> str:
    return "" if value is None else f"{value:g}"


def read_rows(raw: bytes, criteria: list[Criterion]) -> list[CsvRow]:
    """Split the file into rows of facts and scores; whole-file problems raise."""
    if len(raw) > MAX_BYTES:
        raise CsvFormatError(f"The file is larger than {MAX_BYTES // 1024 // 1024} MB.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvFormatError(
            "The file is not UTF-8 text; save it as CSV UTF-8."
        ) from None
    reader = csv.reader(io.StringIO(text))
    try:
        header = [column.strip() for column in next(reader)]
    except StopIteration:
        raise CsvFormatError("The file is empty.") from None
    except csv.Error as error:
        raise CsvFormatError(f"Line 1: {error}") from None
    if "name" not in header:
        raise CsvFormatError("The header has no 'name' column.")
    known = set(FACT_COLUMNS) | set(criterion_columns(criteria))
    unknown = [column for column in header if column and column not in known]
    if unknown:
        raise CsvFormatError(
            f"Unknown column {unknown[0]!r}; columns are tool facts "
            f"({', '.join(FACT_COLUMNS)}) and criterion keys "
            f"({', '.join(c.key for c in criteria)}), optionally with _low/_high."
        )
    duplicated = sorted({c for c in header if c and header.count(c) > 1})
    if duplicated:
        raise CsvFormatError(f"Column {duplicated[0]!r} appears twice in the header.")

    rows = []
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            if len(rows) >= MAX_ROWS:
                raise CsvFormatError(f"The file has more than {MAX_ROWS} rows.")
            rows.append(_row(reader.line_num, header, record, criteria))
    except csv.Error as error:
        raise CsvFormatError(f"Line {reader.line_num}: {error}") from None
    if not rows:
        raise CsvFormatError("The file has a header but no tools.")
    return rows


def _row(line: int, header: list[str], record: list[str], criteria) -> CsvRow:
    cells = dict(zip(header, (cell.strip() for cell in record), strict=False))
    row = CsvRow(line=line, data={}, scores={})
    if len(record) > len(header):
        row.errors.append(f"has {len(record)} cells but the header has {len(header)}")
    for name in FACT_COLUMNS:
        if name in cells:
            row.data[name] = cells[name]
    for name, choices in (
        ("category", Tool.Category),
        ("openness", Tool.Openness),
        ("deployment", Tool.Deployment),
    ):
        if name in row.data and row.data[name] == "":
            del row.data[name]  # keep the model's default
        elif name in row.data and row.data[name] not in choices.values:
            row.errors.append(
                f"{name}: {row.data[name]!r} is not one of {', '.join(choices.values)}"
            )
    for criterion in criteria:
        value = cells.get(criterion.key, "")
        low = cells.get(f"{criterion.key}_low", "")
        high = cells.get(f"{criterion.key}_high", "")
        if value == "" and (low or high):
            row.errors.append(f"{criterion.key}: bounds given without a value")
        if value != "" or criterion.key in cells:
            row.scores[criterion.key] = (
                None
                if value == ""
                else {"value": value, "low": low or None, "high": high or None}
            )
    return row
