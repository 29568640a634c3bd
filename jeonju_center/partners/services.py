from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jeonju_center.common.actors import writes

from .models import PartnerAPIKey, PartnerCenter, validate_scopes


@writes(PartnerAPIKey)
@transaction.atomic
def partner_key_create(*, partner, scopes, actor, name="", expires_at=None, rate_limit_per_minute=None):
    """Create an API key for ``partner``. Returns ``(key_object, raw_key)``; the raw key is never stored."""
    scopes = sorted(set(scopes))
    validate_scopes(scopes)
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expiry_date": _("만료일시는 현재보다 뒤여야 합니다.")})
    if not partner.is_active:
        raise ValidationError(_("협력이 종료된 기관에는 API 키를 발급할 수 없습니다."))
    return PartnerAPIKey.objects.create_key(
        partner=partner,
        name=(name or f"{partner.name} API")[:50],
        scopes=scopes,
        expiry_date=expires_at,
        rate_limit_per_minute=rate_limit_per_minute,
    )


@writes(PartnerAPIKey)
@transaction.atomic
def partner_key_update(*, api_key, actor):
    """Save what staff may change on an issued key: its name, expiry and rate limit (partner and scopes stay as
    issued: a key with other rights is a new key). Only those fields are written, so the last use the API
    records meanwhile is kept; a revoked key stays as it was."""
    stored = PartnerAPIKey.objects.get(pk=api_key.pk)
    if stored.revoked:
        raise ValidationError(_("폐기한 API 키는 고칠 수 없습니다. 새 키를 발급해 주세요."))
    if api_key.expiry_date != stored.expiry_date and (
        api_key.expiry_date is not None and api_key.expiry_date <= timezone.now()
    ):
        raise ValidationError({"expiry_date": _("만료일시는 현재보다 뒤여야 합니다.")})
    api_key.save(update_fields=["name", "expiry_date", "rate_limit_per_minute"])
    return api_key


def partner_by_name(name):
    try:
        return PartnerCenter.objects.get(name=name)
    except PartnerCenter.DoesNotExist:
        raise ValidationError(_("'%(name)s' 협력기관이 없습니다.") % {"name": name}) from None


@writes(PartnerAPIKey)
def partner_key_revoke(*, api_key, actor):
    """Revoke a key for good (it cannot be restored); idempotent."""
    if api_key.revoked:
        return api_key
    api_key.revoked = True
    api_key.revoked_at = timezone.now()
    api_key.save(update_fields=["revoked", "revoked_at"])
    return api_key


@writes(PartnerAPIKey)
def partner_key_mark_used(*, api_key, actor, now=None):
    """Record the key's last use, at most once a minute so reads do not each write."""
    now = now or timezone.now()
    if api_key.last_used_at is None or (now - api_key.last_used_at).total_seconds() >= 60:
        PartnerAPIKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
