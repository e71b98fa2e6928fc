"""Texts the product ships in its database as plain rows people may edit (the demo's
workspace and evaluation names, its tools' notes): shown in the reader's language
while they are still the shipped text, and as typed once someone changed them.

Each is marked with ``gettext_noop`` here, so ``makemessages`` collects it, and stored
in English; ``shipped(text)`` translates a stored text only when it is exactly one of
them (a user who renamed the demo sees their own name). In templates:
``{% load shipped %}{{ workspace.name|shipped }}``. Forms show what is stored, so
editing keeps it."""

from django.utils.translation import gettext, gettext_noop

DEMO_WORKSPACE = gettext_noop("Demo: choosing an enterprise AI assistant")
DEMO_EVALUATION = gettext_noop("Company-wide AI assistant")
DEMO_NOTE = gettext_noop("Illustrative demo scores, not an assessment of the product.")
# The model provider of the demo's search tools, which run models of several labs.
SEVERAL_PROVIDERS = gettext_noop("Several")

SHIPPED = frozenset({DEMO_WORKSPACE, DEMO_EVALUATION, DEMO_NOTE, SEVERAL_PROVIDERS})


def shipped(text):
    """``text`` in the reader's language when it is a shipped text, else as typed."""
    if isinstance(text, str) and text in SHIPPED:
        return gettext(text)
    return text
