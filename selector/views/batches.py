"""Batch pages: start one for an evaluation, its progress (polled), cancelling it.

The page and its progress bar settle a batch they find running with none of its runs
pending (``settle_batch``): without a broker there is no sweeper, and a request killed
while merging would otherwise leave it running for ever.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from selector import selectors
from selector.models import Batch, Evaluation
from selector.presenters.run_lists import (
    batch_run_rows,
    batch_winner_rows,
    smaa_table,
)
from selector.queue import BrokerUnavailable
from selector.services.batches import cancel_batch, settle_batch, start_batch
from selector.views.workspace import visible_or_404


@login_required
@require_POST
def evaluation_batch(request, pk: int):
    """Start a batch for the evaluation: every weight profile, or a Monte Carlo study."""
    evaluation = visible_or_404(Evaluation.objects.all(), request, pk=pk)
    try:
        batch = start_batch(
            user=request.user, evaluation=evaluation, kind=request.POST.get("kind", "")
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(evaluation)
    except BrokerUnavailable as error:
        messages.warning(request, str(error))
        batch = Batch.objects.get(pk=error.batch_id)
    return redirect("selector:batch-detail", pk=batch.pk)


def _visible_batch(request, pk: int) -> Batch:
    """The caller's batch, settled first when its runs have all finished."""
    batch = get_object_or_404(selectors.batches_for(request.user), pk=pk)
    if batch.status == Batch.Status.RUNNING and settle_batch(batch_id=batch.pk):
        batch.refresh_from_db()
    return batch


@login_required
def batch_detail(request, pk: int):
    batch = _visible_batch(request, pk)
    context = {
        "batch": batch,
        "progress": selectors.batch_progress(batch),
        "runs": batch_run_rows(selectors.batch_runs(batch)),
        "winners": batch_winner_rows(batch.result or {}),
    }
    if batch.kind == Batch.Kind.SMAA and batch.result and batch.result.get("tools"):
        context["smaa"] = smaa_table(batch.result)
    return render(request, "selector/batch_detail.html", context)


@login_required
def batch_progress(request, pk: int):
    """The progress bar alone, polled by htmx while the batch runs."""
    batch = _visible_batch(request, pk)
    response = render(
        request,
        "selector/_batch_progress.html",
        {"batch": batch, "progress": selectors.batch_progress(batch)},
    )
    if batch.status != Batch.Status.RUNNING:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def batch_cancel(request, pk: int):
    batch = get_object_or_404(selectors.batches_for(request.user), pk=pk)
    cancel_batch(user=request.user, batch=batch)
    messages.info(
        request,
        gettext("Batch #%(batch)s cancelled; runs already started finish.")
        % {"batch": batch.pk},
    )
    return redirect("selector:batch-detail", pk=batch.pk)
