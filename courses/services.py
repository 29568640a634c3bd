"""Enrollment (수강신청) writes: enrol, cancel, promote from the waiting list, capacity, course cancellation,
moves between courses, reminders. The public pages, the admin and the tasks all call these.

Concurrency: every function that counts seats first locks the course row (``select_for_update``) and
does the counting and the write in the same transaction, so enrolments of one course are serialised on
PostgreSQL; the database's partial unique constraint (one active enrolment per person and course)
stays the last line of defence. The time stamp of an enrolment is taken after the lock is held, so the
waiting list (ordered by ``requested_at`` then id) is the order in which people got the lock.

Rules (DESIGN §2, issue 3):

* Citizens enrol in a published course inside its enrolment window, before the first session starts,
  if they belong to its audience, with the personal-data consent; a seat if one is free, else a place on
  the waiting list up to its limit, else a refusal.
* Staff (an ``actor`` from the back office) enrol on a citizen's behalf (phone sign-ups) also outside the window and in an
  unpublished course, but the audience, the capacity, the waiting-list limit, the one-enrolment rule and
  "not after the first session started / not in a cancelled or finished course" still hold.
* A confirmed seat can be cancelled by the citizen until the cancellation deadline (or, without one,
  the end of the enrolment window); leaving the waiting list is always possible, since it frees nobody's
  seat. Staff may cancel at any time.
* A freed seat goes, in the same transaction, to the first person waiting — never to a cancelled
  enrolment, never once the first session has started, never in a cancelled or finished course.
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from jeonju_center.accounts.models import ConsentRecord
from jeonju_center.accounts.services import consent_record
from jeonju_center.common.actors import Channel, writes

from . import notifications
from .calendars import session_start
from .models import (
    CancelReason,
    Course,
    CourseAudience,
    CourseStatus,
    Enrollment,
    EnrollmentStatus,
)

ACTIVE = Enrollment.ACTIVE_STATUSES
CLOSED_COURSE_STATUSES = (CourseStatus.CANCELLED, CourseStatus.FINISHED)


# --- helpers --------------------------------------------------------------------------------------


def _format(moment):
    return formats.date_format(timezone.localtime(moment), "Y-m-d H:i")


def _lock_course(course_id):
    """Lock the course row (the seat counter) and load its sessions, which the checks and e-mails use."""
    try:
        return Course.objects.select_for_update().prefetch_related("sessions").get(pk=course_id)
    except Course.DoesNotExist:
        raise ValidationError(_("강좌를 찾을 수 없습니다.")) from None


def _on_behalf(actor, user):
    """Whether staff act for someone else (a phone sign-up, a cancellation at the desk): their rules apply,
    not the citizen's. A staff member enrolling themselves on the portal is a citizen like any other, and a
    citizen acts only for themselves."""
    for_someone_else = user is None or actor.user_id != user.pk
    if actor.channel == Channel.STAFF and for_someone_else:
        actor.require_staff()
        return True
    if actor.channel == Channel.CITIZEN and for_someone_else:
        raise ValidationError(_("센터 직원만 할 수 있는 작업입니다."))
    return False


def course_first_session_start(course):
    """When the course's first session starts (aware datetime), or None when it has no sessions."""
    sessions = course.sessions.all()  # prefetched by the services, so no query under the lock
    return min((session_start(session) for session in sessions), default=None)


def course_has_started(course, *, now=None):
    start = course_first_session_start(course)
    return start is not None and start <= (now or timezone.now())


def cancellation_deadline(course):
    """Until when a citizen may give up a confirmed seat."""
    return course.cancellation_deadline or course.enrollment_closes_at


def waiting_position(enrollment):
    """1 for the first person waiting; None when the enrolment is not waiting."""
    if enrollment.status != EnrollmentStatus.WAITING:
        return None
    ahead = (
        Enrollment.objects.filter(course_id=enrollment.course_id, status=EnrollmentStatus.WAITING)
        .filter(requested_at__lt=enrollment.requested_at)
        .count()
    )
    same_time_ahead = Enrollment.objects.filter(
        course_id=enrollment.course_id,
        status=EnrollmentStatus.WAITING,
        requested_at=enrollment.requested_at,
        pk__lt=enrollment.pk,
    ).count()
    return ahead + same_time_ahead + 1


def _counts(course):
    """(confirmed, waiting) of the course, in one query: it runs inside the course lock."""
    counts = Enrollment.objects.filter(course=course).aggregate(
        confirmed=Count("pk", filter=Q(status=EnrollmentStatus.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=EnrollmentStatus.WAITING)),
    )
    return counts["confirmed"], counts["waiting"]


def _check_audience(course, user):
    if course.audience != CourseAudience.DONG_RESIDENTS:
        return
    if user.dong_id is None:
        raise ValidationError(
            _("이 강좌는 지정 행정동 주민 대상입니다. 회원정보에서 거주 행정동을 입력한 뒤 신청해 주세요.")
        )
    if not course.audience_dongs.filter(pk=user.dong_id).exists():
        names = ", ".join(course.audience_dongs.order_by("name").values_list("name", flat=True))
        raise ValidationError(
            _("이 강좌는 %(dongs)s 주민만 신청할 수 있습니다.") % {"dongs": names or _("지정 행정동")}
        )


def _is_enrolled(course_id, user):
    return Enrollment.objects.filter(course_id=course_id, user=user, status__in=ACTIVE).exists()


def _check_can_enroll(*, course, user, by_staff, consent_version, now, already_enrolled=None):
    """Refusals in the order a citizen should hear them. ``already_enrolled``: read before the course lock
    by a caller (the partial unique constraint refuses a second active enrolment that raced it), else here."""
    if user is None or not user.is_active:
        raise ValidationError(_("사용할 수 없는 계정입니다."))
    if course.status == CourseStatus.CANCELLED:
        raise ValidationError(_("폐강된 강좌에는 신청할 수 없습니다."))
    if course.status == CourseStatus.FINISHED:
        raise ValidationError(_("종료된 강좌에는 신청할 수 없습니다."))
    if not by_staff:
        if not course.is_published:
            raise ValidationError(_("공개되지 않은 강좌에는 신청할 수 없습니다."))
        if now < course.enrollment_opens_at:
            raise ValidationError(
                _("아직 신청 기간이 아닙니다. 신청은 %(opens)s부터입니다.")
                % {"opens": _format(course.enrollment_opens_at)}
            )
        if now >= course.enrollment_closes_at:
            raise ValidationError(
                _("신청이 마감되었습니다. (마감: %(closes)s)")
                % {"closes": _format(course.enrollment_closes_at)}
            )
        if not consent_version:
            raise ValidationError(_("수강신청에는 개인정보 수집·이용 동의가 필요합니다."))
    if course_has_started(course, now=now):
        raise ValidationError(_("이미 시작된 강좌에는 신청할 수 없습니다."))
    _check_audience(course, user)
    if already_enrolled is None:
        already_enrolled = _is_enrolled(course.pk, user)
    if already_enrolled:
        raise ValidationError(_("이미 이 강좌에 신청(확정 또는 대기)되어 있습니다."))


def _create_locked(*, course, user, by_staff, consent_version, consented_at=None, already_enrolled=None):
    """Enrol ``user`` in ``course``, whose row the caller has locked. Returns (enrollment, position)."""
    now = timezone.now()
    _check_can_enroll(
        course=course,
        user=user,
        by_staff=by_staff,
        consent_version=consent_version,
        now=now,
        already_enrolled=already_enrolled,
    )
    confirmed, waiting = _counts(course)
    if confirmed < course.capacity:
        status, position = EnrollmentStatus.CONFIRMED, None
    elif waiting < course.waitlist_limit:
        status, position = EnrollmentStatus.WAITING, waiting + 1
    elif course.waitlist_limit == 0:
        raise ValidationError(_("정원이 모두 찼습니다. 이 강좌는 대기 신청을 받지 않습니다."))
    else:
        raise ValidationError(
            _("정원과 대기 인원(%(limit)d명)이 모두 찼습니다. 다음 강좌를 이용해 주세요.")
            % {"limit": course.waitlist_limit}
        )
    enrollment = Enrollment(
        course=course,
        user=user,
        applicant_dong_id=user.dong_id,
        status=status,
        requested_at=now,
        confirmed_at=now if status == EnrollmentStatus.CONFIRMED else None,
        consent_version=consent_version or "",
        consented_at=(consented_at or now) if consent_version else None,
    )
    # Field and row rules in Python; the table constraints are checked by PostgreSQL on insert (validating
    # them here would cost a dozen queries while every other applicant waits for the course lock).
    enrollment.full_clean(exclude=["course", "user", "applicant_dong"], validate_constraints=False)
    # No savepoint of its own: the caller's ``atomic`` block (a savepoint when it is nested) is left with the
    # refusal below and rolls the whole attempt back.
    try:
        enrollment.save()
    except IntegrityError:
        # Only reachable if the course lock was bypassed; the constraint still keeps one active enrolment.
        raise ValidationError(_("이미 이 강좌에 신청(확정 또는 대기)되어 있습니다.")) from None
    return enrollment, position


def _cancel_locked(*, enrollment, reason, note="", now):
    enrollment.status = EnrollmentStatus.CANCELLED
    enrollment.cancelled_at = now
    enrollment.cancel_reason = reason
    enrollment.cancel_note = (note or "")[:300]
    enrollment.full_clean(exclude=["course", "user", "applicant_dong"], validate_constraints=False)
    enrollment.save(update_fields=["status", "cancelled_at", "cancel_reason", "cancel_note", "updated_at"])
    return enrollment


def _promote_locked(course, *, now):
    """Give free seats of the locked ``course`` to the first people waiting, in order."""
    if course.status in CLOSED_COURSE_STATUSES or course_has_started(course, now=now):
        return []
    confirmed, _waiting = _counts(course)
    free = course.capacity - confirmed
    if free <= 0:
        return []
    queue = (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("course", "user")
        .filter(course=course, status=EnrollmentStatus.WAITING)
        .order_by("requested_at", "pk")[:free]
    )
    promoted = []
    for enrollment in queue:
        enrollment.course = course
        enrollment.status = EnrollmentStatus.CONFIRMED
        enrollment.confirmed_at = now
        enrollment.promoted_at = now
        enrollment.save(update_fields=["status", "confirmed_at", "promoted_at", "updated_at"])
        notifications.enrollment_promoted(enrollment)
        promoted.append(enrollment)
    return promoted


def _reload_enrollment(enrollment):
    return (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("course", "user")
        .get(pk=enrollment.pk)
    )


def _cancel_reason_and_note(reason, *, by_staff):
    """``reason`` is a ``CancelReason`` value or a free memo (kept in ``cancel_note``)."""
    default = CancelReason.BY_STAFF if by_staff else CancelReason.BY_USER
    if reason in CancelReason.values:
        if not by_staff and reason != CancelReason.BY_USER:
            raise ValidationError(_("취소 사유가 올바르지 않습니다."))
        return reason, ""
    return default, (reason or "").strip()


# --- public functions -------------------------------------------------------------------------------


@writes(Enrollment)
def enrollment_create(*, course, user, actor, consent_version=None, consent_ip=None):
    """Enrol ``user``: a seat if one is free, else a place on the waiting list, else a refusal.

    ``actor``: the citizen, or staff enrolling them (phone sign-ups). ``consent_version``: the personal-data
    terms the citizen agreed to (required without staff; recorded on the enrolment and as a
    ``ConsentRecord`` with ``consent_ip``). Raises ``ValidationError`` (Korean). A waiting enrolment comes
    back with ``position_when_enrolled``, its place in the queue as the course lock gave it (the page that
    answers the citizen says it without counting the queue again).
    """
    by_staff = _on_behalf(actor, user)
    with transaction.atomic():
        if consent_version:
            # Before the course lock, which every other applicant waits for; a refusal below rolls it back.
            consent_record(
                user=user,
                actor=actor,
                item=ConsentRecord.Item.PRIVACY_ENROLLMENT,
                version=consent_version,
                ip_address=consent_ip,
            )
        # Read before the lock too: one query fewer while every other applicant waits.
        already_enrolled = user is not None and _is_enrolled(course.pk, user)
        locked = _lock_course(course.pk)
        enrollment, position = _create_locked(
            course=locked,
            user=user,
            by_staff=by_staff,
            consent_version=consent_version,
            already_enrolled=already_enrolled,
        )
        if position is None:
            notifications.enrollment_confirmed(enrollment)
        else:
            notifications.enrollment_waiting(enrollment, position)
    enrollment.position_when_enrolled = position
    return enrollment


@writes(Enrollment)
def enrollment_cancel(*, enrollment, actor, reason=None):
    """Cancel an enrolment and give a freed seat to the first person waiting (same transaction).

    ``reason``: a ``CancelReason`` value or a free memo (staff); citizens cancel as ``by_user``.
    """
    by_staff = _on_behalf(actor, enrollment.user)
    cancel_reason, note = _cancel_reason_and_note(reason, by_staff=by_staff)
    with transaction.atomic():
        course = _lock_course(enrollment.course_id)
        current = _reload_enrollment(enrollment)
        current.course = course
        if current.status == EnrollmentStatus.CANCELLED:
            raise ValidationError(_("이미 취소된 신청입니다."))
        now = timezone.now()
        if not by_staff and current.status == EnrollmentStatus.CONFIRMED:
            deadline = cancellation_deadline(course)
            if now >= deadline:
                raise ValidationError(
                    _("취소 마감(%(deadline)s)이 지나 직접 취소할 수 없습니다. 센터로 연락해 주세요.")
                    % {"deadline": _format(deadline)}
                )
        _cancel_locked(enrollment=current, reason=cancel_reason, note=note, now=now)
        notifications.enrollment_cancelled(current, by_staff=by_staff)
        _promote_locked(course, now=now)
    return current


@writes(Course)
def course_save(*, course, actor):
    """Staff create a course or edit its own fields (title, window, place, audience…). Two changes have
    their own services, because people are affected: the capacity of an existing course
    (``course_capacity_change`` gives freed seats to the waiting list) and cancelling it (``course_cancel``
    cancels every enrolment and tells everyone)."""
    actor.require_staff()
    if course.pk is not None:
        stored = Course.objects.filter(pk=course.pk).values("capacity", "status").first()
        if stored is not None and course.capacity != stored["capacity"]:
            raise ValidationError(
                {"capacity": _("정원은 수강생 명단의 '정원 변경'으로 바꾸세요. 빈자리가 대기자에게 갑니다.")}
            )
        if (
            stored is not None
            and course.status == CourseStatus.CANCELLED
            and stored["status"] != CourseStatus.CANCELLED
        ):
            raise ValidationError(
                {
                    "status": _(
                        "폐강은 수강생 명단의 '폐강' 기능으로 하세요. 신청자 모두에게 안내 메일이 갑니다."
                    )
                }
            )
    course.full_clean()
    course.save()
    return course


@writes(Course, Enrollment)
def course_capacity_change(*, course, capacity, actor):
    """Staff change the capacity; seats it frees go to the waiting list in order. Returns the promoted."""
    actor.require_staff()
    if isinstance(capacity, bool) or not isinstance(capacity, int):
        try:
            capacity = int(str(capacity).strip())
        except ValueError:
            raise ValidationError({"capacity": _("정원은 0 이상의 정수여야 합니다.")}) from None
    if capacity < 0:
        raise ValidationError({"capacity": _("정원은 0 이상의 정수여야 합니다.")})
    with transaction.atomic():
        locked = _lock_course(course.pk)
        if locked.status in CLOSED_COURSE_STATUSES:
            raise ValidationError(_("폐강되었거나 종료된 강좌의 정원은 바꿀 수 없습니다."))
        confirmed, _waiting = _counts(locked)
        if capacity < confirmed:
            raise ValidationError(
                {
                    "capacity": _(
                        "확정된 수강생이 %(confirmed)d명이라 정원을 그보다 줄일 수 없습니다. "
                        "먼저 신청을 취소하거나 다른 강좌로 옮기세요."
                    )
                    % {"confirmed": confirmed}
                }
            )
        locked.capacity = capacity
        locked.save(update_fields=["capacity", "updated_at"])
        promoted = _promote_locked(locked, now=timezone.now())
    course.capacity = capacity
    return promoted


@writes(Course, Enrollment)
def course_cancel(*, course, actor, reason=""):
    """Cancel the course (폐강) and every active enrolment; everyone is told. Returns how many were cancelled."""
    actor.require_staff()
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = _lock_course(course.pk)
        if locked.status == CourseStatus.CANCELLED:
            raise ValidationError(_("이미 폐강된 강좌입니다."))
        if locked.status == CourseStatus.FINISHED:
            raise ValidationError(_("종료된 강좌는 폐강할 수 없습니다."))
        locked.status = CourseStatus.CANCELLED
        locked.save(update_fields=["status", "updated_at"])
        now = timezone.now()
        active = (
            Enrollment.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(course=locked, status__in=ACTIVE)
            .order_by("requested_at", "pk")
        )
        count = 0
        for enrollment in active:
            enrollment.course = locked
            _cancel_locked(enrollment=enrollment, reason=CancelReason.COURSE_CANCELLED, note=reason, now=now)
            notifications.course_cancelled(enrollment, reason=reason)
            count += 1
    course.status = CourseStatus.CANCELLED
    return count


@writes(Course)
def course_change_notify(*, course, actor, message):
    """Tell everyone enrolled (confirmed or waiting) that staff changed the course (time, room, …), with
    the updated sessions attached. Returns the number of e-mails queued."""
    actor.require_staff()
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("무엇이 바뀌었는지 안내 문구를 입력하세요.")})
    change_key = hashlib.sha256(f"{course.pk}:{timezone.now().isoformat()}:{message}".encode()).hexdigest()[
        :16
    ]
    with transaction.atomic():
        locked = _lock_course(course.pk)
        if locked.status == CourseStatus.CANCELLED:
            raise ValidationError(_("폐강된 강좌입니다."))
        queued = 0
        for enrollment in Enrollment.objects.select_related("user").filter(course=locked, status__in=ACTIVE):
            enrollment.course = locked
            queued += (
                notifications.course_changed(enrollment, message=message, change_key=change_key) is not None
            )
    return queued


@writes(Enrollment)
def enrollment_move(*, enrollment, to_course, actor):
    """Staff move an active enrolment to another course: cancelled here, enrolled there (a seat or the
    waiting list there), the seat freed here goes to the first person waiting — all or nothing."""
    actor.require_staff()
    if to_course.pk == enrollment.course_id:
        raise ValidationError({"to_course": _("같은 강좌로는 옮길 수 없습니다.")})
    with transaction.atomic():
        # Lock both courses in id order so two opposite moves cannot deadlock.
        locked = {pk: _lock_course(pk) for pk in sorted([enrollment.course_id, to_course.pk])}
        source, target = locked[enrollment.course_id], locked[to_course.pk]
        current = _reload_enrollment(enrollment)
        current.course = source
        if current.status == EnrollmentStatus.CANCELLED:
            raise ValidationError(_("취소된 신청은 옮길 수 없습니다."))
        if current.user is None:
            raise ValidationError(_("익명화된 신청은 옮길 수 없습니다."))
        now = timezone.now()
        # Cancel first: the one-active-enrolment check must not see this enrolment when the target is the
        # same person's other course; the whole transaction rolls back if the target refuses.
        _cancel_locked(
            enrollment=current,
            reason=CancelReason.BY_STAFF,
            note=_("'%(title)s'(으)로 이동") % {"title": target.title},
            now=now,
        )
        new, position = _create_locked(
            course=target,
            user=current.user,
            by_staff=True,
            consent_version=current.consent_version or None,
            consented_at=current.consented_at,
        )
        notifications.enrollment_moved(current, new, position=position)
        _promote_locked(source, now=now)
    return new


@writes(Enrollment)
def enrollment_reminder_send(*, enrollment_id, actor, now=None):
    """Queue the reminder before the first session, once per enrolment. Returns True when queued now."""
    now = now or timezone.now()
    with transaction.atomic():
        enrollment = (
            Enrollment.objects.select_for_update(of=("self",))
            .select_related("course", "user")
            .filter(pk=enrollment_id)
            .first()
        )
        if enrollment is None or enrollment.reminder_sent_at is not None:
            return False
        if (
            enrollment.status != EnrollmentStatus.CONFIRMED
            or enrollment.course.status == CourseStatus.CANCELLED
        ):
            return False
        starts_at = course_first_session_start(enrollment.course)
        if starts_at is None or starts_at <= now:
            return False
        notifications.course_reminder(enrollment, starts_at=starts_at)
        enrollment.reminder_sent_at = now
        enrollment.save(update_fields=["reminder_sent_at", "updated_at"])
    return True


@writes(Enrollment)
def course_waitlist_expire(*, course_id, actor, now=None):
    """Once the first session has started nobody will be promoted: close the waiting list and tell those
    still on it. Returns how many were expired; running it again expires nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        course = _lock_course(course_id)
        if not course_has_started(course, now=now):
            return 0
        waiting = (
            Enrollment.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(course=course, status=EnrollmentStatus.WAITING)
            .order_by("requested_at", "pk")
        )
        count = 0
        for enrollment in waiting:
            enrollment.course = course
            _cancel_locked(enrollment=enrollment, reason=CancelReason.WAITLIST_EXPIRED, now=now)
            notifications.waitlist_expired(enrollment)
            count += 1
    return count


def reminder_hours():
    """How long before the first session the reminder goes out (``COURSE_REMINDER_HOURS``, default 24)."""
    return int(getattr(settings, "COURSE_REMINDER_HOURS", 24))


# --- personal data: account deletion and retention ----------------------------------------------------


@writes(Enrollment)
def account_enrollments_end(*, user, actor):
    """A citizen is deleting their account: cancel their enrolments in courses not yet over (seats and
    waiting places), each freed seat going to the first person waiting as usual. Returns how many.

    Past enrolments are left alone; they lose the person when the account row goes (``SET_NULL``). The
    departing citizen gets no cancellation e-mail: they asked for their data to go, and a queued e-mail
    would keep their address and name in the outbox after the account is gone. People promoted from the
    waiting list are told as usual.
    """
    with transaction.atomic():
        pending = list(
            Enrollment.objects.filter(user=user, status__in=ACTIVE)
            .exclude(course__status__in=CLOSED_COURSE_STATUSES)
            .order_by("course_id", "pk")
            .values_list("pk", "course_id")
        )
        now = timezone.now()
        cancelled = 0
        # Course locks in id order, like every other multi-course write, so no deadlock is possible.
        for enrollment_id, course_id in pending:
            course = _lock_course(course_id)
            current = (
                Enrollment.objects.select_for_update(of=("self",))
                .select_related("user")
                .get(pk=enrollment_id)
            )
            if current.status not in ACTIVE:
                continue
            current.course = course
            _cancel_locked(enrollment=current, reason=CancelReason.ACCOUNT_DELETED, now=now)
            _promote_locked(course, now=now)
            cancelled += 1
    return cancelled


@writes(Enrollment)
def enrollments_anonymise(*, enrollment_ids, actor, now=None):
    """Irreversibly remove the personal data of these enrolments (retention): the link to the citizen,
    the staff memo and the certificate number and verification code. Status, dates, dong, attendance and
    completion stay for statistics. Only rows not anonymised yet change; returns how many did.

    The certificate number and code are erased rather than kept: they tie a paper certificate to this row.
    Checking an erased code afterwards gives the verification page's neutral "cannot be confirmed, please
    ask the education team" answer, the same as for a mistyped code, which says nothing about the person.
    One UPDATE: history rows exclude these fields anyway, so the change is not written to the history.
    """
    now = now or timezone.now()
    return Enrollment.objects.filter(pk__in=list(enrollment_ids), anonymised_at__isnull=True).update(
        user=None,
        cancel_note="",
        certificate_number="",
        certificate_code="",
        anonymised_at=now,
        updated_at=now,
    )
