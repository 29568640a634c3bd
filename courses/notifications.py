"""E-mails (and, for those who chose them, 알림톡/SMS notices) to citizens about their enrolments, queued in
the outbox inside the caller's transaction.

Every function is called by a service while it holds the course's row lock; the outbox sends the e-mail
after commit (Celery) or at the next periodic flush when the broker is down. The ``dedup_key`` of each
e-mail names the event and the enrolment, so an event queued twice is sent once. E-mails are Korean
whatever the language of the request that caused them, and carry the sessions as ``.ics`` with an alarm.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jeonju_center.accounts.models import MessageEvent
from jeonju_center.accounts.notifications import notify_by_message
from jeonju_center.common.outbox import outbox_enqueue, portal_url

from .calendars import course_ics_attachment, session_end, session_start
from .models import EnrollmentStatus


def _format_datetime(value):
    return formats.date_format(value, "Y년 n월 j일 (D) H:i")


def _course_block(course):
    lines = [
        _("강좌: %(title)s") % {"title": course.title},
        _("장소: %(place)s") % {"place": course.place},
        _("강사: %(name)s") % {"name": course.instructor_name},
    ]
    sessions = sorted(course.sessions.all(), key=lambda s: (s.date, s.start_time, s.pk))
    if sessions:
        lines.append(_("일정:"))
        for number, session in enumerate(sessions, start=1):
            start = session_start(session)
            room = f" · {session.room}" if session.room else ""
            lines.append(
                f"  {number}. {_format_datetime(start)}–{formats.time_format(session_end(session), 'H:i')}{room}"
            )
    lines.append(_("강좌 안내: %(url)s") % {"url": portal_url(reverse("courses:detail", args=[course.slug]))})
    lines.append(_("나의 강좌: %(url)s") % {"url": portal_url(reverse("courses:my_enrollments"))})
    return "\n".join(lines)


def _first_start(course):
    sessions = sorted(course.sessions.all(), key=lambda s: (s.date, s.start_time, s.pk))
    return session_start(sessions[0]) if sessions else None


def _notify(
    *, message_event, event, enrollment, text, reason="", starts_at=None, pointless_once_started=True
):
    """The short 알림톡/SMS twin of an e-mail, for a citizen who verified a number and chose this event.

    ``text`` is the Korean text with ``{name}``, ``{title}``, ``{start}``, ``{place}``, ``{url}`` and
    ``{reason}``; the same values go to the 알림톡 template as ``#{이름}``, ``#{강좌명}``, … variables."""
    user = enrollment.user
    if user is None:
        return None
    course = enrollment.course
    starts_at = starts_at or _first_start(course)
    values = {
        "name": user.name or user.username,
        "title": course.title,
        "start": _format_datetime(starts_at) if starts_at else "",
        "place": course.place,
        "url": portal_url(reverse("courses:my_enrollments")),
        "reason": reason,
    }
    with translation.override(settings.LANGUAGE_CODE):
        body = f"[{_('전주도시혁신센터')}] " + str(text).format(**values)
    labels = {
        "name": "이름",
        "title": "강좌명",
        "start": "일시",
        "place": "장소",
        "url": "링크",
        "reason": "사유",
    }
    return notify_by_message(
        user=user,
        event=message_event,
        dedup_key=f"{event}:{enrollment.pk}",
        text=body,
        variables={f"#{{{labels[key]}}}": value for key, value in values.items()},
        # Held overnight or delayed by an outage, a notice about a course that has begun is only noise.
        send_by=starts_at if pointless_once_started else None,
    )


def _send(*, event, enrollment, subject, paragraphs, course=None, with_calendar=True):
    """Queue one e-mail to the enrollee; nothing when the account has no e-mail address (a phone
    sign-up by staff) or no longer exists (anonymised)."""
    user = enrollment.user
    if user is None or not user.email:
        return None
    course = course or enrollment.course
    with translation.override(settings.LANGUAGE_CODE):
        greeting = _("%(name)s 님, 안녕하세요. 전주도시혁신센터입니다.") % {
            "name": user.name or user.username
        }
        body = "\n\n".join(
            [greeting, *[str(paragraph) for paragraph in paragraphs], _course_block(course), _("감사합니다.")]
        )
        waiting = enrollment.status == EnrollmentStatus.WAITING
        attachments = [course_ics_attachment(course, tentative=waiting)] if with_calendar else []
        return outbox_enqueue(
            dedup_key=f"{event}:{enrollment.pk}",
            to=user.email,
            subject=f"[{_('전주도시혁신센터')}] {subject()}",
            body=body,
            attachments=attachments,
        )


def enrollment_confirmed(enrollment):
    _notify(
        message_event=MessageEvent.ENROLLMENT_CONFIRMED,
        event="course-enrollment-confirmed",
        enrollment=enrollment,
        text=gettext_lazy(
            "{name}님, ‘{title}’ 수강신청이 확정되었습니다. 첫 수업 {start}, {place}. 나의 강좌: {url}"
        ),
    )
    return _send(
        event="course-enrollment-confirmed",
        enrollment=enrollment,
        subject=lambda: _("수강신청이 확정되었습니다: %(title)s") % {"title": enrollment.course.title},
        paragraphs=[_("수강신청이 확정되었습니다. 첨부한 일정 파일(.ics)을 달력에 추가해 두세요.")],
    )


def enrollment_waiting(enrollment, position):
    return _send(
        event="course-enrollment-waiting",
        enrollment=enrollment,
        subject=lambda: (
            _("대기 %(position)d번으로 신청되었습니다: %(title)s")
            % {"position": position, "title": enrollment.course.title}
        ),
        paragraphs=[
            _(
                "정원이 모두 차서 대기 %(position)d번으로 신청되었습니다. 자리가 나면 신청 순서대로 "
                "자동으로 확정되고 다시 알려 드립니다. 첨부한 일정은 확정 전이라 '[대기]'로 표시됩니다."
            )
            % {"position": position}
        ],
    )


def enrollment_promoted(enrollment):
    _notify(
        message_event=MessageEvent.WAITLIST_PROMOTED,
        event="course-enrollment-promoted",
        enrollment=enrollment,
        text=gettext_lazy(
            "{name}님, 대기하시던 ‘{title}’에 자리가 나서 수강이 확정되었습니다. 첫 수업 {start}, {place}. "
            "참석이 어려우면 취소해 주세요: {url}"
        ),
    )
    return _send(
        event="course-enrollment-promoted",
        enrollment=enrollment,
        subject=lambda: (
            _("대기하시던 강좌의 수강이 확정되었습니다: %(title)s") % {"title": enrollment.course.title}
        ),
        paragraphs=[
            _(
                "빈자리가 생겨 대기 순서에 따라 수강이 확정되었습니다. 참석이 어려우시면 나의 강좌에서 "
                "취소해 주세요. 다음 대기자에게 자리가 넘어갑니다."
            )
        ],
    )


def enrollment_cancelled(enrollment, *, by_staff):
    text = (
        _("센터에서 수강신청을 취소했습니다. 궁금한 점은 센터로 문의해 주세요.")
        if by_staff
        else _("요청하신 대로 수강신청을 취소했습니다.")
    )
    return _send(
        event="course-enrollment-cancelled",
        enrollment=enrollment,
        subject=lambda: _("수강신청이 취소되었습니다: %(title)s") % {"title": enrollment.course.title},
        paragraphs=[text],
        with_calendar=False,
    )


def enrollment_moved(old, new, *, position=None):
    if position is None:
        state = _("새 강좌의 수강이 확정되었습니다.")
    else:
        state = _("새 강좌는 정원이 차서 대기 %(position)d번입니다.") % {"position": position}
    return _send(
        event="course-enrollment-moved",
        enrollment=new,
        subject=lambda: _("수강 강좌가 변경되었습니다: %(title)s") % {"title": new.course.title},
        paragraphs=[
            _("센터에서 '%(old)s' 신청을 '%(new)s'(으)로 옮겼습니다.")
            % {"old": old.course.title, "new": new.course.title},
            state,
        ],
    )


def course_cancelled(enrollment, *, reason):
    _notify(
        message_event=MessageEvent.COURSE_CANCELLED,
        event="course-cancelled",
        enrollment=enrollment,
        reason=reason,
        pointless_once_started=False,
        text=gettext_lazy("‘{title}’ 강좌가 폐강되어 수강신청이 취소되었습니다. {reason}")
        if reason
        else gettext_lazy("‘{title}’ 강좌가 폐강되어 수강신청이 취소되었습니다."),
    )
    paragraphs = [_("안타깝게도 이 강좌가 폐강되어 수강신청이 취소되었습니다.")]
    if reason:
        paragraphs.append(_("사유: %(reason)s") % {"reason": reason})
    return _send(
        event="course-cancelled",
        enrollment=enrollment,
        subject=lambda: _("강좌가 폐강되었습니다: %(title)s") % {"title": enrollment.course.title},
        paragraphs=paragraphs,
    )


def course_changed(enrollment, *, message, change_key):
    return _send(
        event=f"course-changed:{change_key}",
        enrollment=enrollment,
        subject=lambda: _("강좌 안내가 변경되었습니다: %(title)s") % {"title": enrollment.course.title},
        paragraphs=[
            _("센터에서 강좌 내용을 변경했습니다."),
            message,
            _("바뀐 일정을 첨부했습니다. 이전에 추가한 일정은 새 파일로 바뀝니다."),
        ],
    )


def course_reminder(enrollment, *, starts_at):
    _notify(
        message_event=MessageEvent.SESSION_REMINDER,
        event="course-reminder",
        enrollment=enrollment,
        starts_at=starts_at,
        text=gettext_lazy(
            "{name}님, ‘{title}’ 첫 수업이 {start}에 {place}에서 시작합니다. 참석이 어려우면 미리 취소해 주세요: {url}"
        ),
    )
    return _send(
        event="course-reminder",
        enrollment=enrollment,
        subject=lambda: _("강좌가 곧 시작합니다: %(title)s") % {"title": enrollment.course.title},
        paragraphs=[
            _("신청하신 강좌의 첫 수업이 %(start)s에 시작합니다. 참석이 어려우시면 미리 취소해 주세요.")
            % {"start": _format_datetime(starts_at)}
        ],
    )


def waitlist_expired(enrollment):
    return _send(
        event="course-waitlist-expired",
        enrollment=enrollment,
        subject=lambda: _("대기 신청이 마감되었습니다: %(title)s") % {"title": enrollment.course.title},
        paragraphs=[_("강좌가 시작되어 대기 신청이 마감되었습니다. 다음 강좌에서 뵙겠습니다.")],
        with_calendar=False,
    )


def course_feedback_request(enrollment, *, url):
    """The satisfaction survey after the course, with the attendee's personal link (no calendar file)."""
    return _send(
        event="course-feedback-request",
        enrollment=enrollment,
        subject=lambda: _("만족도 조사에 참여해 주세요: %(title)s") % {"title": enrollment.course.title},
        paragraphs=[
            _(
                "강좌에 함께해 주셔서 고맙습니다. 다음 강좌를 더 좋게 만들 수 있도록 1분이면 끝나는 만족도 조사에 답해 주세요."
            ),
            _("응답은 이름 없이 모아 봅니다."),
            portal_url(url),
        ],
        with_calendar=False,
    )
