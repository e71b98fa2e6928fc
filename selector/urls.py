from django.urls import include, path

from selector import profile_urls, views

app_name = "selector"

urlpatterns = [
    path("", views.home, name="home"),
    path("workspace/", views.workspace_switch, name="workspace-switch"),
    path("tools/", views.tool_list, name="tool-list"),
    path("tools/new/", views.tool_create, name="tool-create"),
    path("tools/scores/", views.score_grid, name="score-grid"),
    path("tools/import/", views.tool_import, name="tool-import"),
    path("tools/export.csv", views.tool_export, name="tool-export"),
    path("tools/<int:pk>/", views.tool_edit, name="tool-edit"),
    path("tools/<int:pk>/delete/", views.tool_delete, name="tool-delete"),
    path("evaluations/", views.evaluation_list, name="evaluation-list"),
    path("evaluations/new/", views.evaluation_create, name="evaluation-create"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation-detail"),
    path("evaluations/<int:pk>/edit/", views.evaluation_edit, name="evaluation-edit"),
    path("evaluations/<int:pk>/run/", views.evaluation_run, name="evaluation-run"),
    path(
        "evaluations/<int:pk>/preview/",
        views.evaluation_preview,
        name="evaluation-preview",
    ),
    path(
        "evaluations/<int:pk>/batch/", views.evaluation_batch, name="evaluation-batch"
    ),
    path("batches/<int:pk>/", views.batch_detail, name="batch-detail"),
    path("batches/<int:pk>/progress/", views.batch_progress, name="batch-progress"),
    path("batches/<int:pk>/cancel/", views.batch_cancel, name="batch-cancel"),
    path("runs/<int:pk>/", views.run_detail, name="run-detail"),
    path("runs/<int:pk>/status/", views.run_status, name="run-status"),
    path("runs/<int:pk>/export.csv", views.run_export, name="run-export"),
    path("profiles/", include(profile_urls.urlpatterns)),
]
