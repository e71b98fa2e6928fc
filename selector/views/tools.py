"""Tool pages: list, create, edit, delete, the score grid, CSV import and export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from selector import selectors
from selector.models import PRICE, Criterion, Tool
from selector.services.score_grid import save_score_grid
from selector.services.tool_csv import CsvFormatError, export_tools, file_text
from selector.services.tools import delete_tool, import_tools_csv, save_tool
from selector.services.workspaces import require_role
from selector.views.tool_forms import (
    CsvUploadForm,
    ScoreGridForm,
    ToolFilterForm,
    ToolForm,
)
from selector.views.workspace import (
    WORKSPACE_SESSION_KEY,
    apply_service_errors,
    current_membership,
    editable_membership,
    visible_or_404,
)


@login_required
def tool_list(request):
    membership = current_membership(request)
    filters = ToolFilterForm(request.GET or None)
    search = category = ""
    if filters.is_valid():
        search, category = filters.cleaned_data["q"], filters.cleaned_data["category"]
    tools = selectors.tools_for(
        request.user, workspace=membership.workspace, search=search, category=category
    )
    criteria = list(selectors.criteria())
    rows = []
    for tool in tools:
        scores = {s.criterion.key: s for s in tool.scores.all()}
        rows.append(
            {
                "tool": tool,
                "price": scores.get(PRICE),
                "scored": len(scores),
                "total": len(criteria),
            }
        )
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
            saved = save_tool(
                user=request.user,
                workspace=membership.workspace,
                data=form.tool_data(),
                scores=form.scores(),
                tool=tool,
            )
        except ValidationError as error:
            apply_service_errors(form, error, form.service_field)
        else:
            messages.success(request, gettext("Saved %(tool)s.") % {"tool": saved.name})
            return redirect("selector:tool-list")
    return render(request, "selector/tool_form.html", {"form": form, "tool": tool})


@login_required
def tool_create(request):
    return _tool_form_page(request, None)


@login_required
def tool_edit(request, pk: int):
    tool = visible_or_404(Tool.objects.prefetch_related("scores"), request, pk=pk)
    if tool.workspace_id != current_membership(request).workspace_id:
        request.session[WORKSPACE_SESSION_KEY] = tool.workspace_id
    return _tool_form_page(request, tool)


@login_required
def tool_delete(request, pk: int):
    """A confirmation page, then (POST) the deletion; viewers get a 403 on both."""
    tool = visible_or_404(Tool.objects.all(), request, pk=pk)
    require_role(user=request.user, workspace=tool.workspace)
    if request.method == "POST":
        delete_tool(user=request.user, tool=tool)
        messages.success(request, gettext("Deleted %(tool)s.") % {"tool": tool.name})
        return redirect("selector:tool-list")
    return render(
        request,
        "selector/tool_confirm_delete.html",
        {"tool": tool, "evaluations": tool.evaluations.all()},
    )


def _saved_message(count: int) -> str:
    if not count:
        return gettext("No score changed.")
    return ngettext(
        "Saved %(count)d changed score.", "Saved %(count)d changed scores.", count
    ) % {"count": count}


def _imported_message(rows, created: int) -> str:
    return ngettext(
        "Imported %(count)d tool (%(new)d new, %(updated)d updated).",
        "Imported %(count)d tools (%(new)d new, %(updated)d updated).",
        len(rows),
    ) % {"count": len(rows), "new": created, "updated": len(rows) - created}


@login_required
def score_grid(request):
    """Tools x criteria of one profile; only the cells the user changed are saved."""
    membership = current_membership(request)
    profiles = list(selectors.profiles())
    slug = request.GET.get("profile") or (profiles[0].slug if profiles else "")
    profile = next((p for p in profiles if p.slug == slug), None)
    if profile is None:
        messages.error(
            request,
            gettext("There is no weight profile %(slug)s.") % {"slug": repr(slug)},
        )
        return redirect("selector:tool-list")
    tools = selectors.tools_for(request.user, workspace=membership.workspace)
    form = ScoreGridForm(
        request.POST if request.method == "POST" else None,
        tools=tools,
        criteria=selectors.profile_criteria(profile),
    )
    if request.method == "POST":
        editable_membership(request)
        if form.is_valid():
            try:
                save_score_grid(
                    user=request.user, changes=form.changes, expected=form.expected
                )
            except ValidationError as error:
                form.apply_service_errors(error)
            else:
                count = sum(len(cells) for cells in form.changes.values())
                messages.success(request, _saved_message(count))
                return redirect(
                    f"{reverse('selector:score-grid')}?profile={profile.slug}"
                )
        messages.error(
            request, gettext("Nothing was saved: fix the highlighted cells.")
        )
    return render(
        request,
        "selector/score_grid.html",
        {"profiles": profiles, "profile": profile, "form": form},
    )


@login_required
def tool_import(request):
    """Upload a CSV, see every row's errors or what it would do, then confirm.

    The upload is never read whole: the service checks its size first and parses it
    line by line. The confirm step posts the checked file's text back.
    """
    membership = editable_membership(request)
    form = CsvUploadForm(request.POST or None, request.FILES or None)
    rows = None
    if request.method == "POST":
        source = None
        if "content" in request.POST:
            source = request.POST["content"]
        elif form.is_valid():
            source = form.cleaned_data["file"]
        if source is not None:
            commit = request.POST.get("action") == "import"
            try:
                rows = import_tools_csv(
                    user=request.user,
                    workspace=membership.workspace,
                    source=source,
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
                    messages.success(request, _imported_message(rows, created))
                    return redirect("selector:tool-list")
                return render(
                    request,
                    "selector/tool_import.html",
                    {
                        "form": form,
                        "rows": rows,
                        "failed": failed,
                        "content": "" if failed else file_text(source),
                    },
                )
    return render(request, "selector/tool_import.html", {"form": form, "rows": rows})


@login_required
def tool_export(request):
    membership = current_membership(request)
    tools = selectors.tools_for(request.user, workspace=membership.workspace)
    content = export_tools(tools, list(Criterion.objects.order_by("key")))
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="shortlist-tools.csv"'
    return response
