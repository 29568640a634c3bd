"""Accessibility of every public page in a real browser (Debian's Chromium driven by Playwright).

* axe-core (axe-playwright-python) on each page the issue lists: no serious or critical violation;
* enrolment in a course with the keyboard alone;
* at phone width (390 px) the home page and the catalogue do not overflow horizontally (with screenshots).

A page is skipped only when its URL name does not exist yet (another app has not built it), with the reason.
"""

import re

import pytest
from django.urls import NoReverseMatch, reverse

from courses.models import Enrollment, EnrollmentStatus
from jeonju_center.common.actors import Actor
from tests.actors import TEST_JOB
from tests.browser_session import log_in
from tests.courses.factories import EnrollmentFactory, UserFactory, future_course
from tests.news.factories import NewsPostFactory
from tests.ondure.factories import CommunityFactory
from tests.regeneration.factories import ResidentCouncilFactory
from tests.social_economy.factories import OrganizationFactory, ProductFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING_IMPACTS = {"serious", "critical"}

# (label, URL name, how to build the arguments from the fixture data, logged in?)
PAGES = [
    ("home", "home", None, False),
    ("news list", "news:list", None, False),
    ("news detail", "news:detail", lambda d: [d["post"].slug], False),
    ("newsletter", "news:newsletter", None, False),
    ("course catalogue", "courses:catalogue", None, False),
    ("course detail", "courses:detail", lambda d: [d["course"].slug], False),
    ("course detail (logged in, enrol form)", "courses:detail", lambda d: [d["course"].slug], True),
    ("sign-up", "account_signup", None, False),
    ("login", "account_login", None, False),
    ("my enrolments (/me/)", "courses:my_enrollments", None, True),
    ("social-economy directory", "social_economy:directory", None, False),
    (
        "social-economy organization",
        "social_economy:organization_detail",
        lambda d: [d["organization"].pk],
        False,
    ),
    ("social-economy products", "social_economy:products", None, False),
    ("social-economy product", "social_economy:product_detail", lambda d: [d["product"].pk], False),
    ("Ondure directory", "ondure:directory", None, False),
    ("Ondure community", "ondure:community_detail", lambda d: [d["community"].pk], False),
    ("regeneration index", "regeneration:index", None, False),
    ("regeneration houses", "regeneration:houses", None, False),
    ("regeneration council", "regeneration:council_detail", lambda d: [d["council"].pk], False),
    ("about the center", "about", None, False),
    ("terms of use", "terms", None, False),
    ("privacy policy", "privacy", None, False),
    ("course feedback survey", "courses:feedback", lambda d: [d["feedback_token"]], False),
    ("cancel confirmation", "courses:cancel", lambda d: [d["enrolled_course"].slug], True),
    ("notification settings", "accounts:notifications", None, True),
    ("calls", "calls:list", None, False),
    ("call notice", "calls:detail", lambda d: [d["call"].slug], False),
    ("call application form", "calls:apply", lambda d: [d["call"].slug], True),
    ("published draw", "calls:draw", lambda d: [d["drawn_call"].slug], False),
    ("my applications", "calls:my_applications", None, True),
    ("notices", "news:notices", None, False),
    ("notice", "news:notice_detail", lambda d: [d["notice"].slug], False),
    ("FAQ", "news:faq", None, False),
    ("library", "news:library", None, False),
    ("search results", "search:results", None, False),
    ("spaces", "spaces:list", None, False),
    ("space week calendar", "spaces:detail", lambda d: [d["space"].slug], False),
    ("booking form", "spaces:book", lambda d: [d["space"].slug], True),
    ("my bookings", "spaces:my_bookings", None, True),
    ("my organization", "my_organization:home", None, True),
    ("organization invitation", "my_organization:invitation", lambda d: [d["invitation_token"]], True),
    ("organization consulting", "my_organization:consulting", lambda d: [d["organization"].pk], True),
    ("survey answer (e-mail link)", "social_economy:survey", lambda d: [d["survey_token"]], False),
    (
        "survey answer (member)",
        "my_organization:survey",
        lambda d: [d["organization"].pk, d["survey_campaign"].pk],
        True,
    ),
    ("survey answer submitted", "social_economy:survey", lambda d: [d["submitted_survey_token"]], False),
    ("organization profile", "my_organization:profile", lambda d: [d["organization"].pk], True),
    ("organization products", "my_organization:products", lambda d: [d["organization"].pk], True),
    ("organization new product", "my_organization:product_new", lambda d: [d["organization"].pk], True),
    (
        "organization product",
        "my_organization:product",
        lambda d: [d["organization"].pk, d["product"].pk],
        True,
    ),
    ("organization history", "my_organization:history", lambda d: [d["organization"].pk], True),
    ("my community", "community:home", None, True),
    ("grant settlement", "community:settlement", lambda d: [d["grant"].pk], True),
    ("new inquiry (visitor)", "inquiries:new", None, False),
    ("new inquiry (signed in)", "inquiries:new", None, True),
    ("my inquiries", "inquiries:mine", None, True),
    ("inquiry e-mail confirmation", "inquiries:confirm", lambda d: [d["inquiry_token"]], False),
    ("my inquiry", "inquiries:detail", lambda d: [d["inquiry"].pk], True),
    ("library item", "news:library_detail", lambda d: [d["publication"].slug], False),
    (
        "newsletter issue page",
        "news:newsletter_issue",
        lambda d: [d["publication"].newsletter_issue_id],
        False,
    ),
]


@pytest.fixture
def site_data(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls here are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    organization = OrganizationFactory(name="전주 한지 협동조합")
    citizen = UserFactory(email="citizen-a11y@example.com", name="김접근")
    enrolled_course = future_course(title="주경야독 인문학")
    EnrollmentFactory(course=enrolled_course, user=citizen)
    return {
        "post": NewsPostFactory(
            title="가을 시민강좌 모집", body='<p>안내</p><img src="/static/x.png" alt="강의실">'
        ),
        "course": future_course(title="마을공동체 첫걸음"),
        "organization": organization,
        "product": ProductFactory(organization=organization, name="한지 조명등"),
        "community": CommunityFactory(name="풍남문 공예 공동체"),
        "council": ResidentCouncilFactory(),
        "citizen": citizen,
        "enrolled_course": enrolled_course,
        **_calls(citizen),
        "notice": NewsPostFactory(title="연말 운영 시간 안내", kind="notice", is_pinned=True),
        "faq": _faq(),
        "publication": _publication(),
        "inquiry": _inquiry(citizen),
        "inquiry_token": _visitor_inquiry_token(),
        "feedback_token": _feedback_token(citizen),
        "grant": _grant_with_a_line(citizen),
        "invitation_token": _invitation_token(citizen, organization),
        **_survey(organization),
        "space": _space(citizen),
    }


def _faq():
    from jeonju_center.news.models import FaqEntry

    return FaqEntry.objects.create(
        program="courses", question="수강 취소는 어떻게 하나요?", answer="나의 강좌에서 취소합니다."
    )


def _space(citizen):
    import datetime

    from django.utils import timezone

    from spaces.rules import closed_reason
    from spaces.services import booking_approve, booking_request
    from tests.courses.factories import StaffFactory
    from tests.spaces.factories import at, room

    space = room(open_weekdays="0123456", closed_on_holidays=False)
    day = timezone.localdate() + datetime.timedelta(days=3)
    assert not closed_reason(space, day)
    booking = booking_request(
        space=space, actor=citizen, starts_at=at(day, 10), ends_at=at(day, 12), purpose="주민 모임", headcount=4,
        agreed=True,
    )  # fmt: skip
    booking_approve(booking_id=booking.pk, actor=StaffFactory())
    return space


def _inquiry(citizen):
    from jeonju_center.inquiries.services import inquiry_submit

    return inquiry_submit(
        team="education", subject="주말 강좌", question="토요일 강좌가 있나요?", agreed=True, actor=citizen
    )


def _invitation_token(citizen, organization):
    """The citizen is a member of one organization and invited to another."""
    from social_economy.members import invitation_token, member_invite
    from social_economy.models import OrganizationMember
    from tests.courses.factories import StaffFactory

    OrganizationMember.objects.create(
        organization=organization, user=citizen, status="active", role="contact"
    )
    invited = member_invite(
        organization=OrganizationFactory(name="완산 로컬푸드 협동조합"), email=citizen.email, role="representative",
        actor=StaffFactory(),
    )  # fmt: skip
    return invitation_token(invited)


def _survey(organization):
    """A campaign being run: the citizen's organization has a draft; another organization has submitted."""
    import datetime

    from django.utils import timezone

    from social_economy import services, surveys
    from tests.social_economy.factories import SurveyCampaignFactory

    today = timezone.localdate()
    campaign = SurveyCampaignFactory(
        name="올해 전수조사", year=today.year, starts_on=today - datetime.timedelta(days=5),
        ends_on=today + datetime.timedelta(days=30), status="planned",
    )  # fmt: skip
    submitted = OrganizationFactory(name="덕진 두부 협동조합")
    tofu = ProductFactory(organization=submitted, name="손두부")
    services.survey_campaign_open(campaign=campaign, actor=TEST_JOB)
    draft = campaign.responses.get(organization=organization)
    done = campaign.responses.get(organization=submitted)
    surveys.survey_response_save(
        response_id=done.pk,
        answers={"respondent_name": "박응답", "respondent_phone": "010-2222-3333", "annual_revenue": 5000000},
        product_rows=[{"product_id": tofu.pk, "annual_sales": 4000000, "unit_price": 5000}],
        submit=True,
        actor=TEST_JOB,
    )
    return {
        "survey_campaign": campaign,
        "survey_token": surveys.link_token(draft, "coop@example.org"),
        "submitted_survey_token": surveys.link_token(done, "tofu@example.org"),
    }


def _grant_with_a_line(citizen):
    """A grant of a community the citizen leads, with one expense line in its settlement."""
    import datetime

    from django.utils import timezone

    from ondure.settlements import expense_add, settlement_start
    from tests.ondure.factories import CommunityMemberFactory, SupportRecordFactory

    grant = SupportRecordFactory(
        supported_on=timezone.localdate() - datetime.timedelta(days=30), amount=2_000_000
    )
    CommunityMemberFactory(community=grant.community, user=citizen, role="leader")
    settlement = settlement_start(support_record=grant, actor=citizen)
    expense_add(settlement_id=settlement.pk, actor=citizen, spent_on=timezone.localdate(), vendor="한지 공방",
                purpose="공예 재료", category="materials", amount=300_000)  # fmt: skip
    return grant


def _feedback_token(citizen):
    import datetime

    from django.utils import timezone

    from courses.feedback import feedback_token
    from tests.courses.factories import AttendanceFactory, CourseFactory, CourseSessionFactory

    course = CourseFactory(title="지난 마을 기록 강좌")
    session = CourseSessionFactory(course=course, date=timezone.localdate() - datetime.timedelta(days=2))
    enrollment = EnrollmentFactory(course=course, user=citizen)
    AttendanceFactory(enrollment=enrollment, session=session)
    return feedback_token(enrollment)


def _visitor_inquiry_token():
    from jeonju_center.inquiries.services import inquiry_submit

    return inquiry_submit(
        team="center", subject="대관 문의", question="회의실이 있나요?", agreed=True, name="방문자",
        email="visitor-a11y@example.com", actor=Actor.citizen(None),
    ).confirm_token  # fmt: skip


def _publication():
    import datetime

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from jeonju_center.news.models import NewsletterIssue, Publication, PublicationAttachment

    issue = NewsletterIssue.objects.create(
        subject="뉴스레터 10월호", intro="<p>10월 소식</p>", status="sent", send_started_at=timezone.now()
    )
    publication = Publication.objects.create(
        slug="newsletter-october", category="newsletter", title="뉴스레터 10월호", year=2026,
        summary="10월 소식지", published_on=datetime.date(2026, 10, 30), newsletter_issue=issue,
    )  # fmt: skip
    PublicationAttachment.objects.create(
        publication=publication, title="인쇄본", file=ContentFile(b"%PDF-1.4\n", name="october.pdf")
    )
    return publication


def _calls(citizen):
    """An open housing call the citizen applied to, and a decided call with its published draw."""
    import datetime

    from django.utils import timezone

    from calls.services import application_save, application_start, call_decide
    from tests.calls.factories import housing_call, pdf, young_applicant_data
    from tests.courses.factories import StaffFactory

    def apply(call, user, now):
        application = application_start(call=call, actor=user, now=now)
        documents = {requirement.pk: pdf() for requirement in call.documents.all()}
        application_save(application=application, actor=user, data=young_applicant_data(call), documents=documents,
                         consent=True, submit=True, now=now)  # fmt: skip

    now = timezone.now()
    open_call = housing_call(title="청년쉐어하우스 입주자 모집", opens_at=now - datetime.timedelta(days=1),
                             closes_at=now + datetime.timedelta(days=10))  # fmt: skip
    earlier = now - datetime.timedelta(days=30)
    drawn = housing_call(
        title="지난 모집", opens_at=earlier, closes_at=earlier + datetime.timedelta(days=10), places=1
    )
    for _ in range(3):
        apply(drawn, UserFactory(), earlier + datetime.timedelta(days=1))
    call_decide(call=drawn, actor=StaffFactory(), seed="12-34", now=now)
    apply(open_call, citizen, now)
    return {"call": open_call, "drawn_call": drawn}


def _url(url_name, args):
    try:
        return reverse(url_name, args=args)
    except NoReverseMatch:
        pytest.skip(f"URL name {url_name!r} does not exist yet (its app has not built the page)")


def _blocking_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(
            node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
            for node in violation["nodes"][:5]
        )
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


@pytest.mark.parametrize(("label", "url_name", "args", "logged_in"), PAGES, ids=[p[0] for p in PAGES])
def test_page_has_no_serious_or_critical_axe_violation(
    browser_page, live_server, site_data, label, url_name, args, logged_in
):
    path = _url(url_name, args(site_data) if args else None)
    page = browser_page
    if logged_in:
        log_in(page, live_server, site_data["citizen"])
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200, f"{label}: {path} answered {response.status}"
    # The shared layout is there: one main landmark, a skip link to it, one h1, the language in <html>.
    assert page.locator("main#main").count() == 1
    assert page.locator('a.skip-link[href="#main"]').count() == 1
    assert page.locator("h1").count() == 1, f"{label}: the page must have exactly one h1"
    assert page.get_attribute("html", "lang") == "ko"
    assert _blocking_violations(page) == [], f"{label} ({path})"


def test_enrollment_works_with_the_keyboard_alone(browser_page, live_server, site_data):
    page = browser_page
    course, citizen = site_data["course"], site_data["citizen"]
    log_in(page, live_server, citizen)
    page.goto(f"{live_server.url}{reverse('courses:detail', args=[course.slug])}")

    # The first Tab reaches the skip link, and it moves focus to the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    assert page.evaluate("getComputedStyle(document.activeElement).top") != "-160px"  # it became visible
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    def tab_to(locator, limit=60):
        target = locator.element_handle()
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate("el => el === document.activeElement", target):
                outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
                assert outline != "none", "the focused element must show a focus indicator"
                return
        raise AssertionError(f"Tab never reached {locator}")

    tab_to(page.get_by_label("수강신청 개인정보 수집·이용에 동의합니다. (필수)"))
    page.keyboard.press("Space")
    tab_to(page.locator("#enrol").get_by_role("button", name="수강신청"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("수강신청이 확정되었습니다").first.is_visible()
    enrollment = Enrollment.objects.get(user=citizen, course=course)
    assert enrollment.status == EnrollmentStatus.CONFIRMED


@pytest.mark.parametrize("url_name", ["home", "courses:catalogue"])
def test_phone_width_layout_does_not_overflow(browser_page, live_server, site_data, url_name, tmp_path):
    path = _url(url_name, None)
    page = browser_page
    for number in range(6):
        future_course(title=f"아주 긴 강좌 이름으로 화면 너비를 시험하는 주경야독 인문학 강좌 {number}기")
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(f"{live_server.url}{path}")
    page.evaluate("document.fonts.ready")
    screenshot = page.screenshot(
        path=str(tmp_path / f"{re.sub(r'[^a-z]', '_', url_name)}.png"), full_page=True
    )
    assert screenshot[:8] == b"\x89PNG\r\n\x1a\n"
    widths = page.evaluate(
        "({doc: document.documentElement.scrollWidth, view: window.innerWidth,"
        " wide: [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
        ".slice(0, 5).map(e => e.tagName + '.' + e.className)})"
    )
    assert widths["doc"] <= widths["view"], f"{path} overflows at 360px: {widths}"


def test_the_axe_check_itself_catches_a_missing_alt_and_an_unlabelled_field(
    browser_page, live_server, site_data
):
    """Guards the guard: the same check fails on a page with known problems."""
    page = browser_page
    page.goto(f"{live_server.url}/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend',"
        ' \'<img src="/static/x.png"><input type="text" name="q">\')'
    )
    found = " ".join(_blocking_violations(page))
    assert "image-alt" in found and "label" in found


def test_space_month_calendar_has_no_serious_or_critical_axe_violation(browser_page, live_server, site_data):
    path = reverse("spaces:detail", args=[site_data["space"].slug]) + "?view=month"
    response = browser_page.goto(f"{live_server.url}{path}")
    assert response.status == 200
    assert browser_page.locator("table.booking-month").count() == 1
    assert _blocking_violations(browser_page) == [], path


def test_search_results_have_no_serious_or_critical_axe_violation(browser_page, live_server, site_data):
    response = browser_page.goto(f"{live_server.url}{reverse('search:results')}?q=강좌")
    assert response.status == 200
    assert browser_page.locator("mark").count() >= 1  # hits are shown, highlighted
    assert _blocking_violations(browser_page) == []
