"""Who acts in inquiries: a visitor asks and confirms by the e-mailed link without an account; the answer
needs an actor and keeps the staff member who gave it."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from jeonju_center.common.actors import Actor
from jeonju_center.common.teams import EDUCATION_TEAM, load_team_groups
from jeonju_center.inquiries import services
from tests.actors_seen import actors_seen

from .test_inquiries import staff_of

pytestmark = pytest.mark.django_db
KST = datetime.timezone(datetime.timedelta(hours=9))
A_WORKING_DAY = datetime.datetime(2027, 9, 10, 15, 0, tzinfo=KST)


def test_a_visitor_asks_and_confirms_without_an_account_and_the_answer_keeps_the_staff_member(
    client, monkeypatch
):
    load_team_groups()
    seen = actors_seen(monkeypatch, services, "outbox_enqueue_letter")
    visitor = Actor.citizen(None)
    with time_machine.travel(A_WORKING_DAY, tick=False):
        inquiry = services.inquiry_submit(
            team="education", subject="질문", question="내용", agreed=True, name="방문자",
            email="visitor@example.com", actor=visitor,
        )  # fmt: skip
        assert seen == [visitor]  # the confirmation e-mail
        assert client.post(reverse("inquiries:confirm", args=[inquiry.confirm_token])).status_code == 200
        assert len(seen) > 1 and set(seen) == {visitor}
        teacher = staff_of(EDUCATION_TEAM, "teacher")
        with pytest.raises(TypeError):
            services.inquiry_answer(inquiry_id=inquiry.pk, answer="답변")
        services.inquiry_answer(inquiry_id=inquiry.pk, answer="답변", actor=teacher)
    inquiry.refresh_from_db()
    assert (inquiry.answered_by, inquiry.assignee) == (teacher, teacher)
    assert seen[-1] == Actor.staff(teacher)  # the answer e-mail
