"""What the legal pages (이용약관, 개인정보 처리방침) say that must stay true as the code changes.

The retention periods are read from the registered retention policies, so the policy shows the periods the
nightly job actually applies; contacts and entrusted processors come from the settings.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from jeonju_center.common.center import center_contact
from jeonju_center.common.retention import retention_policies

# Every version of the privacy policy and the terms, newest last: (effective date, what changed).
# Add a row (and bump PRIVACY_TERMS_VERSION) whenever the text of either page changes.
POLICY_REVISIONS = [
    ("2026-11-01", _("개인정보 수집·이용 안내 제정")),
    (
        "2026-12-04",
        _(
            "개인정보 처리방침 전문 개정(처리 목적·항목·보유기간·위탁·파기·권리 행사·안전성 확보조치·보호책임자), "
            "이용약관 제정, 만 14세 미만 온라인 가입 제한, 알림톡·문자 알림(휴대전화 인증), 1:1 문의, 공간 대관, 조직 회원, 강좌 만족도 조사"
        ),
    ),
]

MINIMUM_SIGNUP_AGE = 14  # 개인정보 보호법 §22-2: younger children need a legal guardian's consent


def period_text(days):
    """``1095`` → "3년", ``731`` → "2년" (a year more counts leap days), ``180`` → "180일"."""
    years, rest = divmod(days, 365)
    if years and rest <= 1:
        return ngettext("%(count)d년", "%(count)d년", years) % {"count": years}
    return ngettext("%(count)d일", "%(count)d일", days) % {"count": days}


def retention_rows():
    """(what is kept, how long) for each retention policy, in the order of the labels."""
    rows = [(policy.label, period_text(policy.days)) for policy in retention_policies().values()]
    return sorted(rows, key=lambda row: str(row[0]))


def privacy_officer():
    """The privacy officer's contact, falling back on the center's own telephone and e-mail."""
    configured = getattr(settings, "PRIVACY_OFFICER", {})
    center = center_contact()
    return {
        "name": configured.get("name", ""),
        "title": configured.get("title") or _("개인정보 보호책임자"),
        "phone": configured.get("phone") or center.get("phone", ""),
        "email": configured.get("email") or center.get("email", ""),
    }


def legal_page_context():
    return {
        "center": center_contact(),
        "officer": privacy_officer(),
        "retention_rows": retention_rows(),
        "processors": getattr(settings, "PRIVACY_PROCESSORS", []),
        "revisions": POLICY_REVISIONS,
        "effective_date": POLICY_REVISIONS[-1][0],
        "minimum_age": MINIMUM_SIGNUP_AGE,
    }
