from django.urls import path

from selector.views import (
    batches,
    evaluations,
    profiles,
    reports,
    runs,
    tools,
    workspace,
)

app_name = "selector"

urlpatterns = [
    path("", workspace.home, name="home"),
    path("workspace/", workspace.workspace_switch, name="workspace-switch"),
    # Tools
    path("tools/", tools.tool_list, name="tool-list"),
    path("tools/new/", tools.tool_create, name="tool-create"),
    path("tools/scores/", tools.score_grid, name="score-grid"),
    path("tools/import/", tools.tool_import, name="tool-import"),
    path("tools/export.csv", tools.tool_export, name="tool-export"),
    path("tools/<int:pk>/", tools.tool_edit, name="tool-edit"),
    path("tools/<int:pk>/delete/", tools.tool_delete, name="tool-delete"),
    # Evaluations
    path("evaluations/", evaluations.evaluation_list, name="evaluation-list"),
    path("evaluations/new/", evaluations.evaluation_create, name="evaluation-create"),
    path("evaluations/<int:pk>/", runs.evaluation_detail, name="evaluation-detail"),
    path(
        "evaluations/<int:pk>/edit/",
        evaluations.evaluation_edit,
        name="evaluation-edit",
    ),
    path(
        "evaluations/<int:pk>/delete/",
        evaluations.evaluation_delete,
        name="evaluation-delete",
    ),
    path(
        "evaluations/<int:pk>/compare/",
        evaluations.evaluation_compare,
        name="evaluation-compare",
    ),
    path(
        "evaluations/<int:pk>/run/", evaluations.evaluation_run, name="evaluation-run"
    ),
    path(
        "evaluations/<int:pk>/preview/",
        evaluations.evaluation_preview,
        name="evaluation-preview",
    ),
    path(
        "evaluations/<int:pk>/batch/",
        batches.evaluation_batch,
        name="evaluation-batch",
    ),
    # Batches and runs
    path("batches/<int:pk>/", batches.batch_detail, name="batch-detail"),
    path("batches/<int:pk>/progress/", batches.batch_progress, name="batch-progress"),
    path("batches/<int:pk>/cancel/", batches.batch_cancel, name="batch-cancel"),
    path("runs/<int:pk>/", runs.run_detail, name="run-detail"),
    path("runs/<int:pk>/status/", runs.run_status, name="run-status"),
    path("runs/<int:pk>/export.csv", runs.run_export, name="run-export"),
    path("runs/<int:pk>/report/", reports.run_report, name="run-report"),
    path("runs/<int:pk>/report.pdf", reports.run_report_pdf, name="run-report-pdf"),
    path(
        "runs/<int:pk>/report.md",
        reports.run_report_markdown,
        name="run-report-markdown",
    ),
    # Weight profiles
    path("profiles/", profiles.profile_list, name="profile-list"),
    path("profiles/compare/", profiles.profile_compare, name="profile-compare"),
    path("profiles/ahp/", profiles.profile_ahp, name="profile-ahp"),
    path(
        "profiles/ahp/preview/",
        profiles.profile_ahp_preview,
        name="profile-ahp-preview",
    ),
    path("profiles/<slug:slug>/", profiles.profile_detail, name="profile-detail"),
]
