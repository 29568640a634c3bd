"""A citizen finds a product by category in a real browser and sees where to buy it."""

import pytest

from social_economy.models import Product, Store

from .factories import ProductCertificationFactory, ProductFactory, StoreFactory, StoreListingFactory


@pytest.fixture
def catalogue(transactional_db):
    """Created before the browser starts: Playwright's event loop forbids synchronous ORM calls."""
    product = ProductFactory(
        name="전주 콩나물 장아찌",
        category=Product.Category.FOOD,
        certifications=[ProductCertificationFactory(name="HACCP")],
    )
    ProductFactory(name="한지 조명등", category=Product.Category.CRAFT_DESIGN)
    pilot = StoreFactory(name="사회적경제 시범매장", kind=Store.Kind.PILOT)
    StoreListingFactory(product=product, store=pilot, shelf_price=8000)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_citizen_finds_a_product_by_category_and_sees_where_to_buy(catalogue, live_server, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/social-economy/")
    page.get_by_role("link", name="착한 소비: 생산품·서비스").click()
    page.get_by_label("품목 분류").select_option(label="식품")
    page.locator("main").get_by_role("button", name="검색").click()
    page.wait_for_url("**category=food**")
    assert page.get_by_role("link", name="한지 조명등").count() == 0
    page.get_by_role("link", name="전주 콩나물 장아찌").click()
    assert page.get_by_role("heading", level=1).inner_text() == "전주 콩나물 장아찌"
    where = page.locator("section.se-where")
    assert "사회적경제 시범매장" in where.inner_text()
    assert "8,000" in where.inner_text()
    assert page.locator(".badge-cert").inner_text() == "HACCP"
