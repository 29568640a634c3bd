"""Public pages of citizen courses: /courses/…, /me/ (a citizen's enrolments) and certificates."""

from django.urls import include, path

app_name = "courses"

urlpatterns = [
    path("", include("courses.certificate_urls")),
]
