"""Urban regeneration (도시재생): activation areas, resident councils and the vacant-house programs.

Invariants live in database constraints (so the admin shows a Korean message and the database refuses
bad rows); multi-row rules (life-cycle transitions, tenancy overlaps, age checks) belong to services.
"""

from django.conf import settings
from django.contrib.postgres.fields import BigIntegerRangeField, DateRangeField, RangeBoundary, RangeOperators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Func, Q, When
from django.db.models.functions import Cast, Coalesce
from django.db.models.lookups import GreaterThan
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jeonju_center.common.changes import TrackedQuerySet
from jeonju_center.common.constraints import PostgresExclusionConstraint, ends_after, not_negative
from jeonju_center.common.masking import mask_name
from jeonju_center.common.models import AnonymisableModel, TimeStampedModel
from jeonju_center.common.validators import validate_document_upload, validate_image_upload, validate_phone

# Every model keeps its change history (who, when, what, why). A model's PERSONAL_DATA_FIELDS are left out
# of its history on purpose: the history tables must not keep copies of what the retention job erases.

# Korea's bounding box: catches swapped latitude/longitude as well as typos.
LATITUDE_RANGE = (33, 39)
LONGITUDE_RANGE = (124, 132)

YOUTH_SHARE_HOUSE_AGE_RANGE = (19, 39)
HALF_RENT_MESSAGE = _("반값 임대 주거복지 사업의 월 임대료는 시세의 50% 이하여야 합니다.")
# Constraint messages go through %-formatting (with the constraint's name), hence the doubled percent sign.
HALF_RENT_CONSTRAINT_MESSAGE = _("반값 임대 주거복지 사업의 월 임대료는 시세의 50%% 이하여야 합니다.")


class AreaType(models.TextChoices):
    ECONOMIC_BASE = "economic_base", _("경제기반형")
    CENTRAL_URBAN = "central_urban", _("중심시가지형")
    GENERAL_NEIGHBORHOOD = "general_neighborhood", _("일반근린형")
    RESIDENTIAL_SUPPORT = "residential_support", _("주거지지원형")
    OUR_NEIGHBORHOOD = "our_neighborhood", _("우리동네살리기")


class ActivationArea(TimeStampedModel):
    """도시재생활성화지역: a designated area with its type, dongs and project budget."""

    name = models.CharField(_("지역명"), max_length=100, unique=True)
    area_type = models.CharField(_("사업 유형"), max_length=30, choices=AreaType.choices)
    designated_on = models.DateField(_("지정일"))
    ends_on = models.DateField(_("지정 종료일"), null=True, blank=True)
    dongs = models.ManyToManyField(
        "common.Dong", verbose_name=_("포함 행정동"), related_name="activation_areas", blank=True
    )
    description = models.TextField(_("지역 소개"), blank=True)
    size_m2 = models.DecimalField(_("면적(㎡)"), max_digits=12, decimal_places=2, null=True, blank=True)
    project_budget = models.BigIntegerField(_("총사업비(원)"), null=True, blank=True)

    objects = TrackedQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("도시재생활성화지역")
        verbose_name_plural = _("도시재생활성화지역")
        ordering = ["-designated_on", "name"]
        constraints = [
            ends_after(
                "ends_on",
                "designated_on",
                null=True,
                name="regeneration_area_ends_after_designation",
                message=_("지정 종료일은 지정일 이후여야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(size_m2__isnull=True) | Q(size_m2__gt=0),
                name="regeneration_area_size_positive",
                violation_error_message=_("면적은 0보다 커야 합니다."),
            ),
            not_negative(
                "project_budget",
                null=True,
                name="regeneration_area_budget_non_negative",
                message=_("총사업비는 0원 이상이어야 합니다."),
            ),
        ]

    def __str__(self):
        return self.name


class ResidentCouncil(TimeStampedModel):
    """주민협의체: one per activation area."""

    area = models.OneToOneField(
        ActivationArea, verbose_name=_("도시재생활성화지역"), on_delete=models.PROTECT, related_name="council"
    )
    name = models.CharField(_("협의체명"), max_length=100)
    founded_on = models.DateField(_("구성일"), null=True, blank=True)
    is_active = models.BooleanField(_("활동 중"), default=True)
    public_description = models.TextField(_("공개 소개글"), blank=True, help_text=_("시민에게 공개됩니다."))

    objects = TrackedQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("주민협의체")
        verbose_name_plural = _("주민협의체")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CouncilPosition(models.TextChoices):
    CHAIR = "chair", _("위원장")
    VICE_CHAIR = "vice_chair", _("부위원장")
    SECRETARY = "secretary", _("총무")
    MEMBER = "member", _("위원")


class CouncilMember(AnonymisableModel, TimeStampedModel):
    """A member of a resident council. Name and phone are personal data and never public; the retention
    job anonymises them some years after the member left (``anonymised_at``)."""

    PERSONAL_DATA_FIELDS = ("name", "phone")

    council = models.ForeignKey(
        ResidentCouncil, verbose_name=_("주민협의체"), on_delete=models.CASCADE, related_name="members"
    )
    # Blank only once anonymised (see the constraint below).
    name = models.CharField(_("이름"), max_length=50, blank=True)
    phone = models.CharField(_("연락처"), max_length=20, blank=True, validators=[validate_phone])
    position = models.CharField(
        _("직책"), max_length=20, choices=CouncilPosition.choices, default=CouncilPosition.MEMBER
    )
    started_on = models.DateField(_("임기 시작일"))
    ended_on = models.DateField(
        _("임기 종료일"), null=True, blank=True, help_text=_("비워 두면 현재 위원입니다.")
    )
    note = models.CharField(_("비고"), max_length=200, blank=True)

    objects = TrackedQuerySet.as_manager()

    history = HistoricalRecords(excluded_fields=[*PERSONAL_DATA_FIELDS])

    class Meta:
        verbose_name = _("협의체 위원")
        verbose_name_plural = _("협의체 위원")
        ordering = ["council", "position", "name"]
        indexes = [models.Index(fields=["council", "ended_on"], name="regeneration_member_current")]
        constraints = [
            ends_after(
                "ended_on",
                "started_on",
                null=True,
                name="regeneration_member_ends_after_start",
                message=_("임기 종료일은 시작일 이후여야 합니다."),
            ),
            models.UniqueConstraint(
                fields=["council"],
                condition=Q(position=CouncilPosition.CHAIR, ended_on__isnull=True),
                name="regeneration_member_one_current_chair",
                violation_error_message=_("협의체에는 현재 위원장이 한 명만 있을 수 있습니다."),
            ),
            models.CheckConstraint(
                condition=Q(anonymised_at__isnull=False) | ~Q(name=""),
                name="regeneration_member_name_unless_anonymised",
                violation_error_message=_("위원 이름을 입력해야 합니다."),
            ),
        ]

    def __str__(self):
        # Shown in breadcrumbs, history, autocomplete and attendance lists: never the full name.
        who = _("익명") if self.is_anonymised else mask_name(self.name)
        return f"{who} ({self.get_position_display()})"

    @property
    def is_current(self):
        return self.ended_on is None or self.ended_on >= timezone.localdate()


class CouncilMeeting(TimeStampedModel):
    """A council meeting. Minutes become public once staff publish them; attendance never does."""

    council = models.ForeignKey(
        ResidentCouncil, verbose_name=_("주민협의체"), on_delete=models.CASCADE, related_name="meetings"
    )
    title = models.CharField(_("회의명"), max_length=200)
    held_at = models.DateTimeField(_("일시"))
    place = models.CharField(_("장소"), max_length=200, blank=True)
    agenda = models.TextField(_("안건"), blank=True)
    minutes = models.TextField(_("회의록"), blank=True)
    decisions = models.TextField(_("결정 사항"), blank=True)
    attendee_count = models.IntegerField(_("참석 인원"), default=0)
    is_published = models.BooleanField(_("회의록 공개"), default=False)
    published_at = models.DateTimeField(_("공개 일시"), null=True, blank=True)

    objects = TrackedQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("협의체 회의")
        verbose_name_plural = _("협의체 회의")
        ordering = ["-held_at"]
        indexes = [models.Index(fields=["is_published", "-held_at"], name="regeneration_meeting_public")]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "held_at"],
                name="regeneration_meeting_unique_time",
                violation_error_message=_("같은 협의체의 같은 일시에 회의가 이미 등록되어 있습니다."),
            ),
            not_negative(
                "attendee_count",
                name="regeneration_meeting_attendee_count_non_negative",
                message=_("참석 인원은 0명 이상이어야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(is_published=False) | ~Q(minutes=""),
                name="regeneration_meeting_published_needs_minutes",
                violation_error_message=_("회의록이 있어야 공개할 수 있습니다."),
            ),
            models.CheckConstraint(
                condition=Q(is_published=False, published_at__isnull=True)
                | Q(is_published=True, published_at__isnull=False),
                name="regeneration_meeting_published_at_matches_flag",
                violation_error_message=_("공개한 회의록에만 공개 일시가 있어야 합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.council} {self.title} ({timezone.localtime(self.held_at):%Y-%m-%d})"


class MeetingAttendance(TimeStampedModel):
    meeting = models.ForeignKey(
        CouncilMeeting, verbose_name=_("회의"), on_delete=models.CASCADE, related_name="attendances"
    )
    member = models.ForeignKey(
        CouncilMember, verbose_name=_("위원"), on_delete=models.CASCADE, related_name="attendances"
    )
    attended = models.BooleanField(_("출석"), default=True)
    note = models.CharField(_("비고"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("회의 출석")
        verbose_name_plural = _("회의 출석")
        ordering = ["meeting", "member"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                name="regeneration_attendance_unique_member",
                violation_error_message=_("이 위원의 출석 기록이 이미 있습니다."),
            ),
        ]

    def __str__(self):
        return f"{self.member} - {_('출석') if self.attended else _('불참')}"

    def clean(self):
        super().clean()
        if self.meeting_id and self.member_id and self.meeting.council_id != self.member.council_id:
            raise ValidationError({"member": _("회의를 연 협의체의 위원만 출석 기록을 남길 수 있습니다.")})


class MeetingAttachment(TimeStampedModel):
    """A file attached to a meeting's minutes (sign-in sheet excluded: it holds members' names).

    Citizens see it once the meeting's minutes are published and staff marked the file public."""

    meeting = models.ForeignKey(
        CouncilMeeting, verbose_name=_("회의"), on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("자료명"), max_length=200)
    file = models.FileField(
        _("파일"), upload_to="regeneration/minutes/%Y/", validators=[validate_document_upload]
    )
    is_public = models.BooleanField(
        _("공개"),
        default=True,
        help_text=_("회의록이 공개되면 시민에게 보입니다. 개인정보가 담긴 자료는 공개하지 마세요."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("회의록 첨부파일")
        verbose_name_plural = _("회의록 첨부파일")
        ordering = ["meeting", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "title"],
                name="regeneration_attachment_unique_title",
                violation_error_message=_("이 회의에 같은 이름의 첨부파일이 이미 있습니다."),
            ),
        ]

    def __str__(self):
        return self.title


class SupportKind(models.TextChoices):
    EDUCATION = "education", _("교육")
    CONSULTING = "consulting", _("컨설팅")
    FUNDING = "funding", _("사업비 지원")
    OTHER = "other", _("기타")


class CouncilSupport(TimeStampedModel):
    """Support the center gave a resident council (education, consulting, funding)."""

    council = models.ForeignKey(
        ResidentCouncil, verbose_name=_("주민협의체"), on_delete=models.CASCADE, related_name="supports"
    )
    kind = models.CharField(_("지원 유형"), max_length=20, choices=SupportKind.choices)
    title = models.CharField(_("지원 내용"), max_length=200)
    provided_on = models.DateField(_("지원일"))
    amount = models.BigIntegerField(
        _("지원 금액(원)"), null=True, blank=True, help_text=_("사업비 지원은 금액을 입력합니다.")
    )
    hours = models.DecimalField(_("시간"), max_digits=5, decimal_places=1, null=True, blank=True)
    provider = models.CharField(_("담당·수행 기관"), max_length=100, blank=True)
    note = models.TextField(_("비고"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("협의체 지원 기록")
        verbose_name_plural = _("협의체 지원 기록")
        ordering = ["council", "-provided_on"]
        constraints = [
            not_negative(
                "amount",
                null=True,
                name="regeneration_support_amount_non_negative",
                message=_("지원 금액은 0원 이상이어야 합니다."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=SupportKind.FUNDING) | Q(amount__isnull=False, amount__gt=0),
                name="regeneration_support_funding_needs_amount",
                violation_error_message=_("사업비 지원은 지원 금액을 입력해야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gt=0),
                name="regeneration_support_hours_positive",
                violation_error_message=_("시간은 0보다 커야 합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.council} {self.get_kind_display()} ({self.provided_on})"


# --- Vacant houses ---------------------------------------------------------------------------------


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
    public_photo = models.ImageField(
        _("공개 사진"), upload_to="regeneration/houses/%Y/", blank=True, validators=[validate_image_upload]
    )
    note = models.TextField(_("내부 메모"), blank=True)

    objects = TrackedQuerySet.as_manager()

    history = HistoricalRecords(excluded_fields=[*PERSONAL_DATA_FIELDS])

    class Meta:
        verbose_name = _("빈집")
        verbose_name_plural = _("빈집")
        ordering = ["management_number"]
        indexes = [
            models.Index(fields=["current_grade_scheme", "current_grade"], name="regeneration_house_grade"),
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

    history = HistoricalRecords()

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

    history = HistoricalRecords(excluded_fields=[*PERSONAL_DATA_FIELDS])

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

    history = HistoricalRecords()

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


# --- Programs, renovations and tenancies ------------------------------------------------------------


class ProgramKind(models.TextChoices):
    HAPPY_VILLAGE = "happy_village", _("해피빌리지 시범사업")
    YOUTH_SHARE_HOUSE = "youth_share_house", _("청년쉐어하우스")
    DISABLED_SOCIAL_HOUSING = "disabled_social_housing", _("탈시설 장애인 사회주택")
    HALF_RENT_WELFARE = "half_rent_welfare", _("반값 임대 주거복지")
    COMMUNITY_SPACE = "community_space", _("유휴공간 커뮤니티")


class HousingProgram(TimeStampedModel):
    """A vacant-house reuse program of a given year."""

    name = models.CharField(_("사업명"), max_length=100)
    kind = models.CharField(_("사업 유형"), max_length=30, choices=ProgramKind.choices)
    year = models.SmallIntegerField(_("사업 연도"))
    description = models.TextField(_("사업 설명"), blank=True)
    budget = models.BigIntegerField(_("예산(원)"), default=0)
    operating_partner = models.CharField(_("운영 기관"), max_length=100, blank=True)
    tenant_min_age = models.SmallIntegerField(
        _("입주자 최소 나이"), null=True, blank=True, help_text=_("청년쉐어하우스는 비워 두면 19세")
    )
    tenant_max_age = models.SmallIntegerField(
        _("입주자 최대 나이"), null=True, blank=True, help_text=_("청년쉐어하우스는 비워 두면 39세")
    )
    starts_on = models.DateField(_("사업 시작일"), null=True, blank=True)
    ends_on = models.DateField(_("사업 종료일"), null=True, blank=True)

    objects = TrackedQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("빈집 활용 사업")
        verbose_name_plural = _("빈집 활용 사업")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "year"],
                name="regeneration_program_unique_name_year",
                violation_error_message=_("같은 연도에 같은 이름의 사업이 이미 있습니다."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="regeneration_program_year_range",
                violation_error_message=_("사업 연도는 2000~2100 사이여야 합니다."),
            ),
            not_negative(
                "budget",
                name="regeneration_program_budget_non_negative",
                message=_("예산은 0원 이상이어야 합니다."),
            ),
            models.CheckConstraint(
                condition=(Q(tenant_min_age__isnull=True) | Q(tenant_min_age__gte=0))
                & (Q(tenant_max_age__isnull=True) | Q(tenant_max_age__gte=0)),
                name="regeneration_program_ages_non_negative",
                violation_error_message=_("입주자 나이 기준은 0세 이상이어야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(tenant_min_age__isnull=True)
                | Q(tenant_max_age__isnull=True)
                | Q(tenant_min_age__lte=F("tenant_max_age")),
                name="regeneration_program_age_range_ordered",
                violation_error_message=_("입주자 최소 나이는 최대 나이보다 클 수 없습니다."),
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="regeneration_program_ends_after_start",
                violation_error_message=_("사업 종료일은 시작일 이후여야 합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.name}"

    def clean(self):
        super().clean()
        if self.kind == ProgramKind.YOUTH_SHARE_HOUSE:
            if self.tenant_min_age is None:
                self.tenant_min_age = YOUTH_SHARE_HOUSE_AGE_RANGE[0]
            if self.tenant_max_age is None:
                self.tenant_max_age = YOUTH_SHARE_HOUSE_AGE_RANGE[1]


class Renovation(TimeStampedModel):
    house = models.ForeignKey(
        VacantHouse, verbose_name=_("빈집"), on_delete=models.CASCADE, related_name="renovations"
    )
    program = models.ForeignKey(
        HousingProgram,
        verbose_name=_("활용 사업"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renovations",
    )
    started_on = models.DateField(_("착공일"))
    ended_on = models.DateField(_("준공일"), null=True, blank=True)
    budget = models.BigIntegerField(_("공사비(원)"), default=0)
    contractor = models.CharField(_("시공사"), max_length=100, blank=True)
    description = models.TextField(_("공사 내용"), blank=True)
    before_photo = models.ImageField(
        _("공사 전 사진"),
        upload_to="regeneration/renovations/%Y/",
        blank=True,
        validators=[validate_image_upload],
    )
    after_photo = models.ImageField(
        _("공사 후 사진"),
        upload_to="regeneration/renovations/%Y/",
        blank=True,
        validators=[validate_image_upload],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("정비·리모델링")
        verbose_name_plural = _("정비·리모델링")
        ordering = ["-started_on"]
        constraints = [
            ends_after(
                "ended_on",
                "started_on",
                null=True,
                name="regeneration_renovation_ends_after_start",
                message=_("준공일은 착공일 이후여야 합니다."),
            ),
            not_negative(
                "budget",
                name="regeneration_renovation_budget_non_negative",
                message=_("공사비는 0원 이상이어야 합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.house.management_number} {_('정비')} ({self.started_on})"


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

    history = HistoricalRecords()

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

    history = HistoricalRecords(excluded_fields=[*PERSONAL_DATA_FIELDS])

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
