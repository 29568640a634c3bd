"""Course feedback (만족도 조사): after a course's last session, each attendee (present at least once) gets one
e-mail with a personal link to a short survey; one answer per enrolment. The link is signed (Django's
signing, its own salt) and expires; signed-in attendees also find it on /me/.

Writes here; the results staff read are in ``selectors`` (``course_feedback_results``)."""

import datetime

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jeonju_center.common.actors import writes
from jeonju_center.common.validators import validate_plain_text

from . import notifications
from .models import (
    FEEDBACK_COMMENT_MAX_LENGTH,
    FEEDBACK_ITEMS,
    Attendance,
    CourseFeedback,
    CourseSession,
    Enrollment,
    EnrollmentStatus,
)

TOKEN_SALT = "courses.feedback"
LINK_VALID_DAYS = 30
# Only courses that ended within this many days are asked about (a new deployment does not mail old courses).
ASK_WITHIN_DAYS = 14


def feedback_token(enrollment):
    return signing.dumps({"enrollment": enrollment.pk}, salt=TOKEN_SALT, compress=True)


def feedback_url(enrollment):
    return reverse("courses:feedback", args=[feedback_token(enrollment)])


class FeedbackLinkError(Exception):
    """A link that cannot be used; ``message`` says why in Korean."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _attended(enrollment_ref):
    return Exists(Attendance.objects.filter(enrollment=enrollment_ref, is_present=True))


def enrollment_for_token(token, *, now=None):
    """The enrolment a link belongs to, checked: signature, age, an attendee of a finished course who has
    not answered yet. Raises ``FeedbackLinkError``."""
    now = now or timezone.now()
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=datetime.timedelta(days=LINK_VALID_DAYS))
    except signing.SignatureExpired:
        raise FeedbackLinkError(
            _("만족도 조사 기간(%(days)d일)이 지났습니다.") % {"days": LINK_VALID_DAYS}
        ) from None
    except signing.BadSignature:
        raise FeedbackLinkError(
            _("링크가 올바르지 않습니다. 받은 메일의 링크를 그대로 눌러 주세요.")
        ) from None
    enrollment = (
        Enrollment.objects.select_related("course")
        .filter(pk=data.get("enrollment"), user__isnull=False)
        .annotate(attended=_attended(OuterRef("pk")))
        .first()
    )
    if enrollment is None or not enrollment.attended:
        raise FeedbackLinkError(_("이 링크로 응답할 수 있는 수강 기록이 없습니다."))
    if CourseFeedback.objects.filter(enrollment=enrollment).exists():
        raise FeedbackLinkError(_("이미 응답하셨습니다. 소중한 의견 고맙습니다."))
    return enrollment


@writes(CourseFeedback)
def feedback_submit(*, enrollment, answers, actor, comment="", now=None):
    """Store the answers (each item 1–5, the comment plain text). One per enrolment: a second one is refused
    (by the database too)."""
    now = now or timezone.now()
    errors = {}
    values = {}
    for name, _label in FEEDBACK_ITEMS:
        value = answers.get(name)
        if value not in (1, 2, 3, 4, 5):
            errors[name] = _("1점부터 5점까지 하나를 골라 주세요.")
        values[name] = value
    comment = (comment or "").strip()
    if len(comment) > FEEDBACK_COMMENT_MAX_LENGTH:
        errors["comment"] = _("%(limit)d자까지 쓸 수 있습니다.") % {"limit": FEEDBACK_COMMENT_MAX_LENGTH}
    else:
        try:
            validate_plain_text(comment)
        except ValidationError as error:
            errors["comment"] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return CourseFeedback.objects.create(
                course_id=enrollment.course_id,
                enrollment=enrollment,
                comment=comment,
                submitted_at=now,
                **values,
            )
    except IntegrityError:
        raise ValidationError(_("이미 응답하셨습니다. 소중한 의견 고맙습니다.")) from None


def feedback_requests_due(*, now=None):
    """Ids of enrolments to ask now: present at least once, in a course whose last session ended within
    ``ASK_WITHIN_DAYS``, not asked yet, with an account that has an e-mail address."""
    today = timezone.localdate(now or timezone.now())
    last_session = (
        CourseSession.objects.filter(course=OuterRef("course"))
        .values("course")
        .annotate(last=Max("date"))
        .values("last")
    )
    return list(
        Enrollment.objects.filter(feedback_requested_at__isnull=True, user__isnull=False)
        .exclude(user__email="")
        .exclude(status=EnrollmentStatus.WAITING)
        .annotate(last_session=last_session, attended=_attended(OuterRef("pk")))
        .filter(
            attended=True,
            last_session__lt=today,
            last_session__gte=today - datetime.timedelta(days=ASK_WITHIN_DAYS),
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@writes(Enrollment)
def feedback_request_send(*, enrollment_id, actor, now=None):
    """Queue the survey e-mail for one enrolment, once (the row lock and ``feedback_requested_at``; the
    outbox's dedup key guards a retried task too). Returns True when queued now."""
    now = now or timezone.now()
    with transaction.atomic():
        enrollment = (
            Enrollment.objects.select_for_update(of=("self",))
            .select_related("course", "user")
            .filter(pk=enrollment_id)
            .first()
        )
        if enrollment is None or enrollment.feedback_requested_at is not None or enrollment.user is None:
            return False
        notifications.course_feedback_request(enrollment, url=feedback_url(enrollment))
        enrollment.feedback_requested_at = now
        enrollment.save(update_fields=["feedback_requested_at", "updated_at"])
    return True


@writes(Enrollment)
def feedback_requests_send(*, actor, now=None):
    """Ask every attendee due (the daily job). Returns how many e-mails were queued."""
    return sum(
        feedback_request_send(enrollment_id=pk, actor=actor, now=now) for pk in feedback_requests_due(now=now)
    )
