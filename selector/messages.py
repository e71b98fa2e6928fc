"""Sentences stored or raised in English and shown in the reader's language.

The engine (no Django) raises ``EngineError(template, params)``; a run's failure is
stored as English text (``Run.error``, for logs and old readers) and as the template
and its parameters (``Run.error_message``), so it is translated when read, never
stored translated. A parameter may itself be a stored message (the engine's reason
inside "The engine refused the data: ..."): it is translated too.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext


@dataclass(frozen=True)
class Message:
    """A whole sentence (marked with ``gettext_noop``) and its named parameters."""

    template: str
    params: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return _formatted(self.template, self.params, str)

    def stored(self) -> dict:
        """JSON for the database: parameters as text or nested stored messages."""
        return {
            "template": self.template,
            "params": {
                key: value.stored() if isinstance(value, Message) else str(value)
                for key, value in self.params.items()
            },
        }


def from_engine(error) -> Message:
    """An ``EngineError`` (or any exception) as a message to show or store."""
    return Message(
        getattr(error, "template", None) or str(error), getattr(error, "params", {})
    )


def engine_message(error) -> str:
    """An ``EngineError``'s sentence in the active language."""
    return translated(from_engine(error))


def translated(message: Message) -> str:
    return _formatted(gettext(message.template), message.params, translated)


def shown(stored: dict | None, fallback: str = "") -> str:
    """A stored message (``Message.stored()``) in the active language; ``fallback``
    (the English text stored beside it) when there is none or it cannot be read."""
    try:
        return translated(_loaded(stored))
    except (KeyError, TypeError, ValueError):
        return fallback


def with_shown_error(row: dict) -> dict:
    """A stored row with ``error`` (English) and ``error_message``: ``error`` in the
    active language, ``error_message`` left out (``Batch.result["runs"]``)."""
    shown_row = {key: value for key, value in row.items() if key != "error_message"}
    if row.get("error"):
        shown_row["error"] = shown(row.get("error_message"), row["error"])
    return shown_row


def _loaded(stored) -> Message:
    params = {
        key: _loaded(value) if isinstance(value, dict) else value
        for key, value in stored["params"].items()
    }
    return Message(stored["template"], params)


def _formatted(template: str, params: dict, render) -> str:
    if not params:
        return template
    return template % {
        key: render(value) if isinstance(value, Message) else value
        for key, value in params.items()
    }
