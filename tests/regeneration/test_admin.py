import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from regeneration.models import (
    ActivationArea,
    CouncilMeeting,
    CouncilMember,
    HousingProgram,
    ProgramKind,
    ResidentCouncil,
    Tenancy,
    VacantHouse,
)

from .factories import (
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


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("regen-admin", "regen-admin@example.com", "pw")
    client.force_login(user)
    return client


def _staff_user():
    return get_user_model().objects.create_user(
        f"staff{get_user_model().objects.count()}", name="직원", is_staff=True
    )


def _council():
    council = ResidentCouncilFactory()
    CouncilMemberFactory(council=council)
    CouncilMeetingFactory(council=council)
    return council


def _meeting():
    attendance = MeetingAttendanceFactory()
    return attendance.meeting


def _url(model, view, *args):
    return reverse(f"admin:regeneration_{model._meta.model_name}_{view}", args=args)


# Masking by permission and the access log: test_personal_data.py.


def test_admin_refuses_half_rent_tenancy_over_half_the_market_rent(admin_client):
    house = VacantHouseFactory()
    program = HousingProgramFactory(kind=ProgramKind.HALF_RENT_WELFARE)
    response = admin_client.post(
        _url(Tenancy, "add"),
        {
            "house": house.pk,
            "program": program.pk,
            "tenant_name": "박지민",
            "tenant_phone": "010-9876-5432",
            "household_type": "single",
            "household_size": "1",
            "deposit": "1000000",
            "monthly_rent": "200000",
            "market_rent": "300000",
            "starts_on": "2025-07-01",
        },
    )
    assert response.status_code == 200
    assert "반값 임대 주거복지 사업의 월 임대료는 시세의 50% 이하여야 합니다." in response.content.decode()
    assert not Tenancy.objects.exists()


def test_admin_accepts_half_rent_tenancy_within_the_limit_and_sets_the_flag(admin_client):
    house = VacantHouseFactory()
    program = HousingProgramFactory(kind=ProgramKind.HALF_RENT_WELFARE)
    response = admin_client.post(
        _url(Tenancy, "add"),
        {
            "house": house.pk,
            "program": program.pk,
            "tenant_name": "박지민",
            "household_type": "single",
            "household_size": "1",
            "deposit": "1000000",
            "monthly_rent": "150000",
            "market_rent": "300000",
            "starts_on": "2025-07-01",
        },
    )
    assert response.status_code == 302
    assert Tenancy.objects.get().half_rent is True


def test_admin_refuses_a_second_current_chair(admin_client):
    chair = CouncilMemberFactory(position="chair")
    response = admin_client.post(
        _url(CouncilMember, "add"),
        {
            "council": chair.council.pk,
            "name": "이영희",
            "phone": "010-2222-3333",
            "position": "chair",
            "started_on": "2025-01-01",
        },
    )
    assert response.status_code == 200
    assert "협의체에는 현재 위원장이 한 명만 있을 수 있습니다." in response.content.decode()
    assert CouncilMember.objects.count() == 1


def test_admin_refuses_reversed_tenant_age_range(admin_client):
    response = admin_client.post(
        _url(HousingProgram, "add"),
        {
            "name": "청년쉐어하우스 2026",
            "kind": "youth_share_house",
            "year": "2026",
            "budget": "100000000",
            "tenant_min_age": "40",
            "tenant_max_age": "30",
        },
    )
    assert response.status_code == 200
    assert "입주자 최소 나이는 최대 나이보다 클 수 없습니다." in response.content.decode()
    assert not HousingProgram.objects.exists()


def test_admin_refuses_publishing_a_meeting_without_minutes(admin_client):
    council = ResidentCouncilFactory()
    response = admin_client.post(
        _url(CouncilMeeting, "add"),
        {
            "council": council.pk,
            "title": "제1차 정기회의",
            "held_at_0": "2025-03-05",
            "held_at_1": "19:00:00",
            "attendee_count": "8",
            "minutes": "",
            "is_published": "on",
            "published_at_0": "2025-03-06",
            "published_at_1": "10:00:00",
            "attendances-TOTAL_FORMS": "0",
            "attendances-INITIAL_FORMS": "0",
            "attendances-MIN_NUM_FORMS": "0",
            "attendances-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert "회의록이 있어야 공개할 수 있습니다." in response.content.decode()
    assert not CouncilMeeting.objects.exists()


def test_change_views_render_with_every_inline_filled(admin_client):
    house = VacantHouseFactory(
        status="in_use", current_program=HousingProgramFactory(kind="youth_share_house")
    )
    room = RoomFactory(house=house)
    VacantHouseGradeFactory(house=house)
    OwnerConsentFactory(house=house)
    HouseStatusChangeFactory(house=house, changed_by=_staff_user())
    RenovationFactory(house=house)
    TenancyFactory(house=house, room=room, program=house.current_program)
    response = admin_client.get(_url(VacantHouse, "change", house.pk))
    assert response.status_code == 200
    inline_counts = {
        formset.formset.prefix: formset.formset.initial_form_count()
        for formset in response.context["inline_admin_formsets"]
    }
    assert inline_counts == {
        "grades": 1,
        "consents": 1,
        "status_changes": 1,
        "renovations": 1,
        "rooms": 1,
        "tenancies": 1,
    }

    meeting = _meeting()
    assert admin_client.get(_url(CouncilMeeting, "change", meeting.pk)).status_code == 200
    council = _council()
    assert admin_client.get(_url(ResidentCouncil, "change", council.pk)).status_code == 200
    assert admin_client.get(_url(ActivationArea, "change", council.area.pk)).status_code == 200


def test_admin_fills_the_youth_share_house_age_defaults(admin_client):
    response = admin_client.post(
        _url(HousingProgram, "add"),
        {"name": "청년쉐어하우스 2026", "kind": "youth_share_house", "year": "2026", "budget": "100000000"},
    )
    assert response.status_code == 302
    program = HousingProgram.objects.get()
    assert (program.tenant_min_age, program.tenant_max_age) == (19, 39)


def test_vacant_houses_filter_by_a_grade_as_its_scheme_names_it(admin_client):
    from regeneration.models import GradeScheme

    poor = VacantHouseFactory(current_grade_scheme=GradeScheme.URBAN_4, current_grade=3)
    VacantHouseFactory(current_grade_scheme=GradeScheme.GUIDELINE_2023, current_grade=3)  # 3 정비, not 3 불량
    url = reverse("admin:regeneration_vacanthouse_changelist")
    response = admin_client.get(url, {"grade": "urban4:3"})
    assert [house.pk for house in response.context["cl"].result_list] == [poor.pk]
    assert "도시 4단계 3 불량" in response.content.decode()
    for bad in ("urban4:5", "urban4:x", "nothing"):
        refused = admin_client.get(url, {"grade": bad})
        assert refused.status_code == 302 and "e=1" in refused["Location"], bad
