"""``{{ workspace.name|shipped }}``: a shipped text (selector.shipped_texts) in the
reader's language, any other text as typed."""

from django import template

from selector.shipped_texts import shipped as shipped_text

register = template.Library()


@register.filter
def shipped(text):
    """The text in the reader's language while it is still a shipped text."""
    return shipped_text(text)
