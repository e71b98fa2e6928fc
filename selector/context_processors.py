from selector.selectors import workspaces_for


def workspaces(request) -> dict:
    """The signed-in user's workspaces, for the switcher in the page header."""
    if not request.user.is_authenticated:
        return {}
    return {
        "my_workspaces": workspaces_for(request.user),
        "current_workspace_id": request.session.get("workspace_id"),
    }
