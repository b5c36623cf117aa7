"""The API: each domain owns its serializers and viewsets in its api.py; this only mounts them."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("v1/", include("alongside.accounts.api")),
    path("v1/", include("alongside.programs.api")),
    path("v1/", include("alongside.notifications.api")),
    path("v1/", include("alongside.privacy.api")),
    path("v1/", include("alongside.safety.api")),
    path("v1/", include("alongside.pairing.api")),
    path("v1/", include("alongside.goals.api")),
    path("v1/", include("alongside.checkins.api")),
    path("v1/", include("alongside.groups.api")),
    path("v1/", include("alongside.groups.directory_api")),
    path("v1/", include("alongside.community.api")),
    path("v1/", include("alongside.community.moderation_api")),
    path("v1/", include("alongside.community.search_api")),
    path("v1/", include("alongside.community.story_api")),
]
