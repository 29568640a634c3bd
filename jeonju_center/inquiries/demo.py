"""Demo inquiries, made through the services with the clock of each step: every status, one overdue, one from a
visitor still waiting for the e-mail confirmation, and the demo citizen's own (one answered, one open)."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from jeonju_center.demo.base import DEMO_CITIZEN_USERNAME

from . import services
from .models import Inquiry

# (team, subject, question, days ago, what staff did: "" | "assigned" | "answered", answer)
INQUIRIES = [
    (
        "education",
        "주말 강좌도 열리나요?",
        "평일에는 일을 해서 저녁이나 주말 강좌를 찾고 있습니다. 내년 봄에도 주말 강좌가 열리는지 궁금합니다.",
        20,
        "answered",
        "내년 봄 학기에 토요일 오전 강좌 세 개를 엽니다. 2월 초에 시민강좌 목록에 올라가니 확인해 주세요.",
    ),
    (
        "regeneration",
        "빈집 활용 신청 자격이 궁금합니다",
        "노송동에 부모님이 물려주신 빈집이 있습니다. 소유자가 전주에 살지 않아도 빈집 활용 사업에 신청할 수 있나요?",
        12,
        "assigned",
        "",
    ),
    (
        "social_economy",
        "시범매장 입점 절차를 알고 싶습니다",
        "저희 협동조합에서 만든 수제 과자를 사회적경제 시범매장에 입점하고 싶습니다. 어떤 서류가 필요한가요?",
        4,
        "",
        "",
    ),
    (
        "center",
        "센터 회의실을 빌릴 수 있나요?",
        "마을 모임을 하려고 합니다. 평일 저녁에 열 명 정도 쓸 수 있는 공간이 있는지 알려 주세요.",
        1,
        "",
        "",
    ),
]


def seed(ctx):
    User = get_user_model()
    if Inquiry.objects.exists():
        yield f"inquiries: {Inquiry.objects.count()} kept"
        return
    staff = User.objects.filter(is_superuser=True).order_by("pk").first()
    citizen = User.objects.filter(username=DEMO_CITIZEN_USERNAME).first()
    others = list(User.objects.filter(username__startswith="citizen").order_by("username")[60:70])
    now = timezone.make_aware(datetime.datetime.combine(ctx.today, datetime.time(10, 0)))
    for number, (team, subject, question, days_ago, handled, answer) in enumerate(INQUIRIES):
        asked_at = now - datetime.timedelta(days=days_ago)
        asker = citizen if number < 2 else (others[number] if len(others) > number else citizen)
        inquiry = services.inquiry_submit(
            team=team, subject=subject, question=question, agreed=True, user=asker, now=asked_at
        )
        if handled in ("assigned", "answered"):
            services.inquiry_assign(
                inquiry_id=inquiry.pk, assignee=staff, actor=staff, now=asked_at + datetime.timedelta(hours=3)
            )
        if handled == "answered":
            services.inquiry_answer(
                inquiry_id=inquiry.pk, answer=answer, actor=staff, now=asked_at + datetime.timedelta(days=2)
            )
            services.inquiry_note(
                inquiry_id=inquiry.pk, note="봄 학기 강좌 계획표를 함께 안내함.", actor=staff
            )
    services.inquiry_submit(
        team="education",
        subject="수료증을 다시 받을 수 있나요?",
        question="지난해 들은 강좌의 수료증을 잃어버렸습니다. 다시 받을 수 있을까요?",
        agreed=True,
        name="방문자",
        email="visitor@example.com",
        now=now - datetime.timedelta(hours=2),
    )
    yield f"inquiries: {Inquiry.objects.count()} created"
