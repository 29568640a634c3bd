"""The news demo data fills every news model idempotently, and the back office shows its newsletter.

Every news admin screen answering (changelist, add or its refusal, change, search, query count) is part of
``tests/test_admin_pages.py``."""

import pytest
from django.urls import reverse

from jeonju_center.demo.context import DemoContext
from jeonju_center.news import demo
from jeonju_center.news.models import NewsletterDelivery, NewsletterIssue, NewsPost, Subscriber
from jeonju_center.news.selectors import newsletter_issue_items
from tests.courses.factories import future_course
from tests.social_economy.factories import ProductFactory

pytestmark = pytest.mark.django_db
MODELS = [NewsPost, Subscriber, NewsletterIssue, NewsletterDelivery]


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_demo_is_idempotent_and_the_back_office_shows_its_newsletter(admin_client):
    future_course()
    ProductFactory()
    list(demo.seed(DemoContext()))
    first = _counts()
    assert all(first.values()), first
    list(demo.seed(DemoContext()))
    assert _counts() == first

    draft = NewsletterIssue.objects.get(status="draft")
    assert (
        draft.news_posts.exists()
        and newsletter_issue_items(draft, "courses").exists()
        and newsletter_issue_items(draft, "products").exists()
    )
    assert NewsPost.objects.filter(status="draft").exists()

    preview = admin_client.get(reverse("admin:news_newsletterissue_preview", args=[draft.pk]))
    assert preview.status_code == 200 and draft.subject in preview.content.decode()
    # A superuser holds every permission, 개인정보 열람 included, so the list is unmasked (masking by
    # permission is tested in test_personal_data.py).
    listing = admin_client.get(reverse("admin:news_subscriber_changelist")).content.decode()
    assert "subscriber001@example.com" in listing
