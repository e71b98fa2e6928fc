"""Reading numbers typed by people (forms, CSV, JSON) with errors that name the field."""

import math
from decimal import ROUND_HALF_UP, Context, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

CENT = Decimal("0.01")
WIDE = Context(prec=400)  # room for any float's digits (at most 309) and two decimals


def parse_number(value, label: str, *, required: bool = False) -> float | None:
    """A finite float from ``value``; None when empty (ValidationError if ``required``)."""
    if value is None or value == "":
        if required:
            raise ValidationError(
                gettext("%(label)s: enter a number.") % {"label": label}
            )
        return None
    shown = {"label": label, "value": repr(value)}
    if isinstance(value, bool):
        raise ValidationError(gettext("%(label)s: %(value)s is not a number.") % shown)
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise ValidationError(
            gettext("%(label)s: %(value)s is not a number.") % shown
        ) from None
    if not math.isfinite(number):
        raise ValidationError(
            gettext("%(label)s: %(value)s is not a finite number.") % shown
        )
    return number


def parse_weight(value, key: str, *, required: bool = False) -> float | None:
    """A criterion weight: a finite number >= 0 (None when empty and not required)."""
    weight = parse_number(value, key, required=required)
    if weight is not None and weight < 0:
        raise ValidationError(
            gettext("%(key)s: a weight cannot be negative (%(weight)s).")
            % {"key": key, "weight": format(weight, "g")}
        )
    return weight


def entered_number(value: float | None) -> str:
    """A stored number as it was typed: exactly (the shortest text that reads back as
    the same float), "2" rather than "2.0", "2.5"; "" for none. Forms and the
    ``entered`` template filter (selector/templatetags/numbers.py) use it."""
    if value is None or value == "":
        return ""
    return repr(float(value)).removesuffix(".0")


def cents(value: float) -> Decimal:
    """``value`` (a finite float) to the cent, half up: a price as a decimal."""
    return Decimal(repr(float(value))).quantize(
        CENT, rounding=ROUND_HALF_UP, context=WIDE
    )
