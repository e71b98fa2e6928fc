"""Evaluations, their runs (listed and started) and their latest ranking."""

from django.core.cache import cache
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import get_language, gettext
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from selector import selectors
from selector.api.errors import ErrorResponse
from selector.api.filters import EvaluationFilter
from selector.api.serializers.evaluations import (
    EvaluationInputSerializer,
    EvaluationSerializer,
    EvaluationUpdateSerializer,
)
from selector.api.serializers.runs import (
    RankingSerializer,
    RunDetailSerializer,
    RunSerializer,
)
from selector.api.views.docs import (
    DELETE_DOCS,
    ERRORS,
    ID,
    WRITES,
    respond,
    write_docs,
)
from selector.models import Evaluation, Tool
from selector.services.evaluations import delete_evaluation, save_evaluation
from selector.services.runs import start_run
from selector.services.staleness import evaluation_staleness

RANKING_CACHE_SECONDS = 300


@write_docs(
    EvaluationSerializer,
    request=EvaluationInputSerializer,
    update_request=EvaluationUpdateSerializer,
    destroy=DELETE_DOCS,
)
class EvaluationViewSet(viewsets.ModelViewSet):
    """Evaluations: which tools, judged on which profile and weights, by what method."""

    queryset = Evaluation.objects.none()  # the model, for the schema; see get_queryset
    serializer_class = EvaluationSerializer
    filterset_class = EvaluationFilter
    lookup_value_regex = ID
    http_method_names = WRITES

    def get_queryset(self):
        if self.action in ("runs", "ranking"):
            # Only the evaluation row (and its profile, for the ranking's staleness
            # check) is needed: its runs are read separately.
            return selectors.visible(
                Evaluation.objects.select_related("workspace", "profile"),
                self.request.user,
            )
        return (
            selectors.evaluations_for(self.request.user)
            .prefetch_related(
                Prefetch("tools", queryset=Tool.objects.only("id").order_by("id"))
            )
            .order_by("-updated_at", "-id")
        )

    def _render(self, evaluation, code=status.HTTP_200_OK):
        evaluation = self.get_queryset().get(pk=evaluation.pk)
        return respond(
            EvaluationSerializer, evaluation, self.get_serializer_context(), code
        )

    def create(self, request, *args, **kwargs):
        serializer = EvaluationInputSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        evaluation = save_evaluation(
            user=request.user,
            workspace=data["workspace"],
            name=data["name"],
            profile=data["profile"],
            tools=data["tools"],
            method=data["method"],
            normalization=data["normalization"],
            weight_overrides=data.get("weights") or {},
            missing_scores=data["missing_scores"],
            method_options=data.get("options", {}),
        )
        return self._render(evaluation, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        evaluation = self.get_object()
        serializer = EvaluationUpdateSerializer(
            data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        save_evaluation(
            user=request.user,
            workspace=evaluation.workspace,
            evaluation=evaluation,
            name=data.get("name", evaluation.name),
            profile=data.get("profile", evaluation.profile),
            tools=data["tools"] if "tools" in data else evaluation.tools.all(),
            method=data.get("method", evaluation.method),
            normalization=data.get("normalization", evaluation.normalization),
            weight_overrides=data["weights"]
            if "weights" in data
            else evaluation.weight_overrides,
            missing_scores=data.get("missing_scores", evaluation.missing_scores),
            method_options=data.get("options"),
        )
        return self._render(evaluation)

    def destroy(self, request, *args, **kwargs):
        delete_evaluation(user=request.user, evaluation=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        methods=["GET"],
        responses=RunSerializer(many=True),
        description="The evaluation's runs, newest first.",
    )
    @extend_schema(
        methods=["POST"],
        request=None,
        responses={202: RunSerializer, **ERRORS, 503: ErrorResponse},
        description="Start a run: it is queued and computed in the background; poll "
        "GET /api/v1/runs/{id}/ until its status is done or failed.",
    )
    @action(detail=True, methods=["get", "post"], filterset_class=None)
    def runs(self, request, pk=None):
        evaluation = self.get_object()
        if request.method == "POST":
            run = start_run(user=request.user, evaluation=evaluation)
            return respond(
                RunSerializer,
                run,
                self.get_serializer_context(),
                status.HTTP_202_ACCEPTED,
            )
        page = self.paginate_queryset(
            selectors.run_list_for(request.user).filter(evaluation=evaluation)
        )
        serializer = RunSerializer(
            page, many=True, context=self.get_serializer_context()
        )
        return self.get_paginated_response(serializer.data)

    @extend_schema(
        responses={200: RankingSerializer, 404: ErrorResponse},
        description="The latest done run's results, ordered by rank (404 while the "
        "evaluation has no done run), and whether the evaluation changed since: "
        "`stale` and `changed`, the parts that differ from the run's snapshot.",
    )
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def ranking(self, request, pk=None):
        evaluation = self.get_object()
        staleness = evaluation_staleness(evaluation)
        if staleness.run_id is None:
            raise Http404(
                gettext(
                    "This evaluation has no finished run yet: start one with POST "
                    "%(url)s and wait until it is done."
                )
                % {"url": f"/api/v1/evaluations/{evaluation.pk}/runs/"}
            )
        # A done run never changes, so its serialized results are cached; the short
        # timeout only bounds how long a deleted tool's id can linger in the results.
        # Whether it is stale is read each time: the evaluation may change any moment.
        # Its sentences (the verdict, a failure's reason) are in the reader's language.
        key = f"api:run-detail:{staleness.run_id}:{get_language()}"
        data = cache.get(key)
        if data is None:
            run = selectors.latest_done_run(evaluation)
            data = RunDetailSerializer(run, context=self.get_serializer_context()).data
            cache.set(key, data, timeout=RANKING_CACHE_SECONDS)
        return Response(
            {**data, "stale": staleness.stale, "changed": staleness.changed}
        )
