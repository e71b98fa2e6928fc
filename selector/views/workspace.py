"""The workspace a person works in (kept in the session), the home page, switching."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from selector import selectors
from selector.models import MAX_ID, Membership
from selector.services.workspaces import ensure_membership

WORKSPACE_SESSION_KEY = "workspace_id"
# Row ids the database can hold: anything else names no row (and is a 404, not a 500).
ID_FIELD = forms.IntegerField(min_value=1, max_value=MAX_ID)


def current_membership(request) -> Membership:
    """The membership of the workspace the user works in (one is created if needed)."""
    chosen = None
    if WORKSPACE_SESSION_KEY in request.session:
        chosen = (
            selectors.memberships_of(request.user)
            .filter(workspace_id=request.session[WORKSPACE_SESSION_KEY])
            .first()
        )
    if chosen is None:
        chosen = ensure_membership(user=request.user)
        request.session[WORKSPACE_SESSION_KEY] = chosen.workspace_id
    return chosen


def editable_membership(request) -> Membership:
    membership = current_membership(request)
    if not membership.can_edit:
        raise PermissionDenied(gettext("Viewers cannot change this workspace."))
    return membership


def visible_or_404(queryset, request, *, through: str = "workspace", **lookup):
    """One row of the user's workspaces, or 404 (never 403: that would confirm it
    exists)."""
    return get_object_or_404(
        selectors.visible(queryset, request.user, through=through), **lookup
    )


def apply_service_errors(
    form: forms.Form, error: ValidationError, field_for=None
) -> None:
    """Attach a service's ValidationError to the form fields it names (else the form)."""
    field_for = field_for or (lambda key: key)
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, messages in error.message_dict.items():
        field = field_for(key)
        if field not in form.fields:
            field = None
        for message in messages:
            form.add_error(field, message)


def home(request):
    if not request.user.is_authenticated:
        return render(request, "home.html")
    membership = current_membership(request)
    workspace = membership.workspace
    context = {
        "workspace": workspace,
        "tool_count": workspace.tools.count(),
        "evaluations": selectors.evaluations_for(request.user, workspace=workspace)[:5],
        "has_ranking": selectors.has_finished_run(workspace),
    }
    return render(request, "selector/dashboard.html", context)


@login_required
@require_POST
def workspace_switch(request):
    try:
        workspace_id = ID_FIELD.clean(request.POST.get("workspace", ""))
    except ValidationError:
        raise Http404(gettext("No such workspace among yours.")) from None
    workspace = get_object_or_404(
        selectors.workspaces_for(request.user), pk=workspace_id
    )
    request.session[WORKSPACE_SESSION_KEY] = workspace.pk
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("selector:home")
    return redirect(target)
