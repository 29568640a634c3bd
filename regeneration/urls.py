"""Public pages of this app (the partner API lives in `api/`)."""

from django.urls import path

from . import views

app_name = "regeneration"

urlpatterns = [
    path("", views.index, name="index"),
    path("houses/", views.houses, name="houses"),
    path("houses.geojson", views.houses_geojson, name="houses_geojson"),
    path("councils/<int:council_id>/", views.council_detail, name="council_detail"),
    path("attachments/<int:attachment_id>/", views.attachment_download, name="attachment_download"),
]
