from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jeonju_center.search.sources import SearchSource

from .models import NewsPost, Publication
from .selectors import published_news_q


def _posts():
    return NewsPost.objects.filter(published_news_q()).order_by("-published_at", "-id")


SEARCH_SOURCES = [
    SearchSource(
        "posts",
        _("공지사항·소식"),
        ("title", "summary"),
        _posts,
        lambda post: reverse(
            "news:notice_detail" if post.kind == NewsPost.Kind.NOTICE else "news:detail", args=[post.slug]
        ),
        "title",
        "summary",
        lambda post: post.get_kind_display(),
        order=20,
    ),
    SearchSource(
        "library",
        _("자료실"),
        ("title", "summary", "authors"),
        lambda: Publication.objects.filter(is_published=True).order_by("-published_on", "-id"),
        lambda publication: reverse("news:library_detail", args=[publication.slug]),
        "title",
        "summary",
        lambda publication: publication.get_category_display(),
        order=30,
    ),
]
