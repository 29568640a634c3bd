"""Space booking (대관): the center's rooms and the community spaces in renovated vacant houses, their opening
hours and closed days, and citizens' booking requests that staff approve or decline.

Approved bookings of one space never overlap: a PostgreSQL exclusion constraint on the time range (as the
tenancies have), behind the services' own check under a row lock of the space."""

import datetime

from django.conf import settings
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.db import models
from django.db.models import F, Func, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.constraints import PostgresExclusionConstraint
from jeonju_center.common.fields import PublicPhotoField
from jeonju_center.common.history import PortalHistoricalRecords
from jeonju_center.common.indexes import TrigramIndex
from jeonju_center.common.models import AnonymisableModel, DecidedModel, TimeStampedModel

BOOKING_OVERLAP_MESSAGE = _("이 시간에는 이미 승인된 예약이 있습니다. 다른 시간을 골라 주세요.")
WEEKDAY_LABELS = [_("월"), _("화"), _("수"), _("목"), _("금"), _("토"), _("일")]


class DateTimeRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class Space(TimeStampedModel):
    """A bookable space with its rules: capacity, opening hours, open weekdays, slot length and how far ahead
    and how late people may book and cancel."""

    class Kind(models.TextChoices):
        CENTER_ROOM = "center_room", _("센터 공간")
        COMMUNITY_SPACE = "community_space", _("빈집 활용 커뮤니티 공간")

    name = models.CharField(_("공간 이름"), max_length=100)
    slug = models.SlugField(_("주소 이름"), max_length=60, unique=True, allow_unicode=True)
    kind = models.CharField(_("구분"), max_length=20, choices=Kind.choices, default=Kind.CENTER_ROOM)
    vacant_house = models.ForeignKey(
        "regeneration.VacantHouse",
        verbose_name=_("빈집"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="spaces",
        help_text=_("빈집을 고쳐 만든 커뮤니티 공간이면 그 빈집을 고릅니다."),
    )
    location = models.CharField(
        _("위치"), max_length=200, help_text=_("찾아오는 분이 보는 주소와 층·호수입니다.")
    )
    description = models.TextField(_("소개"), blank=True)
    capacity = models.PositiveSmallIntegerField(_("수용 인원"))
    equipment = models.CharField(
        _("비품·장비"),
        max_length=300,
        blank=True,
        help_text=_("쉼표로 나눕니다(예: 빔프로젝터, 화이트보드)."),
    )
    rules = models.TextField(_("이용 규칙"), blank=True)
    photo = PublicPhotoField(_("사진"), upload_to="spaces/", blank=True)
    photo_alt = models.CharField(_("사진 대체 텍스트"), max_length=200, blank=True)
    opens_at = models.TimeField(_("여는 시각"), default=datetime.time(9, 0))
    closes_at = models.TimeField(_("닫는 시각"), default=datetime.time(21, 0))
    open_weekdays = models.CharField(
        _("여는 요일"),
        max_length=7,
        default="01234",
        help_text=_("월요일 0 … 일요일 6의 숫자를 이어 씁니다. 예: 평일만 01234, 토요일까지 012345."),
    )
    closed_on_holidays = models.BooleanField(_("공휴일 휴관"), default=True)
    slot_minutes = models.PositiveSmallIntegerField(
        _("예약 단위(분)"), choices=[(30, _("30분")), (60, _("1시간"))], default=60
    )
    max_hours = models.PositiveSmallIntegerField(_("한 번에 최대 이용 시간"), default=4)
    book_ahead_days = models.PositiveSmallIntegerField(
        _("신청 가능 기간(일)"), default=60, help_text=_("오늘부터 며칠 뒤까지 신청할 수 있는지입니다.")
    )
    min_notice_days = models.PositiveSmallIntegerField(
        _("최소 신청 기한(일)"),
        default=2,
        help_text=_("이용일 며칠 전까지 신청해야 하는지입니다(승인할 시간)."),
    )
    cancel_until_days = models.PositiveSmallIntegerField(
        _("취소 가능 기한(일)"),
        default=1,
        help_text=_("승인된 예약은 이용일 이 일수 전까지 직접 취소할 수 있습니다."),
    )
    is_active = models.BooleanField(_("대관 운영"), default=True)

    history = PortalHistoricalRecords()

    class Meta:
        verbose_name = _("대관 공간")
        verbose_name_plural = _("대관 공간")
        indexes = [TrigramIndex("name", name="spaces_space_name_trgm")]
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="spaces_space_closes_after_opening",
                violation_error_message=_("닫는 시각은 여는 시각보다 늦어야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="spaces_space_capacity_positive",
                violation_error_message=_("수용 인원은 1명 이상이어야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(open_weekdays__regex=r"^[0-6]{1,7}$"),
                name="spaces_space_open_weekdays_digits",
                violation_error_message=_("여는 요일은 0부터 6까지의 숫자로 적어 주세요."),
            ),
            models.CheckConstraint(
                condition=Q(max_hours__gte=1) & Q(book_ahead_days__gte=1),
                name="spaces_space_limits_positive",
                violation_error_message=_("최대 이용 시간과 신청 가능 기간은 1 이상이어야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(photo="") | ~Q(photo_alt=""),
                name="spaces_space_photo_has_alt",
                violation_error_message=_("사진이 있으면 대체 텍스트를 입력해야 합니다."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def open_weekday_numbers(self):
        return sorted({int(digit) for digit in self.open_weekdays})

    @property
    def open_weekday_labels(self):
        return [str(WEEKDAY_LABELS[number]) for number in self.open_weekday_numbers]

    @property
    def equipment_list(self):
        return [item.strip() for item in self.equipment.split(",") if item.strip()]


class SpaceClosure(TimeStampedModel):
    """A day a space is closed besides its weekly closed days and public holidays (공사, 내부 행사)."""

    space = models.ForeignKey(
        Space, verbose_name=_("공간"), on_delete=models.CASCADE, related_name="closures"
    )
    date = models.DateField(_("날짜"))
    reason = models.CharField(_("사유"), max_length=100)

    class Meta:
        verbose_name = _("휴관일")
        verbose_name_plural = _("휴관일")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["space", "date"],
                name="spaces_closure_once_a_day",
                violation_error_message=_("이 날짜는 이미 휴관일입니다."),
            )
        ]

    def __str__(self):
        return f"{self.space} {self.date} ({self.reason})"


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("승인 대기")
    APPROVED = "approved", _("승인")
    DECLINED = "declined", _("거절")
    CANCELLED = "cancelled", _("취소")
    NO_SHOW = "no_show", _("불참(노쇼)")


class Booking(DecidedModel, AnonymisableModel, TimeStampedModel):
    """A request to use a space for a time range, by a signed-in citizen (for themselves or a group)."""

    PERSONAL_DATA_FIELDS = ("contact_phone",)

    space = models.ForeignKey(
        Space, verbose_name=_("공간"), on_delete=models.PROTECT, related_name="bookings"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("신청자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,  # the booking stays in the calendar; retention erases what is left
        related_name="space_bookings",
    )
    group_name = models.CharField(_("단체 이름"), max_length=100, blank=True)
    contact_phone = models.CharField(_("연락처"), max_length=20, blank=True)
    purpose = models.CharField(_("이용 목적"), max_length=500)
    headcount = models.PositiveSmallIntegerField(_("이용 인원"))
    starts_at = models.DateTimeField(_("시작"))
    ends_at = models.DateTimeField(_("끝"))
    status = models.CharField(
        _("상태"),
        max_length=10,
        choices=BookingStatus.choices,
        default=BookingStatus.REQUESTED,
        db_index=True,
    )
    decline_reason = models.CharField(_("거절·취소 사유"), max_length=300, blank=True)
    cancelled_at = models.DateTimeField(_("취소 일시"), null=True, blank=True, editable=False)
    consent_version = models.CharField(_("동의한 안내 버전"), max_length=20, blank=True, editable=False)

    history = PortalHistoricalRecords(excluded_fields=["contact_phone", "purpose", "group_name"])

    class Meta:
        verbose_name = _("대관 신청")
        verbose_name_plural = _("대관 신청")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["space", "status", "starts_at"], name="spaces_booking_calendar")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="spaces_booking_ends_after_start",
                violation_error_message=_("끝나는 시각은 시작 시각보다 늦어야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(headcount__gte=1),
                name="spaces_booking_headcount_positive",
                violation_error_message=_("이용 인원은 1명 이상이어야 합니다."),
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="spaces_booking_declined_has_reason",
                violation_error_message=_("거절할 때는 사유를 적어야 합니다."),
            ),
            PostgresExclusionConstraint(
                name="spaces_booking_no_overlap",
                expressions=[
                    ("space", RangeOperators.EQUAL),
                    (DateTimeRange(F("starts_at"), F("ends_at"), RangeBoundary()), RangeOperators.OVERLAPS),
                ],
                condition=Q(status="approved"),
                violation_error_message=BOOKING_OVERLAP_MESSAGE,
            ),
        ]

    def __str__(self):
        return f"{self.space} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def local_start(self):
        return timezone.localtime(self.starts_at)

    @property
    def local_end(self):
        return timezone.localtime(self.ends_at)
