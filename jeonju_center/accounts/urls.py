from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("privacy/", views.privacy_terms, name="privacy"),
    path("delete/", views.delete_account, name="delete"),
]
