"""Validators shared by every app, with messages in the user's language."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.kr import brn

_MOBILE_OR_LANDLINE = re.compile(r"^(01[016789]|02|0[3-6][1-5]|070)(\d{3,4})(\d{4})$")


def normalize_phone(value):
    """Return a Korean phone number as 010-1234-5678 / 063-123-4567, or raise ValidationError."""
    digits = re.sub(r"[\s\-().]", "", value or "")
    match = _MOBILE_OR_LANDLINE.match(digits)
    if not match:
        raise ValidationError(
            _("전화번호 형식이 올바르지 않습니다. 예: 010-1234-5678"),
            code="invalid_phone",
            params={"value": value},
        )
    return "-".join(match.groups())


def validate_phone(value):
    if value:
        normalize_phone(value)


_BRN_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)


def brn_check_digit(first_nine):
    # python-stdnum (2.2) checks the length and the office/type components but not the check digit,
    # so the National Tax Service's published checksum is added on top of it.
    digits = [int(d) for d in first_nine]
    total = sum(d * w for d, w in zip(digits, _BRN_WEIGHTS, strict=True)) + digits[8] * 5 // 10
    return str((10 - total % 10) % 10)


def normalize_business_registration_number(value):
    """Return a business registration number (사업자등록번호) as XXX-XX-XXXXX, or raise ValidationError."""
    try:
        number = brn.validate(value)
        if number[-1] != brn_check_digit(number[:9]):
            raise StdnumValidationError()
        return brn.format(number)
    except StdnumValidationError:
        raise ValidationError(
            _(
                "사업자등록번호가 올바르지 않습니다. 10자리 숫자와 검증번호를 확인해 주세요. (예: 123-45-67891)"
            ),
            code="invalid_brn",
            params={"value": value},
        ) from None


def validate_business_registration_number(value):
    if value:
        normalize_business_registration_number(value)


# Photos people take and publish; ImageField also checks that the content really is an image.
IMAGE_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "gif"]
validate_image_extension = FileExtensionValidator(IMAGE_EXTENSIONS)
