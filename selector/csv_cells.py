"""Cells of the CSV files Shortlist writes and reads back: safe to open in a spreadsheet.

OWASP's advice against CSV injection: a text cell a spreadsheet would run as a formula
(it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is written with a
leading ``'``, which spreadsheets read as "this is text" and do not show. Reading removes
exactly that prefix, so every text survives a round trip: a text that already starts
with apostrophes before such a character (``'=x`` typed by someone) gets one more on the
way out and loses only that one on the way in; any other text is left as it is.

Numbers (prices, scores, ranks) are written as numbers and never escaped: ``-2`` in a
number column is minus two, which no spreadsheet runs. Only text is escaped, so a tool
named ``-2`` is written ``'-2`` (text, as it was typed).

defusedcsv (PyPI) does the first half, but its escape cannot be undone exactly: it
leaves ``'=x`` as it is (read back as ``=x``), rewrites ``|`` as ``\\|`` and skips tabs
and carriage returns; hence these few lines.
"""

import csv
import re
from decimal import Decimal

# Apostrophes, then a character that makes a spreadsheet run the cell.
FORMULA_START = re.compile(r"'*[=+\-@\t\r]")


def escape_text(text: str) -> str:
    """``text`` as a cell no spreadsheet runs; ``unescape_text`` gives it back."""
    return f"'{text}" if FORMULA_START.match(text) else text


def unescape_text(cell: str) -> str:
    """The text that ``escape_text`` wrote as ``cell``; other cells are left alone."""
    return cell[1:] if cell.startswith("'") and FORMULA_START.match(cell) else cell


def number_text(value: float | int | Decimal) -> str:
    """A number as typed: ``40``, ``12.5``, ``-0.25``, ``1e+22``; floats exactly (the
    shortest text that reads back as the same float)."""
    if isinstance(value, float):
        text = repr(value)
        return text.removesuffix(".0")
    return str(value)


def cell(value) -> str:
    """What a CSV cell holds for ``value``: empty for None, numbers as numbers, text
    escaped."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return number_text(value)
    return escape_text(str(value))


class SafeWriter:
    """``csv.writer`` whose rows go through ``cell``: the one way Shortlist writes CSV."""

    def __init__(self, out) -> None:
        self._writer = csv.writer(out)

    def writerow(self, row) -> None:
        self._writer.writerow([cell(value) for value in row])
