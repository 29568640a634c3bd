from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jeonju_center.common.outbox import outbox_erase_recipient
from jeonju_center.common.validators import normalize_phone

from .models import ConsentRecord
from .notifications import phone_verification_clear
from .signals import account_deleting


def consent_record(*, user, item, version=None, ip_address=None):
    """Record that ``user`` agreed to ``item`` in ``version`` (default: the current privacy terms)."""
    return ConsentRecord.objects.create(
        user=user, item=item, version=version or settings.PRIVACY_TERMS_VERSION, ip_address=ip_address
    )


@transaction.atomic
def citizen_profile_update(*, user, name, phone="", dong=None):
    """Save the profile. A changed phone number loses its verification (and its queued notices) until the
    person proves the new one with a code."""
    new_phone = normalize_phone(phone) if phone else ""
    phone_changed = new_phone != user.phone
    user.name = name.strip()
    user.phone = new_phone
    user.dong = dong
    user.full_clean(exclude=["password", "username"])
    user.save(update_fields=["name", "phone", "dong"])
    if phone_changed and user.pk:
        phone_verification_clear(user=user)
    return user


@transaction.atomic
def account_delete(*, user, password):
    """Delete a citizen's own account after checking the password (개인정보 보호법 제36·37조).

    Consent records and every e-mail sent to the account's addresses go with it; enrolments and other records stay for statistics without the
    person (see ``account_deleting``). Staff accounts are closed by a center administrator instead, so that
    the access log and change history keep pointing at a known account.
    """
    if user.is_staff or user.is_superuser:
        raise ValidationError(_("직원 계정은 여기서 탈퇴할 수 없습니다. 센터 관리자에게 요청해 주세요."))
    # An account made by Kakao or Naver login has no password of its own: being signed in is the proof.
    if user.has_usable_password() and not user.check_password(password):
        raise ValidationError(_("비밀번호가 맞지 않습니다."), code="password")
    account_deleting.send(sender=type(user), user=user)
    for address in {user.email, *user.emailaddress_set.values_list("email", flat=True)}:
        outbox_erase_recipient(email=address)
    user.delete()
