from django.utils.translation import gettext_lazy as _

from jeonju_center.news.sections import NewsletterSection

from .selectors import enrollment_open_q, public_courses


def courses_open_for_enrollment(*, now):
    return public_courses().filter(enrollment_open_q(now)).order_by("first_session_date", "id")


def chosen_public_courses(ids):
    return public_courses().filter(pk__in=ids).order_by("first_session_date", "id")


NEWSLETTER_SECTIONS = [
    NewsletterSection(
        key="courses",
        label=_("강좌"),
        model="courses.Course",
        content=chosen_public_courses,
        candidates=courses_open_for_enrollment,
        autofill_limit=6,
        html_template="courses/email/newsletter_section.html",
        text_template="courses/email/newsletter_section.txt",
        page_template="courses/newsletter/issue_page.html",
        order=10,
    ),
]
