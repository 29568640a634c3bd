"""Public pages of urban regeneration: areas, councils with published minutes, the vacant-house map."""

import datetime
import decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from regeneration.models import HouseStatus, ProgramKind

from .factories import (
    ActivationAreaFactory,
    CouncilMeetingFactory,
    CouncilMemberFactory,
    DongFactory,
    HousingProgramFactory,
    MeetingAttachmentFactory,
    MeetingAttendanceFactory,
    ResidentCouncilFactory,
    RoomFactory,
    TenancyFactory,
    VacantHouseFactory,
)

pytestmark = pytest.mark.django_db

D = decimal.Decimal
# Every test here runs at one moment (a Wednesday morning in Korea): dates built from it cannot go stale at midnight.
MOMENT = timezone.make_aware(datetime.datetime(2027, 5, 12, 10, 0))
NOW = MOMENT


@pytest.fixture(autouse=True)
def _at_moment(time_machine):
    time_machine.move_to(MOMENT)


def _public_house(status=HouseStatus.IN_USE, **kwargs):
    program = (
        HousingProgramFactory(kind=ProgramKind.YOUTH_SHARE_HOUSE) if status == HouseStatus.IN_USE else None
    )
    defaults = {
        "status": status,
        "current_program": program,
        "is_public": True,
        "public_title": f"풍남동 한옥 {status}",
        "latitude": D("35.815249"),
        "longitude": D("127.153151"),
    }
    return VacantHouseFactory(**{**defaults, **kwargs})


def test_program_nav_links_to_the_regeneration_index(client):
    response = client.get(reverse("regeneration:houses"))
    assert f'<a href="{reverse("regeneration:index")}">도시재생</a>' in response.content.decode()


def test_index_lists_areas_with_dongs_and_council_links(client):
    area = ActivationAreaFactory(name="서학동 예술마을 도시재생활성화지역")
    area.dongs.set([DongFactory(name="서서학동")])
    council = ResidentCouncilFactory(area=area, name="서학동 주민협의체")
    ActivationAreaFactory(name="협의체 없는 지역")
    response = client.get(reverse("regeneration:index"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "서학동 예술마을 도시재생활성화지역" in content and "서서학동" in content
    assert reverse("regeneration:council_detail", args=[council.pk]) in content
    assert "주민협의체가 아직 구성되지 않았습니다." in content


def test_council_page_shows_upcoming_meetings_and_only_published_minutes(client):
    council = ResidentCouncilFactory(name="구도심 주민협의체")
    CouncilMeetingFactory(
        council=council,
        title="다음 정기회의",
        held_at=NOW + datetime.timedelta(days=10),
        minutes="",
        agenda="골목 축제",
    )
    past = NOW - datetime.timedelta(days=40)
    published = CouncilMeetingFactory(
        council=council, title="공개된 회의", minutes="공개 회의록 본문", published=True, held_at=past
    )
    CouncilMeetingFactory(
        council=council,
        title="비공개 회의",
        minutes="비공개 회의록 본문",
        held_at=past - datetime.timedelta(days=30),
    )
    public_file = MeetingAttachmentFactory(meeting=published, title="공개 자료")
    hidden_file = MeetingAttachmentFactory(meeting=published, title="서명부", is_public=False)
    response = client.get(reverse("regeneration:council_detail", args=[council.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "다음 정기회의" in content and "골목 축제" in content
    assert "공개 회의록 본문" in content
    assert "비공개 회의록 본문" not in content and "비공개 회의" not in content
    assert "공개 자료" in content and "서명부" not in content

    download = client.get(reverse("regeneration:attachment_download", args=[public_file.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("regeneration:attachment_download", args=[hidden_file.pk])).status_code == 404
    unpublished = MeetingAttachmentFactory(meeting=CouncilMeetingFactory(council=council))
    assert client.get(reverse("regeneration:attachment_download", args=[unpublished.pk])).status_code == 404


def test_unknown_council_is_404(client):
    assert client.get(reverse("regeneration:council_detail", args=[999999])).status_code == 404


def test_map_page_has_the_map_the_text_list_and_the_filter_form(client):
    house = _public_house(public_title="청년 쉐어하우스 풍남")
    response = client.get(reverse("regeneration:houses"))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="house-map"' in content and "data-geojson-url=" in content
    assert 'id="house-list"' in content and "청년 쉐어하우스 풍남" in content
    assert f'id="house-{house.pk}"' in content
    assert 'id="house-filter"' in content and 'for="id_dong"' in content and 'for="id_program"' in content
    assert "regeneration/vendor/leaflet/leaflet.js" in content
    assert "tile.openstreetmap.org" in content


def test_tile_server_is_a_setting(client, settings):
    settings.REGENERATION_MAP_TILE_URL = "https://tiles.example.kr/{z}/{x}/{y}.png"
    content = client.get(reverse("regeneration:houses")).content.decode()
    assert "https://tiles.example.kr/{z}/{x}/{y}.png" in content
    assert "tile.openstreetmap.org" not in content


def test_map_shows_only_public_houses_in_use_or_open_for_reuse(client):
    shown = {
        status: _public_house(status=status, public_title=f"보이는 집 {status}")
        for status in (HouseStatus.IN_USE, HouseStatus.RENOVATION, HouseStatus.CONSENT_OBTAINED)
    }
    _public_house(status=HouseStatus.SURVEYED, public_title="조사만 한 집")
    _public_house(status=HouseStatus.RETURNED_TO_OWNER, public_title="반환된 집")
    _public_house(status=HouseStatus.IN_USE, is_public=False, public_title="비공개 집")
    body = client.get(reverse("regeneration:houses_geojson")).json()
    titles = sorted(feature["properties"]["title"] for feature in body["features"])
    assert titles == sorted(house.public_title for house in shown.values())
    content = client.get(reverse("regeneration:houses")).content.decode()
    for hidden in ("조사만 한 집", "반환된 집", "비공개 집"):
        assert hidden not in content


def test_geojson_rounds_coordinates_to_about_100_m_and_has_public_fields_only(client):
    house = _public_house(latitude=D("35.815649"), longitude=D("127.153451"))
    response = client.get(reverse("regeneration:houses_geojson"))
    assert response["Content-Type"].startswith("application/geo+json")
    feature = response.json()["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [127.153, 35.816]}
    assert set(feature["properties"]) == {
        "id",
        "title",
        "dong",
        "building_type",
        "built_year",
        "status",
        "status_label",
        "program",
        "program_kind",
        "program_kind_label",
        "description",
        "photo_url",  # the public picture, stripped of its EXIF (tests/common/test_object_storage.py)
    }
    assert feature["properties"]["id"] == house.pk


def test_house_without_coordinates_is_listed_but_not_on_the_map(client):
    _public_house(latitude=None, longitude=None, public_title="좌표 없는 집")
    assert client.get(reverse("regeneration:houses_geojson")).json()["features"] == []
    assert "좌표 없는 집" in client.get(reverse("regeneration:houses")).content.decode()


def test_filters_are_shared_by_the_list_and_the_map(client):
    _public_house(public_title="쉐어하우스", dong=DongFactory(name="풍남동"))
    _public_house(status=HouseStatus.RENOVATION, public_title="공사 중", dong=DongFactory(name="노송동"))
    query = {"status": "renovation"}
    geo = client.get(reverse("regeneration:houses_geojson"), query).json()
    assert [f["properties"]["title"] for f in geo["features"]] == ["공사 중"]
    page = client.get(reverse("regeneration:houses"), query).content.decode()
    assert "공사 중" in page and "쉐어하우스</h3>" not in page
    program = client.get(reverse("regeneration:houses_geojson"), {"program": "youth_share_house"}).json()
    assert [f["properties"]["title"] for f in program["features"]] == ["쉐어하우스"]


@pytest.mark.parametrize("query", [{"status": "surveyed"}, {"dong": "abc"}, {"program": "casino"}])
def test_invalid_filter_is_a_400_with_a_korean_message(client, query):
    _public_house(public_title="보이는 집")
    page = client.get(reverse("regeneration:houses"), query)
    assert page.status_code == 400
    assert "검색 조건이 올바르지 않습니다." in page.content.decode()
    assert "보이는 집</h3>" not in page.content.decode()
    geo = client.get(reverse("regeneration:houses_geojson"), query)
    assert geo.status_code == 400
    assert geo.json()["detail"] == "필터 값이 올바르지 않습니다."


# --- Personal data never leaves the back office --------------------------------------------------


def _seed_personal_data():
    """Distinctive personal values everywhere: owners, tenants, members (with attendance)."""
    program = HousingProgramFactory(kind=ProgramKind.YOUTH_SHARE_HOUSE, name="청년쉐어하우스 풍남")
    house = _public_house(
        current_program=program,
        owner_name="소유자황보철",
        owner_phone="010-7777-1234",
        owner_address="서울특별시 강남구 소유로 77",
        address="전북특별자치도 전주시 완산구 풍남동3가 99-9",
    )
    room = RoomFactory(house=house)
    TenancyFactory(
        house=house,
        room=room,
        program=program,
        tenant_name="입주자남궁민",
        tenant_phone="010-8888-4321",
        tenant_birth_date=datetime.date(1999, 9, 19),
    )
    council = ResidentCouncilFactory()
    member = CouncilMemberFactory(council=council, name="위원제갈량", phone="010-9999-5678", position="chair")
    meeting = CouncilMeetingFactory(council=council, published=True)
    MeetingAttendanceFactory(meeting=meeting, member=member)
    return {
        "values": [
            "소유자황보철",
            "010-7777-1234",
            "7777-1234",
            "소유로 77",
            "풍남동3가 99-9",
            "입주자남궁민",
            "010-8888-4321",
            "1999-09-19",
            "위원제갈량",
            "010-9999-5678",
            "35.815249",
            "127.153151",
        ],
        "council": council,
        "meeting": meeting,
        "house": house,
    }


def test_no_public_page_or_api_response_contains_personal_data(client):
    seeded = _seed_personal_data()
    pages = [
        reverse("regeneration:index"),
        reverse("regeneration:houses"),
        reverse("regeneration:houses_geojson"),
        reverse("regeneration:council_detail", args=[seeded["council"].pk]),
    ]
    outputs = {url: client.get(url).content.decode() for url in pages}
    assert all(output for output in outputs.values())
    # The seeded rows are really on the pages (so a leak would show up).
    assert seeded["house"].public_title in outputs[reverse("regeneration:houses")]
    assert (
        seeded["meeting"].minutes[:20]
        in outputs[reverse("regeneration:council_detail", args=[seeded["council"].pk])]
    )
    for url, output in outputs.items():
        for value in seeded["values"]:
            assert value not in output, (url, value)


def test_no_partner_api_response_contains_personal_data(client):
    from tests.partners.factories import make_key

    seeded = _seed_personal_data()
    _key, raw = make_key("regeneration:read")
    headers = {"HTTP_AUTHORIZATION": f"Api-Key {raw}"}
    for resource in ("areas", "vacant-houses", "housing-programs", "councils", "council-meetings"):
        for fmt in ("", "?format=csv"):
            response = client.get(f"/api/v1/{resource}/{fmt}", **headers)
            assert response.status_code == 200, (resource, response.content[:200])
            output = response.content.decode("utf-8-sig")
            for value in seeded["values"][:-2]:  # the API rounds coordinates too, checked below
                assert value not in output, (resource, value)
            assert "35.815249" not in output and "127.153151" not in output


# --- Constant query counts ---------------------------------------------------------------------


def _grow_houses(n):
    for _ in range(n):
        house = _public_house(dong=DongFactory())
        TenancyFactory(house=house, program=house.current_program, room=RoomFactory(house=house))


def _grow_areas(n):
    for _ in range(n):
        area = ActivationAreaFactory()
        area.dongs.set([DongFactory(), DongFactory(name="노송동")])
        ResidentCouncilFactory(area=area)


def _grow_minutes(council, n):
    for _ in range(n):
        meeting = CouncilMeetingFactory(council=council, published=True)
        MeetingAttachmentFactory(meeting=meeting)
        CouncilMeetingFactory(council=council, held_at=NOW + datetime.timedelta(days=30 + meeting.pk))


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response


@pytest.mark.parametrize("name", ["regeneration:houses", "regeneration:houses_geojson"])
def test_map_pages_run_the_same_queries_for_n_and_2n_houses(client, name):
    url = reverse(name)
    _grow_houses(4)
    first, response = _queries(client, url)
    _grow_houses(4)
    second, response2 = _queries(client, url)
    assert second == first
    if name.endswith("geojson"):
        assert (len(response.json()["features"]), len(response2.json()["features"])) == (4, 8)


def test_index_runs_the_same_queries_for_n_and_2n_areas(client):
    url = reverse("regeneration:index")
    _grow_areas(3)
    first, _response = _queries(client, url)
    _grow_areas(3)
    second, response = _queries(client, url)
    assert second == first
    assert len(response.context["areas"]) == 6


def test_council_page_runs_the_same_queries_for_n_and_2n_meetings(client):
    council = ResidentCouncilFactory()
    url = reverse("regeneration:council_detail", args=[council.pk])
    _grow_minutes(council, 3)
    first, _response = _queries(client, url)
    _grow_minutes(council, 3)
    second, response = _queries(client, url)
    assert second == first
    assert len(response.context["minutes"]) == 6


def test_public_pages_render_the_demo_data(client):
    from jeonju_center.demo import base
    from jeonju_center.demo.context import DemoContext
    from regeneration import demo
    from regeneration.models import ResidentCouncil, VacantHouse

    ctx = DemoContext(scale=1, today=timezone.localdate())
    base.seed(ctx)
    demo.seed(ctx)
    assert client.get(reverse("regeneration:index")).status_code == 200
    shown = VacantHouse.objects.filter(
        is_public=True, status__in=["consent_obtained", "renovation", "in_use"], latitude__isnull=False
    ).count()
    assert shown > 0
    assert len(client.get(reverse("regeneration:houses_geojson")).json()["features"]) == shown
    assert client.get(reverse("regeneration:houses")).status_code == 200
    for council in ResidentCouncil.objects.all():
        page = client.get(reverse("regeneration:council_detail", args=[council.pk]))
        assert page.status_code == 200
        assert len(page.context["minutes"]) == 4
        for name in council.members.values_list("name", flat=True):
            assert name not in page.content.decode()
