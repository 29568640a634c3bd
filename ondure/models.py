"""Ondure communities (온두레 공동체): Jeonju's own program for resident-led communities.

A community is selected in a cohort year and grows through three yearly stages
(디딤 → 이음 → 희망); a community that is ready graduates into a social-economy organization.
The center supports communities with grants, education, on-site visits and consulting.
"""

import contextlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.changes import TrackedQuerySet
from jeonju_center.common.constraints import not_negative
from jeonju_center.common.history import PortalHistoricalRecords
from jeonju_center.common.indexes import TrigramIndex
from jeonju_center.common.masking import mask_name
from jeonju_center.common.models import AnonymisableModel, DecidedModel, TimeStampedModel
from jeonju_center.common.validators import normalize_phone, validate_document_upload, validate_phone

# Every model keeps its change history (who, when, what, why). Personal fields are excluded on purpose:
# history tables must not keep copies of the personal data that the retention job has to erase.

FIRST_COHORT_YEAR = 2014


class CommunityKind(models.TextChoices):
    VILLAGE = "village", _("마을공동체")
    STARTUP = "startup", _("소규모창업공동체")
    APARTMENT = "apartment", _("아파트공동체")
    SCHOOL_COOPERATIVE = "school_coop", _("학교협동조합")
    OTHER = "other", _("기타")


# Jeonju's program rules: the smallest group each kind may have (아파트공동체 counts households).
MINIMUM_MEMBERS = {
    CommunityKind.VILLAGE: 15,
    CommunityKind.STARTUP: 5,
    CommunityKind.APARTMENT: 10,
}


class ActivityField(models.TextChoices):
    FOOD = "food", _("먹거리")
    CRAFT = "craft", _("공예")
    CARE = "care", _("돌봄")
    CULTURE = "culture", _("문화·예술")
    ENVIRONMENT = "environment", _("환경")
    EDUCATION = "education", _("교육")
    VILLAGE_MANAGEMENT = "village_management", _("마을 관리")
    URBAN_FARMING = "urban_farming", _("도시농업")
    TOURISM = "tourism", _("관광·체험")
    OTHER = "other", _("기타")


class CommunityStatus(models.TextChoices):
    ACTIVE = "active", _("활동 중")
    DORMANT = "dormant", _("휴면")
    DISSOLVED = "dissolved", _("해산")
    GRADUATED = "graduated", _("졸업")


class Stage(models.TextChoices):
    DIDIM = "didim", _("디딤 (1년차)")
    IEUM = "ieum", _("이음 (2년차)")
    HOPE = "hope", _("희망 (3년차)")


class Community(TimeStampedModel):
    """An Ondure community (온두레 공동체)."""

    # Never shown outside the back office; the partner API test walks every response for these values.
    PERSONAL_DATA_FIELDS = ("leader_name", "leader_phone")

    name = models.CharField(_("공동체명"), max_length=100)
    kind = models.CharField(_("공동체 유형"), max_length=20, choices=CommunityKind.choices)
    cohort_year = models.PositiveSmallIntegerField(
        _("선정 연도(기수)"), help_text=_("공동체로 발굴·선정된 해입니다. 첫 기수는 2014년입니다.")
    )
    selected_on = models.DateField(_("선정일"), null=True, blank=True)
    dong = models.ForeignKey(
        "common.Dong", verbose_name=_("활동 행정동"), on_delete=models.PROTECT, related_name="+"
    )
    apartment_complex = models.CharField(
        _("아파트 단지명"), max_length=100, blank=True, help_text=_("아파트공동체는 반드시 입력합니다.")
    )
    activity_field = models.CharField(_("활동 분야"), max_length=30, choices=ActivityField.choices)
    description = models.TextField(_("소개"), blank=True, help_text=_("공동체 목록에 시민에게 공개됩니다."))
    is_public = models.BooleanField(_("공개 목록 게시"), default=True)
    website = models.URLField(_("홈페이지·SNS"), blank=True)
    members_count = models.PositiveIntegerField(
        _("구성원 수"),
        null=True,
        blank=True,
        help_text=_(
            "아파트공동체는 참여 세대 수입니다. 최소 인원: 마을공동체 15명, 소규모창업공동체 5명, "
            "아파트공동체 10세대."
        ),
    )
    status = models.CharField(
        _("상태"), max_length=20, choices=CommunityStatus.choices, default=CommunityStatus.ACTIVE
    )
    current_stage = models.CharField(
        _("현재 단계"), max_length=10, choices=Stage.choices, default=Stage.DIDIM
    )
    leader_name = models.CharField(_("대표자 성명"), max_length=50, blank=True)
    leader_phone = models.CharField(
        _("대표자 연락처"), max_length=20, blank=True, validators=[validate_phone]
    )
    graduated_organization = models.ForeignKey(
        "social_economy.Organization",
        verbose_name=_("졸업 조직"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ondure_communities",
        help_text=_("졸업하여 전환된 사회적경제조직(예: 협동조합)입니다."),
    )
    graduated_on = models.DateField(_("졸업일"), null=True, blank=True)
    dissolved_on = models.DateField(_("해산일"), null=True, blank=True)
    staff_notes = models.TextField(_("담당자 메모"), blank=True, help_text=_("공개되지 않습니다."))
    leader_anonymised_at = models.DateTimeField(
        _("대표자 정보 익명화 일시"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("해산·졸업 후 보존기간이 지나 대표자 성명·연락처를 지운 때입니다."),
    )

    objects = TrackedQuerySet.as_manager()

    history = PortalHistoricalRecords(excluded_fields=list(PERSONAL_DATA_FIELDS))

    class Meta:
        verbose_name = _("온두레 공동체")
        verbose_name_plural = _("온두레 공동체")
        ordering = ["-cohort_year", "name"]
        indexes = [
            TrigramIndex("name", name="ondure_community_name_trgm"),
            models.Index(fields=["status", "cohort_year"], name="ondure_comm_status_year_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort_year", "name"],
                name="ondure_community_name_unique_per_cohort",
                violation_error_message=_("같은 기수에 같은 이름의 공동체가 이미 있습니다."),
            ),
            models.UniqueConstraint(
                fields=["graduated_organization"],
                name="ondure_community_one_per_organization",
                violation_error_code="unique",
                violation_error_message=_("이 조직은 이미 다른 공동체의 졸업 조직으로 연결되어 있습니다."),
            ),
            models.CheckConstraint(
                condition=Q(cohort_year__gte=FIRST_COHORT_YEAR),
                name="ondure_community_cohort_year_from_2014",
                violation_error_message=_("선정 연도는 2014년(첫 기수) 이후여야 합니다."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=CommunityKind.VILLAGE)
                | Q(members_count__isnull=True)
                | Q(members_count__gte=15),
                name="ondure_community_village_min_members",
                violation_error_message=_("마을공동체는 구성원이 15명 이상이어야 합니다."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=CommunityKind.STARTUP)
                | Q(members_count__isnull=True)
                | Q(members_count__gte=5),
                name="ondure_community_startup_min_members",
                violation_error_message=_("소규모창업공동체는 구성원이 5명 이상이어야 합니다."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=CommunityKind.APARTMENT)
                | Q(members_count__isnull=True)
                | Q(members_count__gte=10),
                name="ondure_community_apartment_min_households",
                violation_error_message=_("아파트공동체는 한 단지의 10세대 이상이 참여해야 합니다."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=CommunityKind.APARTMENT) | ~Q(apartment_complex=""),
                name="ondure_community_apartment_complex_required",
                violation_error_message=_("아파트공동체는 아파트 단지명을 입력해야 합니다."),
            ),
            models.CheckConstraint(
                condition=(Q(status=CommunityStatus.GRADUATED) & Q(graduated_on__isnull=False))
                | (~Q(status=CommunityStatus.GRADUATED) & Q(graduated_on__isnull=True)),
                name="ondure_community_graduated_iff_date",
                violation_error_message=_(
                    "상태가 '졸업'이면 졸업일을 입력하고, 졸업하지 않았으면 졸업일을 비워 두어야 합니다."
                ),
            ),
            models.CheckConstraint(
                condition=Q(graduated_organization__isnull=True) | Q(status=CommunityStatus.GRADUATED),
                name="ondure_community_organization_only_if_graduated",
                violation_error_message=_("졸업 조직은 졸업한 공동체에만 연결할 수 있습니다."),
            ),
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True) | Q(status=CommunityStatus.DISSOLVED),
                name="ondure_community_dissolved_on_only_if_dissolved",
                violation_error_message=_("해산일은 상태가 '해산'인 공동체에만 입력합니다."),
            ),
            models.CheckConstraint(
                condition=Q(graduated_on__isnull=True)
                | Q(selected_on__isnull=True)
                | Q(graduated_on__gte=F("selected_on")),
                name="ondure_community_graduated_after_selected",
                violation_error_message=_("졸업일은 선정일 이후여야 합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.cohort_year})"

    def clean(self):
        super().clean()
        errors = {}
        if self.leader_phone:
            with contextlib.suppress(ValidationError):  # the field's validator reports a bad number
                self.leader_phone = normalize_phone(self.leader_phone)
        if self.selected_on and self.cohort_year and abs(self.selected_on.year - self.cohort_year) > 1:
            errors["selected_on"] = _("선정일이 선정 연도(기수)와 맞지 않습니다. 연도를 확인해 주세요.")
        if self.kind != CommunityKind.APARTMENT and self.apartment_complex:
            errors["apartment_complex"] = _("아파트 단지명은 아파트공동체에만 입력합니다.")
        if errors:
            raise ValidationError(errors)

    @property
    def minimum_members(self):
        return MINIMUM_MEMBERS.get(self.kind)


class CommunityMember(AnonymisableModel, TimeStampedModel):
    """A member of a community. Names and phones are personal data: mask them on screens."""

    PERSONAL_DATA_FIELDS = ("name", "phone")

    class Role(models.TextChoices):
        LEADER = "leader", _("대표")
        SECRETARY = "secretary", _("총무")
        MEMBER = "member", _("회원")

    community = models.ForeignKey(
        Community, verbose_name=_("공동체"), on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(_("성명"), max_length=50)
    phone = models.CharField(_("연락처"), max_length=20, blank=True, validators=[validate_phone])
    role = models.CharField(_("역할"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("회원 계정"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ondure_memberships",
        help_text=_("포털 회원 계정과 연결하면 온두레 교육 강좌 출석이 공동체 지원 이력에 반영됩니다."),
    )
    joined_on = models.DateField(_("가입일"), null=True, blank=True)
    left_on = models.DateField(_("탈퇴일"), null=True, blank=True)

    # The account link identifies the person too; it is cleared with the name and phone, not kept in history.
    history = PortalHistoricalRecords(excluded_fields=[*PERSONAL_DATA_FIELDS, "user"])

    class Meta:
        verbose_name = _("공동체 구성원")
        verbose_name_plural = _("공동체 구성원")
        ordering = ["community", "role", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["community"],
                condition=Q(role="leader", left_on__isnull=True),
                name="ondure_member_one_current_leader",
                violation_error_message=_("공동체의 현재 대표는 한 명만 둘 수 있습니다."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | Q(joined_on__isnull=True)
                | Q(left_on__gte=F("joined_on")),
                name="ondure_member_left_after_joined",
                violation_error_message=_("탈퇴일은 가입일 이후여야 합니다."),
            ),
            models.UniqueConstraint(
                fields=["community", "user"],
                condition=Q(user__isnull=False),
                name="ondure_member_one_row_per_account",
                violation_error_message=_("이 회원 계정은 이미 이 공동체의 구성원으로 연결되어 있습니다."),
            ),
        ]

    def __str__(self):
        return f"{mask_name(self.name)} ({self.get_role_display()})"

    def clean(self):
        super().clean()
        if self.phone:
            with contextlib.suppress(ValidationError):  # the field's validator reports a bad number
                self.phone = normalize_phone(self.phone)


class CommunityStageRecord(TimeStampedModel):
    """One year of a community's path through the stages, with the year-end review decision."""

    class Decision(models.TextChoices):
        PROMOTE = "promote", _("진급")
        KEEP = "keep", _("유지")
        END = "end", _("종료")
        GRADUATE = "graduate", _("졸업")

    community = models.ForeignKey(
        Community, verbose_name=_("공동체"), on_delete=models.CASCADE, related_name="stage_records"
    )
    year = models.PositiveSmallIntegerField(_("연도"))
    stage = models.CharField(_("단계"), max_length=10, choices=Stage.choices)
    decision = models.CharField(
        _("심사 결과"),
        max_length=20,
        choices=Decision.choices,
        blank=True,
        help_text=_("연말 심사 전이면 비워 둡니다."),
    )
    reason = models.TextField(_("사유"), blank=True)
    decided_on = models.DateField(_("결정일"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("결정 담당자"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = TrackedQuerySet.as_manager()

    history = PortalHistoricalRecords()

    class Meta:
        verbose_name = _("단계 이력")
        verbose_name_plural = _("단계 이력")
        ordering = ["community", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "year"],
                name="ondure_stage_record_one_per_year",
                violation_error_message=_("이 공동체의 해당 연도 단계 이력이 이미 있습니다."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_COHORT_YEAR),
                name="ondure_stage_record_year_from_2014",
                violation_error_message=_("연도는 2014년 이후여야 합니다."),
            ),
            models.CheckConstraint(
                condition=(Q(decision="") & Q(decided_on__isnull=True))
                | (~Q(decision="") & Q(decided_on__isnull=False)),
                name="ondure_stage_record_decision_with_date",
                violation_error_message=_("심사 결과와 결정일은 함께 입력해야 합니다."),
            ),
            models.CheckConstraint(
                condition=~Q(decision="graduate") | Q(stage=Stage.HOPE),
                name="ondure_stage_record_graduate_from_hope",
                violation_error_message=_("졸업은 희망 단계에서만 결정할 수 있습니다."),
            ),
            models.CheckConstraint(
                condition=~Q(decision="promote") | ~Q(stage=Stage.HOPE),
                name="ondure_stage_record_no_promotion_after_hope",
                violation_error_message=_(
                    "희망 단계는 마지막 단계이므로 진급할 수 없습니다. 졸업·유지·종료 중에서 고르세요."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.get_stage_display()}"

    def clean(self):
        super().clean()
        community = getattr(self, "community", None) if self.community_id else None
        if community and self.year and self.year < community.cohort_year:
            raise ValidationError({"year": _("선정 연도보다 이른 해의 단계 이력은 기록할 수 없습니다.")})


class SupportProgram(TimeStampedModel):
    """A yearly support program with its budget (KRW)."""

    class Kind(models.TextChoices):
        TAILORED = "tailored", _("맞춤형 지원")
        ON_SITE = "on_site", _("현장 지원")
        COOPERATIVE_EDUCATION = "coop_education", _("협동조합 교육")
        GRANT_ACCOUNTING_SCHOOL = "grant_accounting", _("보조금 회계 사전학교")
        APARTMENT_PILOT = "apartment_pilot", _("아파트 공동체 시범사업")
        SCHOOL_COOPERATIVE = "school_coop", _("학교협동조합 지원")

    name = models.CharField(_("사업명"), max_length=100)
    year = models.PositiveSmallIntegerField(_("사업 연도"))
    kind = models.CharField(_("사업 유형"), max_length=30, choices=Kind.choices)
    budget = models.BigIntegerField(_("예산(원)"), default=0)
    description = models.TextField(_("사업 내용"), blank=True)

    objects = TrackedQuerySet.as_manager()

    history = PortalHistoricalRecords()

    class Meta:
        verbose_name = _("지원 사업")
        verbose_name_plural = _("지원 사업")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "year"],
                name="ondure_program_name_unique_per_year",
                violation_error_message=_("같은 연도에 같은 이름의 지원 사업이 이미 있습니다."),
            ),
            not_negative(
                "budget",
                name="ondure_program_budget_not_negative",
                message=_("예산은 0원 이상이어야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_COHORT_YEAR),
                name="ondure_program_year_from_2014",
                violation_error_message=_("사업 연도는 2014년 이후여야 합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.name}"


class SupportRecord(TimeStampedModel):
    """One support given to a community: a grant, education, an on-site visit or consulting, with evidence."""

    class Kind(models.TextChoices):
        GRANT = "grant", _("보조금")
        EDUCATION = "education", _("교육")
        SITE_VISIT = "site_visit", _("현장 방문")
        CONSULTING = "consulting", _("컨설팅")

    class Settlement(models.TextChoices):
        UNSETTLED = "unsettled", _("미정산")
        IN_PROGRESS = "in_progress", _("정산 중")
        SETTLED = "settled", _("정산 완료")
        RETURNED = "returned", _("반환")

    community = models.ForeignKey(
        Community, verbose_name=_("공동체"), on_delete=models.PROTECT, related_name="support_records"
    )
    program = models.ForeignKey(
        SupportProgram,
        verbose_name=_("지원 사업"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
    )
    kind = models.CharField(_("지원 유형"), max_length=20, choices=Kind.choices)
    supported_on = models.DateField(_("지원일"))
    amount = models.BigIntegerField(_("금액(원)"), default=0, help_text=_("보조금은 0원보다 커야 합니다."))
    settlement_status = models.CharField(
        _("정산 상태"),
        max_length=20,
        choices=Settlement.choices,
        blank=True,
        help_text=_("보조금에만 입력합니다."),
    )
    settled_on = models.DateField(_("정산일"), null=True, blank=True)
    returned_amount = models.BigIntegerField(_("반환액(원)"), default=0)
    evidence = models.FileField(
        _("증빙 자료"),
        upload_to="ondure/evidence/%Y/",
        blank=True,
        validators=[validate_document_upload],
        help_text=_("PDF, 한글(hwp/hwpx), 오피스 문서, JPG/PNG 스캔만 올릴 수 있습니다."),
    )
    notes = models.TextField(_("내용·방문 기록"), blank=True)
    course = models.ForeignKey(
        "courses.Course",
        verbose_name=_("온두레 교육 강좌"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ondure_support_records",
        help_text=_("시민강좌 출석에서 자동으로 만든 교육 이력입니다."),
    )
    attendance_count = models.PositiveIntegerField(
        _("출석 연인원"), default=0, help_text=_("구성원들이 출석한 회차 수의 합계입니다.")
    )

    objects = TrackedQuerySet.as_manager()

    history = PortalHistoricalRecords()

    class Meta:
        verbose_name = _("지원 이력")
        verbose_name_plural = _("지원 이력")
        ordering = ["-supported_on", "-pk"]
        indexes = [models.Index(fields=["kind", "supported_on"], name="ondure_support_kind_date_idx")]
        constraints = [
            not_negative(
                "amount",
                name="ondure_support_amount_not_negative",
                message=_("금액은 0원 이상이어야 합니다."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="grant") | Q(amount__gt=0),
                name="ondure_support_grant_amount_positive",
                violation_error_message=_("보조금은 금액이 0원보다 커야 합니다."),
            ),
            models.CheckConstraint(
                condition=(Q(kind="grant") & ~Q(settlement_status=""))
                | (~Q(kind="grant") & Q(settlement_status="")),
                name="ondure_support_settlement_only_for_grants",
                violation_error_message=_(
                    "정산 상태는 보조금에만 입력하며, 보조금에는 반드시 입력해야 합니다."
                ),
            ),
            models.CheckConstraint(
                condition=Q(settled_on__isnull=True) | Q(settlement_status__in=["settled", "returned"]),
                name="ondure_support_settled_on_only_when_settled",
                violation_error_message=_("정산일은 정산 완료 또는 반환된 보조금에만 입력합니다."),
            ),
            models.CheckConstraint(
                condition=Q(returned_amount__gte=0) & Q(returned_amount__lte=F("amount")),
                name="ondure_support_returned_within_amount",
                violation_error_message=_("반환액은 0원 이상, 지원 금액 이하여야 합니다."),
            ),
            models.UniqueConstraint(
                fields=["community", "course"],
                condition=Q(course__isnull=False),
                name="ondure_support_one_record_per_course",
                violation_error_message=_("이 공동체의 이 강좌 교육 이력이 이미 있습니다."),
            ),
            models.CheckConstraint(
                condition=Q(course__isnull=True) | Q(kind="education"),
                name="ondure_support_course_only_for_education",
                violation_error_message=_("강좌는 교육 지원 이력에만 연결합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.supported_on} {self.get_kind_display()}"

    def clean(self):
        super().clean()
        program = self.program if self.program_id else None
        if program and self.supported_on and self.supported_on.year != program.year:
            raise ValidationError({"supported_on": _("지원일이 지원 사업 연도와 맞지 않습니다.")})


# --- Grant settlements (보조금 정산) -------------------------------------------------------------------


class GrantSettlement(DecidedModel, TimeStampedModel):
    """How a community spent one grant (정산), reported by its leader: expense lines with receipts, submitted
    for the staff's approval or returned with a comment.

    ``granted_amount`` is the grant's amount when the settlement began and ``spent_total`` the sum of the lines,
    kept by the services; a database constraint keeps the total within the grant whatever the writer."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("작성 중")
        SUBMITTED = "submitted", _("제출")
        RETURNED = "returned", _("보완 요청")
        APPROVED = "approved", _("승인")

    support_record = models.OneToOneField(
        SupportRecord, verbose_name=_("보조금"), on_delete=models.PROTECT, related_name="grant_settlement"
    )
    status = models.CharField(_("상태"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    granted_amount = models.BigIntegerField(_("교부액(원)"), editable=False)
    spent_total = models.BigIntegerField(_("집행액 합계(원)"), default=0, editable=False)
    submitted_at = models.DateTimeField(_("제출 일시"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("제출한 사람"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    review_comment = models.TextField(_("검토 의견"), blank=True)

    history = PortalHistoricalRecords()

    class Meta:
        verbose_name = _("보조금 정산")
        verbose_name_plural = _("보조금 정산")
        ordering = ["-support_record__supported_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(spent_total__gte=0) & Q(spent_total__lte=F("granted_amount")),
                name="ondure_settlement_total_within_grant",
                violation_error_message=_("집행액 합계가 교부액을 넘을 수 없습니다."),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="ondure_settlement_submitted_has_time",
                violation_error_message=_("제출된 정산에는 제출 일시가 필요합니다."),
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(review_comment=""),
                name="ondure_settlement_returned_has_comment",
                violation_error_message=_("보완을 요청할 때는 의견을 적어야 합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.support_record.community} {self.support_record.supported_on:%Y} {_('정산')}"

    @property
    def balance(self):
        """The unspent part of the grant (to be returned)."""
        return self.granted_amount - self.spent_total

    @property
    def is_editable(self):
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class ExpenseCategory(models.TextChoices):
    MATERIALS = "materials", _("재료비")
    INSTRUCTORS = "instructors", _("강사비·인건비")
    RENT = "rent", _("임차료")
    PROMOTION = "promotion", _("홍보·인쇄비")
    MEALS = "meals", _("식비·다과비")
    OPERATIONS = "operations", _("운영비")
    OTHER = "other", _("기타")


class ExpenseLine(TimeStampedModel):
    """One expense of a grant settlement, with its receipt (a private file: handed out only to the community's
    leaders and the staff)."""

    settlement = models.ForeignKey(
        GrantSettlement, verbose_name=_("정산"), on_delete=models.CASCADE, related_name="lines"
    )
    spent_on = models.DateField(_("집행일"))
    vendor = models.CharField(_("거래처"), max_length=100)
    purpose = models.CharField(_("용도"), max_length=200)
    category = models.CharField(_("비목"), max_length=20, choices=ExpenseCategory.choices)
    amount = models.BigIntegerField(_("금액(원)"))
    receipt = models.FileField(
        _("영수증"),
        upload_to="ondure/receipts/%Y/",
        blank=True,
        validators=[validate_document_upload],
        help_text=_("카드 전표, 세금계산서, 영수증을 PDF나 사진(JPG/PNG)으로 올립니다."),
    )

    history = PortalHistoricalRecords()

    class Meta:
        verbose_name = _("집행 내역")
        verbose_name_plural = _("집행 내역")
        ordering = ["settlement", "spent_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="ondure_expense_amount_positive",
                violation_error_message=_("금액은 0원보다 커야 합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.spent_on} {self.vendor} {self.amount:,}"


# --- Links to accounts and courses, graduation history ------------------------------------------------


class OndureEducationCourse(TimeStampedModel):
    """A citizen course (시민강좌) that counts as Ondure education: attendance of community members in it
    becomes an education support record of their community."""

    PROGRAM_KINDS = (SupportProgram.Kind.COOPERATIVE_EDUCATION, SupportProgram.Kind.GRANT_ACCOUNTING_SCHOOL)

    course = models.OneToOneField(
        "courses.Course",
        verbose_name=_("강좌"),
        on_delete=models.CASCADE,
        related_name="ondure_education",
    )
    program = models.ForeignKey(
        SupportProgram,
        verbose_name=_("지원 사업"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="education_courses",
        help_text=_(
            "협동조합 교육 또는 보조금 회계 사전학교 사업입니다. 출석 기록이 이 사업의 지원 이력이 됩니다."
        ),
    )
    synced_at = models.DateTimeField(_("출석 반영일시"), null=True, blank=True)

    history = PortalHistoricalRecords()

    class Meta:
        verbose_name = _("온두레 교육 강좌")
        verbose_name_plural = _("온두레 교육 강좌")
        ordering = ["-pk"]

    def __str__(self):
        return str(self.course)

    def clean(self):
        super().clean()
        program = self.program if self.program_id else None
        if program and program.kind not in self.PROGRAM_KINDS:
            raise ValidationError(
                {
                    "program": _(
                        "온두레 교육 강좌는 협동조합 교육 또는 보조금 회계 사전학교 사업에만 연결할 수 있습니다."
                    )
                }
            )


class CommunityGraduation(TimeStampedModel):
    """How a community graduated: the organization it became, whether the center created it or linked an
    existing one, and the decision. Kept even if the organization is later deleted (its name stays)."""

    community = models.OneToOneField(
        Community, verbose_name=_("공동체"), on_delete=models.CASCADE, related_name="graduation"
    )
    organization = models.ForeignKey(
        "social_economy.Organization",
        verbose_name=_("졸업 조직"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ondure_graduations",
    )
    organization_name = models.CharField(_("조직명(졸업 당시)"), max_length=100)
    organization_type = models.CharField(_("조직 유형(졸업 당시)"), max_length=20)
    created_organization = models.BooleanField(
        _("조직 새로 등록"),
        default=False,
        help_text=_("졸업 처리에서 사회적경제조직을 새로 등록했으면 체크됩니다."),
    )
    graduated_on = models.DateField(_("졸업일"))
    reason = models.TextField(_("사유"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("처리 담당자"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = PortalHistoricalRecords()

    class Meta:
        verbose_name = _("졸업 기록")
        verbose_name_plural = _("졸업 기록")
        ordering = ["-graduated_on", "-pk"]

    def __str__(self):
        return f"{self.community} → {self.organization_name}"
