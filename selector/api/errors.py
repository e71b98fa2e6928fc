"""One JSON shape for every API error, with the path of each offending field.

Every error answer is ``{"detail": "<summary>", "errors": [{"field": "<path>" | null,
"message": "<text>"}]}``. Paths are dotted, with list positions as numbers, e.g.
``alternatives.1.values.roi`` or ``scores.roi``; ``field`` is null for an error about
the request as a whole. Django ``ValidationError``s raised by services become 400s the
same way, a protected delete is a 409, a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is a
413, and an unreachable task broker is a 503.

One answer lists at most ``limits.MAX_ERRORS`` errors, each of bounded length and
printable (NUL and lone surrogates written as JSON escapes), whatever the endpoint.
"""

from itertools import islice

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import inline_serializer
from kombu.exceptions import OperationalError as BrokerError
from rest_framework import exceptions, serializers, status
from rest_framework.views import exception_handler as drf_exception_handler

from selector.api.parsers import shown
from selector.engine import EngineError
from selector.formats import number
from selector.limits import MAX_ERRORS, MAX_FIELD_LENGTH, MAX_MESSAGE_LENGTH
from selector.messages import engine_message
from selector.queue import BrokerUnavailable

NON_FIELD_KEYS = frozenset({"__all__", "non_field_errors"})

# Django's get_object_or_404 says "No <Model> matches the given query." untranslated:
# one whole sentence per model the API serves, so French can say "Aucun outil" and
# "Aucune évaluation". Other 404s keep their own (translated) message.
NOT_FOUND = {
    message: message
    for message in (
        gettext_noop("No Tool matches the given query."),
        gettext_noop("No Evaluation matches the given query."),
        gettext_noop("No Run matches the given query."),
        gettext_noop("No Batch matches the given query."),
        gettext_noop("No Workspace matches the given query."),
        gettext_noop("No Criterion matches the given query."),
        gettext_noop("No WeightProfile matches the given query."),
        gettext_noop("No Survey matches the given query."),
    )
}


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request is too large.")
    default_code = "too_large"


class InUse(exceptions.APIException):
    """A delete refused because other data depends on the object (409 Conflict)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("It is still in use.")
    default_code = "in_use"

    @classmethod
    def refusing(cls, delete):
        """Run ``delete()``; its ValidationError (saying what uses it) becomes a 409."""
        try:
            delete()
        except DjangoValidationError as error:
            raise cls(" ".join(error.messages)) from None


class ServiceUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("A service the API needs is unreachable; try again shortly.")
    default_code = "unavailable"


def flatten(detail, path: str = "") -> list[dict]:
    """DRF's nested error detail as a flat list of ``{"field", "message"}``: at most
    ``MAX_ERRORS`` of them, each field and message shortened and made printable."""
    return [
        {
            "field": None if field is None else _bounded(field, MAX_FIELD_LENGTH),
            "message": _bounded(message, MAX_MESSAGE_LENGTH),
        }
        for field, message in islice(_walk(detail, path), MAX_ERRORS)
    ]


def _walk(detail, path: str):
    """``(field or None, message)`` for each error in DRF's nested ``detail``."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            yield from _walk(value, _join(path, key))
    elif isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            for item in detail:
                yield path or None, str(item)
        else:
            for index, item in enumerate(detail):
                yield from _walk(item, _join(path, str(index)))
    else:
        yield path or None, str(detail)


def _bounded(text: str, length: int) -> str:
    text = shown(text)
    return text if len(text) <= length else text[: length - 1] + "\u2026"


def _join(path: str, key) -> str:
    key = str(key)
    if key in NON_FIELD_KEYS:
        return path
    return f"{path}.{key}" if path else key


def _from_django(error: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(error, "error_dict"):
        return exceptions.ValidationError(error.message_dict)
    return exceptions.ValidationError(error.messages)


def exception_handler(exc, context):
    """DRF's handler, plus Django's own errors, rendered as ``{"detail", "errors"}``."""
    if isinstance(exc, DjangoValidationError):
        exc = _from_django(exc)
    elif isinstance(exc, Http404) and exc.args and exc.args[0] in NOT_FOUND:
        exc = exceptions.NotFound(gettext(NOT_FOUND[exc.args[0]]))
    elif isinstance(exc, ProtectedError):
        exc = exceptions.APIException(
            gettext(
                "It is still in use (by runs, scores, weights or evaluations); "
                "remove those first."
            )
        )
        exc.status_code = status.HTTP_409_CONFLICT
    elif isinstance(exc, EngineError):
        exc = exceptions.ValidationError(
            [
                gettext("The engine refused the data: %(reason)s")
                % {"reason": engine_message(exc)}
            ]
        )
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge(
            gettext(
                "The request body is larger than the %(limit)s bytes the API accepts "
                "(DATA_UPLOAD_MAX_MEMORY_SIZE)."
            )
            % {"limit": number(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}
        )
    elif isinstance(exc, BrokerUnavailable):
        exc = ServiceUnavailable(str(exc))
    elif isinstance(exc, BrokerError):
        exc = ServiceUnavailable(
            gettext(
                "The task queue is unreachable. The run was saved as queued and will "
                "be picked up when the queue is back; try again shortly."
            )
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = flatten(exc.detail)
        summary = _summary(errors)
    else:
        detail = (
            response.data.get("detail", response.data)
            if isinstance(response.data, dict)
            else response.data
        )
        summary = _bounded(str(detail), MAX_MESSAGE_LENGTH)
        errors = [{"field": None, "message": summary}]
    response.data = {"detail": summary, "errors": errors}
    return response


def api_not_found(request, *args, **kwargs) -> JsonResponse:
    """Any path under ``/api/`` that names no endpoint: a JSON 404 in the API's shape,
    not the site's HTML page (also with ``DEBUG`` on)."""
    message = gettext("There is no API endpoint at %(path)s; see /api/docs/.") % {
        "path": request.path[:200]
    }
    return JsonResponse(
        {"detail": message, "errors": [{"field": None, "message": message}]},
        status=status.HTTP_404_NOT_FOUND,
    )


def _summary(errors: list[dict]) -> str:
    if not errors:
        return gettext("Invalid input.")
    first = errors[0]
    if first["field"]:
        summary = gettext("Invalid input. %(field)s: %(message)s") % first
    else:
        summary = gettext("Invalid input. %(message)s") % first
    others = {"summary": summary, "count": len(errors) - 1, "limit": MAX_ERRORS}
    if len(errors) >= MAX_ERRORS:
        return (
            gettext("%(summary)s (and %(count)s more; at most %(limit)s are listed)")
            % others
        )
    if len(errors) > 1:
        return (
            ngettext(
                "%(summary)s (and %(count)s more)",
                "%(summary)s (and %(count)s more)",
                others["count"],
            )
            % others
        )
    return summary


ErrorResponse = inline_serializer(
    "Error",
    fields={
        "detail": serializers.CharField(),
        "errors": inline_serializer(
            "ErrorItem",
            fields={
                "field": serializers.CharField(allow_null=True),
                "message": serializers.CharField(),
            },
            many=True,
        ),
    },
)
