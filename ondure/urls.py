"""Public pages of this app (the partner API lives in `api/`)."""

from django.urls import path

from . import views

app_name = "ondure"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("<int:pk>/", views.community_detail, name="community_detail"),
]
