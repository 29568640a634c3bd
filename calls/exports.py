"""The applicant list of a call as an Excel file: masked by default; unmasked only for staff with the 개인정보
열람 permission and a recorded reason (the view logs every export with its row count)."""

import tablib
from django.utils import timezone
from django.utils.translation import gettext as _

from jeonju_center.common.personal_data import mask_personal_value
from jeonju_center.common.spreadsheets import neutralize_dataset

from .eligibility import application_checks
from .models import Application, ApplicationStatus
from .selectors import application_scores

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERSONAL_COLUMNS = ("applicant_name", "birth_date", "phone", "email")


def applicant_rows(call):
    return list(
        Application.objects.filter(call=call)
        .exclude(status=ApplicationStatus.DRAFT)
        .select_related("first_choice__house", "second_choice__house", "dong")
        .prefetch_related("documents", "members")
        .order_by("rank", "receipt_number")
    )


def applicants_xlsx(call, rows, *, unmasked=False):
    scores = application_scores(call)

    def personal(application, field):
        value = getattr(application, field)
        if unmasked:
            return value.isoformat() if hasattr(value, "isoformat") else (value or "")
        return mask_personal_value(field, value)

    dataset = tablib.Dataset(
        headers=[
            _("접수번호"),
            _("상태"),
            _("예비 번호"),
            _("최종 순위"),
            _("추첨 순번"),
            _("평균 점수"),
            _("자격"),
            _("신청인 이름"),
            _("생년월일"),
            _("연락처"),
            _("이메일"),
            _("거주 행정동"),
            _("1지망 호실"),
            _("2지망 호실"),
            _("공동체명"),
            _("구성원 수"),
            _("접수 일시"),
        ]
    )
    for application in rows:
        checks = application_checks(
            application,
            call=call,
            documents={document.requirement_id for document in application.documents.all()},
            members=len(application.members.all()),
        )
        score = scores.get(application.pk)
        dataset.append(
            [
                application.receipt_number,
                application.get_status_display(),
                application.reserve_number or "",
                application.rank or "",
                application.draw_position or "",
                f"{score:.1f}" if score is not None else "",
                _("적격") if all(check.passed for check in checks) else _("부적격"),
                personal(application, "applicant_name"),
                personal(application, "birth_date"),
                personal(application, "phone"),
                personal(application, "email"),
                application.dong.name if application.dong else "",
                str(application.first_choice or ""),
                str(application.second_choice or ""),
                application.group_name,
                len(application.members.all()) if call.is_group_call else "",
                timezone.localtime(application.submitted_at).strftime("%Y-%m-%d %H:%M:%S")
                if application.submitted_at
                else "",
            ]
        )
    dataset.title = str(_("신청자 명단"))[:31]
    return neutralize_dataset(dataset).export("xlsx")
