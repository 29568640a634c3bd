from jeonju_center.partners.changes import FeedSource

from ..models import Course
from ..selectors import course_is_public


def parent_course_is_public(child):
    return course_is_public(child.course)


FEED_SOURCES = [
    # An unpublished course is "deleted" for partners, as the API stops showing it.
    FeedSource("courses.Course", "courses", is_visible=course_is_public),
    FeedSource("courses.CourseSession", "courses", parent="course_id", is_visible=parent_course_is_public),
    # Seats left and the waiting-list length change with every enrolment.
    FeedSource("courses.Enrollment", "courses", parent="course_id", is_visible=parent_course_is_public),
    # A course shows its track's name and its audience dongs' names.
    FeedSource(
        "courses.Track",
        "courses",
        fan_out=lambda track: Course.objects.filter(track=track, is_published=True).values_list(
            "pk", flat=True
        ),
    ),
    FeedSource(
        "common.Dong",
        "courses",
        fan_out=lambda dong: Course.objects.filter(audience_dongs=dong, is_published=True).values_list(
            "pk", flat=True
        ),
    ),
]
