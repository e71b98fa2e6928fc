"""Runs of the caller's evaluations, and batches of runs started together."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from selector import selectors
from selector.api.errors import ErrorResponse
from selector.api.filters import BatchFilter, RunFilter
from selector.api.serializers.runs import (
    BatchInputSerializer,
    BatchSerializer,
    RunDetailSerializer,
    RunSerializer,
)
from selector.api.views.docs import ERRORS, ID, respond
from selector.models import Batch, Run, RunResult
from selector.services.batches import settle_batch, start_batch


class RunViewSet(viewsets.ReadOnlyModelViewSet):
    """Runs of the caller's evaluations; the detail has results and robustness."""

    queryset = Run.objects.none()  # the model, for the schema; see get_queryset
    filterset_class = RunFilter
    lookup_value_regex = ID

    def get_queryset(self):
        if self.action == "list":
            return selectors.run_list_for(self.request.user)
        runs = selectors.runs_for(self.request.user)
        if self.action == "retrieve":
            runs = runs.prefetch_related(
                Prefetch(
                    "results", queryset=RunResult.objects.order_by("rank", "tool_name")
                )
            )
        return runs

    def get_serializer_class(self):
        return RunDetailSerializer if self.action == "retrieve" else RunSerializer


@extend_schema_view(
    create=extend_schema(
        request=BatchInputSerializer,
        responses={202: BatchSerializer, **ERRORS, 503: ErrorResponse},
        description="Start a batch: kind=profiles runs the evaluation under every "
        "weight profile (or those in `profiles`); kind=smaa splits a Monte Carlo "
        "study of `samples` into chunks of `chunk_size`; kind=rerank re-runs the "
        "workspace's "
        "evaluations that follow this evaluation's profile. Poll GET "
        "/api/v1/batches/{id}/ for progress.",
    )
)
class BatchViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Batches of runs of the caller's evaluations, progress counted from the runs."""

    queryset = Batch.objects.none()  # the model, for the schema; see get_queryset
    serializer_class = BatchSerializer
    filterset_class = BatchFilter
    lookup_value_regex = ID

    def get_queryset(self):
        return selectors.batches_with_progress(self.request.user).order_by(
            "-created_at", "-id"
        )

    def retrieve(self, request, *args, **kwargs):
        """The batch; settled first when it is running with none of its runs pending
        (its settling was lost with a killed request or worker)."""
        batch = self.get_object()
        if batch.status == Batch.Status.RUNNING and settle_batch(batch_id=batch.pk):
            batch = self.get_object()
        return Response(self.get_serializer(batch).data)

    def create(self, request, *args, **kwargs):
        serializer = BatchInputSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        batch = start_batch(
            user=request.user,
            evaluation=data.pop("evaluation"),
            kind=data.pop("kind"),
            **data,
        )
        batch = self.get_queryset().get(pk=batch.pk)
        return respond(
            BatchSerializer,
            batch,
            self.get_serializer_context(),
            status.HTTP_202_ACCEPTED,
        )
