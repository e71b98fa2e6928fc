"""The selector API's routes under /api/v1/: a router for the resources, plus rank/ and
a run's report documents (runs/{id}/report.pdf, runs/{id}/report.md)."""

from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from selector.api.views.catalogue import CriterionViewSet, ProfileViewSet
from selector.api.views.evaluations import EvaluationViewSet
from selector.api.views.rank import RankView
from selector.api.views.reports import RunReportMarkdownView, RunReportPDFView
from selector.api.views.runs import BatchViewSet, RunViewSet
from selector.api.views.tools import ToolViewSet
from selector.api.views.workspaces import WorkspaceViewSet

router = SimpleRouter()
router.register("criteria", CriterionViewSet, basename="criterion")
router.register("profiles", ProfileViewSet, basename="profile")
router.register("workspaces", WorkspaceViewSet, basename="workspace")
router.register("tools", ToolViewSet, basename="tool")
router.register("evaluations", EvaluationViewSet, basename="evaluation")
router.register("runs", RunViewSet, basename="run")
router.register("batches", BatchViewSet, basename="batch")

urlpatterns = [
    *router.urls,
    path("rank/", RankView.as_view(), name="rank"),
    re_path(
        r"^runs/(?P<id>[0-9]{1,18})/report\.pdf$",
        RunReportPDFView.as_view(),
        name="run-report-pdf",
    ),
    re_path(
        r"^runs/(?P<id>[0-9]{1,18})/report\.md$",
        RunReportMarkdownView.as_view(),
        name="run-report-md",
    ),
]
