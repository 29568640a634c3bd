"""Eligibility of an application, computed from the call's declared rules and what the applicant entered and
uploaded — never typed in by staff. The same checks show the applicant what is missing and show staff why an
application is (not) eligible."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from ondure.models import MINIMUM_MEMBERS

from .models import IncomeBracket, Residence


@dataclass(frozen=True)
class Check:
    rule: str
    passed: bool
    detail: str = ""


def age_on(birth_date, day):
    """만 나이 on ``day``."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def minimum_members(call, group_kind):
    if call.group_min_members:
        return call.group_min_members
    return MINIMUM_MEMBERS.get(group_kind, 1)


def application_checks(application, *, call=None, documents=None, members=None):
    """Every rule of the call with whether the application meets it. ``documents`` (requirement ids with a
    file) and ``members`` (count) may be passed to avoid queries in lists."""
    call = call or application.call
    checks = []
    if call.min_age is not None or call.max_age is not None:
        label = _("나이 %(band)s") % {"band": _age_band(call)}
        if application.birth_date is None:
            checks.append(Check(label, False, _("생년월일을 입력해 주세요.")))
        else:
            age = age_on(application.birth_date, call.age_reference_date())
            ok = (call.min_age is None or age >= call.min_age) and (
                call.max_age is None or age <= call.max_age
            )
            checks.append(Check(label, ok, _("마감일 기준 만 %(age)d세") % {"age": age}))
    if call.residence == Residence.JEONJU:
        checks.append(
            Check(
                _("전주시 거주"),
                application.lives_in_jeonju,
                "" if application.lives_in_jeonju else _("전주시에 주민등록이 되어 있어야 합니다."),
            )
        )
    elif call.residence == Residence.DONGS:
        allowed = {dong.pk: dong.name for dong in call.dongs.all()}
        ok = application.dong_id in allowed
        checks.append(
            Check(
                _("거주 행정동: %(dongs)s") % {"dongs": ", ".join(allowed.values())},
                ok,
                "" if ok else _("대상 행정동에 사는 분만 신청할 수 있습니다."),
            )
        )
    if call.requires_no_home:
        checks.append(
            Check(
                _("무주택"),
                application.declares_no_home,
                "" if application.declares_no_home else _("무주택 확인이 필요합니다."),
            )
        )
    if call.max_income_bracket is not None:
        label = _("가구 소득 %(limit)s") % {"limit": IncomeBracket(call.max_income_bracket).label}
        bracket = application.income_bracket
        ok = bracket is not None and bracket <= call.max_income_bracket
        checks.append(Check(label, ok, "" if ok else _("소득 기준을 넘거나 입력하지 않았습니다.")))
    if call.is_group_call:
        needed = minimum_members(call, application.group_kind)
        count = members if members is not None else application.members.count() if application.pk else 0
        checks.append(
            Check(
                _("구성원 %(count)d명 이상") % {"count": needed},
                count >= needed,
                _("현재 %(count)d명") % {"count": count},
            )
        )
    if documents is not None:
        uploaded = documents
    elif application.pk:
        uploaded = set(application.documents.values_list("requirement_id", flat=True))
    else:
        uploaded = set()
    for requirement in call.documents.all():
        if requirement.is_required:
            present = requirement.pk in uploaded
            checks.append(Check(requirement.name, present, "" if present else _("서류를 올려 주세요.")))
    return checks


def is_eligible(application, **kwargs):
    return all(check.passed for check in application_checks(application, **kwargs))


def _age_band(call):
    if call.min_age is not None and call.max_age is not None:
        return _("만 %(min)d~%(max)d세") % {"min": call.min_age, "max": call.max_age}
    if call.min_age is not None:
        return _("만 %(min)d세 이상") % {"min": call.min_age}
    return _("만 %(max)d세 이하") % {"max": call.max_age}
