"""1:1 inquiries: ``/inquiries/new/``, the confirmation link and ``/me/inquiries/`` (URL names ``inquiries:…``)."""

from django.urls import include, path

from . import views

inquiry_patterns = [
    path("inquiries/new/", views.inquiry_new, name="new"),
    path("inquiries/confirm/<str:token>/", views.inquiry_confirm, name="confirm"),
    path("me/inquiries/", views.my_inquiries, name="mine"),
    path("me/inquiries/<int:pk>/", views.my_inquiry, name="detail"),
]

urlpatterns = [path("", include((inquiry_patterns, "inquiries")))]
