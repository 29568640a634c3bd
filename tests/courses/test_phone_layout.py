"""The course pages read on a 390-px phone (the browser fixture's viewport), in Debian's Chromium: the menu
stays one line, the sessions do not break words letter by letter, nothing overflows sideways."""

import pytest

from .factories import future_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ONE_LINE_MENU = """() => {
  const items = [...document.querySelectorAll('.program-nav li')];
  return new Set(items.map((item) => Math.round(item.getBoundingClientRect().top))).size;
}"""

# Every room and topic of the session list on as few lines as its words need: a line holding a single
# character means the text was broken letter by letter (the old table's "강/의/실").
BROKEN_WORDS = """() => {
  const broken = [];
  for (const element of document.querySelectorAll('.session-list .session-room, .session-list time')) {
    const range = document.createRange();
    range.selectNodeContents(element);
    const lines = range.getClientRects().length;
    const words = element.textContent.trim().split(/\\s+/).length;
    if (lines > words) broken.push(element.textContent.trim() + ': ' + lines + ' lines');
  }
  return broken;
}"""


def test_course_page_reads_on_a_phone(browser_page, live_server):
    course = future_course(title="원도심 골목 기록 학교: 사진과 구술로 남기는 우리 동네 이야기", sessions=3)
    course.sessions.update(room="도시혁신센터 3층 대강의실 201호")
    page = browser_page
    page.goto(f"{live_server.url}/courses/{course.slug}/")

    assert page.evaluate("window.innerWidth") == 390
    assert page.evaluate(ONE_LINE_MENU) == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling of the page
    assert page.locator(".session-list li").count() == 3
    assert page.evaluate(BROKEN_WORDS) == []
    # The menu's last item can be reached by scrolling the menu itself.
    last = page.locator(".program-nav li a").last
    last.scroll_into_view_if_needed()
    assert last.is_visible()
