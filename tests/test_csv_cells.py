"""Cells of the exported CSV files: no spreadsheet runs them, and reading them back gives
exactly what was written (OWASP's advice on CSV injection)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selector.csv_cells import cell, escape_text, unescape_text

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("'=x", "''=x"),  # typed with the apostrophe: keeps it after a round trip
        ("''@x", "'''@x"),
        ("'quoted", "'quoted"),  # an apostrophe before harmless text stays alone
        ("Copilot", "Copilot"),
        ("", ""),
    ],
)
def test_a_text_a_spreadsheet_would_run_gets_one_apostrophe(text, written):
    assert escape_text(text) == written
    assert unescape_text(written) == text


def test_numbers_are_written_as_numbers_even_when_negative():
    assert cell(-2.5) == "-2.5"
    assert cell(40.0) == "40"
    assert cell(Decimal("-10.00")) == "-10.00"
    assert cell(3) == "3"
    assert cell(0.1 + 0.2) == "0.30000000000000004"  # exactly, not rounded
    assert cell(None) == ""
    assert cell("-2") == "'-2"  # but a text that looks like a number stays text


@given(st.text())
def test_every_text_survives_a_round_trip_and_is_never_run(text):
    written = escape_text(text)
    assert unescape_text(written) == text
    assert not written.startswith(DANGEROUS)
