"""The partner API, version 1. Each app lists its resources in ``<app>/api/urls.py`` as ``ROUTES``."""

from importlib import import_module

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import APIRootView, DefaultRouter

from .views import ChangeFeedView

API_APPS = ["jeonju_center.common", "social_economy", "ondure", "regeneration", "courses", "calls"]


class PublicAPIRootView(APIRootView):
    """전주도시혁신센터 협력기관 API v1. 인증: `Authorization: Api-Key <키>`."""

    public_read = True


class PartnerRouter(DefaultRouter):
    APIRootView = PublicAPIRootView


def all_routes():
    routes = []
    for app in API_APPS:
        try:
            module = import_module(f"{app}.api.urls")
        except ModuleNotFoundError as error:
            if error.name not in {f"{app}.api.urls", f"{app}.api"}:
                raise
            continue
        routes.extend(module.ROUTES)
    return routes


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
