"""Candidate tools of the caller's workspaces, with their scores."""

from rest_framework import status, viewsets
from rest_framework.response import Response

from selector import selectors
from selector.api.filters import ToolFilter
from selector.api.serializers.tools import (
    ToolInputSerializer,
    ToolSerializer,
    ToolUpdateSerializer,
)
from selector.api.views.docs import DELETE_DOCS, ID, WRITES, respond, write_docs
from selector.models import Tool
from selector.services.tools import delete_tool, save_tool


@write_docs(
    ToolSerializer,
    request=ToolInputSerializer,
    update_request=ToolUpdateSerializer,
    destroy=DELETE_DOCS,
)
class ToolViewSet(viewsets.ModelViewSet):
    """Candidate tools of the caller's workspaces, with scores by criterion key."""

    queryset = Tool.objects.none()  # the model, for the schema; see get_queryset
    serializer_class = ToolSerializer
    filterset_class = ToolFilter
    lookup_value_regex = ID
    http_method_names = WRITES

    def get_queryset(self):
        return selectors.tools_for(self.request.user)

    def _render(self, tool, code=status.HTTP_200_OK):
        tool = self.get_queryset().get(pk=tool.pk)
        return respond(ToolSerializer, tool, self.get_serializer_context(), code)

    def create(self, request, *args, **kwargs):
        serializer = ToolInputSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        workspace, scores = data.pop("workspace"), data.pop("scores", None)
        tool = save_tool(
            user=request.user, workspace=workspace, data=data, scores=scores
        )
        return self._render(tool, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        tool = self.get_object()
        serializer = ToolUpdateSerializer(
            tool, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        scores = data.pop("scores", None)
        save_tool(
            user=request.user,
            workspace=tool.workspace,
            data=data,
            scores=scores,
            tool=tool,
        )
        return self._render(tool)

    def destroy(self, request, *args, **kwargs):
        delete_tool(user=request.user, tool=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
