"""The news demo data fills every news model idempotently, and every news admin screen opens."""

import pytest
from django.contrib import admin
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


def test_demo_is_idempotent_and_every_admin_screen_opens(admin_client):
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

    for model in MODELS:
        opts = model._meta
        assert model in admin.site._registry
        assert admin_client.get(reverse(f"admin:news_{opts.model_name}_changelist")).status_code == 200
        obj = model.objects.order_by("pk").first()
        assert (
            admin_client.get(reverse(f"admin:news_{opts.model_name}_change", args=[obj.pk])).status_code
            == 200
        )
    assert admin_client.get(reverse("admin:news_newspost_add")).status_code == 200
    assert admin_client.get(reverse("admin:news_newsletterissue_add")).status_code == 200
    preview = admin_client.get(reverse("admin:news_newsletterissue_preview", args=[draft.pk]))
    assert preview.status_code == 200 and draft.subject in preview.content.decode()
    # A superuser holds every permission, 개인정보 열람 included, so the list is unmasked (masking by
    # permission is tested in test_personal_data.py); subscribers cannot be added by staff (double opt-in).
    listing = admin_client.get(reverse("admin:news_subscriber_changelist")).content.decode()
    assert "subscriber001@example.com" in listing
    assert admin_client.get(reverse("admin:news_subscriber_add")).status_code == 403
