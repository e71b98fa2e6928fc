"""Evaluation pages: list, the builder (create, edit), running, the what-if preview,
the tools side by side."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from selector import engine, selectors
from selector.messages import engine_message
from selector.models import Evaluation, Run, WeightProfile
from selector.presenters.compare import comparison_table
from selector.presenters.explanations import builder_guide
from selector.queue import BrokerUnavailable
from selector.services.evaluations import (
    delete_evaluation,
    save_evaluation,
    set_evaluation_weights,
)
from selector.services.ranking import preview_ranking
from selector.services.runs import start_run
from selector.services.workspaces import require_role
from selector.shipped_texts import shipped
from selector.views.evaluation_forms import EvaluationForm
from selector.views.workspace import (
    apply_service_errors,
    current_membership,
    editable_membership,
    visible_or_404,
)


def _evaluation_form_page(request, evaluation: Evaluation | None):
    membership = editable_membership(request)
    profiles = list(selectors.profiles())
    initial = {}
    if evaluation is None:
        initial = {
            "profile": WeightProfile.objects.filter(
                slug="menlo-2024-app-selection"
            ).first(),
            "tools": membership.workspace.tools.all(),
        }
    form = EvaluationForm(
        request.POST or None,
        instance=evaluation,
        initial=initial,
        workspace=membership.workspace,
        profiles=profiles,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_evaluation(
                user=request.user,
                workspace=membership.workspace,
                evaluation=evaluation,
                name=form.cleaned_data["name"],
                profile=form.cleaned_data["profile"],
                tools=form.cleaned_data["tools"],
                method=form.cleaned_data["method"],
                normalization=form.cleaned_data["normalization"],
                missing_scores=form.cleaned_data["missing_scores"],
                weight_overrides=form.weight_overrides(),
                method_options=form.method_options(),
            )
        except ValidationError as error:
            apply_service_errors(form, error, form.service_field)
        else:
            if "run" in request.POST:
                return _start_run(request, saved)
            messages.success(
                request,
                gettext("Saved %(evaluation)s.") % {"evaluation": shipped(saved.name)},
            )
            return redirect(saved)
    missing = {}
    if evaluation is not None:
        missing = selectors.missing_scores(evaluation)
    return render(
        request,
        "selector/evaluation_form.html",
        {
            "form": form,
            "evaluation": evaluation,
            "missing": missing,
            "guide": builder_guide(profiles),
        },
    )


@login_required
def evaluation_list(request):
    membership = current_membership(request)
    evaluations = selectors.evaluations_for(
        request.user, workspace=membership.workspace
    )
    return render(
        request,
        "selector/evaluation_list.html",
        {"membership": membership, "evaluations": evaluations},
    )


@login_required
def evaluation_delete(request, pk: int):
    """A confirmation page, then (POST) the deletion; viewers get a 403 on both."""
    evaluation = visible_or_404(Evaluation.objects.all(), request, pk=pk)
    require_role(user=request.user, workspace=evaluation.workspace)
    if request.method == "POST":
        delete_evaluation(user=request.user, evaluation=evaluation)
        messages.success(
            request,
            gettext("Deleted %(evaluation)s.")
            % {"evaluation": shipped(evaluation.name)},
        )
        return redirect("selector:evaluation-list")
    return render(
        request,
        "selector/evaluation_confirm_delete.html",
        {"evaluation": evaluation, "run_count": evaluation.runs.count()},
    )


@login_required
def evaluation_create(request):
    return _evaluation_form_page(request, None)


@login_required
def evaluation_edit(request, pk: int):
    evaluation = visible_or_404(Evaluation.objects.all(), request, pk=pk)
    return _evaluation_form_page(request, evaluation)


def _run_refusals(error: ValidationError, evaluation: Evaluation) -> list[str]:
    """Why a run did not start, for the edit page; the missing scores are not listed
    again there, as the page's own box (``missing``) lists them."""
    shown = bool(selectors.missing_scores(evaluation))
    # The engine's sentence starts so in English and in the reader's language.
    # Translators: keep this the start of "Missing scores: %(listing)s. ...".
    prefixes = ("Missing scores:", gettext("Missing scores:"))
    refusals = []
    for message in error.messages:
        if shown and message.startswith(prefixes):
            message = gettext("Not run: some scores are missing (listed below).")
        refusals.append(message)
    return refusals


def _start_run(request, evaluation: Evaluation):
    try:
        run = start_run(user=request.user, evaluation=evaluation)
    except ValidationError as error:
        for message in _run_refusals(error, evaluation):
            messages.error(request, message)
        return redirect("selector:evaluation-edit", pk=evaluation.pk)
    except BrokerUnavailable as error:
        messages.warning(request, str(error))
        return redirect("selector:run-detail", pk=error.run_ids[0])
    run.refresh_from_db()
    if run.status == Run.Status.DONE:
        messages.success(request, gettext("Ranking updated."))
    elif run.status == Run.Status.FAILED:
        messages.error(
            request, gettext("The run failed: %(error)s") % {"error": run.shown_error}
        )
    else:
        messages.info(
            request, gettext("The run is queued; this page updates when it is done.")
        )
    return redirect(run)


@login_required
@require_POST
def evaluation_run(request, pk: int):
    """Run the evaluation; with slider values (``w-<key>``), save them as its weights first."""
    evaluation = visible_or_404(Evaluation.objects.all(), request, pk=pk)
    if "save_weights" in request.POST:
        try:
            set_evaluation_weights(
                user=request.user,
                evaluation=evaluation,
                weights=_slider_weights(request),
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(evaluation)
    return _start_run(request, evaluation)


def _slider_weights(request) -> dict[str, str]:
    return {
        key.removeprefix("w-"): value
        for key, value in request.POST.items()
        if key.startswith("w-")
    }


@login_required
@require_POST
def evaluation_preview(request, pk: int):
    """What-if ranking for slider weights, computed now and stored nowhere (htmx)."""
    evaluation = visible_or_404(Evaluation.objects.all(), request, pk=pk)
    try:
        rows = preview_ranking(evaluation=evaluation, weights=_slider_weights(request))
    except ValidationError as error:
        return render(
            request, "selector/_preview.html", {"error": "; ".join(error.messages)}
        )
    except engine.EngineError as error:
        return render(
            request, "selector/_preview.html", {"error": engine_message(error)}
        )
    return render(request, "selector/_preview.html", {"rows": rows})


@login_required
def evaluation_compare(request, pk: int):
    """The evaluation's tools side by side, for every member (viewers too)."""
    evaluation = visible_or_404(Evaluation.objects.all(), request, pk=pk)
    tools, criteria = selectors.compared_tools(evaluation)
    return render(
        request,
        "selector/evaluation_compare.html",
        {"evaluation": evaluation, **comparison_table(tools, criteria)},
    )
