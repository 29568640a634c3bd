"""Public pages of citizen courses: /courses/…, /me/ (a citizen's enrolments) and certificates."""

from django.urls import include, path

from . import views

app_name = "courses"

urlpatterns = [
    path("courses/", views.catalogue, name="catalogue"),
    path("courses/feedback/<str:token>/", views.feedback_survey, name="feedback"),
    path("courses/<slug:slug>/", views.detail, name="detail"),
    path("courses/<slug:slug>/enroll/", views.enroll, name="enroll"),
    path("courses/<slug:slug>/cancel/", views.cancel, name="cancel"),
    path("courses/<slug:slug>/calendar.ics", views.course_calendar, name="course_calendar"),
    path("me/", views.my_enrollments, name="my_enrollments"),
    path("me/calendar/<int:user_id>/<str:token>.ics", views.my_calendar, name="my_calendar"),
    path("", include("courses.certificate_urls")),
]
