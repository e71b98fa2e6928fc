"""Thin viewsets: parse with an input serializer, call one service, render the result.

Querysets come from ``selector.queries`` and are scoped to the caller's workspaces, so
another workspace's tool, evaluation, run or batch is a 404 for every method; the
services refuse viewers (403).
"""

from functools import partial

from django.core.cache import cache
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from selector import profiles, queries, services
from selector.api import serializers as s
from selector.api.errors import ErrorResponse, InUse
from selector.api.filters import BatchFilter, EvaluationFilter, RunFilter, ToolFilter
from selector.api.permissions import IsStaffOrReadOnly
from selector.batches import start_batch
from selector.models import (
    Batch,
    Criterion,
    Evaluation,
    Run,
    RunResult,
    Tool,
    WeightProfile,
    Workspace,
)
from selector.ranking_service import rank_alternatives
from selector.runs import start_run

ID = r"[0-9]{1,18}"
KEY = r"[-a-zA-Z0-9_]{1,80}"
WRITES = ["get", "post", "patch", "delete", "head", "options"]
RANKING_CACHE_SECONDS = 300

ERRORS = {400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse}


# DELETE of a workspace's object: done, a viewer's refusal, or not visible.
DELETE_DOCS = extend_schema(
    responses={204: None, 403: ErrorResponse, 404: ErrorResponse}
)


def write_docs(output, *, request=None, update_request=None, **views):
    """The schema of a viewset's POST (201) and PATCH (200) answering ``output``, with
    their request bodies (default: the viewset's serializer), plus any other views."""

    def docs(code, body):
        given = {} if body is None else {"request": body}
        return extend_schema(responses={code: output, **ERRORS}, **given)

    return extend_schema_view(
        create=docs(201, request),
        partial_update=docs(200, update_request or request),
        **views,
    )


def _created(serializer_class, instance, context, code=status.HTTP_201_CREATED):
    return Response(serializer_class(instance, context=context).data, status=code)


# Catalogue ----------------------------------------------------------------------------


@write_docs(
    s.CriterionSerializer,
    destroy=extend_schema(responses={204: None, **ERRORS, 409: ErrorResponse}),
)
class CriterionViewSet(viewsets.ModelViewSet):
    """Criteria tools are scored on, by ``key``. Staff may create, edit and delete."""

    queryset = Criterion.objects.none()  # the model, for the schema; see get_queryset
    serializer_class = s.CriterionSerializer
    permission_classes = [IsAuthenticated, IsStaffOrReadOnly]
    lookup_field = "key"
    lookup_value_regex = KEY
    http_method_names = WRITES

    def get_queryset(self):
        return queries.criteria().select_related("parent").order_by("key")

    def create(self, request, *args, **kwargs):
        return self._save(Criterion(), status.HTTP_201_CREATED, partial=False)

    def partial_update(self, request, *args, **kwargs):
        return self._save(self.get_object(), status.HTTP_200_OK, partial=True)

    def _save(self, criterion, code, *, partial):
        serializer = self.get_serializer(data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        for name, value in serializer.validated_data.items():
            setattr(criterion, name, value)
        profiles.save_criterion(user=self.request.user, criterion=criterion)
        return _created(
            s.CriterionSerializer, criterion, self.get_serializer_context(), code
        )

    def destroy(self, request, *args, **kwargs):
        criterion = self.get_object()
        InUse.refusing(
            partial(profiles.delete_criterion, user=request.user, criterion=criterion)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


@write_docs(
    s.ProfileSerializer,
    request=s.ProfileInputSerializer,
    destroy=extend_schema(
        responses={204: None, **ERRORS, 409: ErrorResponse},
        description="Delete a profile no evaluation follows; a built-in or followed "
        "one is a 409 saying why.",
    ),
)
class ProfileViewSet(viewsets.ModelViewSet):
    """Weight profiles by ``slug``, with weights by criterion key. Staff may create,
    edit (which re-ranks the evaluations that follow the profile) and delete them."""

    queryset = (
        WeightProfile.objects.none()
    )  # the model, for the schema; see get_queryset
    serializer_class = s.ProfileSerializer
    permission_classes = [IsAuthenticated, IsStaffOrReadOnly]
    lookup_field = "slug"
    lookup_value_regex = KEY
    http_method_names = WRITES

    def get_queryset(self):
        return queries.profiles().order_by("slug")

    def create(self, request, *args, **kwargs):
        return self._save(WeightProfile(), status.HTTP_201_CREATED, partial=False)

    def partial_update(self, request, *args, **kwargs):
        return self._save(self.get_object(), status.HTTP_200_OK, partial=True)

    def _save(self, profile, code, *, partial):
        serializer = s.ProfileInputSerializer(data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        weights = data.pop("weights", None)
        saved = profiles.save_profile(
            user=self.request.user, profile=profile, data=data, weights=weights
        )
        profile = self.get_queryset().get(pk=saved.profile.pk)
        return _created(
            s.ProfileSerializer, profile, self.get_serializer_context(), code
        )

    def destroy(self, request, *args, **kwargs):
        profile = self.get_object()
        InUse.refusing(
            partial(profiles.delete_profile, user=request.user, profile=profile)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


# Workspaces, tools, evaluations -------------------------------------------------------


@extend_schema_view(
    create=extend_schema(responses={201: s.WorkspaceSerializer, **ERRORS})
)
class WorkspaceViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's workspaces and their role in each; a creator becomes owner."""

    queryset = Workspace.objects.none()  # the model, for the schema; see get_queryset
    serializer_class = s.WorkspaceSerializer
    lookup_value_regex = ID

    def get_queryset(self):
        return queries.workspaces_with_role(self.request.user).order_by("name", "id")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        workspace = services.create_workspace(
            user=request.user, name=serializer.validated_data["name"]
        )
        workspace = self.get_queryset().get(pk=workspace.pk)
        return _created(s.WorkspaceSerializer, workspace, self.get_serializer_context())


@write_docs(
    s.ToolSerializer,
    request=s.ToolInputSerializer,
    update_request=s.ToolUpdateSerializer,
    destroy=DELETE_DOCS,
)
class ToolViewSet(viewsets.ModelViewSet):
    """Candidate tools of the caller's workspaces, with scores by criterion key."""

    queryset = Tool.objects.none()  # the model, for the schema; see get_queryset
    serializer_class = s.ToolSerializer
    filterset_class = ToolFilter
    lookup_value_regex = ID
    http_method_names = WRITES

    def get_queryset(self):
        return queries.tools_for(self.request.user)

    def _render(self, tool, code=status.HTTP_200_OK):
        tool = self.get_queryset().get(pk=tool.pk)
        return _created(s.ToolSerializer, tool, self.get_serializer_context(), code)

    def create(self, request, *args, **kwargs):
        serializer = s.ToolInputSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        workspace, scores = data.pop("workspace"), data.pop("scores", None)
        tool = services.save_tool(
            user=request.user, workspace=workspace, data=data, scores=scores
        )
        return self._render(tool, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        tool = self.get_object()
        serializer = s.ToolUpdateSerializer(
            tool, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        scores = data.pop("scores", None)
        services.save_tool(
            user=request.user,
            workspace=tool.workspace,
            data=data,
            scores=scores,
            tool=tool,
        )
        return self._render(tool)

    def destroy(self, request, *args, **kwargs):
        services.delete_tool(user=request.user, tool=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@write_docs(
    s.EvaluationSerializer,
    request=s.EvaluationInputSerializer,
    update_request=s.EvaluationUpdateSerializer,
    destroy=DELETE_DOCS,
)
class EvaluationViewSet(viewsets.ModelViewSet):
    """Evaluations: which tools, judged on which profile and weights, by what method."""

    queryset = Evaluation.objects.none()  # the model, for the schema; see get_queryset
    serializer_class = s.EvaluationSerializer
    filterset_class = EvaluationFilter
    lookup_value_regex = ID
    http_method_names = WRITES

    def get_queryset(self):
        if self.action in ("runs", "ranking"):
            # Only the evaluation row is needed: its runs are read separately.
            return queries.visible(
                Evaluation.objects.select_related("workspace"), self.request.user
            )
        return (
            queries.evaluations_for(self.request.user)
            .prefetch_related(
                Prefetch("tools", queryset=Tool.objects.only("id").order_by("id"))
            )
            .order_by("-updated_at", "-id")
        )

    def _render(self, evaluation, code=status.HTTP_200_OK):
        evaluation = self.get_queryset().get(pk=evaluation.pk)
        return _created(
            s.EvaluationSerializer, evaluation, self.get_serializer_context(), code
        )

    def create(self, request, *args, **kwargs):
        serializer = s.EvaluationInputSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        evaluation = services.save_evaluation(
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
        serializer = s.EvaluationUpdateSerializer(
            data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.save_evaluation(
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
        services.delete_evaluation(user=request.user, evaluation=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        methods=["GET"],
        responses=s.RunSerializer(many=True),
        description="The evaluation's runs, newest first.",
    )
    @extend_schema(
        methods=["POST"],
        request=None,
        responses={202: s.RunSerializer, **ERRORS, 503: ErrorResponse},
        description="Start a run: it is queued and computed in the background; poll "
        "GET /api/v1/runs/{id}/ until its status is done or failed.",
    )
    @action(detail=True, methods=["get", "post"], filterset_class=None)
    def runs(self, request, pk=None):
        evaluation = self.get_object()
        if request.method == "POST":
            run = start_run(user=request.user, evaluation=evaluation)
            return _created(
                s.RunSerializer,
                run,
                self.get_serializer_context(),
                status.HTTP_202_ACCEPTED,
            )
        page = self.paginate_queryset(
            queries.runs_for(request.user).filter(evaluation=evaluation)
        )
        serializer = s.RunSerializer(
            page, many=True, context=self.get_serializer_context()
        )
        return self.get_paginated_response(serializer.data)

    @extend_schema(
        responses={200: s.RunDetailSerializer, 404: ErrorResponse},
        description="The latest done run's results, ordered by rank (404 while the "
        "evaluation has no done run).",
    )
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def ranking(self, request, pk=None):
        evaluation = self.get_object()
        run_id = queries.latest_done_run_id(evaluation)
        if run_id is None:
            raise Http404(
                "This evaluation has no finished run yet: start one with POST "
                f"/api/v1/evaluations/{evaluation.pk}/runs/ and wait until it is done."
            )
        # A done run never changes, so its rendered JSON is cached; the short timeout
        # only bounds how long a deleted tool's id can linger in the results.
        key = f"api:run-detail:{run_id}"
        content = cache.get(key)
        if content is None:
            run = queries.latest_done_run(evaluation)
            data = s.RunDetailSerializer(
                run, context=self.get_serializer_context()
            ).data
            content = JSONRenderer().render(data)
            cache.set(key, content, timeout=RANKING_CACHE_SECONDS)
        return HttpResponse(content, content_type="application/json")


# Runs and batches ---------------------------------------------------------------------


class RunViewSet(viewsets.ReadOnlyModelViewSet):
    """Runs of the caller's evaluations; the detail has results and robustness."""

    queryset = Run.objects.none()  # the model, for the schema; see get_queryset
    filterset_class = RunFilter
    lookup_value_regex = ID

    def get_queryset(self):
        runs = queries.runs_for(self.request.user)
        if self.action == "retrieve":
            runs = runs.prefetch_related(
                Prefetch(
                    "results", queryset=RunResult.objects.order_by("rank", "tool_name")
                )
            )
        return runs

    def get_serializer_class(self):
        return s.RunDetailSerializer if self.action == "retrieve" else s.RunSerializer


@extend_schema_view(
    create=extend_schema(
        request=s.BatchInputSerializer,
        responses={202: s.BatchSerializer, **ERRORS, 503: ErrorResponse},
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
    serializer_class = s.BatchSerializer
    filterset_class = BatchFilter
    lookup_value_regex = ID

    def get_queryset(self):
        return queries.batches_with_progress(self.request.user).order_by(
            "-created_at", "-id"
        )

    def create(self, request, *args, **kwargs):
        serializer = s.BatchInputSerializer(
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
        return _created(
            s.BatchSerializer,
            batch,
            self.get_serializer_context(),
            status.HTTP_202_ACCEPTED,
        )


# Stateless ranking --------------------------------------------------------------------


class RankView(APIView):
    """Rank data sent in the request with any method; nothing is stored."""

    @extend_schema(
        request=s.RankRequestSerializer,
        responses={200: s.RankResponseSerializer, **ERRORS, 413: ErrorResponse},
        description="At most 10,000 alternatives and 100 criteria per request (413 "
        "beyond). Errors name the field, e.g. alternatives.1.values.roi.",
        examples=[
            OpenApiExample(
                "TOPSIS on three tools",
                request_only=True,
                value={
                    "method": "topsis",
                    "normalization": "vector",
                    "criteria": [
                        {"key": "roi", "direction": "benefit", "weight": 30},
                        {
                            "key": "industry_customization",
                            "direction": "benefit",
                            "weight": 26,
                        },
                        {"key": "price", "direction": "cost", "weight": 1},
                    ],
                    "alternatives": [
                        {
                            "name": "A",
                            "values": {
                                "roi": 4,
                                "industry_customization": 3,
                                "price": 30,
                            },
                        },
                        {
                            "name": "B",
                            "values": {
                                "roi": 5,
                                "industry_customization": 2,
                                "price": 25,
                            },
                        },
                        {
                            "name": "C",
                            "values": {
                                "roi": 2,
                                "industry_customization": 5,
                                "price": 10,
                            },
                        },
                    ],
                },
            )
        ],
    )
    def post(self, request):
        serializer = s.RankRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        ranking = rank_alternatives(
            method=data["method"],
            normalization=data["normalization"],
            criteria=data["criteria"],
            alternatives=data["alternatives"],
            options=data["options"],
        )
        body = {
            "method": data["method"],
            "normalization": data["normalization"],
            "options": data["options"],
            "ranking": ranking,
        }
        return Response(s.RankResponseSerializer(body).data)
