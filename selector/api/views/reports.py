"""A done run's decision report through the API: GET /api/v1/runs/{id}/report.pdf and
/report.md, the same documents as the pages (presenters.report).

Another workspace's run is a 404 and a run not done yet (queued, running or failed) a
409, both in the API's JSON error shape whatever the Accept header said: the success
answer is the document itself, every error is JSON.
"""

from django.http import HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.views import APIView

from selector import selectors
from selector.api.errors import ErrorResponse
from selector.models import Run
from selector.presenters.report import not_ready_message, report_markdown
from selector.presenters.report_pdf import cached_report_pdf


class RunNotDone(exceptions.APIException):
    """The run has no report (yet): it is queued, running or failed (409 Conflict)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The run is not done.")
    default_code = "not_done"


class DocumentRenderer(BaseRenderer):
    """A document's media type for the schema; the document is an HttpResponse."""

    format = None
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class PDFRenderer(DocumentRenderer):
    media_type = "application/pdf"
    format = "pdf"


class MarkdownRenderer(DocumentRenderer):
    media_type = "text/markdown"
    format = "md"
    charset = "utf-8"


RUN_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)
REFUSALS = {
    (401, "application/json"): ErrorResponse,
    (403, "application/json"): ErrorResponse,
    (404, "application/json"): ErrorResponse,
    (406, "application/json"): ErrorResponse,
    (409, "application/json"): ErrorResponse,
}


class ReportView(APIView):
    """The report of one of the caller's done runs, as one kind of document."""

    content_type = ""
    suffix = ""

    def perform_content_negotiation(self, request, force=False):
        # Errors are raised before a document exists: always JSON. The document is an
        # HttpResponse of its own media type (renderer_classes: the schema's).
        renderer = JSONRenderer()
        return renderer, renderer.media_type

    def get(self, request, id: int):
        run = selectors.report_runs(request.user).filter(pk=id).first()
        if run is None:
            raise exceptions.NotFound(
                gettext("No run with this id in your workspaces.")
            )
        if run.status != Run.Status.DONE:
            raise RunNotDone(not_ready_message(run))
        response = HttpResponse(self.document(run), content_type=self.content_type)
        filename = f"shortlist-run-{run.pk}.{self.suffix}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def document(self, run: Run):
        raise NotImplementedError


class RunReportPDFView(ReportView):
    renderer_classes = [PDFRenderer]
    content_type = "application/pdf"
    suffix = "pdf"

    @extend_schema(
        operation_id="runs_report_pdf",
        parameters=[RUN_ID],
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The decision report as PDF."
            ),
            **REFUSALS,
        },
        description="The run's decision report as PDF (the report page laid out for "
        "A4). 409 while the run is queued or running, or when it failed.",
    )
    def get(self, request, id: int):
        return super().get(request, id)

    def document(self, run: Run) -> bytes:
        return cached_report_pdf(run)


class RunReportMarkdownView(ReportView):
    renderer_classes = [MarkdownRenderer]
    content_type = "text/markdown; charset=utf-8"
    suffix = "md"

    @extend_schema(
        operation_id="runs_report_md",
        parameters=[RUN_ID],
        responses={
            (200, "text/markdown"): OpenApiResponse(
                OpenApiTypes.STR, description="The decision report as Markdown."
            ),
            **REFUSALS,
        },
        description="The run's decision report as Markdown, the same content as the "
        "PDF. 409 while the run is queued or running, or when it failed.",
    )
    def get(self, request, id: int):
        return super().get(request, id)

    def document(self, run: Run) -> str:
        return report_markdown(run)
