from jeonju_center.news.sections import HomeSection

from .selectors import upcoming_open_courses

HOME_SECTIONS = [
    HomeSection(
        key="courses",
        template="courses/home_section.html",
        items=lambda *, now: list(upcoming_open_courses(limit=6, now=now)),
    ),
]
