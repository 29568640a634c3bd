"""The partner API, version 1. Each app lists its resources in ``<app>/api/urls.py`` as ``ROUTES`` (found by
``routes.all_routes``)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import APIRootView, DefaultRouter

from .routes import all_routes
from .views import ChangeFeedView


class PublicAPIRootView(APIRootView):
    """전주도시혁신센터 협력기관 API v1. 인증: `Authorization: Api-Key <키>`."""

    public_read = True


class PartnerRouter(DefaultRouter):
    APIRootView = PublicAPIRootView


router = PartnerRouter()
for prefix, viewset, basename in all_routes():
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script from this URL too: no inline script for the CSP to allow.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("changes/", ChangeFeedView.as_view(), name="changes"),
    path("", include(router.urls)),
]
