"""Weight profile pages; included by ``selector/urls.py`` under ``profiles/``.

No ``app_name`` here: the names join the ``selector`` namespace of the including
urlconf (``selector:profile-detail`` etc.).
"""

from django.urls import path

from selector import profile_views

urlpatterns = [
    path("compare/", profile_views.profile_compare, name="profile-compare"),
    path("ahp/", profile_views.profile_ahp, name="profile-ahp"),
    path("ahp/preview/", profile_views.profile_ahp_preview, name="profile-ahp-preview"),
    path("<slug:slug>/", profile_views.profile_detail, name="profile-detail"),
]
