"""One search over every kind of public content: what a visitor could open anyway, through each app's own
public selector (never a draft, a closed organization, a hidden community or anything personal), matched by
substring so that Korean compound nouns are found by their parts ("재생" finds "도시재생").

On PostgreSQL the title/name columns carry trigram indexes (``jeonju_center.common.indexes``); the
embedded SQLite does the same ``icontains`` without them."""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from calls.models import Call
from courses.models import Course
from courses.selectors import PUBLIC_COURSE
from jeonju_center.news.models import NewsPost, Publication
from jeonju_center.news.selectors import published_news_q
from ondure.selectors import public_communities
from social_economy.selectors import public_organizations, public_products
from spaces.models import Space

QUERY_MAX_LENGTH = 100
PREVIEW_PER_KIND = 5


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    fields: tuple  # searched, in the order their text is shown
    queryset: object  # callable() -> the public queryset
    url: object  # callable(obj) -> its public page
    title_field: str
    text_field: str = ""
    meta: object = None  # callable(obj) -> a short label (program, organization…)


def _posts():
    return NewsPost.objects.filter(published_news_q()).order_by("-published_at", "-id")


KINDS = [
    Kind(
        "courses",
        _("시민강좌"),
        ("title", "summary", "description"),
        lambda: Course.objects.filter(PUBLIC_COURSE).order_by("-enrollment_opens_at", "-id"),
        lambda course: reverse("courses:detail", args=[course.slug]),
        "title",
        "summary",
    ),
    Kind(
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
    ),
    Kind(
        "library",
        _("자료실"),
        ("title", "summary", "authors"),
        lambda: Publication.objects.filter(is_published=True).order_by("-published_on", "-id"),
        lambda publication: reverse("news:library_detail", args=[publication.slug]),
        "title",
        "summary",
        lambda publication: publication.get_category_display(),
    ),
    Kind(
        "calls",
        _("모집·공모"),
        ("title", "summary"),
        lambda: Call.objects.filter(is_published=True).order_by("-opens_at", "-id"),
        lambda call: reverse("calls:detail", args=[call.slug]),
        "title",
        "summary",
    ),
    Kind(
        "organizations",
        _("사회적경제 조직"),
        ("name", "description"),
        lambda: public_organizations().order_by("name", "id"),
        lambda organization: reverse("social_economy:organization_detail", args=[organization.pk]),
        "name",
        "description",
        lambda organization: organization.get_org_type_display(),
    ),
    Kind(
        "products",
        _("사회적경제 제품·서비스"),
        ("name", "description"),
        lambda: public_products().select_related("organization").order_by("name", "id"),
        lambda product: reverse("social_economy:product_detail", args=[product.pk]),
        "name",
        "description",
        lambda product: product.organization.name,
    ),
    Kind(
        "communities",
        _("온두레 공동체"),
        ("name", "description"),
        lambda: public_communities().order_by("name", "id"),
        lambda community: reverse("ondure:community_detail", args=[community.pk]),
        "name",
        "description",
    ),
    Kind(
        "spaces",
        _("대관 공간"),
        ("name", "description", "location"),
        lambda: Space.objects.filter(is_active=True).order_by("name", "id"),
        lambda space: reverse("spaces:detail", args=[space.slug]),
        "name",
        "location",
    ),
]
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}


@dataclass
class Hit:
    title: str
    text: str
    url: str
    meta: str


@dataclass
class Group:
    kind: Kind
    count: int
    hits: list


def _matching(kind, query):
    condition = reduce(or_, (Q(**{f"{field}__icontains": query}) for field in kind.fields))
    return kind.queryset().filter(condition)


def _hit(kind, obj):
    return Hit(
        title=getattr(obj, kind.title_field),
        text=getattr(obj, kind.text_field) if kind.text_field else "",
        url=kind.url(obj),
        meta=str(kind.meta(obj)) if kind.meta else "",
    )


def search(query, *, kind=None, limit=PREVIEW_PER_KIND, offset=0):
    """The groups of hits for ``query`` (stripped, non-empty): each kind's count and its first ``limit``
    hits; ``kind``: that kind only. Two queries per kind, whatever the number of rows."""
    groups = []
    for candidate in KINDS:
        if kind and candidate.key != kind:
            continue
        matching = _matching(candidate, query)
        count = matching.count()
        hits = [_hit(candidate, obj) for obj in matching[offset : offset + limit]] if count else []
        groups.append(Group(candidate, count, hits))
    return groups


def kind_page(query, kind_key, page_number, *, per_page=20):
    """One kind's hits, paged: (kind, page of Hits)."""
    from django.core.paginator import Paginator

    kind = KINDS_BY_KEY[kind_key]
    page = Paginator(_matching(kind, query), per_page).get_page(page_number)
    page.object_list = [_hit(kind, obj) for obj in page.object_list]
    return kind, page
