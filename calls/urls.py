from django.urls import path

from . import views

app_name = "calls"

urlpatterns = [
    path("calls/", views.call_list, name="list"),
    path("calls/<slug:slug>/", views.call_detail, name="detail"),
    path("calls/<slug:slug>/apply/", views.call_apply, name="apply"),
    path("calls/<slug:slug>/withdraw/", views.call_withdraw, name="withdraw"),
    path("calls/<slug:slug>/draw/", views.call_draw, name="draw"),
    path("calls/<slug:slug>/attachments/<int:pk>/", views.call_attachment, name="attachment"),
    path("me/applications/", views.my_applications, name="my_applications"),
    path("me/applications/<int:pk>/", views.my_application, name="my_application"),
]
