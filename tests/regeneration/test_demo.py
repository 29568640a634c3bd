import datetime
import itertools

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from jeonju_center.demo import base
from jeonju_center.demo.context import DemoContext
from regeneration import demo
from regeneration.models import (
    ActivationArea,
    CouncilMeeting,
    CouncilMember,
    GradeScheme,
    HouseStatus,
    HousingProgram,
    OwnerConsent,
    ProgramKind,
    ResidentCouncil,
    Room,
    Tenancy,
    VacantHouse,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 24)
# The history tables (django-simple-history) are not seeded: they fill as rows are saved.
REGENERATION_MODELS = [
    model
    for model in apps.get_app_config("regeneration").get_models()
    if not model._meta.model_name.startswith("historical")
]


def _counts():
    return {model.__name__: model.objects.count() for model in REGENERATION_MODELS}


@pytest.fixture
def seeded():
    ctx = DemoContext(scale=1, today=TODAY)
    base.seed(ctx)
    summary = demo.seed(ctx)
    return ctx, summary


def test_seed_is_idempotent_and_fills_every_model(seeded):
    ctx, summary = seeded
    first = _counts()
    assert all(first[name] > 0 for name in first), first
    assert first["VacantHouse"] == demo.HOUSES_PER_SCALE
    assert "vacant houses: 60 created, 60 total" in summary

    second_summary = demo.seed(ctx)
    assert _counts() == first
    assert all(" 0 created" in line for line in second_summary), second_summary


def test_seed_does_not_change_existing_rows(seeded):
    ctx, _summary = seeded
    before = {
        model.__name__: sorted(
            tuple(str(value) for value in row)
            for row in model.objects.values_list(
                *[
                    f.attname
                    for f in model._meta.concrete_fields
                    if f.attname not in ("created_at", "updated_at")
                ]
            )
        )
        for model in REGENERATION_MODELS
    }
    demo.seed(ctx)
    after = {
        model.__name__: sorted(
            tuple(str(value) for value in row)
            for row in model.objects.values_list(
                *[
                    f.attname
                    for f in model._meta.concrete_fields
                    if f.attname not in ("created_at", "updated_at")
                ]
            )
        )
        for model in REGENERATION_MODELS
    }
    assert after == before


def test_seed_is_deterministic_across_runs(seeded):
    fields = ["management_number", "address", "status", "current_grade", "owner_name", "latitude"]
    houses = list(VacantHouse.objects.order_by("management_number").values_list(*fields))
    members = sorted(CouncilMember.objects.values_list("name", "phone", "position"))
    tenancies = sorted(Tenancy.objects.values_list("tenant_name", "monthly_rent", "starts_on"))

    # Drop everything the app seeded and seed again: the same data comes back.
    for model in [
        Tenancy,
        Room,
        VacantHouse,
        HousingProgram,
        CouncilMember,
        CouncilMeeting,
        ResidentCouncil,
        ActivationArea,
    ]:
        model.objects.all().delete()  # cascades to the children
    assert sum(_counts().values()) == 0
    demo.seed(seeded[0])
    assert list(VacantHouse.objects.order_by("management_number").values_list(*fields)) == houses
    assert sorted(CouncilMember.objects.values_list("name", "phone", "position")) == members
    assert sorted(Tenancy.objects.values_list("tenant_name", "monthly_rent", "starts_on")) == tenancies


def test_every_status_scheme_and_program_kind_is_present(seeded):
    assert set(VacantHouse.objects.values_list("status", flat=True)) == set(HouseStatus.values)
    assert set(VacantHouse.objects.values_list("current_grade_scheme", flat=True)) == set(GradeScheme.values)
    assert set(HousingProgram.objects.values_list("kind", flat=True)) == set(ProgramKind.values)
    assert HousingProgram.objects.count() == len(ProgramKind.values)
    houses_regraded = VacantHouse.objects.filter(grades__reason__in=["resurvey", "renovation"]).distinct()
    assert houses_regraded.exists()
    # Every house past "owner contacted" has the owner's consent; none before it has.
    past_contact = VacantHouse.objects.exclude(status__in=[HouseStatus.SURVEYED, HouseStatus.OWNER_CONTACTED])
    assert not past_contact.filter(consents__isnull=True).exists()
    assert not OwnerConsent.objects.filter(
        house__status__in=[HouseStatus.SURVEYED, HouseStatus.OWNER_CONTACTED]
    ).exists()


def test_current_grade_repeats_the_latest_grade(seeded):
    for house in VacantHouse.objects.prefetch_related("grades"):
        latest = max(house.grades.all(), key=lambda grade: grade.graded_on)
        assert (house.current_grade_scheme, house.current_grade) == (latest.scheme, latest.grade)


def test_status_history_ends_in_the_current_status(seeded):
    for house in VacantHouse.objects.prefetch_related("status_changes"):
        changes = sorted(house.status_changes.all(), key=lambda change: change.changed_at)
        assert changes[0].from_status == ""
        assert changes[-1].to_status == house.status
        for before, after in itertools.pairwise(changes):
            assert after.from_status == before.to_status


def test_areas_councils_and_meetings(seeded):
    assert ActivationArea.objects.count() == 4
    old_town = ActivationArea.objects.get(name="전주 구도심 도시재생활성화지역")
    assert set(old_town.dongs.values_list("name", flat=True)) == {"중앙동", "풍남동", "노송동", "완산동"}
    for area in ActivationArea.objects.select_related("council"):
        council = area.council
        assert 8 <= council.members.filter(ended_on__isnull=True).count() <= 15
        assert council.members.filter(position="chair", ended_on__isnull=True).count() == 1
        assert council.meetings.count() == demo.MEETINGS_PER_COUNCIL
        assert council.meetings.filter(is_published=True).exists()
        assert council.meetings.filter(is_published=False).exists()
    held = CouncilMeeting.objects.exclude(minutes="")
    for meeting in held.prefetch_related("attendances"):
        attended = [a for a in meeting.attendances.all() if a.attended]
        assert meeting.attendee_count == len(attended)
        assert meeting.attendances.exists()


def test_tenancies_follow_the_program_rules(seeded):
    half_rent = Tenancy.objects.filter(program__kind=ProgramKind.HALF_RENT_WELFARE)
    assert half_rent.exists()
    for tenancy in half_rent:
        assert tenancy.half_rent is True
        assert tenancy.monthly_rent * 2 <= tenancy.market_rent
    assert (
        not Tenancy.objects.exclude(program__kind=ProgramKind.HALF_RENT_WELFARE)
        .filter(half_rent=True)
        .exists()
    )

    youth = Tenancy.objects.filter(program__kind=ProgramKind.YOUTH_SHARE_HOUSE, anonymised_at__isnull=True)
    assert youth.exists()
    for tenancy in youth:
        born, start = tenancy.tenant_birth_date, tenancy.starts_on
        age = start.year - born.year - ((start.month, start.day) < (born.month, born.day))
        assert 19 <= age <= 39, (tenancy.pk, age)
        assert tenancy.room is not None and tenancy.room.house_id == tenancy.house_id
    assert Room.objects.filter(house__tenancies__program__kind=ProgramKind.YOUTH_SHARE_HOUSE).exists()


def test_coordinates_are_inside_jeonju(seeded):
    for lat, lng in VacantHouse.objects.values_list("latitude", "longitude"):
        assert 35.80 <= float(lat) <= 35.85
        assert 127.10 <= float(lng) <= 127.17


def test_every_seeded_row_passes_full_clean(seeded):
    failures = []
    for model in REGENERATION_MODELS:
        for obj in model.objects.all():
            try:
                obj.full_clean()
            except ValidationError as error:
                failures.append((model.__name__, obj.pk, error.message_dict))
    assert failures == []


def test_council_members_have_valid_phones(seeded):
    assert not CouncilMember.objects.filter(phone="").exists()
