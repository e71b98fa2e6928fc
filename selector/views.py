"""Web pages of the decision workflow. Views parse input, call a service, render."""

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from selector import computation, engine, queries, services
from selector.batches import cancel_batch, start_batch
from selector.explain import explain_run
from selector.forms import (
    CsvUploadForm,
    EvaluationForm,
    ToolFilterForm,
    ToolForm,
    apply_service_errors,
    score_field,
)
from selector.models import (
    Batch,
    Criterion,
    Evaluation,
    Membership,
    Run,
    Tool,
    WeightProfile,
)
from selector.runs import BrokerUnavailable, start_run
from selector.tool_csv import CsvFormatError, export_tools

WORKSPACE_SESSION_KEY = "workspace_id"


def current_membership(request) -> Membership:
    """The membership of the workspace the user works in (one is created if needed)."""
    memberships = Membership.objects.filter(user=request.user).select_related(
        "workspace"
    )
    chosen = memberships.filter(
        workspace_id=request.session.get(WORKSPACE_SESSION_KEY)
    ).first()
    if chosen is None:
        chosen = memberships.order_by("id").first()
        if chosen is None:
            services.ensure_workspace(user=request.user)
            chosen = memberships.order_by("id").first()
        request.session[WORKSPACE_SESSION_KEY] = chosen.workspace_id
    return chosen


def editable_membership(request) -> Membership:
    membership = current_membership(request)
    if not membership.can_edit:
        raise PermissionDenied("Viewers cannot change this workspace.")
    return membership


def home(request):
    if not request.user.is_authenticated:
        return render(request, "home.html")
    membership = current_membership(request)
    workspace = membership.workspace
    context = {
        "workspace": workspace,
        "tool_count": workspace.tools.count(),
        "evaluations": queries.evaluations_for(request.user, workspace=workspace)[:5],
    }
    return render(request, "selector/dashboard.html", context)


@login_required
@require_POST
def workspace_switch(request):
    workspace = get_object_or_404(
        queries.workspaces_for(request.user), pk=request.POST.get("workspace") or 0
    )
    request.session[WORKSPACE_SESSION_KEY] = workspace.pk
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("selector:home")
    return redirect(target)


# Tools ---------------------------------------------------------------------------------


@login_required
def tool_list(request):
    membership = current_membership(request)
    filters = ToolFilterForm(request.GET or None)
    search = category = ""
    if filters.is_valid():
        search, category = filters.cleaned_data["q"], filters.cleaned_data["category"]
    tools = queries.tools_for(
        request.user, workspace=membership.workspace, search=search, category=category
    )
    criteria = list(queries.criteria())
    rows = []
    for tool in tools:
        scores = {s.criterion_id: s for s in tool.scores.all()}
        rows.append({"tool": tool, "scored": len(scores), "total": len(criteria)})
    return render(
        request,
        "selector/tool_list.html",
        {"membership": membership, "rows": rows, "filters": filters},
    )


def _tool_form_page(request, tool: Tool | None):
    membership = editable_membership(request)
    criteria = list(Criterion.objects.order_by("name"))
    form = ToolForm(request.POST or None, instance=tool, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_tool(
                user=request.user,
                workspace=membership.workspace,
                data=form.tool_data(),
                scores=form.scores(),
                tool=tool,
            )
        except ValidationError as error:
            apply_service_errors(form, error, form.service_field)
        else:
            messages.success(request, f"Saved {saved.name}.")
            return redirect("selector:tool-list")
    return render(request, "selector/tool_form.html", {"form": form, "tool": tool})


@login_required
def tool_create(request):
    return _tool_form_page(request, None)


@login_required
def tool_edit(request, pk: int):
    tool = queries.get_visible(
        Tool.objects.prefetch_related("scores"), request.user, pk=pk
    )
    if tool.workspace_id != current_membership(request).workspace_id:
        request.session[WORKSPACE_SESSION_KEY] = tool.workspace_id
    return _tool_form_page(request, tool)


@login_required
def tool_delete(request, pk: int):
    tool = queries.get_visible(Tool.objects.all(), request.user, pk=pk)
    if request.method == "POST":
        services.delete_tool(user=request.user, tool=tool)
        messages.success(request, f"Deleted {tool.name}.")
        return redirect("selector:tool-list")
    return render(
        request,
        "selector/tool_confirm_delete.html",
        {"tool": tool, "evaluations": tool.evaluations.all()},
    )


@login_required
def score_grid(request):
    """Tools x criteria of one profile, every cell checked against its criterion."""
    membership = current_membership(request)
    profiles = list(queries.profiles())
    slug = request.GET.get("profile") or (profiles[0].slug if profiles else "")
    profile = next((p for p in profiles if p.slug == slug), None)
    if profile is None:
        messages.error(request, f"There is no weight profile {slug!r}.")
        return redirect("selector:tool-list")
    criteria = queries.profile_criteria(profile)
    tools = list(queries.tools_for(request.user, workspace=membership.workspace))
    errors: dict[tuple[int, str], str] = {}
    submitted: dict[tuple[int, str], str] = {}
    if request.method == "POST":
        editable_membership(request)
        changes = {}
        for tool in tools:
            changes[tool] = {}
            for criterion in criteria:
                raw = request.POST.get(f"cell-{tool.pk}-{criterion.key}", "").strip()
                submitted[(tool.pk, criterion.key)] = raw
                changes[tool][criterion.key] = raw or None
        try:
            services.save_score_grid(user=request.user, changes=changes)
        except ValidationError as error:
            for key, problems in error.message_dict.items():
                tool_pk, _, criterion_key = key.partition(":")
                errors[(int(tool_pk), criterion_key)] = " ".join(problems)
            messages.error(request, "Nothing was saved: fix the highlighted cells.")
        else:
            messages.success(request, "Scores saved.")
            return redirect(f"{reverse('selector:score-grid')}?profile={profile.slug}")
    grid = []
    for tool in tools:
        scores = {s.criterion_id: s.value for s in tool.scores.all()}
        cells = []
        for criterion in criteria:
            key = (tool.pk, criterion.key)
            value = submitted.get(key)
            if value is None:
                stored = scores.get(criterion.pk)
                value = "" if stored is None else f"{stored:g}"
            cells.append(
                {
                    "name": f"cell-{tool.pk}-{criterion.key}",
                    "value": value,
                    "error": errors.get(key),
                    "widget": score_field(criterion).widget.attrs,
                }
            )
        grid.append({"tool": tool, "cells": cells})
    return render(
        request,
        "selector/score_grid.html",
        {"profiles": profiles, "profile": profile, "criteria": criteria, "grid": grid},
    )


@login_required
def tool_import(request):
    membership = editable_membership(request)
    form = CsvUploadForm(request.POST or None, request.FILES or None)
    rows = None
    if request.method == "POST":
        raw = None
        if "content" in request.POST:
            raw = request.POST["content"].encode("utf-8")
        elif form.is_valid():
            raw = form.cleaned_data["file"].read()
        if raw is not None:
            commit = request.POST.get("action") == "import"
            try:
                rows = services.import_tools_csv(
                    user=request.user,
                    workspace=membership.workspace,
                    raw=raw,
                    commit=commit,
                )
            except CsvFormatError as error:
                form.add_error(
                    None if "content" in request.POST else "file", str(error)
                )
            else:
                failed = [row for row in rows if row.errors]
                if commit and not failed:
                    created = sum(row.action == "create" for row in rows)
                    messages.success(
                        request,
                        f"Imported {len(rows)} tools ({created} new, "
                        f"{len(rows) - created} updated).",
                    )
                    return redirect("selector:tool-list")
                return render(
                    request,
                    "selector/tool_import.html",
                    {
                        "form": form,
                        "rows": rows,
                        "failed": failed,
                        "content": raw.decode("utf-8", "replace"),
                    },
                )
    return render(request, "selector/tool_import.html", {"form": form, "rows": rows})


@login_required
def tool_export(request):
    membership = current_membership(request)
    tools = queries.tools_for(request.user, workspace=membership.workspace)
    content = export_tools(tools, list(Criterion.objects.order_by("key")))
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="shortlist-tools.csv"'
    return response


# Evaluations ---------------------------------------------------------------------------


def _evaluation_form_page(request, evaluation: Evaluation | None):
    membership = editable_membership(request)
    profiles = list(queries.profiles())
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
            saved = services.save_evaluation(
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
            messages.success(request, f"Saved {saved.name}.")
            return redirect(saved)
    missing = {}
    if evaluation is not None:
        missing = computation.missing_scores(evaluation)
    return render(
        request,
        "selector/evaluation_form.html",
        {"form": form, "evaluation": evaluation, "missing": missing},
    )


@login_required
def evaluation_list(request):
    membership = current_membership(request)
    evaluations = queries.evaluations_for(request.user, workspace=membership.workspace)
    return render(
        request,
        "selector/evaluation_list.html",
        {"membership": membership, "evaluations": evaluations},
    )


@login_required
def evaluation_create(request):
    return _evaluation_form_page(request, None)


@login_required
def evaluation_edit(request, pk: int):
    evaluation = queries.get_visible(Evaluation.objects.all(), request.user, pk=pk)
    return _evaluation_form_page(request, evaluation)


def _start_run(request, evaluation: Evaluation):
    try:
        run = start_run(user=request.user, evaluation=evaluation)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("selector:evaluation-edit", pk=evaluation.pk)
    except BrokerUnavailable as error:
        messages.warning(request, str(error))
        return redirect("selector:run-detail", pk=error.run_ids[0])
    run.refresh_from_db()
    if run.status == Run.Status.DONE:
        messages.success(request, "Ranking updated.")
    elif run.status == Run.Status.FAILED:
        messages.error(request, f"The run failed: {run.error}")
    else:
        messages.info(request, "The run is queued; this page updates when it is done.")
    return redirect(run)


@login_required
@require_POST
def evaluation_run(request, pk: int):
    """Run the evaluation; with slider values (``w-<key>``), save them as its weights first."""
    evaluation = queries.get_visible(Evaluation.objects.all(), request.user, pk=pk)
    if "save_weights" in request.POST:
        try:
            services.set_evaluation_weights(
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
def evaluation_detail(request, pk: int):
    evaluation = queries.get_visible(
        Evaluation.objects.select_related("profile__survey"), request.user, pk=pk
    )
    run = queries.latest_done_run(evaluation)
    return _result_page(request, evaluation, run)


@login_required
def run_detail(request, pk: int):
    run = queries.run_with_results(pk, request.user)
    return _result_page(request, run.evaluation, run)


def _result_page(request, evaluation: Evaluation, run: Run | None):
    history = evaluation.runs.order_by("-created_at", "-id")[:20]
    context = {"evaluation": evaluation, "run": run, "history": history}
    if run is not None and run.status == Run.Status.DONE:
        context.update(result_context(run))
    lines = computation.weight_lines(evaluation)
    context["missing"] = computation.missing_scores(evaluation, lines)
    context["weights_lines"] = lines
    return render(request, "selector/result.html", context)


def result_context(run: Run) -> dict:
    """Everything the result page draws, from the run's snapshot and stored output."""
    return explain_run(run, list(run.results.all()))


@login_required
@require_POST
def evaluation_preview(request, pk: int):
    """What-if ranking for slider weights, computed now and stored nowhere (htmx)."""
    evaluation = queries.get_visible(Evaluation.objects.all(), request.user, pk=pk)
    try:
        weights = services.clean_weight_overrides(
            evaluation.profile, _slider_weights(request)
        )
        inputs = computation.snapshot_inputs(evaluation, weights=weights)
        rows = computation.rank(inputs)
    except (ValidationError, engine.EngineError) as error:
        message = (
            "; ".join(error.messages)
            if isinstance(error, ValidationError)
            else str(error)
        )
        return render(request, "selector/_preview.html", {"error": message})
    return render(request, "selector/_preview.html", {"rows": rows})


@login_required
def run_export(request, pk: int):
    run = queries.run_with_results(pk, request.user)
    keys = [c["key"] for c in run.inputs["criteria"]]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["rank", "tool", "score", *[f"contribution_{k}" for k in keys]])
    for result in run.results.all():
        writer.writerow(
            [
                result.rank,
                result.tool_name,
                f"{result.score:.6g}",
                *[f"{result.contributions.get(k, 0):.6g}" for k in keys],
            ]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"shortlist-run-{run.pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def run_status(request, pk: int):
    """A small fragment polled by htmx while a run is queued or running."""
    run = get_object_or_404(queries.runs_for(request.user), pk=pk)
    response = render(request, "selector/_run_status.html", {"run": run})
    if run.status in (Run.Status.DONE, Run.Status.FAILED):
        response["HX-Refresh"] = "true"
    return response


# Batches -------------------------------------------------------------------------------


@login_required
@require_POST
def evaluation_batch(request, pk: int):
    """Start a batch for the evaluation: every weight profile, or a Monte Carlo study."""
    evaluation = queries.get_visible(Evaluation.objects.all(), request.user, pk=pk)
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


@login_required
def batch_detail(request, pk: int):
    batch = queries.get_visible(queries.batches_for(request.user), request.user, pk=pk)
    context = {"batch": batch, "progress": queries.batch_progress(batch)}
    if batch.kind == Batch.Kind.SMAA and batch.result and batch.result.get("tools"):
        result = batch.result
        context["smaa_rows"] = sorted(
            zip(result["tools"], result["acceptability"], strict=True),
            key=lambda row: -row[1][0],
        )
    return render(request, "selector/batch_detail.html", context)


@login_required
def batch_progress(request, pk: int):
    """The progress bar alone, polled by htmx while the batch runs."""
    batch = queries.get_visible(queries.batches_for(request.user), request.user, pk=pk)
    response = render(
        request,
        "selector/_batch_progress.html",
        {"batch": batch, "progress": queries.batch_progress(batch)},
    )
    if batch.status != Batch.Status.RUNNING:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def batch_cancel(request, pk: int):
    batch = queries.get_visible(queries.batches_for(request.user), request.user, pk=pk)
    cancel_batch(user=request.user, batch=batch)
    messages.info(request, f"Batch #{batch.pk} cancelled; runs already started finish.")
    return redirect("selector:batch-detail", pk=batch.pk)
