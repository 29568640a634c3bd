"""Who may see personal data unmasked, how each kind is masked, and the access log of unmasked use.

One place decides all three so that every screen, export and e-mail of every app behaves the same:

* ``can_view_personal_data(user)``: holders of the 개인정보 열람 permission (a separate group) see full values;
  everyone else sees masked ones (김*용, 010-1234-****).
* ``mask_personal_value(field_name, value)``: the masking of a model's personal field, chosen by the
  field's kind (name, phone, birth date, address, e-mail; anything else is hidden entirely).
* ``record_personal_data_access(request, …)``: one append-only row per unmasked view, search hit on
  personal fields or export containing personal data.
"""

import datetime

from .masking import mask_address, mask_birth_date, mask_email, mask_name, mask_phone
from .security import client_ip_address

PERSONAL_DATA_PERMISSION = "common.view_personal_data"
ACCESS_LOG_REVIEW_PERMISSION = "common.review_access_log"

# Exports can cover many rows; beyond this the log keeps the count and the first ids only.
MAX_LOGGED_IDS = 10_000

HIDDEN = "●●●"


def can_view_personal_data(user):
    return bool(user and user.is_active and user.is_staff and user.has_perm(PERSONAL_DATA_PERMISSION))


def personal_fields_of(model):
    """The model's personal-data fields (its ``PERSONAL_DATA_FIELDS``), in declaration order."""
    return tuple(getattr(model, "PERSONAL_DATA_FIELDS", ()))


def personal_field_kind(field_name):
    """The masking kind of a personal field, from its name (the names follow one convention)."""
    name = field_name.lower()
    if "phone" in name:
        return "phone"
    if "birth" in name:
        return "birth_date"
    if "email" in name or name in {
        "to",
        "username",
    }:  # recipients; the login typed (citizens log in by e-mail)
        return "email"
    if "address" in name:
        return "address"
    if name == "name" or name.endswith("_name"):
        return "name"
    return "hidden"


_MASKERS = {
    "name": mask_name,
    "phone": mask_phone,
    "birth_date": mask_birth_date,
    "email": mask_email,
    "address": mask_address,
}


def mask_personal_value(field_name, value):
    """Mask ``value`` of the personal field ``field_name``; empty values stay empty."""
    if value in (None, "") or value == []:
        return ""
    if isinstance(value, (list, tuple)):  # e.g. an e-mail's recipients
        return ", ".join(mask_personal_value(field_name, item) for item in value)
    masker = _MASKERS.get(personal_field_kind(field_name))
    if masker is None:
        return HIDDEN
    if isinstance(value, datetime.date) and masker is not mask_birth_date:
        value = value.isoformat()
    return masker(value)


def personal_value_for(user, field_name, value):
    """The value as ``user`` may see it: unmasked with the permission, masked otherwise."""
    if can_view_personal_data(user):
        return value
    return mask_personal_value(field_name, value)


def record_personal_data_access(
    request,
    *,
    action,
    model,
    object_ids=(),
    record_count=None,
    fields=(),
    search_term="",
    reason="",
    masked=False,
    data_kind=None,
):
    """Write one access-log row for ``request.user`` touching personal data of ``model`` rows."""
    from .models import PersonalDataAccess

    object_ids = list(object_ids)
    user = request.user
    return PersonalDataAccess.objects.create(
        staff=user if user.is_authenticated else None,
        staff_username=user.get_username() if user.is_authenticated else "",
        ip_address=client_ip_address(request),
        action=action,
        data_kind=str(data_kind or model._meta.verbose_name),
        model_label=model._meta.label_lower,
        object_ids=object_ids[:MAX_LOGGED_IDS],
        record_count=len(object_ids) if record_count is None else record_count,
        fields=list(fields),
        search_term=search_term[:200],
        reason=reason[:300],
        masked=masked,
        path=request.get_full_path()[:500],
    )
