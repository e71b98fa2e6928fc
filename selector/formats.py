"""Numbers as the reader's language writes them: "30%" and "$22,800" in English,
"30 %" and "22 800 $" in French. Pages, sentences and reports format shown numbers
here (or with the template filters in selector/templatetags/numbers.py), never with
f-strings; values inside HTML attributes and JSON stay unlocalized."""

import math
from decimal import Decimal

from django.utils.formats import get_format, number_format
from django.utils.translation import gettext

from selector.numbers import entered_number


def number(value: float, digits: int | None = None) -> str:
    """``value`` with the language's decimal mark and digit grouping, rounded to
    ``digits`` decimals (or as many as it has when None). Django's number_format
    cuts extra decimals off; rounding first makes 52.63 read 53, not 52."""
    if digits is not None:
        value = round(value, digits)
    return number_format(value, digits, use_l10n=True, force_grouping=True)


def percent(share: float, digits: int = 0) -> str:
    """A share (0-1) as a percentage: "49%" / "49 %"; a share a hair below zero
    reads 0%, not -0%."""
    value = share * 100
    if abs(value) < 0.5 * 10**-digits:
        value = 0.0
    # Translators: a percentage; French puts a narrow no-break space before %.
    return gettext("%(number)s%%") % {"number": number(value, digits)}


def usd(amount: float, digits: int = 0) -> str:
    """An amount in US dollars: "$22,800" / "22 800 $"."""
    # Translators: an amount in US dollars; French writes "22 800 $".
    return gettext("$%(amount)s") % {"amount": number(amount, digits)}


def entered(value) -> str:
    """A number as it was typed ("2.5", "2", not "2.0"), with the language's decimal
    mark ("2,5" in French); "" for none. For shown text only, never a form's value."""
    return entered_number(value).replace(".", get_format("DECIMAL_SEPARATOR"))


def plain_number(value: float) -> str:
    """A number as ``:g`` writes it (1, 0.5, 1e+06), with the language's decimal mark:
    the numbers inside validation messages."""
    text = f"{value:g}"
    if "e" in text or not math.isfinite(value):
        return text
    return number_format(Decimal(text), use_l10n=True)
