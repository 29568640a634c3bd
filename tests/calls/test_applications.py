"""Applying to a call: eligibility per rule, the deadline to the second, documents checked, one application per
person, 보완, results, reserves moving up, and what a result turns into (a tenancy, a community)."""

import datetime
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection

from calls.eligibility import application_checks, is_eligible
from calls.models import (
    Application,
    ApplicationStatus,
    CallProgram,
    IncomeBracket,
    Residence,
    ScoringCriterion,
    SelectionMethod,
)
from calls.services import (
    application_contract,
    application_register_community,
    application_request_revision,
    application_revision_submit,
    application_save,
    application_start,
    application_withdraw,
    call_decide,
    conflict_declare,
    offers_expire,
    score_record,
    selection_decline,
)
from ondure.models import Community, CommunityKind
from tests.actors import TEST_JOB
from tests.courses.factories import DongFactory, StaffFactory

from .conftest import submit
from .factories import CLOSES, KST, CallFactory, applicant, housing_call, pdf, young_applicant_data

pytestmark = pytest.mark.django_db


# --- Eligibility ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth_date", "passed"),
    [
        (datetime.date(2008, 3, 16), True),  # 19 on the closing day exactly
        (datetime.date(2008, 3, 17), False),  # 19 one day too late
        (datetime.date(1987, 3, 17), True),  # still 39 on the closing day
        (datetime.date(1987, 3, 16), False),  # 40 on the closing day
    ],
)
def test_the_age_band_is_counted_on_the_closing_day(birth_date, passed):
    call = CallFactory(min_age=19, max_age=39, requires_no_home=False, with_documents=False)
    application = Application(call=call, birth_date=birth_date)
    [check] = application_checks(application)
    assert check.passed is passed


def test_residence_no_home_income_and_documents_are_each_checked():
    pungnam, jungang = DongFactory(name="풍남동"), DongFactory(name="중앙동")
    call = CallFactory(
        min_age=None, max_age=None, residence=Residence.DONGS, requires_no_home=True,
        max_income_bracket=IncomeBracket.UP_TO_70,
    )  # fmt: skip
    call.dongs.set([pungnam])
    application = Application(
        call=call, dong=jungang, declares_no_home=False, income_bracket=IncomeBracket.UP_TO_100
    )
    results = {check.rule: check.passed for check in application_checks(application, documents=set())}
    assert results == {
        "거주 행정동: 풍남동": False,
        "무주택": False,
        "가구 소득 70% 이하": False,
        "주민등록등본": False,
    }

    application.dong, application.declares_no_home, application.income_bracket = (
        pungnam,
        True,
        IncomeBracket.UP_TO_50,
    )
    requirement = call.documents.get()
    assert is_eligible(application, documents={requirement.pk})
    assert not is_eligible(application, documents=set())


def test_a_jeonju_residence_rule_needs_the_declaration():
    call = CallFactory(
        residence=Residence.JEONJU, min_age=None, max_age=None, requires_no_home=False, with_documents=False
    )
    assert [check.passed for check in application_checks(Application(call=call))] == [False]
    assert is_eligible(Application(call=call, lives_in_jeonju=True))


# --- Applying -------------------------------------------------------------------------------------------


def test_a_citizen_saves_a_draft_then_submits_and_gets_a_receipt_number_and_one_email(
    django_capture_on_commit_callbacks,
):
    call = housing_call()
    user = applicant(name="김청년", email="young@example.com", phone="010-5555-1234")
    draft = application_start(call=call, actor=user)
    assert (draft.status, draft.applicant_name, draft.phone) == (
        ApplicationStatus.DRAFT,
        "김청년",
        "010-5555-1234",
    )
    assert application_start(call=call, actor=user) == draft  # one per person

    application_save(application=draft, actor=user, data={"motivation": "초안"})
    draft.refresh_from_db()
    assert (draft.status, draft.receipt_number) == (ApplicationStatus.DRAFT, None)

    with django_capture_on_commit_callbacks(execute=True):
        submitted = submit(call, user)
        submit(
            call, user, motivation="고친 신청 동기"
        )  # editing before the deadline: same number, no new e-mail
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.SUBMITTED
    assert submitted.receipt_number == f"{call.code}-0001"
    assert submitted.motivation == "고친 신청 동기"
    assert len(mail.outbox) == 1
    assert f"접수번호는 {call.code}-0001입니다" in mail.outbox[0].body
    assert submit(call, applicant()).receipt_number == f"{call.code}-0002"


@pytest.mark.parametrize(
    ("offset", "accepted"),
    [
        (datetime.timedelta(seconds=-1), True),
        (datetime.timedelta(0), False),
        (datetime.timedelta(seconds=1), False),
    ],
)
def test_the_deadline_holds_to_the_second_in_korea_time(time_machine, offset, accepted):
    call = housing_call()
    user = applicant()
    draft = application_start(call=call, actor=user)
    time_machine.move_to(CLOSES + offset, tick=False)
    assert CLOSES.tzinfo == KST and CLOSES.hour == 18
    if accepted:
        application_save(
            application=draft, actor=user, data=young_applicant_data(call),
            documents={call.documents.get().pk: pdf()}, consent=True, submit=True,
        )  # fmt: skip
        draft.refresh_from_db()
        assert draft.status == ApplicationStatus.SUBMITTED
    else:
        with pytest.raises(ValidationError, match="접수가 마감되었습니다"):
            application_save(
                application=draft, actor=user, data=young_applicant_data(call),
                documents={call.documents.get().pk: pdf()}, consent=True, submit=True,
            )  # fmt: skip
        draft.refresh_from_db()
        assert (draft.status, draft.receipt_number) == (ApplicationStatus.DRAFT, None)


def test_incomplete_or_ineligible_submits_are_refused_and_change_nothing():
    call = housing_call()
    user = applicant()
    draft = application_start(call=call, actor=user)

    def try_submit(**kwargs):
        with pytest.raises(ValidationError) as error:
            application_save(application=draft, actor=user, submit=True, **kwargs)
        draft.refresh_from_db()
        assert (draft.status, draft.receipt_number) == (ApplicationStatus.DRAFT, None)
        return " ".join(error.value.messages)

    data = young_applicant_data(call)
    docs = {call.documents.get().pk: pdf()}
    assert "주민등록등본: 서류를 올려 주세요" in try_submit(data=data, consent=True)
    assert "동의해야" in try_submit(data=data, documents={call.documents.get().pk: pdf()}, consent=False)
    assert "나이" in try_submit(
        data={**data, "birth_date": datetime.date(1980, 1, 1)}, documents=docs, consent=True
    )
    assert "2지망은 1지망과 다른" in try_submit(
        data={**data, "second_choice": data["first_choice"]}, consent=True
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("등본.pdf", b"<html><script>alert(1)</script></html>", "파일 내용이 확장자"),  # a renamed HTML file
        ("등본.exe", b"MZ\x90\x00", "올릴 수 없는 파일 형식"),
        (
            "등본.pdf",
            b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 1),
            "파일이 너무 큽니다",
        ),  # over this document's 1 MB
    ],
)
def test_bad_documents_are_refused_and_nothing_is_stored(name, content, message):
    call = housing_call()
    user = applicant()
    draft = application_start(call=call, actor=user)
    with pytest.raises(ValidationError, match=message):
        application_save(
            application=draft, actor=user, data={}, documents={call.documents.get().pk: pdf(name, content)}
        )
    assert not draft.documents.exists()


def test_another_person_cannot_touch_an_application():
    from django.core.exceptions import PermissionDenied

    call = housing_call()
    owner, other = applicant(), applicant()
    draft = application_start(call=call, actor=owner)
    with pytest.raises(PermissionDenied):
        application_save(application=draft, actor=other, data={"motivation": "남의 신청서"})
    with pytest.raises(PermissionDenied):
        application_withdraw(application=draft, actor=other)


def test_withdrawing_a_draft_deletes_it_and_a_submitted_one_is_kept_as_withdrawn(time_machine):
    call = housing_call()
    user = applicant()
    assert application_withdraw(application=application_start(call=call, actor=user), actor=user) is None
    assert not Application.objects.exists()
    submitted = submit(call, user)
    assert application_withdraw(application=submitted, actor=user).status == ApplicationStatus.WITHDRAWN
    time_machine.move_to(CLOSES, tick=False)
    other = submit_before_close = None  # noqa: F841 - the deadline applies to withdrawing too
    second = Application.objects.create(
        call=call, applicant=applicant(), status=ApplicationStatus.SUBMITTED, receipt_number="X-1"
    )
    with pytest.raises(ValidationError, match="마감"):
        application_withdraw(application=second, actor=second.applicant)


def test_a_group_below_its_kind_s_minimum_cannot_apply():
    call = CallFactory(program=CallProgram.ONDURE, min_age=None, max_age=None, requires_no_home=False, with_documents=False,
                       selection_method=SelectionMethod.REVIEW)  # fmt: skip
    dong = DongFactory(name="풍남동")
    user = applicant()
    draft = application_start(call=call, actor=user)
    group = {"applicant_name": "박대표", "phone": "010-2222-3333", "group_name": "풍남 마을밥상", "group_kind": CommunityKind.STARTUP,
             "group_dong": dong, "activity_field": "food", "requested_budget": 3_000_000}  # fmt: skip
    with pytest.raises(ValidationError, match="구성원 5명 이상"):
        application_save(application=draft, actor=user, data=group, members=[(f"회원{n}", dong) for n in range(4)],
                         consent=True, submit=True)  # fmt: skip
    assert Application.objects.get().status == ApplicationStatus.DRAFT
    application_save(application=draft, actor=user, data=group, members=[(f"회원{n}", dong) for n in range(5)],
                     consent=True, submit=True)  # fmt: skip
    assert Application.objects.get().status == ApplicationStatus.SUBMITTED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_first_submits_make_one_application():
    call = housing_call()
    user = applicant()
    barrier = threading.Barrier(2)
    results = []

    def attempt():
        try:
            barrier.wait()
            results.append(submit(call, user).receipt_number)
        except Exception as error:
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Application.objects.filter(call=call, applicant=user).count() == 1
    assert results == [f"{call.code}-0001", f"{call.code}-0001"]


# --- 보완, review and results ------------------------------------------------------------------------------


def test_a_revision_request_lets_the_applicant_upload_until_its_deadline(
    time_machine, django_capture_on_commit_callbacks
):
    call = housing_call()
    user = applicant(email="young@example.com")
    application = submit(call, user)
    staff = StaffFactory()
    due = CLOSES + datetime.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        application_request_revision(
            application=application,
            actor=staff,
            message="등본을 최근 3개월 안의 것으로 다시 올려 주세요.",
            due_at=due,
        )
    assert "다시 올려 주세요" in mail.outbox[-1].body
    with pytest.raises(ValidationError, match="보완할 서류"):
        application_revision_submit(application=application, actor=user, documents={})
    time_machine.move_to(CLOSES + datetime.timedelta(days=1), tick=False)
    application_revision_submit(
        application=application, actor=user, documents={call.documents.get().pk: pdf("새 등본.pdf")}
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW
    assert application.documents.get().original_name == "새 등본.pdf"

    application_request_revision(
        application=application, actor=staff, message="한 번 더", due_at=due + datetime.timedelta(hours=1)
    )
    time_machine.move_to(due + datetime.timedelta(hours=1), tick=False)
    with pytest.raises(ValidationError, match="보완 기한"):
        application_revision_submit(
            application=application, actor=user, documents={call.documents.get().pk: pdf()}
        )


def test_lottery_results_reserves_and_promotion_on_decline(time_machine, django_capture_on_commit_callbacks):
    call = housing_call(places=2, reserve_places=2)
    people = [applicant(email=f"p{n}@example.com") for n in range(6)]
    for person in people:
        submit(call, person)
    ineligible = submit(call, applicant(), birth_date=datetime.date(2000, 1, 1))
    Application.objects.filter(pk=ineligible.pk).update(
        birth_date=datetime.date(1970, 1, 1)
    )  # e.g. corrected by staff
    staff = StaffFactory()
    time_machine.move_to(CLOSES - datetime.timedelta(seconds=1), tick=False)
    with pytest.raises(ValidationError, match="접수가 끝난 뒤"):
        call_decide(call=call, actor=staff, seed="1-2-3")
    time_machine.move_to(CLOSES, tick=False)
    with pytest.raises(ValidationError, match="시드"):
        call_decide(call=call, actor=staff, seed="")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        draw = call_decide(call=call, actor=staff, seed="1-2-3", witnessed_by="주민 3명")
    assert len(draw.entries) == 6 and ineligible.receipt_number not in draw.entries
    by_rank = {a.receipt_number: a for a in call.applications.all()}
    selected = [by_rank[number] for number in draw.order[:2]]
    reserves = [by_rank[number] for number in draw.order[2:4]]
    assert [a.status for a in selected] == [ApplicationStatus.SELECTED] * 2
    assert [(a.status, a.reserve_number) for a in reserves] == [
        (ApplicationStatus.RESERVE, 1),
        (ApplicationStatus.RESERVE, 2),
    ]
    assert by_rank[ineligible.receipt_number].status == ApplicationStatus.NOT_SELECTED
    assert len(mail.outbox) == 7  # each applicant once
    with pytest.raises(ValidationError, match="다시 할 수 없습니다"):
        call_decide(call=call, actor=staff, seed="other")

    with django_capture_on_commit_callbacks(execute=True):
        promoted = selection_decline(application=selected[0], actor=selected[0].applicant)
    assert promoted.pk == reserves[0].pk
    reserves[1].refresh_from_db()
    assert (promoted.status, reserves[1].reserve_number) == (ApplicationStatus.SELECTED, 2)
    assert "예비에서 선정되었습니다" in mail.outbox[-1].subject

    # The second selected misses the contract deadline: the next reserve moves up by itself.
    time_machine.move_to(CLOSES + datetime.timedelta(days=9), tick=False)
    assert offers_expire(actor=TEST_JOB) == 2  # both offers expired (the promoted one's too)
    statuses = sorted(call.applications.values_list("status", flat=True))
    assert statuses.count(ApplicationStatus.DECLINED) == 3
    assert offers_expire(actor=TEST_JOB) == 0


def test_scores_rank_the_applications_and_a_conflicted_reviewer_is_excluded(time_machine):
    call = housing_call(places=1, reserve_places=1, selection_method=SelectionMethod.SCORE_THEN_LOTTERY)
    criterion = ScoringCriterion.objects.create(call=call, name="주거 필요성", max_points=50)
    a, b, c = (submit(call, applicant()) for _ in range(3))
    first, second = StaffFactory(), StaffFactory()
    score_record(application=a, actor=first, points={criterion.pk: 40})
    score_record(application=a, actor=second, points={criterion.pk: 30})  # a: 35
    score_record(application=b, actor=first, points={criterion.pk: 45})
    score_record(application=b, actor=second, points={criterion.pk: 45})  # b: 45
    score_record(application=c, actor=first, points={criterion.pk: 50})
    conflict_declare(
        application=c, actor=first, reason="신청인이 친척입니다."
    )  # c: only the second reviewer's
    score_record(application=c, actor=second, points={criterion.pk: 20})
    with pytest.raises(ValidationError, match="이해충돌"):
        score_record(application=c, actor=first, points={criterion.pk: 50})
    with pytest.raises(ValidationError, match="0~50점"):
        score_record(application=a, actor=first, points={criterion.pk: 51})
    time_machine.move_to(CLOSES + datetime.timedelta(hours=1), tick=False)
    call_decide(call=call, actor=first, seed="9")
    ranks = {x.pk: (x.rank, x.status) for x in call.applications.all()}
    assert ranks == {
        b.pk: (1, ApplicationStatus.SELECTED),
        a.pk: (2, ApplicationStatus.RESERVE),
        c.pk: (3, ApplicationStatus.NOT_SELECTED),
    }


def test_a_selected_applicant_becomes_a_tenancy_under_the_program_s_rules(time_machine):
    call = housing_call(places=1, reserve_places=0)
    application = submit(call, applicant())
    time_machine.move_to(CLOSES + datetime.timedelta(days=1), tick=False)
    call_decide(call=call, actor=StaffFactory(), seed="5")
    application.refresh_from_db()
    room = application.first_choice
    tenancy = application_contract(application=application, actor=StaffFactory(), room=None, starts_on=datetime.date(2027, 4, 1),
                                   ends_on=datetime.date(2029, 3, 31), deposit=1_000_000, monthly_rent=150_000)  # fmt: skip
    assert (tenancy.room, tenancy.tenant_name, tenancy.program) == (room, "김청년", call.housing_program)
    application.refresh_from_db()
    assert application.tenancy == tenancy
    with pytest.raises(ValidationError):
        selection_decline(application=application, actor=application.applicant)  # contracted: no decline


def test_a_selected_ondure_group_becomes_a_community_of_the_call_s_year(time_machine):
    call = CallFactory(program=CallProgram.ONDURE, min_age=None, max_age=None, requires_no_home=False, with_documents=False,
                       selection_method=SelectionMethod.REVIEW, places=1, reserve_places=0)  # fmt: skip
    dong = DongFactory(name="풍남동")
    user = applicant()
    draft = application_start(call=call, actor=user)
    group = {"applicant_name": "박대표", "phone": "010-2222-3333", "group_name": "풍남 마을밥상", "group_kind": CommunityKind.STARTUP,
             "group_dong": dong, "activity_field": "food"}  # fmt: skip
    application = application_save(application=draft, actor=user, data=group, consent=True, submit=True,
                                   members=[("박대표", dong), *[(f"회원{n}", dong) for n in range(5)]])  # fmt: skip
    time_machine.move_to(CLOSES + datetime.timedelta(days=1), tick=False)
    call_decide(call=call, actor=StaffFactory())
    application.refresh_from_db()
    community = application_register_community(application=application, actor=StaffFactory())
    assert (community.name, community.cohort_year, community.members_count) == ("풍남 마을밥상", 2027, 6)
    assert Community.objects.count() == 1
    leader = community.members.get(role="leader")
    assert (leader.name, leader.user) == ("박대표", user)
    assert community.members.count() == 6


def test_unselected_applicants_are_destroyed_after_the_call_s_retention_period(time_machine):
    import io

    from django.core.management import call_command

    from jeonju_center.common.retention import apply_retention_policies

    call = housing_call(places=1, reserve_places=1, retention_days=365)
    applications = [submit(call, applicant()) for _ in range(4)]
    withdrawn = submit(call, applicant())
    application_withdraw(application=withdrawn, actor=withdrawn.applicant)
    time_machine.move_to(CLOSES + datetime.timedelta(days=1), tick=False)
    call_decide(call=call, actor=StaffFactory(), seed="3")
    selected = call.applications.get(status=ApplicationStatus.SELECTED)

    time_machine.move_to(
        datetime.datetime.combine(call.announce_on + datetime.timedelta(days=365), datetime.time(4), KST)
    )
    assert apply_retention_policies()["call_applicants"] == 0  # the last day of the period: kept
    time_machine.move_to(
        datetime.datetime.combine(call.announce_on + datetime.timedelta(days=366), datetime.time(4), KST)
    )
    counts = apply_retention_policies()
    assert counts["call_applicants"] == 4  # 2 not selected, 1 reserve, 1 withdrawn
    assert apply_retention_policies()["call_applicants"] == 0
    for application in call.applications.exclude(pk=selected.pk):
        assert (
            application.applicant_name,
            application.phone,
            application.birth_date,
            application.applicant_id,
        ) == ("", "", None, None)
        assert not application.documents.exists()
        assert application.receipt_number  # the published result keeps its numbers
    selected.refresh_from_db()
    assert selected.applicant_name and selected.documents.exists()
    out = io.StringIO()
    call_command("verify_draw", call.slug, stdout=out)  # the draw is still verifiable
    assert "OK" in out.getvalue()
    assert len(applications) == 4


def test_deleting_the_account_drops_its_drafts_and_keeps_handed_in_applications():
    from jeonju_center.accounts.services import account_delete

    first, second = housing_call(), housing_call()
    user = applicant()
    user.set_password("pw-123456789-ab")
    user.save()
    application_start(call=first, actor=user)
    handed_in = submit(second, user)
    account_delete(actor=user, password="pw-123456789-ab")
    assert list(Application.objects.values_list("pk", flat=True)) == [handed_in.pk]
    handed_in.refresh_from_db()
    assert handed_in.applicant_id is None and handed_in.receipt_number


def test_a_citizen_who_chose_result_notices_gets_the_result_by_message_too(time_machine):
    from jeonju_center.accounts.models import MessageEvent, MessageSubscription
    from jeonju_center.common.models import OutboxMessage

    call = housing_call(places=1, reserve_places=0)
    chose = applicant(phone="010-4545-6767")
    type(chose).objects.filter(pk=chose.pk).update(phone_verified_at=CLOSES)
    chose.refresh_from_db()
    MessageSubscription.objects.create(user=chose, event=MessageEvent.APPLICATION_RESULT)
    did_not_choose = applicant()
    for person in (chose, did_not_choose):
        submit(call, person)
    assert not OutboxMessage.objects.exists()  # the receipt of a submit is e-mail only
    time_machine.move_to(CLOSES + datetime.timedelta(hours=1), tick=False)
    call_decide(call=call, actor=StaffFactory(), seed="8")
    [message] = OutboxMessage.objects.all()
    assert (message.phone, message.event) == ("010-4545-6767", "application_result")
    assert call.title in message.text


def test_the_call_s_own_questions_are_answered_and_the_consent_is_recorded():
    from calls.models import CallQuestion
    from jeonju_center.accounts.models import ConsentRecord

    call = housing_call()
    question = CallQuestion.objects.create(call=call, text="입주 후 하고 싶은 이웃 활동")
    optional = CallQuestion.objects.create(call=call, text="하고 싶은 말", is_required=False)
    user = applicant()
    draft = application_start(call=call, actor=user)
    data = young_applicant_data(call)
    documents = {call.documents.get().pk: pdf()}
    with pytest.raises(ValidationError, match="질문에 답해 주세요: 입주 후 하고 싶은 이웃 활동"):
        application_save(application=draft, actor=user, data={**data, "answers": {str(optional.pk): "안녕하세요"}},
                         documents=documents, consent=True, submit=True)  # fmt: skip
    assert not ConsentRecord.objects.exists()
    answers = {str(question.pk): "골목 청소", "999999": "묻지 않은 질문"}
    application = application_save(application=draft, actor=user, data={**data, "answers": answers}, documents=documents,
                                   consent=True, consent_ip="10.1.2.3", submit=True)  # fmt: skip
    assert application.answers == {str(question.pk): "골목 청소"}  # only the call's own questions are kept
    consent = ConsentRecord.objects.get(user=user)
    assert (consent.item, consent.version, consent.ip_address) == (
        "privacy_call",
        f"{call.code}:1",
        "10.1.2.3",
    )


def test_replaced_and_withdrawn_documents_leave_no_file_behind():
    from django.core.files.storage import default_storage

    call = housing_call()
    user = applicant()
    draft = application_start(call=call, actor=user)
    requirement = call.documents.get()
    application_save(application=draft, actor=user, data={}, documents={requirement.pk: pdf("첫 등본.pdf")})
    first = draft.documents.get().file.name
    application_save(application=draft, actor=user, data={}, documents={requirement.pk: pdf("새 등본.pdf")})
    second = draft.documents.get().file.name
    assert not default_storage.exists(first) and default_storage.exists(second)
    application_withdraw(application=draft, actor=user)
    assert not default_storage.exists(second)
