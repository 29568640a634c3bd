from django.conf import settings
from django.db import transaction

from jeonju_center.common.validators import normalize_phone

from .models import ConsentRecord


def consent_record(*, user, item, version=None, ip_address=None):
    """Record that ``user`` agreed to ``item`` in ``version`` (default: the current privacy terms)."""
    return ConsentRecord.objects.create(
        user=user, item=item, version=version or settings.PRIVACY_TERMS_VERSION, ip_address=ip_address
    )


@transaction.atomic
def citizen_profile_update(*, user, name, phone="", dong=None):
    user.name = name.strip()
    user.phone = normalize_phone(phone) if phone else ""
    user.dong = dong
    user.full_clean(exclude=["password", "username"])
    user.save(update_fields=["name", "phone", "dong"])
    return user


def client_ip(request):
    """The client's address as the trusted proxy reports it, for consent and access records."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return (forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR")) or None
