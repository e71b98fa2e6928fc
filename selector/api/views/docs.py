"""What the viewsets share: lookup patterns, the documented answers of writes and
errors in the OpenAPI schema, and the answer a write gives."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.response import Response

from selector.api.errors import ErrorResponse

# What a route's {id} or {key}/{slug} may be; anything else is a 404 without a query.
ID = r"[0-9]{1,18}"
KEY = r"[-a-zA-Z0-9_]{1,80}"
WRITES = ["get", "post", "patch", "delete", "head", "options"]

ERRORS = {400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse}


# DELETE of a workspace's object: done, a viewer's refusal, or not visible.
DELETE_DOCS = extend_schema(
    responses={204: None, 403: ErrorResponse, 404: ErrorResponse}
)


def write_docs(output, *, request=None, update_request=None, **views):
    """The schema of a viewset's POST (201) and PATCH (200) answering ``output``, with
    their request bodies (default: the viewset's serializer), plus any other views."""

    def docs(code, body):
        given = {} if body is None else {"request": body}
        return extend_schema(responses={code: output, **ERRORS}, **given)

    return extend_schema_view(
        create=docs(201, request),
        partial_update=docs(200, update_request or request),
        **views,
    )


def respond(serializer_class, instance, context, code=status.HTTP_201_CREATED):
    """``instance`` rendered by ``serializer_class``, answered with ``code``."""
    return Response(serializer_class(instance, context=context).data, status=code)
