"""The ranking methods' own options, read the same way for stored evaluations and for
the stateless rank API: VIKOR ``v``; PROMETHEE II ``preference`` with the thresholds
``q`` and ``p``, each one number for every criterion or one per criterion key (in the
criterion's units)."""

from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError

from selector import engine
from selector.engine.methods import METHODS
from selector.engine.validation import Names

THRESHOLDS = ("q", "p")


def engine_options(
    method: str, options: Mapping | None, keys: Sequence[str], *, field: str
) -> dict:
    """The options as the engine takes them, per-criterion thresholds as lists in the
    order of ``keys``, after checking them all with the engine.

    Raises ValidationError keyed by field path (``options.v``, ``options.q.price``):
    an option the method does not take, a threshold missing for a criterion or given
    for an unknown one, or a combination the method refuses (e.g. the linear
    preference function without ``p``).
    """
    # An option left blank (None, "") is not given: the method's default applies.
    options = {
        name: value
        for name, value in (options or {}).items()
        if value is not None and value != ""
    }
    takes = METHODS[method].options
    errors = {}
    for name in options:
        if name not in takes:
            errors[f"{field}.{name}"] = f"The method {method} takes " + (
                f"only {', '.join(takes)}." if takes else "no options."
            )
    for name in THRESHOLDS:
        by_key = options.get(name)
        if not isinstance(by_key, Mapping):
            continue
        for key in sorted(by_key.keys() - set(keys)):
            errors[f"{field}.{name}.{key}"] = f"Unknown criterion {key!r}."
        for key in keys:
            if key not in by_key:
                errors[f"{field}.{name}.{key}"] = (
                    "Give every criterion a threshold (or one number for all)."
                )
        options[name] = [by_key.get(key, 0.0) for key in keys]
    if errors:
        raise ValidationError(errors)
    try:
        METHODS[method].read_options(options, len(keys), Names(criteria=tuple(keys)))
    except engine.EngineError as error:
        raise ValidationError({field: f"{error}."}) from None
    return options
