"""iCalendar (RFC 5545) files of courses: a course's sessions, a citizen's private feed and the ``.ics``
attached to e-mails (with an alarm). Built with the ``icalendar`` library, never by hand."""

import datetime
import functools
import hmac
import time

from django.conf import settings
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event, Timezone

from .models import CourseStatus, EnrollmentStatus

PRODID = "-//Jeonju Urban Innovation Center//Citizen courses//KO"
UID_DOMAIN = "courses.jeonju-center"
ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"
ALARM_BEFORE = datetime.timedelta(hours=1)
FEED_TOKEN_SALT = "courses.calendar-feed"


def session_start(session):
    """The session's start as an aware datetime in the portal's time zone (Asia/Seoul)."""
    return datetime.datetime.combine(session.date, session.start_time, tzinfo=timezone.get_default_timezone())


def session_end(session):
    return datetime.datetime.combine(session.date, session.end_time, tzinfo=timezone.get_default_timezone())


def _calendar(name):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def _session_event(course, session, number, total, *, status="CONFIRMED", with_alarm=False, stamp):
    event = Event()
    event.add("uid", f"course-session-{session.pk}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("dtstart", session_start(session))
    event.add("dtend", session_end(session))
    summary = _("%(title)s (%(number)d/%(total)d회차)") % {
        "title": course.title,
        "number": number,
        "total": total,
    }
    if status == "TENTATIVE":
        # Few calendar apps show TENTATIVE, so the title says it too: the seat is not the citizen's yet.
        summary = _("[대기] %(summary)s") % {"summary": summary}
    event.add("summary", summary)
    location = f"{course.place} {session.room}".strip() if session.room else course.place
    event.add("location", location)
    lines = [_("강사: %(name)s") % {"name": course.instructor_name}]
    if session.topic:
        lines.insert(0, _("주제: %(topic)s") % {"topic": session.topic})
    event.add("description", "\n".join(lines))
    event.add("status", "CANCELLED" if course.status == CourseStatus.CANCELLED else status)
    if with_alarm and course.status != CourseStatus.CANCELLED:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", _("%(title)s 강좌가 1시간 뒤 시작합니다.") % {"title": course.title})
        alarm.add("trigger", -ALARM_BEFORE)
        event.add_component(alarm)
    return event


def _course_events(course, *, status="CONFIRMED", with_alarm=False, stamp):
    sessions = sorted(course.sessions.all(), key=lambda s: (s.date, s.start_time, s.pk))
    return [
        _session_event(
            course, session, number, len(sessions), status=status, with_alarm=with_alarm, stamp=stamp
        )
        for number, session in enumerate(sessions, start=1)
    ]


@functools.cache
def _timezone_ical(tzid):
    """The VTIMEZONE of ``tzid`` as icalendar's ``add_missing_timezones`` would add it, built once per process:
    walking a zone's transitions costs some 40 ms, which every enrolment e-mail paid inside the course lock."""
    return Timezone.from_tzid(tzid).to_ical()


def warm_up(tzid):
    """Build the zone's VTIMEZONE and parse it once, as ``_finish`` does (icalendar lists the system's zones
    on its first parse)."""
    Timezone.from_ical(_timezone_ical(tzid))


def _finish(calendar):
    # As add_missing_timezones(): each zone the events use, before the events, unknown zones left out.
    known = len(calendar.timezones)
    for tzid in sorted(calendar.get_missing_tzids()):
        try:
            component = Timezone.from_ical(_timezone_ical(tzid))
        except ValueError:
            continue
        calendar.subcomponents.insert(known, component)
        known += 1
    return calendar.to_ical()


def course_calendar(course, *, with_alarm=False, status="CONFIRMED"):
    """The course's sessions as an iCalendar file (bytes). ``course.sessions`` may be prefetched."""
    calendar = _calendar(course.title)
    for event in _course_events(course, status=status, with_alarm=with_alarm, stamp=timezone.now()):
        calendar.add_component(event)
    return _finish(calendar)


def enrollments_calendar(enrollments, *, name):
    """A citizen's courses: confirmed ones as CONFIRMED, waiting ones as TENTATIVE; cancelled ones are left out."""
    calendar = _calendar(name)
    stamp = timezone.now()
    for enrollment in enrollments:
        if enrollment.status == EnrollmentStatus.CANCELLED:
            continue
        status = "CONFIRMED" if enrollment.status == EnrollmentStatus.CONFIRMED else "TENTATIVE"
        for event in _course_events(enrollment.course, status=status, with_alarm=True, stamp=stamp):
            calendar.add_component(event)
    return _finish(calendar)


# Attachments already built, by everything they are built from (see ``_attachment_key``).
_attachments = {}
ATTACHMENTS_KEPT = 256
ATTACHMENT_STAMP_SECONDS = 60


def _attachment_key(course, status):
    """Everything a course's attachment is made of: the course's and its sessions' shown fields, the status,
    the language, and the minute (its DTSTAMP, when the file was made, is at most a minute old)."""
    sessions = tuple((s.pk, s.date, s.start_time, s.end_time, s.room, s.topic) for s in course.sessions.all())
    return (
        course.pk, course.slug, course.title, course.place, course.instructor_name, course.status, sessions,
        status, translation.get_language(), int(time.time() // ATTACHMENT_STAMP_SECONDS),
    )  # fmt: skip


def course_ics_attachment(course, *, tentative=False):
    """The attachment dict ``outbox_enqueue`` expects: the sessions with a one-hour alarm, TENTATIVE while
    the citizen is only on the waiting list (the same event ids, so the confirmation's file replaces it).

    Every applicant of a course gets the same file, so it is built once per course, status and minute and
    kept in the process: building it cost a third of an enrolment's time inside the course lock."""
    status = "TENTATIVE" if tentative else "CONFIRMED"
    key = _attachment_key(course, status)
    content = _attachments.get(key)
    if content is None:
        if len(_attachments) >= ATTACHMENTS_KEPT:
            _attachments.clear()
        content = _attachments[key] = course_calendar(course, with_alarm=True, status=status).decode("utf-8")
    return {"filename": f"{course.slug}.ics", "content": content, "mimetype": "text/calendar"}


def calendar_feed_token(user):
    """The secret part of a citizen's private feed URL. It includes the password hash, so changing the
    password revokes an address the citizen shared by mistake."""
    return salted_hmac(FEED_TOKEN_SALT, f"{user.pk}:{user.password}", algorithm="sha256").hexdigest()[:40]


def calendar_feed_token_is_valid(user, token):
    return hmac.compare_digest(calendar_feed_token(user).encode(), token.encode())
