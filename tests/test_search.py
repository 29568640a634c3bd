"""Site search (/search/?q=): one page over every kind of public content, Korean found inside compound nouns,
nothing unpublished or personal, matches highlighted and escaped, bad queries told so, constant queries, and
on PostgreSQL the trigram indexes usable for the match."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import Course
from jeonju_center.news.models import NewsPost, Publication
from social_economy.models import OrganizationStatus
from spaces.models import Space
from tests.calls.factories import CallFactory
from tests.courses.factories import CourseFactory
from tests.news.factories import NewsPostFactory
from tests.ondure.factories import CommunityFactory
from tests.social_economy.factories import OrganizationFactory, ProductFactory

pytestmark = pytest.mark.django_db
WORD = "재생"  # a part of the compound noun 도시재생


def titles_found(client, query=WORD):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return {hit.title for group in response.context["groups"] for hit in group.hits}


def public_and_private_of_every_kind():
    public = {
        CourseFactory(title="도시재생 첫걸음 강좌").title,
        NewsPostFactory(title="도시재생 주민 설명회 안내", kind=NewsPost.Kind.NOTICE).title,
        NewsPostFactory(title="빈집재생 현장 이야기").title,
        Publication.objects.create(
            slug="research", category="research", title="전주시 도시재생 정책 발굴과 연구", year=2016,
            published_on=datetime.date(2016, 12, 1),
        ).title,
        CallFactory(title="도시재생 청년쉐어하우스 입주자 모집").title,
        OrganizationFactory(name="재생공방 협동조합").name,
        ProductFactory(name="재생한지 노트").name,
        CommunityFactory(name="골목재생 공동체", is_public=True).name,
        Space.objects.create(slug="hall", name="도시재생 사랑방", location="노송동", capacity=10).name,
    }  # fmt: skip
    closed = OrganizationFactory(name="문 닫은 재생 조합", status=OrganizationStatus.CLOSED,
                                 closed_on=datetime.date(2025, 1, 1))  # fmt: skip
    private = {
        CourseFactory(title="비공개 재생 강좌", is_published=False).title,
        NewsPostFactory(title="임시 저장 재생 소식", status=NewsPost.Status.DRAFT, published_at=None).title,
        Publication.objects.create(
            slug="draft", category="research", title="비공개 재생 연구", year=2016,
            published_on=datetime.date(2016, 12, 1), is_published=False,
        ).title,
        CallFactory(title="준비 중인 재생 공모", is_published=False).title,
        closed.name,
        ProductFactory(name="판매 중지 재생 비누", is_active=False).name,
        ProductFactory(name="문 닫은 조합의 재생 컵", organization=closed).name,
        CommunityFactory(name="비공개 재생 공동체", is_public=False).name,
        Space.objects.create(slug="old", name="운영 안 하는 재생 공간", location="센터", capacity=5,
                             is_active=False).name,
    }  # fmt: skip
    return public, private


def test_one_page_finds_every_public_kind_by_a_word_inside_compound_nouns_and_nothing_private(client):
    public, private = public_and_private_of_every_kind()
    found = titles_found(client)
    assert found == public
    assert not found & private
    groups = {group.kind.key: group.count for group in client.get("/search/", {"q": WORD}).context["groups"]}
    assert groups == {"courses": 1, "posts": 2, "library": 1, "calls": 1, "organizations": 1, "products": 1,
                      "communities": 1, "spaces": 1}  # fmt: skip


def test_personal_fields_are_never_searched(client):
    OrganizationFactory(name="한지 공방", representative_name="홍길순")
    CommunityFactory(name="뜨개 공동체", leader_name="김길순", leader_phone="010-1234-5678", is_public=True,
                     staff_notes="길순 대표 연락 어려움")  # fmt: skip
    for query in ("길순", "010-1234"):
        response = client.get("/search/", {"q": query})
        assert response.context["total"] == 0, query


def test_matches_are_highlighted_and_markup_in_the_query_is_escaped(client):
    CourseFactory(title="도시재생 첫걸음", summary="우리 동네 재생 이야기")
    html = client.get("/search/", {"q": WORD}).content.decode()
    assert "도시<mark>재생</mark> 첫걸음" in html and "우리 동네 <mark>재생</mark> 이야기" in html
    attack = client.get("/search/", {"q": "<script>alert(1)</script>"})
    assert attack.status_code == 200
    page = attack.content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize(("query", "message"), [("   ", "검색어를 입력해 주세요"), ("가" * 101, "100자까지")])
def test_empty_and_overlong_queries_get_a_korean_message(client, query, message):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 400 and message in response.content.decode()


def test_a_kind_shows_all_its_hits_paged_and_unknown_kinds_show_everything(client):
    for number in range(25):
        CourseFactory(title=f"재생 강좌 {number:02d}")
    preview = client.get("/search/", {"q": WORD})
    [courses] = [group for group in preview.context["groups"] if group.kind.key == "courses"]
    assert courses.count == 25 and len(courses.hits) == 5
    assert "kind=courses" in preview.content.decode()
    first = client.get("/search/", {"q": WORD, "kind": "courses"})
    second = client.get("/search/", {"q": WORD, "kind": "courses", "page": 2})
    titles = [hit.title for hit in first.context["page"].object_list + second.context["page"].object_list]
    assert len(titles) == 25 and len(set(titles)) == 25
    assert "groups" in client.get("/search/", {"q": WORD, "kind": "nothing"}).context


def test_the_search_costs_the_same_queries_for_more_rows(client):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/search/", {"q": WORD}).status_code == 200
        return len(captured)

    public_and_private_of_every_kind()
    few = queries()
    for number in range(10):
        CourseFactory(title=f"재생 강좌 {number}")
        ProductFactory(name=f"재생 제품 {number}")
        CommunityFactory(name=f"재생 공동체 {number}", is_public=True)
    assert queries() == few


def test_every_page_has_the_search_box_in_the_header(client):
    for path in ("/", "/courses/", "/library/", "/spaces/"):
        html = client.get(path).content.decode()
        assert 'role="search"' in html and 'action="/search/"' in html and 'name="q"' in html, path


@pytest.mark.postgres
def test_the_trigram_index_serves_a_substring_match_on_postgresql():
    CourseFactory(title="도시재생 첫걸음")
    query = str(Course.objects.filter(title__icontains="도시재생").only("pk").query)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM courses_course WHERE UPPER(title::text) LIKE UPPER(%s)", ["%도시재생%"]
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "courses_course_title_trgm" in plan, plan
    assert 'UPPER("courses_course"."title"::text) LIKE UPPER(' in query  # what Django's icontains sends


# --- Two-character searches on PostgreSQL: the bigram indexes (jeonju_center/common/indexes.py) -------------

PAIR_ALPHABET = "도시재생마을 aAbB-\n\x1f"


@pytest.mark.postgres
def test_the_bigram_condition_keeps_every_row_icontains_finds():
    """The pairs are a filter in front of ``icontains``: a row that holds the search must always hold all its
    pairs, whatever the case, spaces, line breaks or the separator character inside."""
    import random

    from django.db.models import Q

    from jeonju_center.common.indexes import bigram_condition
    from social_economy.models import Organization

    generator = random.Random(20)
    for number in range(60):
        OrganizationFactory(
            name=f"조직{number} " + "".join(generator.choices(PAIR_ALPHABET, k=generator.randint(0, 12))),
            description="".join(generator.choices(PAIR_ALPHABET, k=generator.randint(0, 30))),
        )
    queries = {"".join(generator.choices(PAIR_ALPHABET, k=generator.randint(2, 4))) for _ in range(150)}
    queries |= {"재생", "AB", "ab", "Ab", "a\nb", "a\x1fb", "생 "}
    compared = 0
    for query in sorted(queries):
        matching = Q(name__icontains=query) | Q(description__icontains=query)
        expected = set(Organization.objects.filter(matching).values_list("pk", flat=True))
        pairs = Q(bigram_condition("name", query)) | Q(bigram_condition("description", query))
        found = set(Organization.objects.filter(matching).filter(pairs).values_list("pk", flat=True))
        assert found == expected, repr(query)
        compared += bool(expected)
    assert compared > 30  # the searches did find rows, so the comparison means something


@pytest.mark.postgres
def test_a_two_character_search_is_answered_from_the_bigram_indexes():
    from jeonju_center.search.selectors import _matching
    from jeonju_center.search.sources import search_source

    ProductFactory(name="도시재생 꾸러미", description="마을에서 만든")
    sql, params = _matching(search_source("products"), "재생").order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "se_product_name_bigrams" in plan and "se_product_desc_bigrams" in plan, plan
    # Longer searches are the trigram indexes', now on the descriptions too.
    sql, _params = _matching(search_source("products"), "도시재생").query.sql_with_params()
    assert "portal_bigram" not in sql
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM social_economy_product WHERE UPPER(description) LIKE UPPER(%s)",
            ["%도시재생%"],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "se_product_desc_trgm" in plan, plan


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("재생", {"도시재생 꾸러미", "빈집 살림"}),
        ("AB", {"xaBy 세트"}),
        ("살림", {"빈집 살림"}),
        ("재", {"도시재생 꾸러미", "빈집 살림", "다른 물건"}),
    ],
)
def test_two_character_searches_find_names_and_descriptions(client, query, found):
    ProductFactory(name="도시재생 꾸러미", description="")
    ProductFactory(name="빈집 살림", description="빈집재생 공방에서")
    ProductFactory(name="xaBy 세트", description="")
    ProductFactory(name="다른 물건", description="재 생")
    response = client.get("/search/", {"q": query, "kind": "products"})
    assert {hit.title for hit in response.context["page"].object_list} == found
