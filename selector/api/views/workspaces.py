"""The caller's workspaces; creating one makes its creator the owner."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from selector import selectors
from selector.api.serializers.workspaces import WorkspaceSerializer
from selector.api.views.docs import ERRORS, ID, respond
from selector.models import Workspace
from selector.services.workspaces import create_workspace


@extend_schema_view(
    create=extend_schema(responses={201: WorkspaceSerializer, **ERRORS})
)
class WorkspaceViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's workspaces and their role in each; a creator becomes owner."""

    queryset = Workspace.objects.none()  # the model, for the schema; see get_queryset
    serializer_class = WorkspaceSerializer
    lookup_value_regex = ID

    def get_queryset(self):
        return selectors.workspaces_with_role(self.request.user).order_by("name", "id")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        workspace = create_workspace(
            user=request.user, name=serializer.validated_data["name"]
        )
        workspace = self.get_queryset().get(pk=workspace.pk)
        return respond(WorkspaceSerializer, workspace, self.get_serializer_context())
