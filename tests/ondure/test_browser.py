import pytest

from ondure.models import CommunityKind, Stage

from .factories import CommunityFactory, DongFactory


@pytest.fixture
def communities(transactional_db):
    # Created before Playwright starts: its event loop makes the test thread refuse ORM calls.
    dong = DongFactory(name="노송동")
    CommunityFactory(
        name="노송 천사마을 마을부엌 두레", kind=CommunityKind.VILLAGE, dong=dong, cohort_year=2015
    )
    CommunityFactory(name="풍남문 한지공예 공동체", kind=CommunityKind.STARTUP, current_stage=Stage.IEUM)
    CommunityFactory(name="비공개 공동체", is_public=False)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_directory_filters_in_a_real_browser(communities, live_server, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/ondure/")
    assert page.locator("h1").inner_text() == "온두레 공동체"
    cards = page.locator(".ondure-card h3")
    assert sorted(cards.all_inner_texts()) == ["노송 천사마을 마을부엌 두레", "풍남문 한지공예 공동체"]

    # Filters are labelled form controls, usable with the keyboard.
    page.get_by_label("공동체 유형").select_option("village")
    page.get_by_label("활동 행정동").select_option(label="노송동")
    page.locator("main").get_by_role("button", name="검색").press("Enter")
    page.wait_for_url("**/ondure/?*kind=village*")
    assert cards.all_inner_texts() == ["노송 천사마을 마을부엌 두레"]
    assert "공동체 1곳" in page.locator("#result-count").inner_text()
    assert page.get_by_label("공동체 유형").input_value() == "village"

    page.get_by_label("현재 단계").select_option("ieum")
    page.locator("main").get_by_role("button", name="검색").click()
    page.wait_for_url("**stage=ieum*")
    assert cards.count() == 0
    assert page.get_by_text("조건에 맞는 공동체가 없습니다.").is_visible()

    page.get_by_role("link", name="조건 지우기").click()
    page.wait_for_url(f"{live_server.url}/ondure/")
    page.get_by_role("link", name="풍남문 한지공예 공동체").click()
    assert page.locator("h1").inner_text() == "풍남문 한지공예 공동체"
