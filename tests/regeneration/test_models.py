import datetime
import decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from regeneration.models import (
    GRADE_RANGE_MESSAGE,
    HALF_RENT_MESSAGE,
    GradeScheme,
    HouseStatus,
    ProgramKind,
    Tenancy,
)

from .factories import (
    ActivationAreaFactory,
    CouncilMeetingFactory,
    CouncilMemberFactory,
    HouseStatusChangeFactory,
    HousingProgramFactory,
    MeetingAttendanceFactory,
    OwnerConsentFactory,
    RenovationFactory,
    ResidentCouncilFactory,
    RoomFactory,
    TenancyFactory,
    VacantHouseFactory,
    VacantHouseGradeFactory,
)

pytestmark = pytest.mark.django_db

D = decimal.Decimal
day = datetime.date
NOW = timezone.make_aware(datetime.datetime(2025, 5, 1, 10, 0))


def half_rent_program():
    return HousingProgramFactory(kind=ProgramKind.HALF_RENT_WELFARE)


# (factory, attributes that break one invariant, the Korean message the admin shows)
INVALID_CASES = {
    "area_ends_before_designation": (
        ActivationAreaFactory,
        {"designated_on": day(2020, 1, 1), "ends_on": day(2019, 12, 31)},
        "지정 종료일은 지정일 이후여야 합니다.",
    ),
    "area_size_zero": (ActivationAreaFactory, {"size_m2": D("0")}, "면적은 0보다 커야 합니다."),
    "area_negative_budget": (
        ActivationAreaFactory,
        {"project_budget": -1},
        "총사업비는 0원 이상이어야 합니다.",
    ),
    "member_ends_before_start": (
        CouncilMemberFactory,
        {"started_on": day(2024, 3, 1), "ended_on": day(2024, 2, 28)},
        "임기 종료일은 시작일 이후여야 합니다.",
    ),
    "meeting_negative_attendees": (
        CouncilMeetingFactory,
        {"attendee_count": -1},
        "참석 인원은 0명 이상이어야 합니다.",
    ),
    "meeting_published_without_minutes": (
        CouncilMeetingFactory,
        {"minutes": "", "is_published": True, "published_at": NOW},
        "회의록이 있어야 공개할 수 있습니다.",
    ),
    "meeting_published_without_time": (
        CouncilMeetingFactory,
        {"is_published": True, "published_at": None},
        "공개한 회의록에만 공개 일시가 있어야 합니다.",
    ),
    "meeting_unpublished_with_time": (
        CouncilMeetingFactory,
        {"is_published": False, "published_at": NOW},
        "공개한 회의록에만 공개 일시가 있어야 합니다.",
    ),
    "house_latitude_without_longitude": (
        VacantHouseFactory,
        {"longitude": None},
        "위도와 경도는 함께 입력해야 합니다.",
    ),
    "house_swapped_coordinates": (
        VacantHouseFactory,
        {"latitude": D("127.153100"), "longitude": D("35.815200")},
        "위도는 33~39 사이여야 합니다. (위도·경도가 바뀌지 않았는지 확인하세요)",
    ),
    "house_longitude_out_of_range": (
        VacantHouseFactory,
        {"longitude": D("140.000000")},
        "경도는 124~132 사이여야 합니다. (위도·경도가 바뀌지 않았는지 확인하세요)",
    ),
    "house_built_year": (VacantHouseFactory, {"built_year": 1700}, "준공 연도는 1800~2100 사이여야 합니다."),
    "house_survey_round": (
        VacantHouseFactory,
        {"survey_round": 1985},
        "실태조사 차수(연도)는 1990~2100 사이여야 합니다.",
    ),
    "house_floor_area_zero": (
        VacantHouseFactory,
        {"floor_area_m2": D("0")},
        "대지면적과 연면적은 0보다 커야 합니다.",
    ),
    "house_grade_4_in_2023_scheme": (
        VacantHouseFactory,
        {"current_grade_scheme": GradeScheme.GUIDELINE_2023, "current_grade": 4},
        str(GRADE_RANGE_MESSAGE),
    ),
    "house_grade_5_in_urban_scheme": (
        VacantHouseFactory,
        {"current_grade_scheme": GradeScheme.URBAN_4, "current_grade": 5},
        str(GRADE_RANGE_MESSAGE),
    ),
    "house_grade_without_scheme": (
        VacantHouseFactory,
        {"current_grade_scheme": "", "current_grade": 2},
        str(GRADE_RANGE_MESSAGE),
    ),
    "house_scheme_without_grade": (
        VacantHouseFactory,
        {"current_grade_scheme": GradeScheme.URBAN_4, "current_grade": None},
        str(GRADE_RANGE_MESSAGE),
    ),
    "house_in_use_without_program": (
        VacantHouseFactory,
        {"status": HouseStatus.IN_USE, "current_program": None},
        "활용 중인 빈집에는 현재 활용 사업을 지정해야 합니다.",
    ),
    "grade_4_in_2023_scheme": (
        VacantHouseGradeFactory,
        {"scheme": GradeScheme.GUIDELINE_2023, "grade": 4},
        str(GRADE_RANGE_MESSAGE),
    ),
    "grade_zero": (VacantHouseGradeFactory, {"grade": 0}, str(GRADE_RANGE_MESSAGE)),
    "consent_expires_before_consent": (
        OwnerConsentFactory,
        {"expires_on": day(2024, 5, 31)},
        "동의 만료일은 동의일 이후여야 합니다.",
    ),
    "consent_withdrawn_before_consent": (
        OwnerConsentFactory,
        {"withdrawn_on": day(2024, 5, 1)},
        "동의 철회일은 동의일 이후여야 합니다.",
    ),
    "status_change_to_same_status": (
        HouseStatusChangeFactory,
        {"from_status": HouseStatus.SURVEYED, "to_status": HouseStatus.SURVEYED},
        "이전 상태와 변경 상태가 같습니다.",
    ),
    "program_year": (HousingProgramFactory, {"year": 1999}, "사업 연도는 2000~2100 사이여야 합니다."),
    "program_negative_budget": (HousingProgramFactory, {"budget": -1}, "예산은 0원 이상이어야 합니다."),
    "program_negative_age": (
        HousingProgramFactory,
        {"tenant_min_age": -1},
        "입주자 나이 기준은 0세 이상이어야 합니다.",
    ),
    "program_age_range_reversed": (
        HousingProgramFactory,
        {"tenant_min_age": 40, "tenant_max_age": 30},
        "입주자 최소 나이는 최대 나이보다 클 수 없습니다.",
    ),
    "program_ends_before_start": (
        HousingProgramFactory,
        {"ends_on": day(2024, 12, 31)},
        "사업 종료일은 시작일 이후여야 합니다.",
    ),
    "renovation_ends_before_start": (
        RenovationFactory,
        {"ended_on": day(2025, 2, 28)},
        "준공일은 착공일 이후여야 합니다.",
    ),
    "renovation_negative_budget": (RenovationFactory, {"budget": -1}, "공사비는 0원 이상이어야 합니다."),
    "room_capacity_zero": (RoomFactory, {"capacity": 0}, "정원은 1명 이상이어야 합니다."),
    "room_area_zero": (RoomFactory, {"area_m2": D("0")}, "호실 면적은 0보다 커야 합니다."),
    "tenancy_negative_deposit": (
        TenancyFactory,
        {"deposit": -1},
        "보증금, 월 임대료, 시세는 0원 이상이어야 합니다.",
    ),
    "tenancy_negative_market_rent": (
        TenancyFactory,
        {"market_rent": -1},
        "보증금, 월 임대료, 시세는 0원 이상이어야 합니다.",
    ),
    "tenancy_ends_before_start": (
        TenancyFactory,
        {"ends_on": day(2025, 6, 30)},
        "계약 종료일은 입주일 이후여야 합니다.",
    ),
    "tenancy_moved_out_before_start": (
        TenancyFactory,
        {"moved_out_on": day(2025, 6, 1)},
        "퇴거일은 입주일 이후여야 합니다.",
    ),
    "tenancy_household_size_zero": (
        TenancyFactory,
        {"household_size": 0},
        "가구원 수는 1명 이상이어야 합니다.",
    ),
    "tenancy_without_name": (TenancyFactory, {"tenant_name": ""}, "입주자 이름을 입력해야 합니다."),
    "tenancy_half_rent_without_market_rent": (
        TenancyFactory,
        {"program": half_rent_program, "half_rent": True, "market_rent": None},
        "반값 임대 주거복지 사업은 월 시세를 입력해야 합니다.",
    ),
    "tenancy_half_rent_over_half": (
        TenancyFactory,
        {"program": half_rent_program, "half_rent": True, "monthly_rent": 175_001, "market_rent": 350_000},
        str(HALF_RENT_MESSAGE),
    ),
}


def _apply(obj, attributes):
    for name, value in attributes.items():
        setattr(obj, name, value() if callable(value) else value)


@pytest.mark.parametrize("case", INVALID_CASES)
def test_invalid_row_is_rejected_by_full_clean_and_by_the_database(case):
    factory, attributes, message = INVALID_CASES[case]
    obj = factory()
    obj.full_clean()  # the factory's row is valid; only the attributes below break it
    _apply(obj, attributes)

    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean()
    assert message in excinfo.value.messages

    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()


@pytest.mark.parametrize(
    "factory",
    [
        ActivationAreaFactory,
        ResidentCouncilFactory,
        CouncilMemberFactory,
        CouncilMeetingFactory,
        MeetingAttendanceFactory,
        VacantHouseFactory,
        VacantHouseGradeFactory,
        OwnerConsentFactory,
        HouseStatusChangeFactory,
        HousingProgramFactory,
        RenovationFactory,
        RoomFactory,
        TenancyFactory,
    ],
)
def test_factory_rows_are_valid(factory):
    obj = factory()
    obj.full_clean()
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_boundary_values_are_accepted():
    house = VacantHouseFactory(
        current_grade_scheme=GradeScheme.GUIDELINE_2023,
        current_grade=3,
        latitude=D("33.000000"),
        longitude=D("132.000000"),
        status=HouseStatus.IN_USE,
        current_program=HousingProgramFactory(),
    )
    house.full_clean()
    VacantHouseGradeFactory(house=house, scheme=GradeScheme.URBAN_4, grade=4).full_clean()
    meeting = CouncilMeetingFactory(is_published=True, published_at=NOW)
    meeting.full_clean()
    program = half_rent_program()
    tenancy = TenancyFactory(program=program, half_rent=True, monthly_rent=175_000, market_rent=350_000)
    tenancy.full_clean()
    assert tenancy.half_rent is True
    anonymised = TenancyFactory(tenant_name="", tenant_phone="", anonymised_at=NOW)
    anonymised.full_clean()


def test_half_rent_constraint_message_is_korean_when_validated_directly():
    tenancy = TenancyFactory(program=half_rent_program(), half_rent=True, monthly_rent=100_000)
    tenancy.monthly_rent = 200_000
    with pytest.raises(ValidationError) as excinfo:
        tenancy.validate_constraints()
    assert excinfo.value.messages == [str(HALF_RENT_MESSAGE)]


def test_clean_sets_half_rent_from_the_program_kind():
    tenancy = TenancyFactory.build(
        house=VacantHouseFactory(), program=half_rent_program(), monthly_rent=180_000, market_rent=350_000
    )
    assert tenancy.half_rent is False
    with pytest.raises(ValidationError) as excinfo:
        tenancy.full_clean()
    assert tenancy.half_rent is True
    assert excinfo.value.message_dict["monthly_rent"] == [str(HALF_RENT_MESSAGE)]

    ordinary = TenancyFactory.build(
        house=VacantHouseFactory(), program=HousingProgramFactory(), half_rent=True, monthly_rent=300_000
    )
    ordinary.full_clean()
    assert ordinary.half_rent is False


def test_half_rent_tenancy_saved_without_clean_is_still_refused_by_the_database():
    house, program = VacantHouseFactory(), half_rent_program()
    with pytest.raises(IntegrityError), transaction.atomic():
        Tenancy.objects.create(
            house=house,
            program=program,
            tenant_name="김철용",
            half_rent=True,
            monthly_rent=200_000,
            market_rent=300_000,
            starts_on=day(2025, 1, 1),
        )
    assert not Tenancy.objects.exists()


def test_youth_share_house_defaults_to_ages_19_to_39():
    program = HousingProgramFactory.build(kind=ProgramKind.YOUTH_SHARE_HOUSE)
    program.full_clean()
    assert (program.tenant_min_age, program.tenant_max_age) == (19, 39)

    custom = HousingProgramFactory.build(
        kind=ProgramKind.YOUTH_SHARE_HOUSE, tenant_min_age=18, tenant_max_age=34
    )
    custom.full_clean()
    assert (custom.tenant_min_age, custom.tenant_max_age) == (18, 34)

    other = HousingProgramFactory.build(kind=ProgramKind.HAPPY_VILLAGE)
    other.full_clean()
    assert (other.tenant_min_age, other.tenant_max_age) == (None, None)


# --- Unique constraints -----------------------------------------------------------------------------


def _assert_duplicate_rejected(obj, message):
    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean()
    assert message in excinfo.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()


def test_only_one_current_chair_per_council():
    chair = CouncilMemberFactory(position="chair")
    second = CouncilMemberFactory.build(council=chair.council, position="chair", started_on=day(2024, 1, 1))
    _assert_duplicate_rejected(second, "협의체에는 현재 위원장이 한 명만 있을 수 있습니다.")


def test_a_new_chair_after_the_former_one_ended_is_accepted():
    former = CouncilMemberFactory(position="chair", started_on=day(2020, 1, 1), ended_on=day(2023, 12, 31))
    current = CouncilMemberFactory.build(council=former.council, position="chair", started_on=day(2024, 1, 1))
    current.full_clean()
    current.save()
    other_council_chair = CouncilMemberFactory.build(council=ResidentCouncilFactory(), position="chair")
    other_council_chair.full_clean()
    other_council_chair.save()
    assert current.council.members.filter(position="chair").count() == 2


def test_one_council_per_area():
    council = ResidentCouncilFactory()
    duplicate = ResidentCouncilFactory.build(area=council.area, name="두 번째 협의체")
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert "area" in excinfo.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_meeting_time_unique_per_council():
    meeting = CouncilMeetingFactory()
    duplicate = CouncilMeetingFactory.build(council=meeting.council, held_at=meeting.held_at)
    _assert_duplicate_rejected(duplicate, "같은 협의체의 같은 일시에 회의가 이미 등록되어 있습니다.")


def test_attendance_unique_per_meeting_and_member():
    attendance = MeetingAttendanceFactory()
    duplicate = MeetingAttendanceFactory.build(meeting=attendance.meeting, member=attendance.member)
    _assert_duplicate_rejected(duplicate, "이 위원의 출석 기록이 이미 있습니다.")


def test_attendance_member_must_belong_to_the_meetings_council():
    meeting = CouncilMeetingFactory()
    outsider = CouncilMemberFactory()
    attendance = MeetingAttendanceFactory.build(meeting=meeting, member=outsider)
    with pytest.raises(ValidationError) as excinfo:
        attendance.full_clean()
    assert excinfo.value.message_dict["member"] == ["회의를 연 협의체의 위원만 출석 기록을 남길 수 있습니다."]


def test_grade_unique_per_house_scheme_and_day():
    grade = VacantHouseGradeFactory()
    duplicate = VacantHouseGradeFactory.build(
        house=grade.house, scheme=grade.scheme, graded_on=grade.graded_on
    )
    _assert_duplicate_rejected(duplicate, "같은 날 같은 등급 체계로 판정한 기록이 이미 있습니다.")


def test_room_name_unique_per_house():
    room = RoomFactory()
    duplicate = RoomFactory.build(house=room.house, name=room.name)
    _assert_duplicate_rejected(duplicate, "이 빈집에 같은 이름의 호실이 이미 있습니다.")
    RoomFactory.build(house=VacantHouseFactory(), name=room.name).full_clean()


def test_program_name_unique_per_year():
    program = HousingProgramFactory()
    duplicate = HousingProgramFactory.build(name=program.name, year=program.year)
    _assert_duplicate_rejected(duplicate, "같은 연도에 같은 이름의 사업이 이미 있습니다.")
    HousingProgramFactory.build(name=program.name, year=program.year + 1).full_clean()


def test_house_management_number_unique():
    house = VacantHouseFactory()
    duplicate = VacantHouseFactory.build(management_number=house.management_number, dong=house.dong)
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert "management_number" in excinfo.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_tenancy_room_must_belong_to_the_house():
    room = RoomFactory()
    tenancy = TenancyFactory.build(house=VacantHouseFactory(), room=room, program=HousingProgramFactory())
    with pytest.raises(ValidationError) as excinfo:
        tenancy.full_clean()
    assert excinfo.value.message_dict["room"] == ["선택한 호실은 이 빈집의 호실이 아닙니다."]


# --- Personal data stays masked in __str__ ----------------------------------------------------------


def test_str_masks_personal_data():
    member = CouncilMemberFactory(name="김철용", position="chair")
    assert str(member) == "김*용 (위원장)"
    tenancy = TenancyFactory(tenant_name="박지민", house=VacantHouseFactory(management_number="JJ-1"))
    assert str(tenancy) == "JJ-1 - 박*민"
    tenancy.anonymised_at, tenancy.tenant_name = NOW, ""
    assert str(tenancy) == "JJ-1 - 익명"
    attendance = MeetingAttendanceFactory(member__name="이영희")
    assert "이*희" in str(attendance) and "이영희" not in str(attendance)


def test_grade_labels_follow_the_scheme():
    house = VacantHouseFactory(current_grade_scheme=GradeScheme.GUIDELINE_2023, current_grade=1)
    assert house.current_grade_label == "1 활용"
    grade = VacantHouseGradeFactory(scheme=GradeScheme.URBAN_4, grade=4)
    assert grade.label == "4 철거대상"
