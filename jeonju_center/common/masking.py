"""One masking scheme for personal data everywhere (김*용, 010-1234-****).

Screens, exports and e-mails call these helpers instead of formatting personal data themselves.
"""

import datetime


def mask_name(name):
    """김철용 → 김*용, 이현 → 이*, 남궁민수 → 남**수."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_phone(phone):
    """010-1234-5678 → 010-1234-****; the last four digits are hidden whatever the format."""
    phone = (phone or "").strip()
    digits_seen = 0
    masked = []
    for char in reversed(phone):
        if char.isdigit() and digits_seen < 4:
            masked.append("*")
            digits_seen += 1
        else:
            masked.append(char)
    return "".join(reversed(masked))


def mask_birth_date(value):
    """1990-05-17 → 1990-**-**: the year is enough for statistics and age checks shown to staff."""
    if not value:
        return ""
    if isinstance(value, datetime.date):
        return f"{value.year:04d}-**-**"
    return str(value)[:4] + "-**-**"


def mask_address(address):
    """전주시 완산구 풍남동3가 12-3 → 전주시 완산구 풍남동3가 ***: keeps the area, hides the lot."""
    parts = (address or "").split()
    if len(parts) <= 1:
        return "***" if parts else ""
    return " ".join(parts[:-1]) + " ***"


def mask_email(email):
    """ab***@example.com: enough for staff to recognise an address, not to collect it."""
    local, _at, domain = (email or "").partition("@")
    if not domain:
        return "***"
    return f"{local[:2]}***@{domain}"
