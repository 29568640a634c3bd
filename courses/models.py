"""Citizen courses (시민강좌): tracks, courses, sessions, enrolments with a waiting list, attendance.

Enrollment, promotion from the waiting list, reminders and certificates are written by services; the
models only hold the data those services need and the invariants the database itself enforces.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.changes import TrackedQuerySet
from jeonju_center.common.constraints import not_negative
from jeonju_center.common.fields import PublicPhotoField
from jeonju_center.common.history import PortalHistoricalRecords
from jeonju_center.common.indexes import BigramIndex, TrigramIndex
from jeonju_center.common.masking import mask_name
from jeonju_center.common.models import AnonymisableModel, TimeStampedModel

# Every model keeps its change history (who, when, what, why). Personal fields are left out of the
# history tables on purpose: retention and account deletion must be able to erase them, and a copy in a
# history row would survive both.


class CourseAudience(models.TextChoices):
    EVERYONE = "everyone", _("모든 시민")
    DONG_RESIDENTS = "dong_residents", _("지정 행정동 주민")


class CourseStatus(models.TextChoices):
    PREPARING = "preparing", _("준비 중")
    RECRUITING = "recruiting", _("모집 중")
    IN_PROGRESS = "in_progress", _("진행 중")
    FINISHED = "finished", _("종료")
    CANCELLED = "cancelled", _("폐강")


class EnrollmentStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("확정")
    WAITING = "waiting", _("대기")
    CANCELLED = "cancelled", _("취소")


class CancelReason(models.TextChoices):
    BY_USER = "by_user", _("본인 취소")
    BY_STAFF = "by_staff", _("관리자 취소")
    COURSE_CANCELLED = "course_cancelled", _("폐강")
    WAITLIST_EXPIRED = "waitlist_expired", _("대기 만료")
    ACCOUNT_DELETED = "account_deleted", _("회원 탈퇴")
    OTHER = "other", _("기타")


class Track(TimeStampedModel):
    """A course series (공동체, 사회적경제, 도시재생, 주경야독 인문학, 주민역량강화); reference data."""

    name = models.CharField(_("분야명"), max_length=50, unique=True)
    slug = models.SlugField(_("주소용 이름"), max_length=50, unique=True)
    description = models.TextField(_("소개"), blank=True)
    display_order = models.PositiveSmallIntegerField(_("표시 순서"), default=0)

    objects = TrackedQuerySet.as_manager()

    history = PortalHistoricalRecords()

    class Meta:
        verbose_name = _("강좌 분야")
        verbose_name_plural = _("강좌 분야")
        ordering = ["display_order", "name"]

    def __str__(self):
        return self.name


class Course(TimeStampedModel):
    """A citizen course: one or more sessions, a capacity, an enrolment window and a waiting list."""

    Audience = CourseAudience

    # People named here act in a public capacity; their names are published, not personal data.
    PUBLIC_PERSON_FIELDS = ("instructor_name",)
    Status = CourseStatus

    title = models.CharField(_("강좌명"), max_length=200)
    slug = models.SlugField(
        _("주소용 이름"),
        max_length=100,
        unique=True,
        help_text=_("강좌 주소(/courses/<이름>/)에 쓰이는 영문·숫자·하이픈 이름입니다."),
        error_messages={"unique": _("같은 주소용 이름의 강좌가 이미 있습니다.")},
    )
    track = models.ForeignKey(Track, verbose_name=_("분야"), on_delete=models.PROTECT, related_name="courses")
    summary = models.CharField(_("한 줄 소개"), max_length=300, blank=True)
    description = models.TextField(_("강좌 소개"), blank=True)
    instructor_name = models.CharField(_("강사명"), max_length=100, help_text=_("공개되는 강사 이름입니다."))
    instructor_bio = models.CharField(_("강사 약력"), max_length=500, blank=True)
    place = models.CharField(_("장소"), max_length=200, help_text=_("예: 전주도시혁신센터 2층 강의실"))
    audience = models.CharField(
        _("수강 대상"), max_length=20, choices=CourseAudience.choices, default=CourseAudience.EVERYONE
    )
    audience_dongs = models.ManyToManyField(
        "common.Dong",
        verbose_name=_("대상 행정동"),
        blank=True,
        related_name="+",
        help_text=_("수강 대상이 '지정 행정동 주민'일 때 신청할 수 있는 행정동입니다."),
    )
    capacity = models.IntegerField(_("정원"), help_text=_("확정 인원의 상한입니다."))
    waitlist_limit = models.IntegerField(
        _("대기 인원 한도"), default=10, help_text=_("0이면 대기 신청을 받지 않습니다.")
    )
    enrollment_opens_at = models.DateTimeField(_("신청 시작"))
    enrollment_closes_at = models.DateTimeField(_("신청 마감"))
    cancellation_deadline = models.DateTimeField(
        _("취소 마감"), null=True, blank=True, help_text=_("비워 두면 신청 마감까지 취소할 수 있습니다.")
    )
    fee = models.IntegerField(_("수강료(원)"), default=0, help_text=_("무료 강좌는 0입니다."))
    completion_percent = models.PositiveSmallIntegerField(
        _("수료 기준(출석률 %)"),
        default=80,
        help_text=_("전체 회차 중 이 비율 이상 출석하면 수료증을 발급합니다."),
    )
    status = models.CharField(
        _("상태"), max_length=20, choices=Status.choices, default=CourseStatus.PREPARING
    )
    image = PublicPhotoField(_("대표 이미지"), upload_to="courses/%Y/", blank=True)
    image_alt = models.CharField(
        _("이미지 대체 텍스트"),
        max_length=200,
        blank=True,
        help_text=_("화면낭독기 사용자를 위한 설명입니다."),
    )
    is_published = models.BooleanField(_("공개"), default=False, help_text=_("체크하면 시민에게 공개됩니다."))

    objects = TrackedQuerySet.as_manager()

    history = PortalHistoricalRecords()

    class Meta:
        verbose_name = _("강좌")
        verbose_name_plural = _("강좌")
        ordering = ["-enrollment_opens_at", "title"]
        indexes = [
            TrigramIndex("title", name="courses_course_title_trgm"),
            # The site search (/search/), for three characters or more.
            TrigramIndex("summary", name="courses_course_summary_trgm"),
            TrigramIndex("description", name="courses_course_desc_trgm"),
            # The site search (/search/): two-character Korean words, which trigrams cannot serve.
            BigramIndex("title", name="courses_course_title_bigrams"),
            BigramIndex("summary", name="courses_course_summary_bigrams"),
            BigramIndex("description", name="courses_course_desc_bigrams"),
            models.Index(fields=["status", "is_published"], name="courses_course_status_pub_idx"),
        ]
        constraints = [
            not_negative(
                "capacity",
                name="courses_course_capacity_non_negative",
                message=_("정원은 0 이상이어야 합니다."),
            ),
            not_negative(
                "waitlist_limit",
                name="courses_course_waitlist_limit_non_negative",
                message=_("대기 인원 한도는 0 이상이어야 합니다."),
            ),
            not_negative(
                "fee", name="courses_course_fee_non_negative", message=_("수강료는 0원 이상이어야 합니다.")
            ),
            models.CheckConstraint(
                condition=Q(completion_percent__gte=1, completion_percent__lte=100),
                name="courses_course_completion_percent_range",
                violation_error_message=_("수료 기준은 1%%에서 100%% 사이여야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(enrollment_closes_at__gt=models.F("enrollment_opens_at")),
                name="courses_course_enrollment_window_valid",
                violation_error_message=_("신청 마감은 신청 시작보다 늦어야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(cancellation_deadline__isnull=True)
                | Q(cancellation_deadline__gt=models.F("enrollment_opens_at")),
                name="courses_course_cancellation_after_opening",
                violation_error_message=_("취소 마감은 신청 시작보다 늦어야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=CourseStatus.values),
                name="courses_course_status_valid",
                violation_error_message=_("강좌 상태가 올바르지 않습니다."),
            ),
            models.CheckConstraint(
                condition=Q(audience__in=CourseAudience.values),
                name="courses_course_audience_valid",
                violation_error_message=_("수강 대상이 올바르지 않습니다."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_free(self):
        return self.fee == 0


class CourseSession(TimeStampedModel):
    """One meeting of a course (회차): a date, a time slot and a room."""

    course = models.ForeignKey(
        Course, verbose_name=_("강좌"), on_delete=models.CASCADE, related_name="sessions"
    )
    date = models.DateField(_("날짜"))
    start_time = models.TimeField(_("시작 시각"))
    end_time = models.TimeField(_("종료 시각"))
    room = models.CharField(_("강의실"), max_length=100, blank=True)
    topic = models.CharField(_("주제"), max_length=200, blank=True)

    objects = TrackedQuerySet.as_manager()

    history = PortalHistoricalRecords()

    class Meta:
        verbose_name = _("강좌 회차")
        verbose_name_plural = _("강좌 회차")
        ordering = ["date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="courses_session_end_after_start",
                violation_error_message=_("종료 시각은 시작 시각보다 늦어야 합니다."),
            ),
            models.UniqueConstraint(
                fields=["course", "date", "start_time"],
                name="courses_session_unique_slot",
                violation_error_message=_("이 강좌에는 같은 날짜·시작 시각의 회차가 이미 있습니다."),
            ),
        ]

    def __str__(self):
        return f"{self.course} · {self.date:%Y-%m-%d} {self.start_time:%H:%M}"


class Enrollment(AnonymisableModel, TimeStampedModel):
    """A citizen's enrolment (수강신청): confirmed, waiting or cancelled.

    ``user`` becomes NULL when the account is deleted or the retention job anonymises the row; the row
    itself stays so that course statistics survive. The waiting list is ordered by ``requested_at``.
    """

    Status = EnrollmentStatus
    CancelReason = CancelReason

    # The enrollee is ``user`` (accounts.User holds the name and phone); these free values also
    # point at one person: a staff memo about their cancellation and their certificate number and code.
    PERSONAL_DATA_FIELDS = ("cancel_note", "certificate_number", "certificate_code")

    ACTIVE_STATUSES = (EnrollmentStatus.CONFIRMED, EnrollmentStatus.WAITING)

    course = models.ForeignKey(
        Course, verbose_name=_("강좌"), on_delete=models.PROTECT, related_name="enrollments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("수강생"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="course_enrollments",
    )
    applicant_dong = models.ForeignKey(
        "common.Dong",
        verbose_name=_("신청 시 거주 행정동"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("익명화 뒤에도 통계에 쓰이도록 신청 시점의 행정동을 남깁니다."),
    )
    status = models.CharField(
        _("상태"), max_length=20, choices=Status.choices, default=EnrollmentStatus.WAITING
    )
    requested_at = models.DateTimeField(_("신청일시"), help_text=_("대기 순번은 신청일시 순입니다."))
    confirmed_at = models.DateTimeField(_("확정일시"), null=True, blank=True)
    promoted_at = models.DateTimeField(
        _("대기 후 확정일시"), null=True, blank=True, help_text=_("대기자였다가 빈자리로 확정된 때입니다.")
    )
    cancelled_at = models.DateTimeField(_("취소일시"), null=True, blank=True)
    cancel_reason = models.CharField(_("취소 사유"), max_length=20, choices=CancelReason.choices, blank=True)
    cancel_note = models.CharField(_("취소 메모"), max_length=300, blank=True)
    reminder_sent_at = models.DateTimeField(_("알림 발송일시"), null=True, blank=True)
    feedback_requested_at = models.DateTimeField(
        _("만족도 조사 요청일시"),
        null=True,
        blank=True,
        help_text=_("강좌가 끝난 뒤 만족도 조사 메일을 보낸 때입니다."),
    )
    consent_version = models.CharField(
        _("개인정보 동의 버전"),
        max_length=20,
        blank=True,
        help_text=_("신청 시 동의한 개인정보 수집·이용 안내의 버전"),
    )
    consented_at = models.DateTimeField(_("개인정보 동의일시"), null=True, blank=True)
    is_completed = models.BooleanField(_("수료"), default=False)
    completed_at = models.DateTimeField(_("수료일시"), null=True, blank=True)
    certificate_number = models.CharField(_("수료증 번호"), max_length=40, blank=True)
    certificate_code = models.CharField(
        _("수료증 확인 코드"),
        max_length=20,
        blank=True,
        help_text=_("누구나 공개 확인 페이지에서 수료증의 진위를 확인할 때 쓰는 코드입니다."),
    )

    # ``user`` is left out too: a history row pointing at the citizen would undo the anonymisation.
    objects = TrackedQuerySet.as_manager()

    history = PortalHistoricalRecords(excluded_fields=["user", *PERSONAL_DATA_FIELDS])

    class Meta:
        verbose_name = _("수강신청")
        verbose_name_plural = _("수강신청")
        ordering = ["course", "requested_at", "pk"]
        indexes = [
            # The waiting list of a course, first come first served.
            models.Index(
                fields=["course", "requested_at", "id"],
                condition=Q(status="waiting"),
                name="courses_enrollment_queue_idx",
            ),
            models.Index(fields=["course", "status"], name="courses_enrollment_status_idx"),
            # The back office's list, newest first.
            models.Index(fields=["requested_at", "id"], name="courses_enrolment_newest_idx"),
            TrigramIndex("certificate_number", name="courses_enrolment_cert_trgm"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "user"],
                condition=Q(status__in=["confirmed", "waiting"]),
                name="courses_enrollment_one_active_per_user",
                violation_error_message=_("이미 이 강좌에 신청(확정 또는 대기)되어 있습니다."),
            ),
            models.UniqueConstraint(
                fields=["certificate_number"],
                condition=~Q(certificate_number=""),
                name="courses_enrollment_certificate_number_unique",
                violation_error_message=_("같은 번호의 수료증이 이미 있습니다."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=EnrollmentStatus.values),
                name="courses_enrollment_status_valid",
                violation_error_message=_("수강신청 상태가 올바르지 않습니다."),
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(confirmed_at__isnull=False),
                name="courses_enrollment_confirmed_has_time",
                violation_error_message=_("확정된 신청에는 확정일시가 있어야 합니다."),
            ),
            models.CheckConstraint(
                condition=(Q(status="cancelled") & Q(cancelled_at__isnull=False))
                | (~Q(status="cancelled") & Q(cancelled_at__isnull=True, cancel_reason="")),
                name="courses_enrollment_cancellation_consistent",
                violation_error_message=_(
                    "취소일시는 취소된 신청에만, 취소된 신청에는 반드시 있어야 합니다."
                ),
            ),
            models.CheckConstraint(
                condition=Q(promoted_at__isnull=True) | Q(confirmed_at__isnull=False),
                name="courses_enrollment_promoted_was_confirmed",
                violation_error_message=_("대기 후 확정된 신청에는 확정일시가 있어야 합니다."),
            ),
            models.CheckConstraint(
                condition=(Q(is_completed=True) & Q(status="confirmed", completed_at__isnull=False))
                | (Q(is_completed=False) & Q(completed_at__isnull=True)),
                name="courses_enrollment_completion_consistent",
                violation_error_message=_("수료는 확정된 신청에만 수료일시와 함께 기록할 수 있습니다."),
            ),
            models.UniqueConstraint(
                fields=["certificate_code"],
                condition=~Q(certificate_code=""),
                name="courses_enrollment_certificate_code_unique",
                violation_error_message=_("같은 확인 코드의 수료증이 이미 있습니다."),
            ),
            models.CheckConstraint(
                condition=Q(certificate_code="") | ~Q(certificate_number=""),
                name="courses_enrollment_certificate_code_has_number",
                violation_error_message=_("수료증 확인 코드는 수료증 번호와 함께 부여해야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(certificate_number="") | Q(is_completed=True),
                name="courses_enrollment_certificate_requires_completion",
                violation_error_message=_("수료증 번호는 수료한 신청에만 부여할 수 있습니다."),
            ),
            models.CheckConstraint(
                condition=Q(consent_version="", consented_at__isnull=True)
                | (~Q(consent_version="") & Q(consented_at__isnull=False)),
                name="courses_enrollment_consent_consistent",
                violation_error_message=_("개인정보 동의 버전과 동의일시는 함께 기록해야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(anonymised_at__isnull=True) | Q(user__isnull=True),
                name="courses_enrollment_anonymised_has_no_user",
                violation_error_message=_("익명 처리된 신청은 수강생과 연결할 수 없습니다."),
            ),
        ]

    def __str__(self):
        return f"{self.course} · {self.enrollee_display}"

    @property
    def enrollee_display(self):
        """The enrollee's masked name; never the full name (shown in lists and logs)."""
        if self.is_anonymised or self.user_id is None:
            return str(_("(익명)"))
        return mask_name(self.user.name or self.user.username)

    @property
    def is_active(self):
        return self.status in self.ACTIVE_STATUSES

    @property
    def was_promoted(self):
        return self.promoted_at is not None

    def clean(self):
        errors = {}
        if self.confirmed_at and self.requested_at and self.confirmed_at < self.requested_at:
            errors["confirmed_at"] = _("확정일시는 신청일시보다 앞설 수 없습니다.")
        if self.cancelled_at and self.requested_at and self.cancelled_at < self.requested_at:
            errors["cancelled_at"] = _("취소일시는 신청일시보다 앞설 수 없습니다.")
        if self.status == self.Status.CANCELLED and not self.cancel_reason:
            errors["cancel_reason"] = _("취소된 신청에는 취소 사유를 고르세요.")
        if errors:
            raise ValidationError(errors)


class Attendance(TimeStampedModel):
    """Whether an enrolled citizen attended one session; staff record it."""

    session = models.ForeignKey(
        CourseSession, verbose_name=_("회차"), on_delete=models.CASCADE, related_name="attendances"
    )
    enrollment = models.ForeignKey(
        Enrollment, verbose_name=_("수강신청"), on_delete=models.CASCADE, related_name="attendances"
    )
    is_present = models.BooleanField(_("출석"), default=False)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("확인한 직원"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("확인일시"), null=True, blank=True)

    history = PortalHistoricalRecords()

    class Meta:
        verbose_name = _("출석")
        verbose_name_plural = _("출석")
        ordering = ["session", "enrollment"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrollment"],
                name="courses_attendance_unique_per_session",
                violation_error_message=_("이 회차에 이 수강생의 출석 기록이 이미 있습니다."),
            ),
            models.CheckConstraint(
                condition=Q(checked_by__isnull=True) | Q(checked_at__isnull=False),
                name="courses_attendance_checked_has_time",
                violation_error_message=_("출석을 확인한 직원이 있으면 확인일시도 있어야 합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.session} · {self.enrollment.enrollee_display}"

    def clean(self):
        if self.session_id and self.enrollment_id and self.session.course_id != self.enrollment.course_id:
            raise ValidationError(
                {"enrollment": _("이 회차의 강좌에 신청한 수강생만 출석을 기록할 수 있습니다.")}
            )


FEEDBACK_SCALE = [
    (5, _("매우 만족")),
    (4, _("만족")),
    (3, _("보통")),
    (2, _("불만족")),
    (1, _("매우 불만족")),
]
FEEDBACK_ITEMS = [
    ("overall", _("강좌에 전반적으로 만족하십니까?")),
    ("content", _("강의 내용이 유익했습니까?")),
    ("instructor", _("강사의 설명이 알기 쉬웠습니까?")),
    ("venue", _("장소와 시설이 편리했습니까?")),
    ("schedule", _("일정과 운영(안내, 시간)이 알맞았습니까?")),
]
FEEDBACK_COMMENT_MAX_LENGTH = 2000


def _rating_field(label):
    return models.PositiveSmallIntegerField(label, choices=FEEDBACK_SCALE)


class CourseFeedback(TimeStampedModel):
    """One attendee's answers to the satisfaction survey after a course: 5-point items and free text.

    One per enrolment (the one-to-one link); staff see the answers without names: the back office never shows
    the link, and it goes when the enrolment is anonymised."""

    course = models.ForeignKey(
        Course, verbose_name=_("강좌"), on_delete=models.CASCADE, related_name="feedback"
    )
    enrollment = models.OneToOneField(
        Enrollment,
        verbose_name=_("수강신청"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback",
        editable=False,
    )
    overall = _rating_field(_("전반적 만족도"))
    content = _rating_field(_("강의 내용"))
    instructor = _rating_field(_("강사"))
    venue = _rating_field(_("장소·시설"))
    schedule = _rating_field(_("일정·운영"))
    comment = models.TextField(_("하고 싶은 말"), blank=True, max_length=FEEDBACK_COMMENT_MAX_LENGTH)
    submitted_at = models.DateTimeField(_("응답일시"))

    class Meta:
        verbose_name = _("강좌 만족도 응답")
        verbose_name_plural = _("강좌 만족도 응답")
        ordering = ["course", "submitted_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{name}__gte": 1}) & Q(**{f"{name}__lte": 5}),
                name=f"courses_feedback_{name}_1_to_5",
                violation_error_message=_("점수는 1점부터 5점까지입니다."),
            )
            for name, _label in FEEDBACK_ITEMS
        ]

    def __str__(self):
        return f"{self.course} #{self.pk}"
