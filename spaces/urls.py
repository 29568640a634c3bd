"""Space booking: ``/spaces/`` and ``/me/bookings/`` (URL names ``spaces:…``)."""

from django.urls import include, path

from . import views

space_patterns = [
    path("spaces/", views.space_list, name="list"),
    path("spaces/<str:slug>/", views.space_detail, name="detail"),
    path("spaces/<str:slug>/book/", views.booking_new, name="book"),
    path("me/bookings/", views.my_bookings, name="my_bookings"),
    path("me/bookings/<int:pk>/cancel/", views.booking_cancel, name="cancel"),
    path("me/bookings/<int:pk>/booking.ics", views.booking_ics, name="ics"),
]

urlpatterns = [path("", include((space_patterns, "spaces")))]
