from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("notifications/", views.notification_settings, name="notifications"),
    # The policy moved to /privacy/ (linked from every page); old links and bookmarks follow it.
    path("privacy/", RedirectView.as_view(pattern_name="privacy", permanent=True)),
    path("delete/", views.delete_account, name="delete"),
]
