"""A done run's decision report: the print-ready page, its PDF and its Markdown.

Another workspace's run is a 404 like any run; a run that is not done (queued, running
or failed) answers 409 with a page saying so, whichever of the three was asked for.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from selector import selectors
from selector.models import Run
from selector.presenters.report import not_ready_message, report_html, report_markdown
from selector.presenters.report_pdf import cached_report_pdf


def _done_run_or_answer(request, pk: int) -> tuple[Run | None, HttpResponse | None]:
    """The user's run, or the 409 page when it has no report (404 when not theirs)."""
    run = get_object_or_404(selectors.report_runs(request.user), pk=pk)
    if run.status == Run.Status.DONE:
        return run, None
    context = {"run": run, "message": not_ready_message(run)}
    return None, render(request, "report/not_ready.html", context, status=409)


@login_required
def run_report(request, pk: int):
    run, refusal = _done_run_or_answer(request, pk)
    return refusal or HttpResponse(report_html(run))


@login_required
def run_report_pdf(request, pk: int):
    run, refusal = _done_run_or_answer(request, pk)
    if refusal:
        return refusal
    response = HttpResponse(cached_report_pdf(run), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="shortlist-run-{run.pk}.pdf"'
    return response


@login_required
def run_report_markdown(request, pk: int):
    run, refusal = _done_run_or_answer(request, pk)
    if refusal:
        return refusal
    response = HttpResponse(
        report_markdown(run), content_type="text/markdown; charset=utf-8"
    )
    filename = f"shortlist-run-{run.pk}.md"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
