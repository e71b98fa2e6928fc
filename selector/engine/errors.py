"""The one exception the engine raises for bad input, and the marker of its messages.

The engine has no Django, so it cannot translate: it raises ``EngineError(template,
params)``, a whole English sentence with named placeholders, marked with
``gettext_noop`` so that ``makemessages`` extracts it. ``str(error)`` is the English
sentence; the service and API layers show ``gettext(error.template) % error.params``
in the reader's language (``selector.messages.engine_message``).
"""


def gettext_noop(message: str) -> str:
    """Mark ``message`` for translation without translating it (xgettext's keyword)."""
    return message


class EngineError(ValueError):
    """Input the engine cannot use.

    The message names the offending input (which tool, which criterion, which
    value) and, where there is one, what to do about it. ``template`` and
    ``params`` let a caller translate it; a plain string is its own template.
    """

    def __init__(self, template: str, params: dict | None = None):
        self.template = template
        self.params = dict(params or {})
        super().__init__(template % self.params if self.params else template)
