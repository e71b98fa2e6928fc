"""Template filters for numbers people entered."""

from django import template

from selector.numbers import entered_number

register = template.Library()


@register.filter
def entered(value) -> str:
    """A score as it was typed: ``{{ score.value|entered }}`` gives 2, 2.5 (not 2.0)."""
    return entered_number(value)
