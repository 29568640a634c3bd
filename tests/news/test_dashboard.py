"""The center administrators' news panel: right counts, links to exactly the counted rows, shown to the team."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jeonju_center.common.reference import load_all_reference_data
from jeonju_center.common.teams import CENTER_ADMINS, EDUCATION_TEAM, SOCIAL_ECONOMY_TEAM
from jeonju_center.news.dashboard import news_items
from jeonju_center.news.models import NewsletterIssue, NewsPost, Subscriber
from tests.news.factories import NewsletterIssueFactory, NewsPostFactory, SubscriberFactory
from tests.staff import staff_user

pytestmark = pytest.mark.django_db


def _fixture():
    now = timezone.now()
    NewsPostFactory.create_batch(2, status=NewsPost.Status.DRAFT, published_at=None)
    NewsPostFactory(published_at=now + datetime.timedelta(days=3))  # scheduled
    NewsPostFactory()  # public
    NewsletterIssueFactory.create_batch(3)  # drafts
    NewsletterIssueFactory(status=NewsletterIssue.Status.SENDING)
    NewsletterIssueFactory(status=NewsletterIssue.Status.SENT)
    SubscriberFactory.create_batch(2, status=Subscriber.Status.PENDING, confirmed_at=None)
    SubscriberFactory()


EXPECTED = {
    "게시를 기다리는 임시 저장 소식": 2,
    "예약 게시된 소식": 1,
    "작성 중인 뉴스레터": 3,
    "발송 중인 뉴스레터": 1,
    "구독 확인을 기다리는 신청": 2,
}


def test_counts_are_right_with_a_constant_number_of_queries(django_assert_num_queries):
    _fixture()
    with django_assert_num_queries(3):
        items = news_items(today=timezone.localdate())
    assert {item.label: item.count for item in items} == EXPECTED
    _fixture()
    with django_assert_num_queries(3):
        doubled = news_items(today=timezone.localdate())
    assert {item.label: item.count for item in doubled} == {key: 2 * n for key, n in EXPECTED.items()}


def test_each_link_opens_the_changelist_filtered_to_exactly_the_counted_rows(client):
    load_all_reference_data()
    _fixture()
    client.force_login(staff_user("manager", CENTER_ADMINS))
    for item in news_items(today=timezone.localdate()):
        response = client.get(item.url)
        assert response.status_code == 200, item.url
        assert response.context["cl"].result_count == item.count, item.label


@pytest.mark.parametrize(
    ("groups", "shown"),
    [((CENTER_ADMINS,), True), ((EDUCATION_TEAM,), False), ((SOCIAL_ECONOMY_TEAM,), False)],
)
def test_the_panel_is_shown_to_the_center_administrators_only(client, groups, shown):
    load_all_reference_data()
    _fixture()
    client.force_login(staff_user("someone", *groups))
    content = client.get(reverse("admin:index")).content.decode()
    assert ("소식·뉴스레터" in content) is shown
    assert ("게시를 기다리는 임시 저장 소식" in content) is shown
