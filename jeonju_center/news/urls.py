"""The home page, news and the newsletter."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
]
