"""The result page (an evaluation's latest run, or any run), a run's status, its CSV."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from selector import selectors
from selector.models import Evaluation, Run
from selector.presenters import explain_run, run_csv
from selector.presenters.run_lists import batch_rows, history_rows
from selector.presenters.snapshot import snapshot_weight_lines
from selector.presenters.stale import stale_notice
from selector.views.workspace import visible_or_404


@login_required
def evaluation_detail(request, pk: int):
    evaluation = visible_or_404(
        Evaluation.objects.select_related("profile__survey"), request, pk=pk
    )
    run = selectors.latest_done_run(evaluation)
    return _result_page(request, evaluation, run, run_page=False)


@login_required
def run_detail(request, pk: int):
    run = get_object_or_404(selectors.runs_with_results(request.user), pk=pk)
    return _result_page(request, run.evaluation, run, run_page=True)


def _result_page(request, evaluation: Evaluation, run: Run | None, *, run_page: bool):
    """The evaluation's page, or a run's page showing only that run's snapshot: its
    what-if sliders start at the run's weights, and the evaluation's missing scores
    (its current state) are left out."""
    context = {
        "evaluation": evaluation,
        "run": run,
        "history": history_rows(selectors.run_history(evaluation)),
        "batches": batch_rows(selectors.evaluation_batches(evaluation)),
        "run_page": run_page,
    }
    if run is not None and run.status == Run.Status.DONE:
        context.update(explain_run(run, list(run.results.all())))
        context["stale"] = stale_notice(evaluation, run)
        if run_page:
            context["weights_lines"] = snapshot_weight_lines(run.inputs)
    if run_page:
        return render(request, "selector/result.html", context)
    lines = selectors.weight_lines(evaluation)
    context["missing"] = selectors.missing_scores(evaluation, lines)
    context["weights_lines"] = lines
    return render(request, "selector/result.html", context)


@login_required
def run_export(request, pk: int):
    run = get_object_or_404(selectors.runs_with_results(request.user), pk=pk)
    response = HttpResponse(run_csv(run), content_type="text/csv; charset=utf-8")
    filename = f"shortlist-run-{run.pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def run_status(request, pk: int):
    """A small fragment polled by htmx while a run is queued or running."""
    run = get_object_or_404(selectors.runs_for(request.user), pk=pk)
    response = render(request, "selector/_run_status.html", {"run": run})
    if run.status in (Run.Status.DONE, Run.Status.FAILED):
        response["HX-Refresh"] = "true"
    return response
