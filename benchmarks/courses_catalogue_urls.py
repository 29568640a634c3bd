"""The portal's URLs plus one trivial view, served only by the benchmark's gunicorn (``benchmarks/courses_catalogue_wsgi.py``)."""

from django.http import HttpResponse
from django.urls import path

from jeonju_center.urls import urlpatterns as portal_urlpatterns


def trivial(request):
    """The floor: Django's full middleware stack, no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial), *portal_urlpatterns]
