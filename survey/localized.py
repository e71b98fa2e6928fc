"""Text the product ships in its database, in the reader's language.

gettext cannot reach rows (survey figures, built-in criteria and profiles), so a
French twin is stored beside each text as ``<field>_fr``; ``localized(obj, "name")``
gives it when the active language is French and the twin is filled, else the field.
Text people type has no twin and stays as typed."""

from django.utils.translation import get_language

TWIN_SUFFIX = {"fr": "_fr"}


def twin_suffix() -> str:
    """The suffix of the active language's twin fields ("" for English)."""
    return TWIN_SUFFIX.get((get_language() or "en").split("-")[0], "")


def localized(obj, field: str):
    """``obj.<field>`` in the active language: its twin when one is filled."""
    suffix = twin_suffix()
    if suffix:
        twin = (
            obj.get(field + suffix)
            if isinstance(obj, dict)
            else getattr(obj, field + suffix, None)
        )
        if twin:
            return twin
    return obj.get(field, "") if isinstance(obj, dict) else getattr(obj, field)
