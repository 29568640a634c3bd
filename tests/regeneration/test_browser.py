"""The public vacant-house map in a real browser: markers come from the GeoJSON data, and the list works
with JavaScript off. Tiles are pointed at the test server itself, so no test needs the network."""

import decimal

import pytest

from regeneration.models import HouseStatus, ProgramKind

from .factories import DongFactory, HousingProgramFactory, VacantHouseFactory

D = decimal.Decimal


@pytest.fixture
def houses(db):
    """Written before the browser starts: Playwright's event loop forbids ORM calls afterwards."""
    program = HousingProgramFactory(kind=ProgramKind.YOUTH_SHARE_HOUSE)
    VacantHouseFactory(
        status=HouseStatus.IN_USE,
        current_program=program,
        is_public=True,
        public_title="풍남동 청년쉐어하우스",
        latitude=D("35.8152"),
        longitude=D("127.1531"),
        owner_name="소유자황보철",
    )
    VacantHouseFactory(
        status=HouseStatus.RENOVATION,
        is_public=True,
        public_title="노송동 마을 사랑방",
        dong=DongFactory(name="노송동"),
        latitude=D("35.8231"),
        longitude=D("127.1462"),
    )
    VacantHouseFactory(status=HouseStatus.SURVEYED, is_public=True, public_title="조사만 한 집")


@pytest.fixture
def offline_tiles(settings, live_server):
    settings.REGENERATION_MAP_TILE_URL = (
        f"{live_server.url}/static/regeneration/vendor/leaflet/images/layers.png?{{z}}{{x}}{{y}}"
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_markers_appear_from_the_data(houses, offline_tiles, live_server, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/regeneration/houses/")
    page.wait_for_selector("#house-map[data-marker-count]")
    assert page.get_attribute("#house-map", "data-marker-count") == "2"
    markers = page.locator("#house-map .leaflet-marker-icon")
    assert markers.count() == 2
    titles = sorted(markers.nth(i).get_attribute("title") for i in range(2))
    assert titles == ["노송동 마을 사랑방", "풍남동 청년쉐어하우스"]
    markers.first.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "목록에서 보기" in popup.inner_text()
    assert "소유자황보철" not in page.content()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_list_and_the_filters_work_with_javascript_off(houses, offline_tiles, live_server, browser_page):
    context = browser_page.context.browser.new_context(java_script_enabled=False, locale="ko-KR")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/regeneration/houses/")
        cards = page.locator("#house-list > li h3")
        assert sorted(cards.all_inner_texts()) == ["노송동 마을 사랑방", "풍남동 청년쉐어하우스"]
        assert page.locator("#house-map .leaflet-marker-icon").count() == 0
        page.select_option("#id_status", "renovation")
        page.click("#house-filter button[type=submit]")
        page.wait_for_url("**/regeneration/houses/?*status=renovation*")
        assert page.locator("#house-list > li h3").all_inner_texts() == ["노송동 마을 사랑방"]
    finally:
        context.close()
