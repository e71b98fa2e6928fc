"""Template filters for the report's Markdown (templates/report/report.md)."""

import re

from django import template

register = template.Library()

# Characters Markdown would read as markup inside running text or a table cell (the
# report never starts a line with typed text, so "#", "-" and "1." need no escape).
SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
# Runs of white space but the no-break ones French typography puts before ":" and "%".
SPACES = re.compile(r"[^\S\u00a0\u202f]+")


@register.filter
def md(value) -> str:
    """Text people typed, shown literally in Markdown: markup characters escaped and
    line breaks folded into spaces, so it also fits in one table cell (no-break
    spaces kept)."""
    text = SPACES.sub(" ", str(value)).strip(" ")
    return SPECIAL.sub(r"\\\1", text)
