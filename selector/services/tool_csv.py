"""The tools CSV format: one tool per row, its facts, then one column per criterion key.

Score columns are named by criterion key (``roi``); optional ``roi_low`` / ``roi_high``
hold uncertainty bounds. A tool's price is its ``price`` column (with ``price_low`` /
``price_high``); an older file's ``list_price`` column is read as that column.
Exported files re-import unchanged: cells a spreadsheet would run are written with a
leading ``'`` that reading removes (``selector.csv_cells``).
"""

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import BinaryIO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext

from selector.csv_cells import SafeWriter, unescape_text
from selector.models import LIST_PRICE, TOOL_FIELDS, Criterion, Tool

FACT_COLUMNS = TOOL_FIELDS
# Read too: files exported before the price became the price score have a list_price
# column, which services.tools reads as the price column.
READ_COLUMNS = (*FACT_COLUMNS, LIST_PRICE)
NUL = "\x00"


class CsvFormatError(ValueError):
    """The file as a whole cannot be read (encoding, header, size)."""


@dataclass
class CsvRow:
    line: int  # line number in the file, header = 1
    data: dict
    scores: dict
    errors: list[str] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)  # columns already named in errors
    action: str = "create"  # or "update"

    @property
    def name(self) -> str:
        return self.data.get("name", "")


def criterion_columns(criteria: list[Criterion]) -> list[str]:
    return [f"{c.key}{suffix}" for c in criteria for suffix in ("", "_low", "_high")]


def export_tools(tools, criteria: list[Criterion]) -> str:
    """CSV of the tools; bound columns only for criteria where some tool has bounds.

    Text cells a spreadsheet would run are escaped (``selector.csv_cells``); numbers
    are written exactly, so the file imports back unchanged.
    """
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
    writer = SafeWriter(out)
    writer.writerow(header)
    for tool, row_scores in zip(tools, scores, strict=True):
        row = [getattr(tool, name) for name in FACT_COLUMNS]
        for criterion in criteria:
            score = row_scores.get(criterion.pk)
            row.append(None if score is None else score.value)
            if criterion.pk in bounded:
                row += [None, None] if score is None else [score.low, score.high]
        writer.writerow(row)
    return out.getvalue()


# Reading ------------------------------------------------------------------------------


def check_size(size: int) -> None:
    """Refuse a file over ``TOOL_IMPORT_MAX_BYTES`` before a byte of it is read."""
    limit = settings.TOOL_IMPORT_MAX_BYTES
    if size > limit:
        raise CsvFormatError(
            gettext(
                "The file is %(size)s; an import takes at most %(limit)s "
                "(TOOL_IMPORT_MAX_BYTES = %(bytes)d bytes)."
            )
            % {
                "size": filesizeformat(size),
                "limit": filesizeformat(limit),
                "bytes": limit,
            }
        )


def _size_of(upload: BinaryIO) -> int:
    size = getattr(upload, "size", None)  # an UploadedFile knows it without reading
    if size is None:
        size = upload.seek(0, io.SEEK_END)
    return size


@contextmanager
def _text_of(source: str | BinaryIO) -> Iterator[io.TextIOBase]:
    """``source`` as text to read line by line, its size checked before any read.

    ``source`` is text (the preview's confirm step) or a binary file such as an upload,
    decoded as it is read, never whole.
    """
    if isinstance(source, str):
        check_size(len(source.encode()))
        yield io.StringIO(source.removeprefix("\ufeff"))
        return
    check_size(_size_of(source))
    source.seek(0)
    text = io.TextIOWrapper(source, encoding="utf-8-sig", newline="")
    try:
        yield text
    finally:
        text.detach()  # the caller's file stays open


def file_text(source: str | BinaryIO) -> str:
    """The whole file as text, for the preview's confirm step (at most the size limit)."""
    with _text_of(source) as text:
        return text.read(settings.TOOL_IMPORT_MAX_BYTES + 1)


def read_rows(source: str | BinaryIO, criteria: list[Criterion]) -> list[CsvRow]:
    """Split the file into rows of facts and scores; whole-file problems raise."""
    with _text_of(source) as text:
        reader = csv.reader(text)
        try:
            header = _header(reader, criteria)
            return _records(reader, header, criteria)
        except UnicodeDecodeError:
            raise CsvFormatError(
                gettext("The file is not UTF-8 text; save it as CSV UTF-8.")
            ) from None
        except csv.Error as error:
            raise CsvFormatError(
                gettext("Line %(line)d: %(error)s")
                % {"line": max(reader.line_num, 1), "error": error}
            ) from None


def _header(reader, criteria: list[Criterion]) -> list[str]:
    try:
        header = [unescape_text(column.strip()) for column in next(reader)]
    except StopIteration:
        raise CsvFormatError(gettext("The file is empty.")) from None
    for number, column in enumerate(header, start=1):
        if NUL in column:
            raise CsvFormatError(
                gettext(
                    "Line 1, column %(number)d: contains a NUL byte (\\x00), which "
                    "cannot be stored; remove it."
                )
                % {"number": number}
            )
    if "name" not in header:
        raise CsvFormatError(gettext("The header has no 'name' column."))
    known = set(READ_COLUMNS) | set(criterion_columns(criteria))
    unknown = [column for column in header if column and column not in known]
    if unknown:
        raise CsvFormatError(
            gettext(
                "Unknown column %(column)s; columns are tool facts (%(facts)s) and "
                "criterion keys (%(keys)s), optionally with _low/_high."
            )
            % {
                "column": repr(unknown[0]),
                "facts": ", ".join(FACT_COLUMNS),
                "keys": ", ".join(c.key for c in criteria),
            }
        )
    duplicated = sorted({c for c in header if c and header.count(c) > 1})
    if duplicated:
        raise CsvFormatError(
            gettext("Column %(column)s appears twice in the header.")
            % {"column": repr(duplicated[0])}
        )
    return header


def _records(reader, header: list[str], criteria) -> list[CsvRow]:
    rows = []
    limit = settings.TOOL_IMPORT_MAX_ROWS
    for record in reader:
        if not any(cell.strip() for cell in record):
            continue
        if len(rows) >= limit:
            raise CsvFormatError(
                gettext("The file has more than %(limit)d rows (TOOL_IMPORT_MAX_ROWS).")
                % {"limit": limit}
            )
        rows.append(_row(reader.line_num, header, record, criteria))
    if not rows:
        raise CsvFormatError(gettext("The file has a header but no tools."))
    return rows


def _nul_problem(column: str, number: int) -> str:
    """A cell holding a NUL byte, named by its column (and the column's number)."""
    names = {"column": column, "number": number}
    if column:
        return (
            gettext(
                "%(column)s (column %(number)d): contains a NUL byte (\\x00), which "
                "cannot be stored; remove it."
            )
            % names
        )
    return (
        gettext(
            "column %(number)d: contains a NUL byte (\\x00), which cannot be "
            "stored; remove it."
        )
        % names
    )


def _row(line: int, header: list[str], record: list[str], criteria) -> CsvRow:
    cells = dict(
        zip(header, (unescape_text(cell.strip()) for cell in record), strict=False)
    )
    row = CsvRow(line=line, data={}, scores={})
    if len(record) > len(header):
        row.errors.append(
            gettext("has %(cells)d cells but the header has %(columns)d")
            % {"cells": len(record), "columns": len(header)}
        )
    for number, cell in enumerate(record, start=1):
        if NUL in cell:
            column = header[number - 1] if number <= len(header) else ""
            row.errors.append(_nul_problem(column, number))
            row.refused.add(column)
    for name in READ_COLUMNS:
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
                gettext("%(column)s: %(value)s is not one of %(choices)s")
                % {
                    "column": name,
                    "value": repr(row.data[name]),
                    "choices": ", ".join(choices.values),
                }
            )
            row.refused.add(name)
    for criterion in criteria:
        value = cells.get(criterion.key, "")
        low = cells.get(f"{criterion.key}_low", "")
        high = cells.get(f"{criterion.key}_high", "")
        if value == "" and (low or high):
            row.errors.append(
                gettext("%(column)s: bounds given without a value")
                % {"column": criterion.key}
            )
        if value != "" or criterion.key in cells:
            row.scores[criterion.key] = (
                None
                if value == ""
                else {"value": value, "low": low or None, "high": high or None}
            )
    return row
