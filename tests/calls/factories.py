import datetime
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from calls.models import Call, CallProgram, DocumentRequirement, Residence, SelectionMethod
from jeonju_center.common.teams import REGENERATION_TEAM, load_team_groups
from regeneration.models import ProgramKind
from tests.courses.factories import UserFactory
from tests.regeneration.factories import HousingProgramFactory, RoomFactory

KST = ZoneInfo("Asia/Seoul")
OPENS = datetime.datetime(2027, 3, 2, 9, 0, tzinfo=KST)
CLOSES = datetime.datetime(2027, 3, 16, 18, 0, tzinfo=KST)
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="서류.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def team(name=REGENERATION_TEAM):
    load_team_groups()
    return Group.objects.get(name=name)


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"2027 청년쉐어하우스 입주자 모집 {n}차")
    slug = factory.Sequence(lambda n: f"youth-house-{n}")
    code = factory.Sequence(lambda n: f"YSH{n:03d}")
    program = CallProgram.YOUTH_SHARE_HOUSE
    summary = "구도심 빈집을 고친 청년쉐어하우스의 방을 나눕니다."
    notice = "입주 자격: 만 19~39세 무주택 청년"
    opens_at = OPENS
    closes_at = CLOSES
    announce_on = datetime.date(2027, 3, 25)
    places = 2
    reserve_places = 2
    selection_method = SelectionMethod.LOTTERY
    draw_seed_method = "공개추첨 행사에서 참관인 3명이 뽑은 두 자리 숫자"
    min_age = 19
    max_age = 39
    residence = Residence.ANYONE
    requires_no_home = True
    privacy_terms = "수집 항목: 이름, 생년월일, 연락처. 보유 기간: 발표 후 1년."
    is_published = True
    team_group = factory.LazyFunction(team)

    @factory.post_generation
    def with_documents(self, create, extracted, **kwargs):
        if create and extracted is not False:
            DocumentRequirement.objects.create(call=self, name="주민등록등본", max_mb=1)


def housing_call(rooms=3, **kwargs):
    program = HousingProgramFactory(kind=ProgramKind.YOUTH_SHARE_HOUSE, year=2027, tenant_min_age=19, tenant_max_age=39,
                                    starts_on=datetime.date(2027, 1, 1), ends_on=datetime.date(2029, 12, 31))  # fmt: skip
    call = CallFactory(housing_program=program, **kwargs)
    first = RoomFactory()
    call.rooms.set([first, *[RoomFactory(house=first.house) for _ in range(rooms - 1)]])
    return call


def applicant(**kwargs):
    return UserFactory(**kwargs)


def young_applicant_data(call, **overrides):
    rooms = list(call.rooms.order_by("pk"))
    return {
        "applicant_name": "김청년",
        "birth_date": datetime.date(2000, 5, 5),
        "phone": "010-5555-1234",
        "declares_no_home": True,
        "first_choice": rooms[0] if rooms else None,
        "second_choice": rooms[1] if len(rooms) > 1 else None,
        "motivation": "구도심에서 일하며 살고 싶습니다.",
        **overrides,
    }
