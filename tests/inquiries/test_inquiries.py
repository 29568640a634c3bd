"""1:1 inquiries: a citizen (or a visitor who confirms by e-mail) asks a team, the team's inbox assigns and
answers within a deadline in working days, the answer reaches the asker by e-mail and at /me/inquiries/, overdue
ones show on the back-office home, bad input changes nothing, and retention erases the asker and the texts."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from jeonju_center.accounts.models import User
from jeonju_center.common.actors import Actor
from jeonju_center.common.models import OutboxEmail
from jeonju_center.common.teams import EDUCATION_TEAM, REGENERATION_TEAM, load_team_groups
from jeonju_center.inquiries import retention, services
from jeonju_center.inquiries.models import Inquiry
from tests.courses.factories import UserFactory

pytestmark = pytest.mark.django_db
KST = datetime.timezone(datetime.timedelta(hours=9))
# Friday before 추석 2027 (Tuesday 14 to Thursday 16 September): 7 working days end on Friday 24 September.
BEFORE_CHUSEOK = datetime.datetime(2027, 9, 10, 15, 0, tzinfo=KST)


@pytest.fixture(autouse=True)
def teams():
    load_team_groups()


def staff_of(team, username):
    user = User.objects.create_user(
        username=username, password="pw-123456789", is_staff=True, email=f"{username}@jjuic.example"
    )
    user.groups.set([Group.objects.get(name=team)])
    return user


def ask(client, **data):
    form = {
        "team": "education",
        "subject": "주말 강좌가 있나요?",
        "question": "토요일 강좌를 찾습니다.",
        "agree": "on",
    }
    return client.post("/inquiries/new/", {**form, **data})


def emails_to(address):
    return [email for email in OutboxEmail.objects.order_by("pk") if address in email.to]


def test_a_signed_in_citizen_asks_and_the_deadline_skips_chuseok(client):
    teacher = staff_of(EDUCATION_TEAM, "teacher")
    citizen = UserFactory(email="asker@example.com")
    with time_machine.travel(BEFORE_CHUSEOK, tick=False):
        client.force_login(citizen)  # a session of that moment
        response = ask(client)
    inquiry = Inquiry.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/me/inquiries/{inquiry.pk}/"
    assert inquiry.status == Inquiry.Status.RECEIVED
    assert inquiry.due_on == datetime.date(2027, 9, 24)
    assert inquiry.receipt_number == f"QNA2027-{inquiry.pk:04d}"
    assert (inquiry.name, inquiry.email) == (citizen.name, "asker@example.com")
    [team_mail] = emails_to(teacher.email)
    assert inquiry.receipt_number in team_mail.subject and "2027-09-24" in team_mail.body
    [receipt] = emails_to("asker@example.com")
    assert "2027-09-24" in receipt.body
    client.force_login(citizen)
    mine = client.get("/me/inquiries/").content.decode()
    assert "주말 강좌가 있나요?" in mine and "접수" in mine


def test_a_visitor_confirms_by_e_mail_and_a_link_opened_by_a_scanner_confirms_nothing(client):
    with time_machine.travel(BEFORE_CHUSEOK, tick=False):
        response = ask(client, name="방문자", email="Visitor@Example.com")
        assert response.status_code == 200 and "이메일을 확인해 주세요" in response.content.decode()
        inquiry = Inquiry.objects.get()
        assert inquiry.status == Inquiry.Status.PENDING and inquiry.due_on is None
        [confirmation] = emails_to("visitor@example.com")
        url = reverse("inquiries:confirm", args=[inquiry.confirm_token])
        assert url in confirmation.body
        assert client.get(url).status_code == 200  # a mail scanner opening the link
        inquiry.refresh_from_db()
        assert inquiry.status == Inquiry.Status.PENDING
        assert client.post(reverse("inquiries:confirm", args=["tampered"])).status_code == 400
    with time_machine.travel(BEFORE_CHUSEOK + datetime.timedelta(days=1), tick=False):
        page = client.post(url)  # Saturday: counting starts on Monday, the same deadline as Friday's
    assert page.status_code == 200
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.RECEIVED and inquiry.due_on == datetime.date(2027, 9, 24)
    assert inquiry.receipt_number in page.content.decode()
    assert client.post(url).status_code == 400  # used once


def test_an_expired_confirmation_link_receives_nothing(client):
    with time_machine.travel(BEFORE_CHUSEOK, tick=False):
        ask(client, name="방문자", email="late@example.com")
    token = Inquiry.objects.get().confirm_token
    with time_machine.travel(BEFORE_CHUSEOK + datetime.timedelta(days=4), tick=False):
        response = client.post(reverse("inquiries:confirm", args=[token]))
    assert response.status_code == 400 and "유효기간" in response.content.decode()
    assert Inquiry.objects.get().status == Inquiry.Status.PENDING


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"subject": ""}, "제목을 적어 주세요"),
        ({"question": ""}, "문의 내용을 적어 주세요"),
        ({"question": "가" * 10000}, "5000자까지"),
        ({"question": "<script>alert(1)</script>"}, "HTML 태그"),
        ({"subject": '<img src=x onerror="alert(1)">'}, "HTML 태그"),
        ({"team": "nowhere"}, "올바르게 선택해 주세요"),
        ({"agree": ""}, "동의해야"),
    ],
)
def test_bad_input_gets_a_korean_message_and_changes_nothing(client, data, message):
    client.force_login(UserFactory())
    response = ask(client, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Inquiry.objects.count() == 0 and OutboxEmail.objects.count() == 0


def test_a_visitor_without_an_address_or_asking_too_often_is_told_so(client):
    assert "이메일을 적어 주세요" in ask(client, name="방문자").content.decode()
    for _ in range(services.MAX_PENDING_PER_EMAIL):
        ask(client, name="방문자", email="target@example.com")
    refused = ask(client, name="방문자", email="target@example.com")
    assert refused.status_code == 400 and "먼저 눌러 주세요" in refused.content.decode()
    assert Inquiry.objects.count() == services.MAX_PENDING_PER_EMAIL


def test_the_team_assigns_and_answers_in_the_back_office_and_the_citizen_reads_it(client):
    teacher = staff_of(EDUCATION_TEAM, "teacher")
    outsider = staff_of(REGENERATION_TEAM, "planner")
    citizen = UserFactory(email="asker@example.com")
    inquiry = services.inquiry_submit(
        team="education",
        subject="수료증",
        question="수료증을 다시 받을 수 있나요?",
        agreed=True,
        actor=citizen,
    )
    change_url = reverse("admin:inquiries_inquiry_change", args=[inquiry.pk])
    client.force_login(outsider)  # another team's inbox does not hold it
    assert client.get(reverse("admin:inquiries_inquiry_changelist")).context["cl"].result_count == 0
    assert client.get(change_url).status_code == 302

    client.force_login(teacher)
    assert client.get(change_url).status_code == 200
    response = client.post(
        change_url,
        {
            "assignee": teacher.pk,
            "internal_note": "작년 명단 확인",
            "answer": "",
            "history_change_reason": "",
        },
    )
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.assignee, inquiry.internal_note) == (
        "assigned",
        teacher,
        "작년 명단 확인",
    )
    client.post(
        change_url,
        {
            "assignee": teacher.pk,
            "internal_note": "작년 명단 확인",
            "answer": "나의 강좌에서 다시 받을 수 있습니다.",
        },
    )
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.ANSWERED and inquiry.answered_by == teacher
    answer_mail = emails_to("asker@example.com")[-1]
    assert "나의 강좌에서 다시 받을 수 있습니다." in answer_mail.body and "작년 명단" not in answer_mail.body

    client.force_login(citizen)
    page = client.get(f"/me/inquiries/{inquiry.pk}/").content.decode()
    assert (
        "나의 강좌에서 다시 받을 수 있습니다." in page and "작년 명단 확인" not in page
    )  # the note is internal
    client.force_login(UserFactory())
    assert client.get(f"/me/inquiries/{inquiry.pk}/").status_code == 404  # someone else's


def test_a_refusal_in_the_back_office_shows_on_the_form_and_saves_nothing(client):
    teacher = staff_of(EDUCATION_TEAM, "teacher")
    inquiry = services.inquiry_submit(
        team="education", subject="질문", question="내용", agreed=True, actor=UserFactory()
    )
    client.force_login(teacher)
    response = client.post(
        reverse("admin:inquiries_inquiry_change", args=[inquiry.pk]),
        {
            "assignee": teacher.pk,
            "internal_note": "메모",
            "answer": "가" * (services.ANSWER_MAX_LENGTH + 1),
            "history_change_reason": "",
        },
    )
    # The answer is refused last, after the assignment and the note: none of the three is kept.
    assert response.status_code == 200
    limit = f"답변은 {services.ANSWER_MAX_LENGTH}자까지 쓸 수 있습니다."
    assert response.context["adminform"].form.errors["answer"] == [limit]
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.assignee, inquiry.internal_note, inquiry.answer) == (
        "received",
        None,
        "",
        "",
    )
    assert [mail.subject for mail in emails_to(inquiry.email)] == [
        f"[전주도시혁신센터] 문의를 접수했습니다 ({inquiry.receipt_number})"
    ]


def test_an_answer_is_sent_once():
    teacher = staff_of(EDUCATION_TEAM, "teacher")
    inquiry = services.inquiry_submit(
        team="education", subject="질문", question="내용", agreed=True, actor=UserFactory()
    )
    services.inquiry_answer(inquiry_id=inquiry.pk, answer="답변", actor=teacher)
    with pytest.raises(Exception, match="이미 답변"):
        services.inquiry_answer(inquiry_id=inquiry.pk, answer="두 번째", actor=teacher)
    inquiry.refresh_from_db()
    assert inquiry.answer == "답변"


def test_overdue_inquiries_show_on_the_team_s_back_office_home(client):
    teacher = staff_of(EDUCATION_TEAM, "teacher")
    with time_machine.travel(BEFORE_CHUSEOK, tick=False):
        services.inquiry_submit(
            team="education", subject="늦은 질문", question="내용", agreed=True, actor=UserFactory()
        )
        services.inquiry_submit(
            team="regeneration", subject="다른 팀", question="내용", agreed=True, actor=UserFactory()
        )

    def overdue_item(moment):
        with time_machine.travel(moment, tick=False):
            client.force_login(teacher)
            page = client.get(reverse("admin:index"))
        panels = {str(panel["title"]): panel["items"] for panel in page.context["panels"]}
        assert "1:1 문의 · 도시재생 (빈집·주민협의체·주거)" not in panels  # another team's panel
        items = {str(item.label): item for item in panels["1:1 문의 · 시민강좌"]}
        return items["답변 기한이 지난 문의"]

    assert overdue_item(datetime.datetime(2027, 9, 24, 17, 0, tzinfo=KST)).count == 0  # the last day
    late = overdue_item(datetime.datetime(2027, 9, 27, 9, 0, tzinfo=KST))
    assert late.count == 1
    with time_machine.travel(datetime.datetime(2027, 9, 27, 9, 0, tzinfo=KST), tick=False):
        client.force_login(teacher)
        assert client.get(late.url).context["cl"].result_count == 1


def test_retention_erases_answered_inquiries_after_three_years_and_unconfirmed_ones_after_a_week(client):
    teacher = staff_of(EDUCATION_TEAM, "teacher")
    with time_machine.travel(timezone.now() - datetime.timedelta(days=1100), tick=False):
        old = services.inquiry_submit(
            team="education", subject="홍길동 수료증", question="010-1234-5678로 연락 주세요", agreed=True,
            actor=UserFactory(),
        )  # fmt: skip
        services.inquiry_answer(inquiry_id=old.pk, answer="보내 드렸습니다.", actor=teacher)
    recent = services.inquiry_submit(
        team="education", subject="최근", question="내용", agreed=True, actor=UserFactory()
    )
    services.inquiry_answer(inquiry_id=recent.pk, answer="답변", actor=teacher)
    with time_machine.travel(timezone.now() - datetime.timedelta(days=10)):
        services.inquiry_submit(team="center", subject="확인 안 함", question="내용", agreed=True, name="방문자",
                                email="never@example.com", actor=Actor.citizen(None))  # fmt: skip
    now = timezone.now()
    erased = retention.anonymise_answered_inquiries(
        cutoff=timezone.localdate(now) - datetime.timedelta(days=1095), now=now
    )
    deleted = retention.purge_unconfirmed_inquiries(
        cutoff=timezone.localdate(now) - datetime.timedelta(days=7), now=now
    )
    assert (erased, deleted) == (1, 1)
    old.refresh_from_db()
    assert (old.user, old.name, old.email, old.subject, old.question, old.answer) == (
        None,
        "",
        "",
        "",
        "",
        "",
    )
    assert old.team == "education" and old.answered_at is not None and old.anonymised_at is not None
    history_texts = " ".join(str(row.__dict__) for row in old.history.all())
    assert "홍길동" not in history_texts and "010-1234-5678" not in history_texts
    recent.refresh_from_db()
    assert recent.question == "내용"


def test_my_inquiries_cost_the_same_queries_for_more_rows(client, django_assert_max_num_queries):
    citizen = UserFactory()
    client.force_login(citizen)
    services.inquiry_submit(team="education", subject="하나", question="내용", agreed=True, actor=citizen)
    with django_assert_max_num_queries(20) as few:
        client.get("/me/inquiries/")
    for number in range(6):
        services.inquiry_submit(
            team="center", subject=f"질문 {number}", question="내용", agreed=True, actor=citizen
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/me/inquiries/")
