"""``{{ criterion|localized:"name" }}``: shipped text in the reader's language."""

from django import template

from survey.localized import localized as localized_text

register = template.Library()


@register.filter
def localized(obj, field: str):
    """The field's French twin when the page is in French and the twin is filled
    (works on model rows and on snapshot dicts)."""
    return localized_text(obj, field)
