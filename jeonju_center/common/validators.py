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


# --- Uploads ----------------------------------------------------------------------------------------
# Every file field uses one of the two validators below: an allowed extension, a size limit
# (MAX_UPLOAD_MB, default 10) and content that really is of that type, so a renamed HTML or SVG file
# cannot be uploaded and later served as a page. Module-level functions, so migrations reference them by
# name and the limits can change without a migration.

DOCUMENT_UPLOAD_EXTENSIONS = ["pdf", "hwp", "hwpx", "docx", "xlsx", "pptx", "jpg", "jpeg", "png"]

# Leading bytes of each allowed type (hwp is an OLE compound file; hwpx/docx/xlsx/pptx are ZIP packages).
_SIGNATURES = {
    "pdf": (b"%PDF-",),
    "hwp": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    "hwpx": (b"PK\x03\x04",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "pptx": (b"PK\x03\x04",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "webp": (b"RIFF",),
    "gif": (b"GIF87a", b"GIF89a"),
}


def _extension(upload):
    # Historical copies of a record (django-simple-history) keep the file as its stored name, a string.
    name = upload if isinstance(upload, str) else upload.name
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _check_size(upload, limit_mb=None):
    from django.conf import settings

    limit_mb = limit_mb or getattr(settings, "MAX_UPLOAD_MB", 10)
    if upload.size is not None and upload.size > limit_mb * 1024 * 1024:
        raise ValidationError(
            _("파일이 너무 큽니다. %(limit)dMB 이하 파일만 올릴 수 있습니다."), params={"limit": limit_mb}
        )


def _check_signature(upload, extension):
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(16)
    upload.seek(position)
    if not any(head.startswith(signature) for signature in _SIGNATURES.get(extension, ())):
        raise ValidationError(
            _("파일 내용이 확장자(.%(extension)s)와 맞지 않습니다. 원본 파일을 올려 주세요."),
            params={"extension": extension},
        )


def _check_upload(upload, extensions, limit_mb=None):
    extension = _extension(upload)
    if extension not in extensions:
        raise ValidationError(
            _("올릴 수 없는 파일 형식입니다. 허용: %(allowed)s"), params={"allowed": ", ".join(extensions)}
        )
    # A file already stored (another field of the record is being edited) was checked when it came in.
    if isinstance(upload, str) or (getattr(upload, "_committed", False) and hasattr(upload, "storage")):
        return
    _check_size(upload, limit_mb)
    _check_signature(upload, extension)


def validate_image_upload(upload):
    """A photo: jpg/png/webp/gif, within the size limit, and really an image of that type."""
    _check_upload(upload, IMAGE_EXTENSIONS)


def validate_document_upload(upload):
    """A document or scan: pdf/hwp/hwpx/docx/xlsx/pptx/jpg/png, within the size limit, content matching."""
    _check_upload(upload, DOCUMENT_UPLOAD_EXTENSIONS)


def validate_upload(upload, *, extensions, limit_mb=None):
    """An upload of one of ``extensions`` (lower case, no dot), at most ``limit_mb`` (default
    ``MAX_UPLOAD_MB``), whose content matches its extension: a renamed file is refused."""
    _check_upload(upload, list(extensions), limit_mb)


PUBLICATION_EXTENSIONS = ("pdf", "hwp", "hwpx")


def validate_publication_upload(upload):
    """A file of the publications library (자료실): PDF, HWP or HWPX only, content matching."""
    _check_upload(upload, list(PUBLICATION_EXTENSIONS))


_MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?]|javascript\s*:", re.IGNORECASE)


def validate_plain_text(value):
    """Free text from the public (a question, a booking's purpose): no HTML tags or script links.

    The pages escape everything anyway; refusing markup tells a person at once that it will not work and keeps
    pasted scripts out of e-mails and exports."""
    if value and _MARKUP.search(value):
        raise ValidationError(
            _("HTML 태그나 스크립트는 쓸 수 없습니다. 글자로만 적어 주세요."), code="markup"
        )
