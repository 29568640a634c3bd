"""The portal's URLs plus the trivial baseline views, served only by the benchmark's gunicorn."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_POST, require_safe

from jeonju_center.urls import urlpatterns as portal_urlpatterns


def _trivial(request):
    # The visitor is looked up, as every page of the portal does (the session and the user for signed-in
    # visitors, nothing for anonymous ones), but nothing else: no query of its own, no template.
    return HttpResponse(
        "ok" if request.user.is_authenticated else "ok (anonymous)", content_type="text/plain"
    )


# The floor of a page: Django's full middleware stack of the production settings, as every page has it.
trivial_get = require_safe(_trivial)
# The floor of a form POST: the same, plus the CSRF check of the middleware.
trivial_post = require_POST(_trivial)

urlpatterns = [
    path("bench/trivial/", trivial_get),
    path("bench/trivial-post/", trivial_post),
    *portal_urlpatterns,
]
