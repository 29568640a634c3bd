"""Demo calls, made through the same services citizens and staff use (with the clock of each step):

* an open youth share-house call (the news post "노송동 청년쉐어하우스 입주자 모집" is about it) with
  applications in every applicant-side status: 작성 중, 접수, 보완 요청, 철회;
* a closed half-rent housing call waiting for review (심사 중);
* the closed 2026 Ondure community call, scored by two reviewers, drawn in public (scores, then the draw on
  ties) and decided: 선정, 예비, 미선정, 선정 포기 — one selected group already registered as a community.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from jeonju_center.common.models import Dong
from jeonju_center.common.teams import REGENERATION_TEAM, SOCIAL_ECONOMY_TEAM
from ondure.models import CommunityKind
from regeneration.models import HousingProgram, ProgramKind, Room

from . import services
from .models import (
    Call,
    CallAttachment,
    CallProgram,
    CallQuestion,
    DocumentRequirement,
    IncomeBracket,
    Residence,
    ScoringCriterion,
    SelectionMethod,
)

YOUTH_CALL = "youth-sharehouse-2"
HOUSING_CALL = "half-rent-2026-2"
ONDURE_CALL = "ondure-2026"
DEMO_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PRIVACY_TERMS = (
    "수집·이용 목적: 입주자(공동체) 선정과 계약, 결과 안내\n"
    "수집 항목: 이름, 생년월일, 연락처, 이메일, 거주 행정동, 무주택·소득 확인, 제출 서류\n"
    "보유 기간: 선정된 분은 계약 기간 동안, 선정되지 않은 분은 발표 후 1년이 지나면 파기합니다.\n"
    "동의를 거부할 수 있으나 거부하면 신청할 수 없습니다."
)


def seed(ctx):
    now = timezone.now()
    staff = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    citizens = list(get_user_model().objects.filter(username__startswith="citizen").order_by("username")[:60])
    lines = []
    lines.append(_youth_call(now, citizens[:8], staff))
    lines.append(_half_rent_call(now, citizens[8:14], staff))
    lines.append(_ondure_call(now, citizens[14:24], staff))
    return lines


def _doc():
    return ContentFile(DEMO_PDF, name="주민등록등본.pdf")


def _submit(call, user, data, *, now, members=None, submit=True):
    application = services.application_start(call=call, user=user, now=now)
    documents = {requirement.pk: _doc() for requirement in call.documents.filter(is_required=True)}
    return services.application_save(
        application=application, user=user, data=data, members=members, documents=documents,
        consent=True, submit=submit, now=now,
    )  # fmt: skip


def _youth_call(now, citizens, staff):
    if Call.objects.filter(slug=YOUTH_CALL).exists():
        return "youth share-house call: kept"
    program = HousingProgram.objects.filter(kind=ProgramKind.YOUTH_SHARE_HOUSE).order_by("-year").first()
    rooms = list(
        Room.objects.filter(house__tenancies__program=program).distinct().order_by("house_id", "name")[:4]
    )
    rooms = rooms or list(Room.objects.order_by("pk")[:4])
    opens = now - datetime.timedelta(days=6)
    call = Call.objects.create(
        title="노송동 청년쉐어하우스 2호점 입주자 모집",
        slug=YOUTH_CALL,
        code="YSH2026B",
        program=CallProgram.YOUTH_SHARE_HOUSE,
        housing_program=program,
        summary="구도심 빈집을 고친 청년쉐어하우스 2호점의 방 4개에 입주할 청년을 모십니다.",
        notice=(
            "전주시 도시재생 빈집 활용 사업으로 고친 노송동 청년쉐어하우스 2호점 입주자를 모집합니다.\n\n"
            "입주 자격: 공고 마감일 기준 만 19~39세, 세대 구성원 모두 무주택인 청년\n"
            "임대 조건: 보증금 100만 원, 월 임대료 15만 원(관리비 별도), 계약 기간 2년\n"
            "선정 방법: 자격을 갖춘 신청자 중 공개추첨(예비 입주자 4명)"
        ),
        opens_at=opens,
        closes_at=(opens + datetime.timedelta(days=20)).replace(second=0, microsecond=0),
        announce_on=timezone.localdate(opens) + datetime.timedelta(days=30),
        places=len(rooms),
        reserve_places=4,
        selection_method=SelectionMethod.LOTTERY,
        draw_seed_method="공개추첨 행사에서 참관인 3명이 0~99 숫자공을 한 개씩 뽑아 뽑은 순서대로 하이픈으로 이어 입력합니다(예: 37-05-82).",
        min_age=19,
        max_age=39,
        requires_no_home=True,
        privacy_terms=PRIVACY_TERMS,
        is_published=True,
        team_group=Group.objects.get(name=REGENERATION_TEAM),
    )
    call.rooms.set(rooms)
    DocumentRequirement.objects.create(
        call=call, name="주민등록등본", description="최근 3개월 이내 발급", max_mb=10
    )
    DocumentRequirement.objects.create(call=call, name="무주택 서약서", is_required=False, max_mb=10)
    question = CallQuestion.objects.create(
        call=call,
        text="입주 후 이웃과 함께하고 싶은 활동이 있다면 적어 주세요.",
        help_text="예: 골목 청소, 공유 부엌 운영",
    )
    CallAttachment.objects.create(
        call=call, title="입주자 모집 공고문 (PDF)", file=ContentFile(DEMO_PDF, name="notice.pdf")
    )
    moment = opens + datetime.timedelta(days=1)
    base = {
        "declares_no_home": True,
        "motivation": "구도심 일터 가까이에서 이웃과 함께 살고 싶습니다.",
        "answers": {str(question.pk): "한 달에 한 번 골목 청소와 공유 부엌 저녁 모임을 열고 싶습니다."},
    }
    for number, citizen in enumerate(citizens):
        data = {
            **base,
            "applicant_name": citizen.name,
            "phone": citizen.phone or "010-0000-0000",
            "birth_date": datetime.date(1996 + number % 8, 1 + number % 12, 1 + number % 27),
            "first_choice": rooms[number % len(rooms)],
            "second_choice": rooms[(number + 1) % len(rooms)],
        }
        moment += datetime.timedelta(hours=7)
        last = number == len(citizens) - 1
        application = _submit(call, citizen, data, now=moment, submit=not last)  # the last stays a draft
        if number == 1:
            services.application_request_revision(
                application=application, staff=staff, message="주민등록등본이 3개월보다 오래되었습니다. 최근 것으로 다시 올려 주세요.",
                due_at=call.closes_at + datetime.timedelta(days=3), now=moment,
            )  # fmt: skip
        if number == 2:
            services.application_withdraw(application=application, user=citizen, now=moment)
    return f"youth share-house call: {len(citizens)} applications"


def _half_rent_call(now, citizens, staff):
    if Call.objects.filter(slug=HOUSING_CALL).exists():
        return "half-rent call: kept"
    program = HousingProgram.objects.filter(kind=ProgramKind.HALF_RENT_WELFARE).order_by("-year").first()
    opens = now - datetime.timedelta(days=40)
    call = Call.objects.create(
        title="반값 임대 주거복지 주택 입주 가구 모집 (2차)",
        slug=HOUSING_CALL,
        code="HRH2026B",
        program=CallProgram.HALF_RENT_HOUSING,
        housing_program=program,
        summary="시세의 절반 이하 임대료로 빈집을 고친 주택에 살 가구를 모십니다.",
        notice="입주 자격: 전주시 거주 무주택 가구, 도시근로자 가구당 월평균소득 70% 이하.\n선정 방법: 서류심사 점수순.",
        opens_at=opens,
        closes_at=opens + datetime.timedelta(days=14),
        announce_on=timezone.localdate(now) + datetime.timedelta(days=10),
        places=2,
        reserve_places=2,
        selection_method=SelectionMethod.REVIEW,
        residence=Residence.JEONJU,
        requires_no_home=True,
        max_income_bracket=IncomeBracket.UP_TO_70,
        privacy_terms=PRIVACY_TERMS,
        is_published=True,
        team_group=Group.objects.get(name=REGENERATION_TEAM),
    )
    DocumentRequirement.objects.create(
        call=call, name="소득 증빙 서류", description="건강보험료 납부확인서 등", max_mb=10
    )
    ScoringCriterion.objects.create(call=call, name="주거 필요성", max_points=60, display_order=1)
    ScoringCriterion.objects.create(call=call, name="소득 수준", max_points=40, display_order=2)
    moment = opens + datetime.timedelta(days=1)
    for number, citizen in enumerate(citizens):
        moment += datetime.timedelta(hours=9)
        data = {
            "applicant_name": citizen.name, "phone": citizen.phone or "010-0000-0000", "lives_in_jeonju": True,
            "declares_no_home": True, "income_bracket": [IncomeBracket.UP_TO_50, IncomeBracket.UP_TO_70][number % 2],
            "motivation": "오래된 집의 월세 부담이 커서 신청합니다.",
        }  # fmt: skip
        _submit(call, citizen, data, now=moment)
    from .models import ApplicationStatus

    call.applications.filter(status=ApplicationStatus.SUBMITTED).update(status=ApplicationStatus.UNDER_REVIEW)
    return f"half-rent call: {len(citizens)} applications under review"


def _ondure_call(now, citizens, staff):
    if Call.objects.filter(slug=ONDURE_CALL).exists():
        return "Ondure call: kept"
    opens = now - datetime.timedelta(days=90)
    closes = opens + datetime.timedelta(days=21)
    call = Call.objects.create(
        title="2026 온두레 공동체 공모",
        slug=ONDURE_CALL,
        code="ODR2026",
        program=CallProgram.ONDURE,
        summary="마을의 문제를 함께 풀 주민 공동체를 찾습니다. 선정 공동체는 디딤 단계 지원을 받습니다.",
        notice=(
            "공모 대상: 전주시에서 활동하는 주민 공동체(마을공동체 15명, 소규모창업공동체 5명, 아파트공동체 10세대 이상)\n"
            "지원 내용: 공동체당 300만 원 이내 활동비와 교육·컨설팅\n"
            "선정 방법: 심사위원 서면심사 점수순, 동점은 공개추첨"
        ),
        opens_at=opens,
        closes_at=closes,
        announce_on=timezone.localdate(closes) + datetime.timedelta(days=14),
        places=3,
        reserve_places=2,
        selection_method=SelectionMethod.SCORE_THEN_LOTTERY,
        draw_seed_method="심사 결과 공개 회의에서 참관 주민 2명이 주사위를 세 번씩 던진 눈을 이어 입력합니다.",
        residence=Residence.JEONJU,
        privacy_terms=PRIVACY_TERMS,
        is_published=True,
        team_group=Group.objects.get(name=SOCIAL_ECONOMY_TEAM),
    )
    DocumentRequirement.objects.create(call=call, name="활동 계획서", max_mb=10)
    criteria = [
        ScoringCriterion.objects.create(call=call, name="활동 계획의 구체성", max_points=40, display_order=1),
        ScoringCriterion.objects.create(call=call, name="주민 참여", max_points=30, display_order=2),
        ScoringCriterion.objects.create(call=call, name="지속 가능성", max_points=30, display_order=3),
    ]
    dongs = list(Dong.objects.filter(is_active=True).order_by("pk")[:6])
    names = ["풍남 마을밥상", "노송 골목놀이터", "서학 예술텃밭", "중앙 청년공방", "완산 어르신 말벗", "동서학 책방모임",
             "진북 공유부엌", "인후 목공소", "효자 마을신문", "삼천 생태지킴이"]  # fmt: skip
    moment = opens + datetime.timedelta(days=2)
    applications = []
    for number, citizen in enumerate(citizens):
        moment += datetime.timedelta(hours=11)
        dong = dongs[number % len(dongs)]
        data = {
            "applicant_name": citizen.name, "phone": citizen.phone or "010-0000-0000", "lives_in_jeonju": True,
            "group_name": names[number], "group_kind": CommunityKind.STARTUP, "group_dong": dong,
            "activity_field": "food" if number % 2 else "culture", "requested_budget": 3_000_000,
            "motivation": "이웃과 함께 마을 문제를 풀어 갑니다.",
        }  # fmt: skip
        members = [(citizen.name, dong), *[(f"구성원{number}-{m}", dong) for m in range(4 + number % 3)]]
        applications.append(_submit(call, citizen, data, now=moment, members=members))
    reviewers = list(get_user_model().objects.filter(username__in=["social", "manager"]).order_by("username"))
    # A reviewer who knows one group steps aside for it (이해충돌): only the other reviewer scores it.
    services.conflict_declare(
        application=applications[4], reviewer=reviewers[0], reason="신청 공동체 대표와 가족입니다."
    )
    for number, application in enumerate(applications):
        for offset, reviewer in enumerate(reviewers):
            if number == 4 and offset == 0:
                continue
            points = {
                criterion.pk: max(0, criterion.max_points - (number * 3 + offset * 2) % 15)
                for criterion in criteria
            }
            services.score_record(application=application, reviewer=reviewer, points=points)
    services.call_decide(call=call, staff=staff, seed="4-2-6-1-5-3", witnessed_by="주민 2명 (풍남동, 노송동)",
                         now=closes + datetime.timedelta(days=10))  # fmt: skip
    selected = list(call.applications.filter(status="selected").order_by("rank"))
    services.application_register_community(
        application=selected[0], staff=staff, now=closes + datetime.timedelta(days=12)
    )
    services.selection_decline(
        application=selected[-1], staff=staff, now=closes + datetime.timedelta(days=13)
    )
    return f"Ondure call: {len(applications)} applications scored, drawn and decided"
