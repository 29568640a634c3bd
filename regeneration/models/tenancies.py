"""Rooms and tenancies (입주 계약) of the vacant-house programs, with the rules the database enforces:
the half-rent limit and no two overlapping tenancies of one house or room.

Tenant names, phones and birth dates are personal data, left out of the change history and anonymised
by the retention job.
"""

from django.contrib.postgres.fields import BigIntegerRangeField, DateRangeField, RangeBoundary, RangeOperators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Func, Q, When
from django.db.models.functions import Cast, Coalesce
from django.db.models.lookups import GreaterThan
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.changes import TrackedQuerySet
from jeonju_center.common.constraints import PostgresExclusionConstraint, ends_after
from jeonju_center.common.history import PortalHistoricalRecords
from jeonju_center.common.masking import mask_name
from jeonju_center.common.models import AnonymisableModel, TimeStampedModel
from jeonju_center.common.validators import validate_phone

from .programs import HousingProgram, ProgramKind
from .vacant_houses import VacantHouse

HALF_RENT_MESSAGE = _("반값 임대 주거복지 사업의 월 임대료는 시세의 50% 이하여야 합니다.")
# Constraint messages go through %-formatting (with the constraint's name), hence the doubled percent sign.
HALF_RENT_CONSTRAINT_MESSAGE = _("반값 임대 주거복지 사업의 월 임대료는 시세의 50%% 이하여야 합니다.")


class Room(TimeStampedModel):
    """A room let on its own (youth share house)."""

    house = models.ForeignKey(
        VacantHouse, verbose_name=_("빈집"), on_delete=models.CASCADE, related_name="rooms"
    )
    name = models.CharField(_("호실"), max_length=30)
    area_m2 = models.DecimalField(_("면적(㎡)"), max_digits=7, decimal_places=2, null=True, blank=True)
    capacity = models.SmallIntegerField(_("정원"), default=1)
    is_available = models.BooleanField(_("임대 가능"), default=True)
    note = models.CharField(_("비고"), max_length=200, blank=True)

    history = PortalHistoricalRecords()

    class Meta:
        verbose_name = _("호실")
        verbose_name_plural = _("호실")
        ordering = ["house", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["house", "name"],
                name="regeneration_room_unique_name_per_house",
                violation_error_message=_("이 빈집에 같은 이름의 호실이 이미 있습니다."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="regeneration_room_capacity_positive",
                violation_error_message=_("정원은 1명 이상이어야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(area_m2__isnull=True) | Q(area_m2__gt=0),
                name="regeneration_room_area_positive",
                violation_error_message=_("호실 면적은 0보다 커야 합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.house.management_number} {self.name}"


TENANCY_OVERLAP_MESSAGE = _("같은 집(호실)에 기간이 겹치는 입주 계약이 이미 있습니다.")


class Int8Range(Func):
    function = "INT8RANGE"
    output_field = BigIntegerRangeField()


def occupied_until():
    """The last day occupied: the move-out day, else the contract's end (NULL: open-ended).

    Typed as a date (a NULL alone would be text) and never before the start, so that a reversed row
    reaches its CHECK constraint's Korean message instead of a range error."""
    end = Cast(Coalesce(F("moved_out_on"), F("ends_on")), output_field=models.DateField())
    return Case(When(GreaterThan(F("starts_on"), end), then=F("starts_on")), default=end)


class DateRange(Func):
    function = "DATERANGE"
    output_field = DateRangeField()


class HouseholdType(models.TextChoices):
    SINGLE = "single", _("1인 가구")
    COUPLE = "couple", _("부부 가구")
    SINGLE_PARENT = "single_parent", _("한부모 가구")
    MULTI_CHILD = "multi_child", _("다자녀 가구")
    DISABLED = "disabled", _("장애인 가구")
    ELDERLY = "elderly", _("고령자 가구")
    OTHER = "other", _("기타")


class Tenancy(AnonymisableModel, TimeStampedModel):
    """A lease of a house (or one room of it) under a program.

    Tenant name, phone and birth date are personal data; the retention job anonymises them after the
    retention period and records when (``anonymised_at``).
    """

    PERSONAL_DATA_FIELDS = ("tenant_name", "tenant_phone", "tenant_birth_date")

    house = models.ForeignKey(
        VacantHouse, verbose_name=_("빈집"), on_delete=models.PROTECT, related_name="tenancies"
    )
    room = models.ForeignKey(
        Room,
        verbose_name=_("호실"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tenancies",
        help_text=_("청년쉐어하우스처럼 방 단위로 임대할 때만 지정합니다."),
    )
    program = models.ForeignKey(
        HousingProgram, verbose_name=_("활용 사업"), on_delete=models.PROTECT, related_name="tenancies"
    )
    tenant_name = models.CharField(_("입주자 이름"), max_length=50, blank=True)
    tenant_phone = models.CharField(
        _("입주자 연락처"), max_length=20, blank=True, validators=[validate_phone]
    )
    tenant_birth_date = models.DateField(_("입주자 생년월일"), null=True, blank=True)
    household_type = models.CharField(
        _("가구 유형"), max_length=20, choices=HouseholdType.choices, default=HouseholdType.SINGLE
    )
    household_size = models.SmallIntegerField(_("가구원 수"), default=1)
    deposit = models.BigIntegerField(_("보증금(원)"), default=0)
    monthly_rent = models.BigIntegerField(_("월 임대료(원)"), default=0)
    market_rent = models.BigIntegerField(_("월 시세(원)"), null=True, blank=True)
    half_rent = models.BooleanField(
        _("반값 임대 적용"), default=False, help_text=_("반값 임대 주거복지 사업이면 자동으로 설정됩니다.")
    )
    starts_on = models.DateField(_("입주일(계약 시작일)"))
    ends_on = models.DateField(_("계약 종료일"), null=True, blank=True)
    moved_out_on = models.DateField(_("퇴거일"), null=True, blank=True)
    note = models.CharField(_("비고"), max_length=200, blank=True)

    objects = TrackedQuerySet.as_manager()

    history = PortalHistoricalRecords(excluded_fields=[*PERSONAL_DATA_FIELDS])

    class Meta:
        verbose_name = _("입주 계약")
        verbose_name_plural = _("입주 계약")
        ordering = ["-starts_on"]
        indexes = [
            models.Index(fields=["house", "starts_on"], name="regeneration_tenancy_house"),
            models.Index(fields=["anonymised_at", "ends_on"], name="regeneration_tenancy_retention"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(deposit__gte=0)
                & Q(monthly_rent__gte=0)
                & (Q(market_rent__isnull=True) | Q(market_rent__gte=0)),
                name="regeneration_tenancy_amounts_non_negative",
                violation_error_message=_("보증금, 월 임대료, 시세는 0원 이상이어야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(half_rent=False) | Q(market_rent__isnull=False),
                name="regeneration_tenancy_half_rent_needs_market_rent",
                violation_error_message=_("반값 임대 주거복지 사업은 월 시세를 입력해야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(half_rent=False) | Q(market_rent__gte=F("monthly_rent") * 2),
                name="regeneration_tenancy_half_rent_limit",
                violation_error_message=HALF_RENT_CONSTRAINT_MESSAGE,
            ),
            ends_after(
                "ends_on",
                "starts_on",
                null=True,
                name="regeneration_tenancy_ends_after_start",
                message=_("계약 종료일은 입주일 이후여야 합니다."),
            ),
            ends_after(
                "moved_out_on",
                "starts_on",
                null=True,
                name="regeneration_tenancy_moved_out_after_start",
                message=_("퇴거일은 입주일 이후여야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(household_size__gte=1),
                name="regeneration_tenancy_household_size_positive",
                violation_error_message=_("가구원 수는 1명 이상이어야 합니다."),
            ),
            # A whole-house tenancy (no room) spans every room: int8range(NULL, NULL) is unbounded.
            PostgresExclusionConstraint(
                name="regeneration_tenancy_no_overlap",
                expressions=[
                    ("house", RangeOperators.EQUAL),
                    (Int8Range(F("room"), F("room"), RangeBoundary(True, True)), RangeOperators.OVERLAPS),
                    (
                        # The days the tenant occupies it, both ends included; open-ended without an end.
                        DateRange(F("starts_on"), occupied_until(), RangeBoundary(True, True)),
                        RangeOperators.OVERLAPS,
                    ),
                ],
                violation_error_message=TENANCY_OVERLAP_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(anonymised_at__isnull=False) | ~Q(tenant_name=""),
                name="regeneration_tenancy_name_unless_anonymised",
                violation_error_message=_("입주자 이름을 입력해야 합니다."),
            ),
        ]

    def __str__(self):
        tenant = _("익명") if self.is_anonymised else mask_name(self.tenant_name)
        place = self.room or self.house
        return f"{place} - {tenant}"

    def clean(self):
        super().clean()
        errors = {}
        if self.program_id:
            # The half-rent rule follows the program; the flag is stored so the database can enforce it.
            self.half_rent = self.program.kind == ProgramKind.HALF_RENT_WELFARE
        if self.half_rent:
            if self.market_rent is None:
                errors["market_rent"] = _("반값 임대 주거복지 사업은 월 시세를 입력해야 합니다.")
            elif self.monthly_rent is not None and self.monthly_rent * 2 > self.market_rent:
                errors["monthly_rent"] = HALF_RENT_MESSAGE
        if self.room_id and self.house_id and self.room.house_id != self.house_id:
            errors["room"] = _("선택한 호실은 이 빈집의 호실이 아닙니다.")
        if errors:
            raise ValidationError(errors)
