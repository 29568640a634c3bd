from django.core.exceptions import ValidationError
from django.db import connections, models, router
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey, BaseAPIKeyManager

from jeonju_center.common.changes import TrackedQuerySet
from jeonju_center.common.history import PortalHistoricalRecords
from jeonju_center.common.models import TimeStampedModel

from .scopes import SCOPES


class PartnerCenter(TimeStampedModel):
    """A partner support center that consults with us and pulls data through the partner API."""

    class Kind(models.TextChoices):
        PROVINCIAL_SOCIAL_ECONOMY = "provincial_se", _("전북 사회적경제지원센터")
        INTEGRATED_SUPPORT = "integrated", _("전북 사회적기업·협동조합 통합지원센터")
        URBAN_REGENERATION = "regeneration", _("도시재생지원센터")
        PUBLIC_AGENCY = "public", _("공공기관")
        OTHER = "other", _("기타")

    name = models.CharField(_("기관명"), max_length=100, unique=True)
    kind = models.CharField(_("기관 유형"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    contact_email = models.EmailField(_("대표 이메일"), blank=True)
    contact_phone = models.CharField(_("대표 전화"), max_length=20, blank=True)
    website = models.URLField(_("홈페이지"), blank=True)
    is_active = models.BooleanField(_("협력 중"), default=True)

    # The contact e-mail and phone are the organisation's own (대표 연락처), not a private person's, so the
    # center keeps no personal data here and the history keeps every field.
    PERSONAL_DATA_FIELDS = ()

    objects = TrackedQuerySet.as_manager()

    history = PortalHistoricalRecords()

    class Meta:
        verbose_name = _("협력기관")
        verbose_name_plural = _("협력기관")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PartnerAPIKeyManager(BaseAPIKeyManager):
    def get_usable_keys(self):
        # Revoked and expired keys are found too, so the API can say precisely why a key is refused.
        return self.select_related("partner")

    def get_from_key(self, key):
        """The key a partner sent, with its partner's name and state, in one raw query: every API request
        looks its key up, and compiling the ORM's join of both tables cost 0.4 ms of the 2.4 ms a cached
        answer took (measured). Revoked and expired keys are found too, as with ``get_usable_keys``; the
        partner's other fields load when read."""
        prefix, _dot, _secret = key.partition(".")
        using = router.db_for_read(self.model)
        connection = connections[using]
        quote = connection.ops.quote_name
        key_table, partner_table = quote(self.model._meta.db_table), quote(PartnerCenter._meta.db_table)
        newest, running = data_version_columns(connection)
        found = list(
            self.raw(
                f"SELECT k.*, p.{quote('name')} AS partner_name, p.{quote('is_active')} AS partner_is_active, "
                f"{newest} AS newest_change, {running} AS oldest_running "
                f"FROM {key_table} k INNER JOIN {partner_table} p ON p.{quote('id')} = k.{quote('partner_id')} "
                f"WHERE k.{quote('prefix')} = %s",
                [prefix],
            )
        )
        if not found or not found[0].is_valid(key):
            raise self.model.DoesNotExist("Key is not valid.")
        api_key = found[0]
        api_key.partner = PartnerCenter.from_db(
            using,
            ["id", "name", "is_active"],
            [api_key.partner_id, api_key.partner_name, bool(api_key.partner_is_active)],
        )
        # The data version of ``using`` came with the key: a cached API answer needs no query of its own for it.
        api_key.data_version_read = (
            using,
            format_data_version(api_key.newest_change, api_key.oldest_running),
        )
        return api_key


def data_version_columns(connection):
    """The SQL of the two parts of the data version (``jeonju_center.api.pagination.data_version``): the newest
    change-feed event that has committed and, on PostgreSQL, the oldest transaction still running."""
    table = connection.ops.quote_name(ChangeEvent._meta.db_table)
    newest = f"(SELECT max(id) FROM {table})"
    if connection.vendor == "postgresql":
        return newest, "pg_snapshot_xmin(pg_current_snapshot())::text"
    return newest, "''"


def format_data_version(newest, oldest_running):
    return f"{newest or 0}:{oldest_running}"


def validate_scopes(value):
    if not isinstance(value, list) or not value:
        raise ValidationError(_("권한(scope)을 하나 이상 선택해 주세요."), code="no_scopes")
    unknown = sorted(set(value) - set(SCOPES))
    if unknown:
        raise ValidationError(
            _("알 수 없는 권한(scope)입니다: %(scopes)s"),
            code="unknown_scope",
            params={"scopes": ", ".join(unknown)},
        )


class PartnerAPIKey(AbstractAPIKey):
    """A hashed API key of a partner center (only its prefix and SHA-512 hash are stored)."""

    objects = PartnerAPIKeyManager()

    partner = models.ForeignKey(
        PartnerCenter, verbose_name=_("협력기관"), on_delete=models.CASCADE, related_name="api_keys"
    )
    scopes = models.JSONField(_("권한(scope)"), default=list, validators=[validate_scopes])
    rate_limit_per_minute = models.PositiveIntegerField(
        _("분당 요청 한도"), null=True, blank=True, help_text=_("비워 두면 기본 한도를 씁니다.")
    )
    last_used_at = models.DateTimeField(_("마지막 사용"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("폐기일시"), null=True, blank=True)

    # Who issued, renamed, re-scoped or revoked a key matters; the hash is a credential and stays out.
    # ``last_used_at`` is written with ``update()`` (at most once a minute), so use adds no history rows.
    history = PortalHistoricalRecords(excluded_fields=["hashed_key"])

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("API 키")
        verbose_name_plural = _("API 키")

    def has_scope(self, scope):
        return scope in self.scopes


class ChangeEvent(models.Model):
    """One created/updated/deleted event of an API resource, for partners' incremental sync.

    ``transaction_id`` is PostgreSQL's transaction id of the write: the feed orders by it and only shows
    transactions older than every one still running, so a slow transaction can never be skipped by a
    cursor that moved past it (ids alone are assigned in insert order, not commit order).

    No change history here or on ``IdempotencyRecord``: both are high-volume technical logs written by the
    system, never edited by staff, and hold no personal data; a history would only double their size.
    """

    class Action(models.TextChoices):
        CREATED = "created", _("생성")
        UPDATED = "updated", _("수정")
        DELETED = "deleted", _("삭제")

    id = models.BigAutoField(primary_key=True)
    transaction_id = models.BigIntegerField(_("트랜잭션"), default=0)
    resource = models.CharField(_("리소스"), max_length=50)
    object_id = models.CharField(_("대상 ID"), max_length=64)
    action = models.CharField(_("변경"), max_length=10, choices=Action.choices)
    occurred_at = models.DateTimeField(_("일시"), default=timezone.now)
    # Set for records only one partner may see (its own consulting cases); empty: every reader of the resource.
    partner = models.ForeignKey(
        PartnerCenter,
        verbose_name=_("협력기관 전용"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("변경 이력(동기화)")
        verbose_name_plural = _("변경 이력(동기화)")
        indexes = [models.Index(fields=["transaction_id", "id"], name="partners_change_cursor_idx")]

    def __str__(self):
        return f"{self.resource}#{self.object_id} {self.action}"


class IdempotencyRecord(models.Model):
    """The first response to a POST carrying an ``Idempotency-Key``, replayed for retries of that POST."""

    api_key = models.ForeignKey(PartnerAPIKey, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("멱등 요청 기록")
        verbose_name_plural = _("멱등 요청 기록")
        constraints = [
            models.UniqueConstraint(fields=["api_key", "key"], name="partners_idempotency_key_unique"),
        ]

    def __str__(self):
        return self.key
