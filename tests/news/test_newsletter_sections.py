"""The programs' items of a newsletter issue (courses, products): staff choose them in the issue's back-office
page with a search box per section, the choice is kept by content type (the news package has no relation into
the programs), and only the models the programs offer in their ``NEWSLETTER_SECTIONS`` are accepted."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from courses.models import Course
from jeonju_center.common.teams import CENTER_ADMINS, EDUCATION_TEAM
from jeonju_center.news import selectors, services
from jeonju_center.news.models import NewsletterIssue, NewsletterItem
from jeonju_center.news.sections import newsletter_sections
from social_economy.models import Product
from tests.actors import TEST_JOB
from tests.courses.factories import future_course
from tests.social_economy.factories import OrganizationFactory, ProductFactory
from tests.staff import staff_user

from .factories import NewsletterIssueFactory, SubscriberFactory

pytestmark = pytest.mark.django_db
BASE = "https://portal.example.kr/"


@pytest.fixture
def manager(teams):
    return staff_user("manager", CENTER_ADMINS)


def _autocomplete(client, section_key, term):
    return client.get(
        reverse("admin:news_newsletterissue_autocomplete"),
        {"app_label": "news", "model_name": "newsletterissue", "field_name": section_key, "term": term},
    )


def test_the_programs_offer_courses_then_products():
    assert [(section.key, section.model_class) for section in newsletter_sections()] == [
        ("courses", Course),
        ("products", Product),
    ]


def test_staff_search_and_choose_courses_and_products_on_the_issue_page(client, manager):
    course = future_course(title="마을공동체 첫걸음")
    future_course(title="주경야독 인문학")
    product = ProductFactory(name="한지 조명등", organization=OrganizationFactory(name="한지 협동조합"))
    issue = NewsletterIssueFactory(subject="11월호")
    client.force_login(manager)
    url = reverse("admin:news_newsletterissue_change", args=[issue.pk])

    page = client.get(url).content.decode()
    search_url = reverse("admin:news_newsletterissue_autocomplete")
    assert page.count(f'data-ajax--url="{search_url}"') == 2  # courses and products; news: Django's own
    assert 'name="courses"' in page and 'name="products"' in page

    found = _autocomplete(client, "courses", "마을공동체")
    assert found.status_code == 200
    assert [row["id"] for row in found.json()["results"]] == [str(course.pk)]
    found = _autocomplete(client, "products", "한지")
    assert [row["id"] for row in found.json()["results"]] == [str(product.pk)]
    assert _autocomplete(client, "subscribers", "a").status_code == 403

    response = client.post(
        url,
        {"subject": "11월호", "intro": "<p>안녕하세요</p>", "courses": [course.pk], "products": [product.pk]},
    )
    assert response.status_code == 302
    assert list(selectors.newsletter_issue_items(issue, "courses")) == [course]
    assert list(selectors.newsletter_issue_items(issue, "products")) == [product]
    again = client.get(url).content.decode()
    assert (
        f'<option value="{course.pk}" selected>' in again
        and f'<option value="{product.pk}" selected>' in again
    )

    # Taking a course out keeps the product.
    client.post(url, {"subject": "11월호", "intro": "<p>안녕하세요</p>", "products": [product.pk]})
    assert not selectors.newsletter_issue_items(issue, "courses").exists()
    assert list(selectors.newsletter_issue_items(issue, "products")) == [product]

    # Once sent, the page shows what the issue featured, read-only.
    SubscriberFactory()
    services.newsletter_send_start(issue_id=issue.pk, actor=manager, base_url=BASE)
    sent_page = client.get(url).content.decode()
    assert "한지 조명등" in sent_page and 'name="products"' not in sent_page


def test_the_search_needs_the_right_to_compose_an_issue(client, teams):
    future_course(title="마을공동체 첫걸음")
    # The education team may view courses but not compose the newsletter.
    client.force_login(staff_user("teacher", EDUCATION_TEAM))
    assert _autocomplete(client, "courses", "마을").status_code == 403


def test_only_rows_of_the_section_model_on_a_draft_are_accepted():
    issue = NewsletterIssueFactory()
    course = future_course()
    with pytest.raises(ValidationError):
        services.newsletter_issue_items_set(
            actor=TEST_JOB, issue=issue, section_key="products", objects=[course]
        )
    with pytest.raises(ValidationError):
        services.newsletter_issue_items_set(
            actor=TEST_JOB, issue=issue, section_key="subscribers", objects=[]
        )
    assert not NewsletterItem.objects.exists()

    services.newsletter_issue_items_set(actor=TEST_JOB, issue=issue, section_key="courses", objects=[course])
    services.newsletter_issue_items_set(
        actor=TEST_JOB, issue=issue, section_key="courses", objects=[course]
    )  # unchanged
    assert NewsletterItem.objects.get().item == course

    NewsletterIssue.objects.filter(pk=issue.pk).update(status=NewsletterIssue.Status.SENT)
    with pytest.raises(ValidationError):
        services.newsletter_issue_items_set(actor=TEST_JOB, issue=issue, section_key="courses", objects=[])
    assert NewsletterItem.objects.get().item == course


def test_an_issue_shows_only_what_citizens_may_see_of_its_chosen_items():
    shown, hidden = future_course(title="공개 강좌"), future_course(title="비공개 강좌", is_published=False)
    on_sale, retired = ProductFactory(name="한지 노트"), ProductFactory(name="단종 비누", is_active=False)
    issue = NewsletterIssueFactory()
    services.newsletter_issue_items_set(
        actor=TEST_JOB, issue=issue, section_key="courses", objects=[shown, hidden]
    )
    services.newsletter_issue_items_set(
        actor=TEST_JOB, issue=issue, section_key="products", objects=[on_sale, retired]
    )
    content = selectors.newsletter_issue_content(issue)
    assert [(section.key, items) for section, items in content["sections"]] == [
        ("courses", [shown]),
        ("products", [on_sale]),
    ]
    html, text = services.newsletter_render(issue=issue, base_url=BASE)
    assert "공개 강좌" in text and "한지 노트" in html
    assert "비공개 강좌" not in text + html and "단종 비누" not in text + html
