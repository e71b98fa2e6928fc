from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from selector.api.errors import api_not_found

api_patterns = [
    path("", include("survey.api.urls")),
    path("", include("selector.api.urls")),
]

urlpatterns = [
    path("", include("selector.urls")),
    path("surveys/", include("survey.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_patterns, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        SpectacularSwaggerView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
    # Last: whatever else is under /api/ answers a JSON 404 (paths without their
    # trailing slash still get the usual redirect first).
    re_path(r"^api/(.*/)?$", api_not_found),
]
