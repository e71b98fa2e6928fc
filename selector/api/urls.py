from django.urls import path
from rest_framework.routers import SimpleRouter

from selector.api import views

router = SimpleRouter()
router.register("criteria", views.CriterionViewSet, basename="criterion")
router.register("profiles", views.ProfileViewSet, basename="profile")
router.register("workspaces", views.WorkspaceViewSet, basename="workspace")
router.register("tools", views.ToolViewSet, basename="tool")
router.register("evaluations", views.EvaluationViewSet, basename="evaluation")
router.register("runs", views.RunViewSet, basename="run")
router.register("batches", views.BatchViewSet, basename="batch")

urlpatterns = [
    *router.urls,
    path("rank/", views.RankView.as_view(), name="rank"),
]
