"""The API's JSON parser: DRF's, refusing what no endpoint can use before any view sees
it, each refusal a 400 in the API's error shape.

- JSON nested deeper than ``limits.MAX_DEPTH`` levels, and JSON so deep that Python's
  parser gives up (``RecursionError``);
- a NUL character or a lone UTF-16 surrogate (``"\\ud800"``) in any string or key:
  PostgreSQL cannot store NUL in text or jsonb, and no answer (not even an error
  echoing the text) can encode a lone surrogate as UTF-8. The error names the path
  of the string, with the bad character written as a JSON escape
  (``weights.roi\\u0000``).
"""

import json
import re

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.parsers import JSONParser
from rest_framework.utils.json import strict_constant

from selector.limits import MAX_DEPTH, MAX_ERRORS

# What no answer can carry as it is: NUL (PostgreSQL refuses it, so it is never stored
# or echoed) and lone UTF-16 surrogates (UTF-8 cannot encode them).
UNSAFE_CHARACTER = re.compile("[\x00\ud800-\udfff]")

# How an unsafe character gets into parsed JSON: a JSON escape of one, or (when a
# charset such as unicode_escape decoded the body) the character itself.
UNSAFE_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")

UNSAFE_MESSAGE = _(
    "Text cannot contain NUL (\\u0000) or a lone surrogate (\\ud800-\\udfff)."
)


def too_deep() -> str:
    return gettext("The JSON is nested more than %(depth)s levels deep.") % {
        "depth": MAX_DEPTH
    }


class SafeJSONParser(JSONParser):
    """JSON within ``MAX_DEPTH`` levels, with no NUL or lone surrogate in any string."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding") or "utf-8"
        try:
            text = stream.read().decode(encoding)
            data = json.loads(text, parse_constant=strict_constant)
        except RecursionError:
            raise exceptions.ParseError(too_deep()) from None
        except (ValueError, LookupError) as error:
            # DRF's own sentence (translated by its catalogue); Python's reason stays
            # English.
            raise exceptions.ParseError(
                gettext("JSON parse error - %(detail)s") % {"detail": error}
            ) from None
        if text.count("[") + text.count("{") > MAX_DEPTH and _too_deep(data):
            raise exceptions.ParseError(too_deep())
        if UNSAFE_ESCAPE.search(text) or (
            not text.isascii() and UNSAFE_CHARACTER.search(text)
        ):
            errors = unsafe_text(data)
            if errors:
                raise exceptions.ValidationError(errors)
        return data


def _too_deep(data) -> bool:
    """Whether ``data`` nests lists and objects more than ``MAX_DEPTH`` levels deep
    (without recursing: the parser's own limit is far above ``MAX_DEPTH``)."""
    level, containers = 0, [data]
    while containers:
        level += 1
        if level > MAX_DEPTH:
            return True
        containers = [
            child
            for node in containers
            for child in (node.values() if isinstance(node, dict) else node)
            if isinstance(child, dict | list)
        ]
    return False


def unsafe_text(data) -> dict[str, list[str]]:
    """``{path: [message]}`` for each string or key (at most ``MAX_ERRORS``) holding
    NUL or a lone surrogate (an object's keys before what is inside its values); paths
    are dotted, list positions as numbers."""
    errors: dict[str, list[str]] = {}
    stack = [("", data)]
    while stack and len(errors) < MAX_ERRORS:
        path, node = stack.pop()
        if isinstance(node, str):
            if UNSAFE_CHARACTER.search(node):
                errors[path] = [UNSAFE_MESSAGE]
            continue
        if isinstance(node, dict):
            items = node.items()
        elif isinstance(node, list):
            items = enumerate(node)
        else:
            continue
        children = []
        for key, child in items:
            child_path = _join(path, shown(str(key)))
            if isinstance(key, str) and UNSAFE_CHARACTER.search(key):
                errors[child_path] = [UNSAFE_MESSAGE]  # its value is not looked at
            else:
                children.append((child_path, child))
        stack.extend(reversed(children))
    return dict(list(errors.items())[:MAX_ERRORS])


def shown(text: str) -> str:
    """``text`` with NUL and lone surrogates written as JSON escapes (``\\u0000``)."""
    return UNSAFE_CHARACTER.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
