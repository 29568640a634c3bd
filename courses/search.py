from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jeonju_center.search.sources import SearchSource

from .models import Course
from .selectors import PUBLIC_COURSE

SEARCH_SOURCES = [
    SearchSource(
        "courses",
        _("시민강좌"),
        ("title", "summary", "description"),
        lambda: Course.objects.filter(PUBLIC_COURSE).order_by("-enrollment_opens_at", "-id"),
        lambda course: reverse("courses:detail", args=[course.slug]),
        "title",
        "summary",
        order=10,
    ),
]
