"""Self-service profile edits (/me/organization/<id>/profile/, products): which fields members may change,
whether a change waits for review, and the change log of each field.

The publishing and review workflow lives in ``social_economy/profiles.py``."""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.fields import PhotoField
from jeonju_center.common.history import PortalHistoricalRecords
from jeonju_center.common.models import DecidedModel, TimeStampedModel

from .organizations import Organization
from .products import Product


class ProfileTarget(models.TextChoices):
    ORGANIZATION = "organization", _("조직 정보")
    PRODUCT = "product", _("생산품·서비스")


# What an organization's members may change themselves. Name, business registration number, type,
# certifications and status are verified by staff against official records and stay with them.
ORGANIZATION_MEMBER_FIELDS = (
    "description",
    "address",
    "dong",
    "phone",
    "email",
    "website",
    "representative_name",
    "employees_count",
    "vulnerable_employees_count",
)
PRODUCT_MEMBER_FIELDS = (
    "name",
    "kind",
    "category",
    "description",
    "price",
    "unit",
    "certifications",
    "image",
)
# The pseudo-field of a product a member adds: its policy says whether it goes public at once.
NEW_PRODUCT = "__new__"
# Retiring (판매 중단) and re-activating are always immediate: hiding a product is never a risk, and a
# retired product came back through review when it was new.
PRODUCT_ACTIVE = "is_active"

PROFILE_FIELD_CHOICES = [
    ("description", _("소개·설명")),
    ("address", _("주소")),
    ("dong", _("행정동")),
    ("phone", _("대표 전화")),
    ("email", _("대표 이메일")),
    ("website", _("홈페이지")),
    ("representative_name", _("대표자명")),
    ("employees_count", _("종사자 수")),
    ("vulnerable_employees_count", _("취약계층 종사자 수")),
    ("name", _("품명")),
    ("kind", _("구분")),
    ("category", _("품목 분류")),
    ("price", _("가격(원)")),
    ("unit", _("단위")),
    ("certifications", _("인증")),
    ("image", _("대표 이미지")),
    (PRODUCT_ACTIVE, _("판매 중")),
    (NEW_PRODUCT, _("새 생산품 등록")),
]

_ORGANIZATION_FIELD = Q(target=ProfileTarget.ORGANIZATION, field_name__in=ORGANIZATION_MEMBER_FIELDS)
_PRODUCT_FIELD = Q(target=ProfileTarget.PRODUCT, field_name__in=[*PRODUCT_MEMBER_FIELDS, NEW_PRODUCT])


def profile_field_label(target, field_name):
    """The field's name as the forms show it (organization ``description`` is 소개, a product's 설명)."""
    if field_name == NEW_PRODUCT:
        return str(_("새 생산품 등록"))
    model = Organization if target == ProfileTarget.ORGANIZATION else Product
    try:
        return str(model._meta.get_field(field_name).verbose_name)
    except FieldDoesNotExist:  # a field renamed since the row was written still gets a label
        return field_name


class ProfileFieldPolicy(TimeStampedModel):
    """Whether a member's change of one field is published at once or waits for the team's review.
    Without a row, ``profiles.DEFAULT_REVIEW`` decides."""

    target = models.CharField(_("대상"), max_length=20, choices=ProfileTarget.choices)
    field_name = models.CharField(_("항목"), max_length=40, choices=PROFILE_FIELD_CHOICES)
    requires_review = models.BooleanField(
        _("검토 후 공개"), default=True, help_text=_("끄면 조직 회원이 고친 값이 바로 공개됩니다.")
    )

    history = PortalHistoricalRecords()

    class Meta:
        verbose_name = _("조직 정보 공개 방식")
        verbose_name_plural = _("조직 정보 공개 방식")
        ordering = ["target", "field_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "field_name"],
                name="social_economy_profilefieldpolicy_unique",
                violation_error_message=_("이 항목의 공개 방식이 이미 있습니다."),
            ),
            models.CheckConstraint(
                condition=_ORGANIZATION_FIELD | _PRODUCT_FIELD,
                name="social_economy_profilefieldpolicy_member_field",
                violation_error_message=_("조직 회원이 고칠 수 있는 항목만 정할 수 있습니다."),
            ),
        ]

    def __str__(self):
        return f"{self.get_target_display()} · {profile_field_label(self.target, self.field_name)}"


def profile_change_image_path(instance, filename):
    # Outside the public products folder: a photo is published only when staff approve it. A random name
    # so the address cannot be guessed from the product.
    import uuid

    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"social_economy/profile_changes/{uuid.uuid4().hex}.{extension}"


class ProfileChange(DecidedModel, TimeStampedModel):
    """One field of an organization's profile or product as a member (or staff) changed it: published at
    once, or waiting for review and then approved or rejected. Together the rows are the organization's
    change log its members see (who, when, which field, from what to what)."""

    class Status(models.TextChoices):
        PUBLISHED = "published", _("바로 공개")
        PENDING = "pending", _("검토 대기")
        APPROVED = "approved", _("승인")
        REJECTED = "rejected", _("반려")
        SUPERSEDED = "superseded", _("새 요청으로 대체")

    class Channel(models.TextChoices):
        MEMBER = "member", _("조직 회원")
        STAFF = "staff", _("센터 직원")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("사회적경제조직"),
        on_delete=models.CASCADE,
        related_name="profile_changes",
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("생산품·서비스"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="profile_changes",
    )
    field_name = models.CharField(_("항목"), max_length=40, choices=PROFILE_FIELD_CHOICES)
    old_value = models.JSONField(_("이전 값"), null=True, blank=True)
    new_value = models.JSONField(_("새 값"), null=True, blank=True)
    old_display = models.TextField(_("이전 값 (표시)"), blank=True)
    new_display = models.TextField(_("새 값 (표시)"), blank=True)
    new_image = PhotoField(_("새 사진"), upload_to=profile_change_image_path, blank=True, editable=False)
    status = models.CharField(_("상태"), max_length=12, choices=Status.choices)
    channel = models.CharField(_("경로"), max_length=10, choices=Channel.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("고친 사람"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    decision_comment = models.CharField(_("처리 의견"), max_length=300, blank=True)

    # The row is itself the record of the values; its history follows the decision (status, who, when) and
    # keeps no second copy of a representative's name that the retention job must be able to erase.
    history = PortalHistoricalRecords(
        excluded_fields=["old_value", "new_value", "old_display", "new_display"]
    )

    class Meta:
        verbose_name = _("조직 정보 변경")
        verbose_name_plural = _("조직 정보 변경 (검토)")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="social_econ_change_status")]
        constraints = [
            # A newer submission of the same field supersedes the waiting one (see ``profiles``); two
            # constraints because a NULL product would make a single one never match.
            models.UniqueConstraint(
                fields=["organization", "field_name"],
                condition=Q(status="pending", product__isnull=True),
                name="social_economy_profilechange_one_pending_org_field",
                violation_error_message=_("이 항목에 검토를 기다리는 변경이 이미 있습니다."),
            ),
            models.UniqueConstraint(
                fields=["product", "field_name"],
                condition=Q(status="pending", product__isnull=False),
                name="social_economy_profilechange_one_pending_product_field",
                violation_error_message=_("이 항목에 검토를 기다리는 변경이 이미 있습니다."),
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(decision_comment=""),
                name="social_economy_profilechange_rejected_has_comment",
                violation_error_message=_("반려할 때는 사유를 적어야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(product__isnull=True, field_name__in=ORGANIZATION_MEMBER_FIELDS)
                | Q(
                    product__isnull=False,
                    field_name__in=[*PRODUCT_MEMBER_FIELDS, NEW_PRODUCT, PRODUCT_ACTIVE],
                ),
                name="social_economy_profilechange_field_of_target",
                violation_error_message=_("조직 회원이 고칠 수 있는 항목만 기록합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.organization} · {self.field_label}"

    @property
    def target(self):
        return ProfileTarget.PRODUCT if self.product_id else ProfileTarget.ORGANIZATION

    @property
    def field_label(self):
        return profile_field_label(self.target, self.field_name)
