"""Certificate download (for the citizen) and public verification pages, included by ``courses/urls.py``
inside the ``courses`` namespace (so no ``app_name`` here)."""

from django.urls import path

from . import certificate_views

urlpatterns = [
    path(
        "me/certificates/<str:number>.pdf",
        certificate_views.certificate_download,
        name="certificate_download",
    ),
    path("courses/certificates/verify/", certificate_views.certificate_verify, name="certificate_verify"),
]
