"""Template filters for numbers: as people entered them, and as the reader's language
writes percentages and amounts."""

from django import template

from selector import formats

register = template.Library()


@register.filter
def entered(value) -> str:
    """A score as it was typed: ``{{ score.value|entered }}`` gives 2, 2.5 (not 2.0),
    with the reader's decimal mark (2,5 in French). Shown text only: attributes take
    ``selector.numbers.entered_number``."""
    return formats.entered(value)


@register.filter
def percent(share) -> str:
    """A share (0-1) as the reader's language writes a percentage: ``{{ 0.3|percent }}``
    gives 30% in English, 30 % in French."""
    if share is None or share == "":
        return ""
    return formats.percent(float(share))


@register.filter
def usd(amount) -> str:
    """An amount in US dollars as the reader's language writes it ($22,800 / 22 800 $)."""
    if amount is None or amount == "":
        return ""
    return formats.usd(float(amount))
