from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from selector.api.errors import api_not_found

api_patterns = [
    path("", include("survey.api.urls")),
    path("", include("selector.api.urls")),
]

urlpatterns = [
    path("", include("selector.urls")),
    path("surveys/", include("survey.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    # set_language: the header's language switch (POST language, next).
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_patterns, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script from its own URL rather than
    # inline, as the Content-Security-Policy requires; its icons are data: images.
    path(
        "api/docs/",
        csp_update({"img-src": "data:"})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    # Last: whatever else is under /api/ answers a JSON 404 (paths without their
    # trailing slash still get the usual redirect first).
    re_path(r"^api/(.*/)?$", api_not_found),
]
