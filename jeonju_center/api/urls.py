"""The partner API, version 1: one router that every app registers its resources on."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from .views import ChangeFeedView

router = DefaultRouter()

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("changes/", ChangeFeedView.as_view(), name="changes"),
    path("", include(router.urls)),
]
