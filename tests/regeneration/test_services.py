"""The write rules of urban regeneration: life cycle, consent, grading, tenancies, minutes, team e-mail."""

import datetime
import itertools
import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone

from jeonju_center.common.models import OutboxEmail
from jeonju_center.common.teams import REGENERATION_TEAM
from regeneration import services
from regeneration.models import (
    HALF_RENT_MESSAGE,
    CouncilMeeting,
    GradeReason,
    GradeScheme,
    HouseStatus,
    HouseStatusChange,
    OwnerConsent,
    ProgramKind,
    Tenancy,
    VacantHouse,
    VacantHouseGrade,
)
from tests.actors import TEST_JOB

from .factories import (
    CouncilMeetingFactory,
    CouncilMemberFactory,
    HousingProgramFactory,
    OwnerConsentFactory,
    ResidentCouncilFactory,
    RoomFactory,
    TenancyFactory,
    VacantHouseFactory,
    VacantHouseGradeFactory,
)

pytestmark = pytest.mark.django_db

S = HouseStatus
day = datetime.date
# Every test here runs at one moment (a Wednesday morning in Korea): dates built from it cannot go stale at midnight.
MOMENT = timezone.make_aware(datetime.datetime(2027, 5, 12, 10, 0))
TODAY = MOMENT.date()


@pytest.fixture(autouse=True)
def _at_moment(time_machine):
    time_machine.move_to(MOMENT)


@pytest.fixture
def staff():
    return get_user_model().objects.create_user("regen-staff", name="도시재생 직원", is_staff=True)


def _house(status, *, consent=True, program=None):
    needs_program = status in (S.IN_USE,)
    house = VacantHouseFactory(
        status=status, current_program=program or (HousingProgramFactory() if needs_program else None)
    )
    if consent:
        OwnerConsentFactory(
            house=house,
            consented_on=TODAY - datetime.timedelta(days=30),
            expires_on=TODAY + datetime.timedelta(days=365),
        )
    return house


ALLOWED = [(a, b) for a, targets in services.ALLOWED_TRANSITIONS.items() for b in targets]
REFUSED = [
    (a, b)
    for a in HouseStatus.values
    for b in HouseStatus.values
    if a != b and b not in services.ALLOWED_TRANSITIONS[a]
]


def test_the_life_cycle_is_the_one_of_the_issue():
    chain = [S.SURVEYED, S.OWNER_CONTACTED, S.CONSENT_OBTAINED, S.RENOVATION, S.IN_USE]
    for before, after in itertools.pairwise(chain):
        assert after in services.ALLOWED_TRANSITIONS[before]
    assert {S.ENDED, S.RETURNED_TO_OWNER} <= set(services.ALLOWED_TRANSITIONS[S.IN_USE])
    assert services.ALLOWED_TRANSITIONS[S.DEMOLISHED] == ()
    assert services.ALLOWED_TRANSITIONS[S.RETURNED_TO_OWNER] == ()


@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED, ids=lambda s: str(s))
def test_every_allowed_transition_is_recorded_with_who_and_when(staff, from_status, to_status):
    house = _house(from_status)
    program = HousingProgramFactory(name="새 활용 사업") if to_status == S.IN_USE else None
    before = timezone.now()
    change = services.house_transition(
        house=house, to_status=to_status, actor=staff, program=program, note="메모"
    )
    house.refresh_from_db()
    assert house.status == to_status
    assert (change.from_status, change.to_status, change.changed_by, change.note) == (
        from_status,
        to_status,
        staff,
        "메모",
    )
    assert change.changed_at >= before
    if to_status == S.IN_USE:
        assert house.current_program == program
    elif to_status not in services.KEEPS_PROGRAM:
        assert house.current_program is None


@pytest.mark.parametrize(("from_status", "to_status"), REFUSED, ids=lambda s: str(s))
def test_every_other_transition_is_refused_and_changes_nothing(staff, from_status, to_status):
    house = _house(from_status)
    program = house.current_program
    with pytest.raises(ValidationError) as excinfo:
        services.house_transition(
            house=house, to_status=to_status, actor=staff, program=HousingProgramFactory()
        )
    message = " ".join(excinfo.value.messages)
    assert "바꿀 수 없습니다" in message
    assert str(S(from_status).label) in message
    house.refresh_from_db()
    assert (house.status, house.current_program) == (from_status, program)
    assert not HouseStatusChange.objects.filter(house=house).exists()


def test_the_same_status_again_is_refused(staff):
    house = _house(S.SURVEYED)
    with pytest.raises(ValidationError) as excinfo:
        services.house_transition(house=house, to_status=S.SURVEYED, actor=staff)
    assert excinfo.value.messages == ["이미 '실태조사 완료' 상태입니다."]


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [
        (S.OWNER_CONTACTED, S.CONSENT_OBTAINED),
        (S.CONSENT_OBTAINED, S.RENOVATION),
        (S.CONSENT_OBTAINED, S.IN_USE),
    ],
)
@pytest.mark.parametrize(
    "consent",
    [
        None,
        {"consented_on": TODAY + datetime.timedelta(days=1)},  # not yet given
        {"consented_on": day(2020, 1, 1), "expires_on": TODAY - datetime.timedelta(days=1)},  # expired
        {"consented_on": day(2020, 1, 1), "expires_on": None, "withdrawn_on": TODAY},  # withdrawn
    ],
    ids=["none", "future", "expired", "withdrawn"],
)
def test_consent_renovation_and_use_need_a_consent_valid_today(staff, from_status, to_status, consent):
    house = _house(from_status, consent=False)
    if consent:
        OwnerConsentFactory(house=house, **consent)
    with pytest.raises(ValidationError) as excinfo:
        services.house_transition(
            house=house, to_status=to_status, actor=staff, program=HousingProgramFactory()
        )
    assert "유효한 소유자 동의가 없어" in excinfo.value.messages[0]
    house.refresh_from_db()
    assert house.status == from_status
    assert not HouseStatusChange.objects.exists()


def test_use_needs_a_program(staff):
    house = _house(S.CONSENT_OBTAINED)
    with pytest.raises(ValidationError) as excinfo:
        services.house_transition(house=house, to_status=S.IN_USE, actor=staff)
    assert excinfo.value.message_dict == {"program": ["활용을 시작하려면 활용 사업을 지정해야 합니다."]}
    house.refresh_from_db()
    assert house.status == S.CONSENT_OBTAINED


def test_renovation_keeps_its_program_into_use(staff):
    program = HousingProgramFactory()
    house = _house(S.CONSENT_OBTAINED)
    services.house_transition(house=house, to_status=S.RENOVATION, actor=staff, program=program)
    services.house_transition(house=house, to_status=S.IN_USE, actor=staff)
    house.refresh_from_db()
    assert (house.status, house.current_program) == (S.IN_USE, program)
    assert list(house.status_changes.order_by("changed_at").values_list("to_status", flat=True)) == [
        S.RENOVATION,
        S.IN_USE,
    ]


def test_use_cannot_end_while_a_tenant_lives_there(staff):
    house = _house(S.IN_USE)
    tenancy = TenancyFactory(
        house=house,
        program=house.current_program,
        starts_on=TODAY - datetime.timedelta(days=100),
        ends_on=None,
    )
    with pytest.raises(ValidationError) as excinfo:
        services.house_transition(house=house, to_status=S.ENDED, actor=staff)
    assert excinfo.value.messages == [
        "입주 중인 계약이 있어 활용을 끝낼 수 없습니다. 먼저 퇴거일을 기록하세요."
    ]
    house.refresh_from_db()
    assert house.status == S.IN_USE

    tenancy.moved_out_on = TODAY - datetime.timedelta(days=1)
    tenancy.save()
    services.house_transition(house=house, to_status=S.ENDED, actor=staff)
    house.refresh_from_db()
    assert (house.status, house.current_program) == (S.ENDED, None)


def test_register_starts_the_life_cycle_and_refuses_another_status(staff):
    house = VacantHouseFactory.build(dong=VacantHouseFactory().dong, management_number="JJ-NEW-1")
    services.vacant_house_register(house=house, actor=staff)
    change = HouseStatusChange.objects.get(house=house)
    assert (change.from_status, change.to_status, change.changed_by) == ("", S.SURVEYED, staff)

    other = VacantHouseFactory.build(dong=house.dong, management_number="JJ-NEW-2", status=S.IN_USE)
    with pytest.raises(ValidationError) as excinfo:
        services.vacant_house_register(house=other, actor=staff)
    assert "'실태조사 완료' 상태로 등록합니다" in excinfo.value.messages[0]
    assert not VacantHouse.objects.filter(management_number="JJ-NEW-2").exists()


def test_update_cannot_change_status_program_or_grade():
    house = _house(S.SURVEYED)
    house.status = S.IN_USE
    house.built_year = 1950
    with pytest.raises(ValidationError) as excinfo:
        services.vacant_house_update(house=house, actor=TEST_JOB)
    assert "상태 변경과 등급 판정으로만" in excinfo.value.messages[0]
    house.refresh_from_db()
    assert (house.status, house.built_year) == (S.SURVEYED, 1965)


def test_grading_history_sets_the_current_grade_and_follows_deletions():
    house = VacantHouseFactory(current_grade_scheme="", current_grade=None)
    services.house_grade_record(
        house=house,
        scheme=GradeScheme.URBAN_4,
        grade=3,
        graded_on=day(2019, 5, 1),
        reason=GradeReason.SURVEY,
        actor=TEST_JOB,
    )
    later = services.house_grade_record(
        house=house,
        scheme=GradeScheme.GUIDELINE_2023,
        grade=1,
        graded_on=day(2024, 5, 1),
        reason=GradeReason.RENOVATION,
        actor=TEST_JOB,
    )
    house.refresh_from_db()
    assert (house.current_grade_scheme, house.current_grade) == (GradeScheme.GUIDELINE_2023, 1)
    assert house.grades.count() == 2

    later.delete()
    services.house_current_grade_refresh(house=house, actor=TEST_JOB)
    house.refresh_from_db()
    assert (house.current_grade_scheme, house.current_grade) == (GradeScheme.URBAN_4, 3)


def test_a_grade_outside_its_scheme_is_refused_and_changes_nothing():
    house = VacantHouseFactory(current_grade_scheme=GradeScheme.URBAN_4, current_grade=2)
    with pytest.raises(ValidationError) as excinfo:
        services.house_grade_record(
            house=house,
            scheme=GradeScheme.GUIDELINE_2023,
            grade=4,
            graded_on=day(2024, 5, 1),
            reason="survey",
            actor=TEST_JOB,
        )
    assert "등급이 등급 체계의 범위를 벗어납니다." in excinfo.value.messages[0]
    house.refresh_from_db()
    assert (house.current_grade_scheme, house.current_grade, house.grades.count()) == (
        GradeScheme.URBAN_4,
        2,
        0,
    )


# --- Tenancies --------------------------------------------------------------------------------------


def _youth():
    return HousingProgramFactory(kind=ProgramKind.YOUTH_SHARE_HOUSE, tenant_min_age=19, tenant_max_age=39)


def _new_tenancy(**kwargs):
    return TenancyFactory.build(**kwargs)


def test_two_rooms_of_one_house_can_be_let_at_the_same_time():
    program = _youth()
    room_a = RoomFactory()
    room_b = RoomFactory(house=room_a.house)
    for room in (room_a, room_b):
        services.tenancy_save(
            tenancy=_new_tenancy(house=room.house, room=room, program=program), actor=TEST_JOB
        )
    assert Tenancy.objects.count() == 2


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("room_a", "room_a"),  # the same room
        (None, "room_a"),  # the whole house, then a room
        ("room_a", None),  # a room, then the whole house
        (None, None),  # the whole house twice
    ],
)
def test_overlapping_tenancies_are_refused(first, second):
    program = HousingProgramFactory()
    room = RoomFactory()
    rooms = {"room_a": room, None: None}
    TenancyFactory(
        house=room.house,
        room=rooms[first],
        program=program,
        starts_on=day(2025, 1, 1),
        ends_on=day(2026, 12, 31),
    )
    overlapping = _new_tenancy(
        house=room.house, room=rooms[second], program=program, starts_on=day(2026, 12, 31), ends_on=None
    )
    with pytest.raises(ValidationError) as excinfo:
        services.tenancy_save(tenancy=overlapping, actor=TEST_JOB)
    assert excinfo.value.message_dict == {
        "starts_on": ["같은 집(호실)에 기간이 겹치는 입주 계약이 이미 있습니다."]
    }
    assert Tenancy.objects.count() == 1


def test_the_next_tenancy_may_start_the_day_after_the_end_or_the_move_out():
    program = HousingProgramFactory()
    house = VacantHouseFactory()
    TenancyFactory(house=house, program=program, starts_on=day(2025, 1, 1), ends_on=day(2025, 12, 31))
    services.tenancy_save(
        tenancy=_new_tenancy(
            house=house, program=program, starts_on=day(2026, 1, 1), ends_on=day(2026, 12, 31)
        ),
        actor=TEST_JOB,
    )
    early = TenancyFactory(
        house=VacantHouseFactory(),
        program=program,
        starts_on=day(2025, 1, 1),
        ends_on=day(2026, 12, 31),
        moved_out_on=day(2025, 6, 30),
    )
    services.tenancy_save(
        tenancy=_new_tenancy(house=early.house, program=program, starts_on=day(2025, 7, 1)), actor=TEST_JOB
    )
    assert Tenancy.objects.count() == 4


@pytest.mark.parametrize(
    ("birth_date", "message"),
    [
        (day(2007, 7, 2), "입주일 기준 나이가 18세로, 이 사업의 입주 나이(19~39세)를 벗어납니다."),
        (day(1985, 7, 1), "입주일 기준 나이가 41세로, 이 사업의 입주 나이(19~39세)를 벗어납니다."),
        (None, "입주 나이 기준이 있는 사업은 입주자 생년월일을 입력해야 합니다."),
    ],
)
def test_youth_tenant_age_outside_the_program_range_is_refused(birth_date, message):
    room = RoomFactory()
    tenancy = _new_tenancy(
        house=room.house, room=room, program=_youth(), tenant_birth_date=birth_date, starts_on=day(2026, 7, 1)
    )
    with pytest.raises(ValidationError) as excinfo:
        services.tenancy_save(tenancy=tenancy, actor=TEST_JOB)
    assert excinfo.value.message_dict == {"tenant_birth_date": [message]}
    assert not Tenancy.objects.exists()


def test_youth_age_bounds_are_inclusive_and_default_to_19_to_39():
    program = HousingProgramFactory(
        kind=ProgramKind.YOUTH_SHARE_HOUSE, tenant_min_age=None, tenant_max_age=None
    )
    assert services.program_age_range(program) == (19, 39)
    house = VacantHouseFactory()
    for name, birth in (("101호", day(2007, 7, 1)), ("102호", day(1986, 7, 2))):  # 19 and 39 on 2026-07-01
        room = RoomFactory(house=house, name=name)
        services.tenancy_save(
            tenancy=_new_tenancy(
                house=house, room=room, program=program, tenant_birth_date=birth, starts_on=day(2026, 7, 1)
            ),
            actor=TEST_JOB,
        )
    assert Tenancy.objects.count() == 2


def test_youth_share_house_lets_rooms_not_whole_houses():
    tenancy = _new_tenancy(house=VacantHouseFactory(), program=_youth())
    with pytest.raises(ValidationError) as excinfo:
        services.tenancy_save(tenancy=tenancy, actor=TEST_JOB)
    assert excinfo.value.message_dict == {
        "room": ["청년쉐어하우스는 방 단위로 임대합니다. 호실을 지정하세요."]
    }
    assert not Tenancy.objects.exists()


def test_half_rent_over_half_the_market_rent_is_refused_by_the_service():
    program = HousingProgramFactory(kind=ProgramKind.HALF_RENT_WELFARE)
    tenancy = _new_tenancy(
        house=VacantHouseFactory(), program=program, monthly_rent=175_001, market_rent=350_000
    )
    with pytest.raises(ValidationError) as excinfo:
        services.tenancy_save(tenancy=tenancy, actor=TEST_JOB)
    assert excinfo.value.message_dict["monthly_rent"] == [str(HALF_RENT_MESSAGE)]
    assert not Tenancy.objects.exists()
    tenancy.monthly_rent = 175_000
    services.tenancy_save(tenancy=tenancy, actor=TEST_JOB)
    assert Tenancy.objects.get().half_rent is True


# --- The same rules in the PostgreSQL database ------------------------------------------------------


def _raw_tenancy(**kwargs):
    defaults = {
        "tenant_name": "김철용",
        "starts_on": day(2026, 1, 1),
        "monthly_rent": 100_000,
        "market_rent": 400_000,
    }
    return Tenancy.objects.create(**{**defaults, **kwargs})


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("first_room", "second_room"), [(True, True), (False, True), (True, False), (False, False)]
)
def test_postgresql_refuses_overlapping_tenancies_written_directly(first_room, second_room):
    program = HousingProgramFactory()
    room = RoomFactory()
    _raw_tenancy(
        house=room.house, room=room if first_room else None, program=program, ends_on=day(2026, 12, 31)
    )
    with pytest.raises(IntegrityError, match="regeneration_tenancy_no_overlap"), transaction.atomic():
        _raw_tenancy(
            house=room.house, room=room if second_room else None, program=program, starts_on=day(2026, 12, 31)
        )
    assert Tenancy.objects.count() == 1
    # The day after the end is free again.
    _raw_tenancy(
        house=room.house, room=room if second_room else None, program=program, starts_on=day(2027, 1, 1)
    )
    assert Tenancy.objects.count() == 2


@pytest.mark.postgres
def test_postgresql_reports_the_overlap_through_full_clean_in_korean():
    program = HousingProgramFactory()
    house = VacantHouseFactory()
    _raw_tenancy(house=house, program=program)
    with pytest.raises(ValidationError) as excinfo:
        TenancyFactory.build(house=house, program=program, starts_on=day(2027, 5, 1)).full_clean()
    assert "같은 집(호실)에 기간이 겹치는 입주 계약이 이미 있습니다." in excinfo.value.messages


@pytest.mark.postgres
@pytest.mark.parametrize("birth_date", [day(2010, 1, 1), day(1980, 1, 1), None])
def test_postgresql_refuses_a_youth_tenant_outside_the_age_range(birth_date):
    room = RoomFactory()
    with pytest.raises(IntegrityError, match="age_in_program_range"), transaction.atomic():
        _raw_tenancy(house=room.house, room=room, program=_youth(), tenant_birth_date=birth_date)
    assert not Tenancy.objects.exists()
    _raw_tenancy(house=room.house, room=room, program=_youth(), tenant_birth_date=day(2000, 1, 1))
    assert Tenancy.objects.count() == 1


@pytest.mark.postgres
def test_postgresql_sets_the_half_rent_flag_from_the_program_and_refuses_over_half():
    program = HousingProgramFactory(kind=ProgramKind.HALF_RENT_WELFARE)
    with pytest.raises(IntegrityError, match="regeneration_tenancy_half_rent_limit"), transaction.atomic():
        # The flag written wrong does not dodge the rule: the trigger sets it from the program.
        _raw_tenancy(
            house=VacantHouseFactory(),
            program=program,
            half_rent=False,
            monthly_rent=200_001,
            market_rent=400_000,
        )
    assert not Tenancy.objects.exists()
    ordinary = _raw_tenancy(
        house=VacantHouseFactory(), program=HousingProgramFactory(), half_rent=True, monthly_rent=300_000
    )
    ordinary.refresh_from_db()
    assert ordinary.half_rent is False


@pytest.mark.postgres
def test_postgresql_refuses_changing_the_kind_of_a_program_with_tenancies():
    program = HousingProgramFactory(kind=ProgramKind.HAPPY_VILLAGE)
    _raw_tenancy(house=VacantHouseFactory(), program=program, monthly_rent=300_000)
    with pytest.raises(IntegrityError, match="program_rules_frozen"), transaction.atomic():
        type(program).objects.filter(pk=program.pk).update(kind=ProgramKind.HALF_RENT_WELFARE)
    program.refresh_from_db()
    assert program.kind == ProgramKind.HAPPY_VILLAGE


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_lettings_of_one_room_leave_exactly_one_tenancy():
    program = HousingProgramFactory()
    room = RoomFactory()
    barrier = threading.Barrier(2)
    outcomes = []

    def let(name):
        try:
            barrier.wait(timeout=10)
            services.tenancy_save(
                tenancy=TenancyFactory.build(house=room.house, room=room, program=program, tenant_name=name),
                actor=TEST_JOB,
            )
            outcomes.append("saved")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            close_old_connections()

    threads = [threading.Thread(target=let, args=(name,)) for name in ("김철용", "이영희")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["saved", "같은 집(호실)에 기간이 겹치는 입주 계약이 이미 있습니다."]
    assert Tenancy.objects.filter(room=room).count() == 1


# --- Minutes ----------------------------------------------------------------------------------------


def test_publishing_minutes_needs_a_held_meeting_with_minutes():
    future = CouncilMeetingFactory(held_at=timezone.now() + datetime.timedelta(days=3))
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_publish(meeting=future, actor=TEST_JOB)
    assert excinfo.value.messages == ["아직 열리지 않은 회의의 회의록은 공개할 수 없습니다."]
    past = timezone.now() - datetime.timedelta(days=7)
    empty = CouncilMeetingFactory(minutes="  ", held_at=past)
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_publish(meeting=empty, actor=TEST_JOB)
    assert excinfo.value.messages == ["회의록이 있어야 공개할 수 있습니다."]
    for meeting in (future, empty):
        meeting.refresh_from_db()
        assert (meeting.is_published, meeting.published_at) == (False, None)

    held = CouncilMeetingFactory(held_at=past - datetime.timedelta(days=1))
    services.meeting_publish(meeting=held, actor=TEST_JOB)
    held.refresh_from_db()
    assert held.is_published and held.published_at is not None
    services.meeting_unpublish(meeting=held, actor=TEST_JOB)
    held.refresh_from_db()
    assert (held.is_published, held.published_at) == (False, None)


def _meeting_snapshot(meeting):
    return (
        CouncilMeeting.objects.filter(pk=meeting.pk)
        .values("title", "minutes", "is_published", "published_at")
        .first()
    )


def test_ticking_publish_on_a_meeting_goes_through_the_publishing_rules():
    future = CouncilMeetingFactory(held_at=timezone.now() + datetime.timedelta(days=3))
    before = _meeting_snapshot(future)
    future.title, future.is_published = "바뀐 회의명", True
    with pytest.raises(ValidationError) as excinfo:
        services.council_meeting_save(meeting=future, actor=TEST_JOB)
    assert excinfo.value.messages == ["아직 열리지 않은 회의의 회의록은 공개할 수 없습니다."]
    assert _meeting_snapshot(future) == before  # not even the title

    new = CouncilMeetingFactory.build(
        council=ResidentCouncilFactory(), held_at=timezone.now() - datetime.timedelta(days=2), minutes=""
    )
    new.is_published = True
    with pytest.raises(ValidationError) as excinfo:
        services.council_meeting_save(meeting=new, actor=TEST_JOB)
    assert excinfo.value.messages == ["회의록이 있어야 공개할 수 있습니다."]
    assert not CouncilMeeting.objects.filter(council=new.council).exists()

    held = CouncilMeetingFactory(held_at=timezone.now() - datetime.timedelta(days=2))
    held.is_published = True
    services.council_meeting_save(meeting=held, actor=TEST_JOB)
    held.refresh_from_db()
    assert held.is_published and datetime.timedelta(0) <= held.published_at - MOMENT < datetime.timedelta(
        minutes=1
    )

    # Withdrawn and emptied in one edit: the minutes need not exist once they are not public.
    held.is_published, held.minutes = False, ""
    services.council_meeting_save(meeting=held, actor=TEST_JOB)
    held.refresh_from_db()
    assert (held.is_published, held.published_at, held.minutes) == (False, None, "")


def test_the_publication_time_is_not_typed():
    meeting = CouncilMeetingFactory(held_at=timezone.now() - datetime.timedelta(days=2))
    before = _meeting_snapshot(meeting)
    meeting.published_at = MOMENT
    with pytest.raises(ValidationError) as excinfo:
        services.council_meeting_save(meeting=meeting, actor=TEST_JOB)
    assert excinfo.value.message_dict == {"published_at": ["공개 일시는 회의록을 공개할 때 기록됩니다."]}
    assert _meeting_snapshot(meeting) == before


def test_an_anonymised_council_member_stays_anonymous():
    member = CouncilMemberFactory(
        name="", phone="", anonymised_at=MOMENT, started_on=day(2018, 1, 1), ended_on=day(2020, 12, 31)
    )
    member.name, member.phone = "김철용", "010-1234-5678"
    with pytest.raises(ValidationError) as excinfo:
        services.council_member_save(member=member, actor=TEST_JOB)
    assert excinfo.value.messages == ["익명 처리된 위원의 이름과 연락처는 다시 입력할 수 없습니다."]
    member.refresh_from_db()
    assert (member.name, member.phone) == ("", "")

    member.note = "2020년 임기 종료"
    services.council_member_save(member=member, actor=TEST_JOB)
    member.refresh_from_db()
    assert (member.name, member.note) == ("", "2020년 임기 종료")


def test_a_council_has_one_current_chair():
    chair = CouncilMemberFactory(position="chair")
    second = CouncilMemberFactory.build(council=chair.council, position="chair")
    with pytest.raises(ValidationError) as excinfo:
        services.council_member_save(member=second, actor=TEST_JOB)
    assert excinfo.value.messages == ["협의체에는 현재 위원장이 한 명만 있을 수 있습니다."]
    assert chair.council.members.count() == 1


def test_a_consent_stays_with_its_house_and_records_its_withdrawal():
    consent = OwnerConsentFactory()
    house = consent.house
    consent.house = VacantHouseFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.owner_consent_save(consent=consent, actor=TEST_JOB)
    assert excinfo.value.messages == ["소유자 동의는 다른 빈집으로 옮길 수 없습니다."]
    assert OwnerConsent.objects.get(pk=consent.pk).house == house

    consent.house, consent.withdrawn_on = house, TODAY
    services.owner_consent_save(consent=consent, actor=TEST_JOB)
    assert services.valid_consent(house=house, on=TODAY) is None


def test_a_corrected_grading_becomes_the_houses_grade_and_stays_with_its_house():
    grading = VacantHouseGradeFactory(scheme=GradeScheme.URBAN_4, grade=2)
    house = grading.house
    services.house_current_grade_refresh(house=house, actor=TEST_JOB)
    grading.grade = 4
    services.house_grade_save(grading=grading, actor=TEST_JOB)
    house.refresh_from_db()
    assert house.current_grade_label == "4 철거대상"

    grading.house, grading.grade = VacantHouseFactory(), 1
    with pytest.raises(ValidationError) as excinfo:
        services.house_grade_save(grading=grading, actor=TEST_JOB)
    assert excinfo.value.messages == ["등급 이력은 다른 빈집으로 옮길 수 없습니다."]
    assert VacantHouseGrade.objects.filter(pk=grading.pk).values_list("house", "grade").get() == (house.pk, 4)


# --- The monthly e-mail -----------------------------------------------------------------------------


@pytest.fixture
def team_member():
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(
        "regen-team", email="regen-team@example.com", name="팀원", is_staff=True
    )
    user.groups.add(Group.objects.get_or_create(name=REGENERATION_TEAM)[0])
    return user


def test_monthly_email_lists_tenancies_ending_within_60_days_masked_and_once_a_month(team_member):
    today = day(2026, 11, 1)
    ending = TenancyFactory(tenant_name="박지민", starts_on=day(2025, 1, 1), ends_on=day(2026, 12, 31))
    TenancyFactory(
        tenant_name="최영수", starts_on=day(2025, 1, 1), ends_on=day(2027, 1, 1)
    )  # 61 days: not yet
    TenancyFactory(
        tenant_name="정하나",
        starts_on=day(2025, 1, 1),
        ends_on=day(2026, 11, 20),
        moved_out_on=day(2026, 10, 1),
    )

    email = services.tenancy_ending_report_send(today=today, actor=TEST_JOB)
    assert email.to == ["regen-team@example.com"]
    assert email.dedup_key == "regeneration-tenancies-ending:2026-11"
    assert "1건" in email.subject
    assert ending.house.management_number in email.body and "박*민" in email.body
    for hidden in ("박지민", "최영수", "정하나", "정*나", "최*수", ending.tenant_phone):
        assert hidden not in email.body

    again = services.tenancy_ending_report_send(today=day(2026, 11, 15), actor=TEST_JOB)
    assert again.pk == email.pk
    assert OutboxEmail.objects.count() == 1


def test_the_monthly_email_task_is_scheduled_and_queues_the_report(team_member):
    from django.conf import settings

    from regeneration.tasks import send_tenancies_ending_report

    entry = settings.CELERY_BEAT_SCHEDULE["regeneration-tenancies-ending-report"]
    assert entry["task"] == "regeneration.tasks.send_tenancies_ending_report"
    assert entry["schedule"].day_of_month == {1}
    email_id = send_tenancies_ending_report.delay().get()
    assert OutboxEmail.objects.get(pk=email_id).to == ["regen-team@example.com"]
    assert send_tenancies_ending_report.delay().get() == email_id
    assert OutboxEmail.objects.count() == 1


def test_factory_grade_rows_still_refresh(staff):
    house = VacantHouseFactory(current_grade_scheme="", current_grade=None)
    VacantHouseGradeFactory(house=house, scheme=GradeScheme.URBAN_4, grade=4, graded_on=day(2024, 1, 1))
    services.house_current_grade_refresh(house=house, actor=TEST_JOB)
    house.refresh_from_db()
    assert house.current_grade_label == "4 철거대상"


@pytest.mark.postgres
def test_the_monthly_report_runs_in_a_real_celery_worker(celery_worker_process, team_member):
    import time

    from regeneration.tasks import send_tenancies_ending_report

    TenancyFactory(
        tenant_name="박지민",
        starts_on=TODAY - datetime.timedelta(days=300),
        ends_on=TODAY + datetime.timedelta(days=10),
    )
    celery_worker_process(send_tenancies_ending_report)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not OutboxEmail.objects.exists():
        time.sleep(0.3)
    email = OutboxEmail.objects.get()
    assert email.dedup_key == f"regeneration-tenancies-ending:{TODAY:%Y-%m}"
    assert "박*민" in email.body and "박지민" not in email.body


@pytest.mark.postgres
def test_postgresql_refuses_moving_a_house_into_use_without_a_valid_consent():
    program = HousingProgramFactory()
    house = VacantHouseFactory(status=S.CONSENT_OBTAINED)
    OwnerConsentFactory(
        house=house, consented_on=day(2019, 1, 1), expires_on=TODAY - datetime.timedelta(days=1)
    )
    with pytest.raises(IntegrityError, match="in_use_needs_consent"), transaction.atomic():
        VacantHouse.objects.filter(pk=house.pk).update(status=S.IN_USE, current_program=program)
    house.refresh_from_db()
    assert house.status == S.CONSENT_OBTAINED

    OwnerConsentFactory(house=house, consented_on=TODAY, expires_on=None)
    VacantHouse.objects.filter(pk=house.pk).update(status=S.IN_USE, current_program=program)
    house.refresh_from_db()
    assert house.status == S.IN_USE
