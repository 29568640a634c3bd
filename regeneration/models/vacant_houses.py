"""Vacant houses (빈집): the surveyed house with its grade history, the owner's consent and the
life-cycle status changes.

The owner's name, phone and address (and the house's own address) are personal data, left out of the
change history; only ``is_public`` houses appear, with their public fields, on the citizens' map.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.changes import TrackedQuerySet
from jeonju_center.common.constraints import ends_after
from jeonju_center.common.fields import PublicPhotoField
from jeonju_center.common.history import PortalHistoricalRecords
from jeonju_center.common.indexes import TrigramIndex
from jeonju_center.common.models import TimeStampedModel
from jeonju_center.common.validators import validate_document_upload, validate_phone

# Korea's bounding box: catches swapped latitude/longitude as well as typos.
LATITUDE_RANGE = (33, 39)
LONGITUDE_RANGE = (124, 132)


class GradeScheme(models.TextChoices):
    URBAN_4 = "urban4", _("도시 4단계 (1 양호 · 2 일반 · 3 불량 · 4 철거대상)")
    GUIDELINE_2023 = "guideline2023", _("2023 지침 3단계 (1 활용 · 2 관리 · 3 정비)")


GRADE_LABELS = {
    GradeScheme.URBAN_4: {1: _("양호"), 2: _("일반"), 3: _("불량"), 4: _("철거대상")},
    GradeScheme.GUIDELINE_2023: {1: _("활용"), 2: _("관리"), 3: _("정비")},
}
GRADE_RANGE_MESSAGE = _("등급이 등급 체계의 범위를 벗어납니다. (도시 4단계: 1~4, 2023 지침: 1~3)")


def grade_in_scheme(scheme_field, grade_field):
    """The Q that keeps a grade inside its scheme's range.

    The grade must be explicitly NOT NULL: a CHECK whose comparison is NULL would pass.
    """
    in_range = {
        GradeScheme.URBAN_4: (1, 4),
        GradeScheme.GUIDELINE_2023: (1, 3),
    }
    condition = Q()
    for scheme, (low, high) in in_range.items():
        condition |= Q(
            **{
                scheme_field: scheme,
                f"{grade_field}__isnull": False,
                f"{grade_field}__gte": low,
                f"{grade_field}__lte": high,
            }
        )
    return condition


def grade_label(scheme, grade):
    label = GRADE_LABELS.get(scheme, {}).get(grade)
    return f"{grade} {label}" if label else ""


class HouseStatus(models.TextChoices):
    SURVEYED = "surveyed", _("실태조사 완료")
    OWNER_CONTACTED = "owner_contacted", _("소유자 접촉")
    CONSENT_OBTAINED = "consent_obtained", _("소유자 동의")
    RENOVATION = "renovation", _("정비·리모델링 중")
    IN_USE = "in_use", _("활용 중")
    ENDED = "ended", _("활용 종료")
    RETURNED_TO_OWNER = "returned_to_owner", _("소유자 반환")
    DEMOLISHED = "demolished", _("철거")


class BuildingType(models.TextChoices):
    DETACHED = "detached", _("단독주택")
    MULTI_HOUSEHOLD = "multi_household", _("다가구주택")
    ROW_HOUSE = "row_house", _("연립주택")
    MULTIPLEX = "multiplex", _("다세대주택")
    HANOK = "hanok", _("한옥")
    SHOP_HOUSE = "shop_house", _("점포주택")
    OTHER = "other", _("기타")


class Structure(models.TextChoices):
    WOOD = "wood", _("목조")
    MASONRY = "masonry", _("조적조(벽돌)")
    BLOCK = "block", _("블록조")
    REINFORCED_CONCRETE = "reinforced_concrete", _("철근콘크리트조")
    LIGHT_STEEL = "light_steel", _("경량철골조")
    OTHER = "other", _("기타")


class VacancyCause(models.TextChoices):
    OWNER_DECEASED = "owner_deceased", _("소유자 사망·상속")
    RELOCATION = "relocation", _("이주·전출")
    CARE_FACILITY = "care_facility", _("요양시설 입소")
    DETERIORATION = "deterioration", _("노후·훼손")
    REDEVELOPMENT = "redevelopment", _("재개발 대기")
    UNKNOWN = "unknown", _("미상·기타")


class VacantHouse(TimeStampedModel):
    """빈집: surveyed house with its grade, life-cycle status and (private) owner data.

    ``current_grade_scheme``/``current_grade`` repeat the latest grade history row for filtering.
    Only ``is_public`` houses appear on the public map, and then only the public fields.
    """

    # The address identifies the owner as surely as the name does.
    PERSONAL_DATA_FIELDS = ("owner_name", "owner_phone", "owner_address", "address")

    management_number = models.CharField(_("관리번호"), max_length=30, unique=True)
    address = models.CharField(_("소재지"), max_length=200)
    dong = models.ForeignKey(
        "common.Dong", verbose_name=_("행정동"), on_delete=models.PROTECT, related_name="vacant_houses"
    )
    latitude = models.DecimalField(_("위도"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("경도"), max_digits=9, decimal_places=6, null=True, blank=True)
    building_type = models.CharField(
        _("건물 유형"), max_length=20, choices=BuildingType.choices, default=BuildingType.DETACHED
    )
    structure = models.CharField(_("구조"), max_length=30, choices=Structure.choices, blank=True)
    built_year = models.SmallIntegerField(_("준공 연도"), null=True, blank=True)
    land_area_m2 = models.DecimalField(
        _("대지면적(㎡)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    floor_area_m2 = models.DecimalField(
        _("연면적(㎡)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    vacant_since = models.DateField(_("빈집 시작 시점"), null=True, blank=True)
    vacancy_cause = models.CharField(
        _("빈집 발생 사유"), max_length=20, choices=VacancyCause.choices, default=VacancyCause.UNKNOWN
    )
    surveyed_on = models.DateField(_("실태조사일"))
    survey_round = models.SmallIntegerField(
        _("실태조사 차수(연도)"), help_text=_("5년마다 하는 실태조사의 연도")
    )
    current_grade_scheme = models.CharField(
        _("현재 등급 체계"), max_length=20, choices=GradeScheme.choices, blank=True
    )
    current_grade = models.SmallIntegerField(_("현재 등급"), null=True, blank=True)
    status = models.CharField(
        _("진행 상태"),
        max_length=20,
        choices=HouseStatus.choices,
        default=HouseStatus.SURVEYED,
        db_index=True,
    )
    current_program = models.ForeignKey(
        "HousingProgram",
        verbose_name=_("현재 활용 사업"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="current_houses",
    )
    owner_name = models.CharField(_("소유자 이름"), max_length=50, blank=True)
    owner_phone = models.CharField(_("소유자 연락처"), max_length=20, blank=True, validators=[validate_phone])
    owner_address = models.CharField(_("소유자 주소"), max_length=200, blank=True)
    owner_data_erased_at = models.DateTimeField(
        _("소유자 개인정보 파기 일시"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("동의가 끝나고 보존기간이 지나 소유자 이름·연락처·주소와 동의서 파일을 파기한 일시"),
    )
    is_public = models.BooleanField(
        _("지도 공개"), default=False, help_text=_("공개 필드만 지도에 표시됩니다.")
    )
    public_title = models.CharField(_("공개 제목"), max_length=100, blank=True)
    public_description = models.TextField(_("공개 설명"), blank=True)
    public_photo = PublicPhotoField(_("공개 사진"), upload_to="regeneration/houses/%Y/", blank=True)
    note = models.TextField(_("내부 메모"), blank=True)

    objects = TrackedQuerySet.as_manager()

    history = PortalHistoricalRecords(excluded_fields=[*PERSONAL_DATA_FIELDS])

    class Meta:
        verbose_name = _("빈집")
        verbose_name_plural = _("빈집")
        ordering = ["management_number"]
        indexes = [
            models.Index(fields=["current_grade_scheme", "current_grade"], name="regeneration_house_grade"),
            # The back office's search fields.
            TrigramIndex("management_number", name="regen_house_number_trgm"),
            TrigramIndex("address", name="regen_house_address_trgm"),
            TrigramIndex("public_title", name="regen_house_title_trgm"),
            TrigramIndex("owner_name", name="regen_house_owner_trgm"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="regeneration_house_coordinates_together",
                violation_error_message=_("위도와 경도는 함께 입력해야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True)
                | Q(latitude__gte=LATITUDE_RANGE[0], latitude__lte=LATITUDE_RANGE[1]),
                name="regeneration_house_latitude_range",
                violation_error_message=_(
                    "위도는 33~39 사이여야 합니다. (위도·경도가 바뀌지 않았는지 확인하세요)"
                ),
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True)
                | Q(longitude__gte=LONGITUDE_RANGE[0], longitude__lte=LONGITUDE_RANGE[1]),
                name="regeneration_house_longitude_range",
                violation_error_message=_(
                    "경도는 124~132 사이여야 합니다. (위도·경도가 바뀌지 않았는지 확인하세요)"
                ),
            ),
            models.CheckConstraint(
                condition=Q(built_year__isnull=True) | Q(built_year__gte=1800, built_year__lte=2100),
                name="regeneration_house_built_year_range",
                violation_error_message=_("준공 연도는 1800~2100 사이여야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(survey_round__gte=1990, survey_round__lte=2100),
                name="regeneration_house_survey_round_range",
                violation_error_message=_("실태조사 차수(연도)는 1990~2100 사이여야 합니다."),
            ),
            models.CheckConstraint(
                condition=(Q(land_area_m2__isnull=True) | Q(land_area_m2__gt=0))
                & (Q(floor_area_m2__isnull=True) | Q(floor_area_m2__gt=0)),
                name="regeneration_house_areas_positive",
                violation_error_message=_("대지면적과 연면적은 0보다 커야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(current_grade_scheme="", current_grade__isnull=True)
                | grade_in_scheme("current_grade_scheme", "current_grade"),
                name="regeneration_house_current_grade_in_scheme",
                violation_error_message=GRADE_RANGE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=~Q(status=HouseStatus.IN_USE) | Q(current_program__isnull=False),
                name="regeneration_house_in_use_needs_program",
                violation_error_message=_("활용 중인 빈집에는 현재 활용 사업을 지정해야 합니다."),
            ),
        ]

    def __str__(self):
        return self.management_number

    @property
    def current_grade_label(self):
        return grade_label(self.current_grade_scheme, self.current_grade)


class GradeReason(models.TextChoices):
    SURVEY = "survey", _("실태조사")
    RENOVATION = "renovation", _("정비·리모델링 후")
    RESURVEY = "resurvey", _("재조사")


class VacantHouseGrade(TimeStampedModel):
    """One grading of a house; the latest one is copied onto the house."""

    house = models.ForeignKey(
        VacantHouse, verbose_name=_("빈집"), on_delete=models.CASCADE, related_name="grades"
    )
    scheme = models.CharField(_("등급 체계"), max_length=20, choices=GradeScheme.choices)
    grade = models.SmallIntegerField(_("등급"))
    graded_on = models.DateField(_("판정일"))
    reason = models.CharField(
        _("판정 사유"), max_length=20, choices=GradeReason.choices, default=GradeReason.SURVEY
    )
    note = models.CharField(_("비고"), max_length=200, blank=True)

    history = PortalHistoricalRecords()

    class Meta:
        verbose_name = _("빈집 등급 이력")
        verbose_name_plural = _("빈집 등급 이력")
        ordering = ["house", "-graded_on"]
        constraints = [
            models.CheckConstraint(
                condition=grade_in_scheme("scheme", "grade"),
                name="regeneration_grade_in_scheme",
                violation_error_message=GRADE_RANGE_MESSAGE,
            ),
            models.UniqueConstraint(
                fields=["house", "scheme", "graded_on"],
                name="regeneration_grade_unique_per_day",
                violation_error_message=_("같은 날 같은 등급 체계로 판정한 기록이 이미 있습니다."),
            ),
        ]

    def __str__(self):
        return f"{self.house.management_number} {self.graded_on}: {self.label}"

    @property
    def label(self):
        return grade_label(self.scheme, self.grade)


class ConsentScope(models.TextChoices):
    RENTAL = "rental", _("임대 활용")
    REMODELING = "remodeling", _("리모델링")
    PUBLIC_USE = "public_use", _("공공 활용")
    DEMOLITION_THEN_USE = "demolition_then_use", _("철거 후 활용")
    OTHER = "other", _("기타")


class OwnerConsent(TimeStampedModel):
    """The owner's consent: a house is only offered for reuse with it.

    The scanned consent form carries the owner's name, address and signature: it is personal data, shown
    and downloadable only with the 개인정보 열람 permission, and deleted by the retention job."""

    PERSONAL_DATA_FIELDS = ("document",)

    house = models.ForeignKey(
        VacantHouse, verbose_name=_("빈집"), on_delete=models.CASCADE, related_name="consents"
    )
    consented_on = models.DateField(_("동의일"))
    scope = models.CharField(_("동의 범위"), max_length=30, choices=ConsentScope.choices)
    expires_on = models.DateField(_("동의 만료일"), null=True, blank=True)
    withdrawn_on = models.DateField(_("동의 철회일"), null=True, blank=True)
    document = models.FileField(
        _("동의서"), upload_to="regeneration/consents/%Y/", blank=True, validators=[validate_document_upload]
    )
    note = models.CharField(_("비고"), max_length=200, blank=True)

    history = PortalHistoricalRecords(excluded_fields=[*PERSONAL_DATA_FIELDS])

    class Meta:
        verbose_name = _("소유자 동의")
        verbose_name_plural = _("소유자 동의")
        ordering = ["house", "-consented_on"]
        constraints = [
            ends_after(
                "expires_on",
                "consented_on",
                null=True,
                name="regeneration_consent_expires_after_consent",
                message=_("동의 만료일은 동의일 이후여야 합니다."),
            ),
            ends_after(
                "withdrawn_on",
                "consented_on",
                null=True,
                name="regeneration_consent_withdrawn_after_consent",
                message=_("동의 철회일은 동의일 이후여야 합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.house.management_number} {self.get_scope_display()} ({self.consented_on})"

    def is_valid_on(self, day):
        return (
            self.consented_on <= day
            and (self.expires_on is None or day <= self.expires_on)
            and (self.withdrawn_on is None or day < self.withdrawn_on)
        )


class HouseStatusChange(TimeStampedModel):
    """The life-cycle record of a house: every status change, by whom and when."""

    house = models.ForeignKey(
        VacantHouse, verbose_name=_("빈집"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(
        _("이전 상태"),
        max_length=20,
        choices=HouseStatus.choices,
        blank=True,
        help_text=_("최초 등록이면 비웁니다."),
    )
    to_status = models.CharField(_("변경 상태"), max_length=20, choices=HouseStatus.choices)
    changed_at = models.DateTimeField(_("변경 일시"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("변경자"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("비고"), max_length=200, blank=True)

    history = PortalHistoricalRecords()

    class Meta:
        verbose_name = _("빈집 상태 변경 이력")
        verbose_name_plural = _("빈집 상태 변경 이력")
        ordering = ["house", "-changed_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_status=F("to_status")),
                name="regeneration_status_change_differs",
                violation_error_message=_("이전 상태와 변경 상태가 같습니다."),
            ),
        ]

    def __str__(self):
        before = self.get_from_status_display() or "-"
        return f"{self.house.management_number}: {before} → {self.get_to_status_display()}"
