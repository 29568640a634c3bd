"""The grant settlement as staff file it (보조금 정산서): one sheet with the grant, the lines and the totals."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from jeonju_center.common.spreadsheets import neutralize_row

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def settlement_xlsx(settlement):
    record = settlement.support_record
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("보조금 정산서"))[:31]
    sheet.append(neutralize_row([_("%(community)s 보조금 정산서") % {"community": record.community.name}]))
    sheet["A1"].font = Font(bold=True, size=14)
    for label, value in (
        (_("공동체"), record.community.name),
        (_("지원 사업"), record.program.name if record.program_id else "-"),
        (_("지원일"), record.supported_on),
        (_("교부액(원)"), settlement.granted_amount),
        (_("집행액(원)"), settlement.spent_total),
        (_("잔액(원)"), settlement.balance),
        (_("상태"), settlement.get_status_display()),
    ):
        sheet.append(neutralize_row([str(label), value]))
    sheet.append([])
    header = [_("번호"), _("집행일"), _("거래처"), _("용도"), _("비목"), _("금액(원)"), _("영수증")]
    sheet.append([str(cell) for cell in header])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for number, line in enumerate(settlement.lines.order_by("spent_on", "pk"), start=1):
        sheet.append(
            neutralize_row(
                [
                    number,
                    line.spent_on,
                    line.vendor,
                    line.purpose,
                    line.get_category_display(),
                    line.amount,
                    str(_("있음")) if line.receipt else str(_("없음")),
                ]
            )
        )
    sheet.append([None, None, None, None, str(_("합계")), settlement.spent_total, None])
    for column, width in zip("ABCDEFG", (8, 12, 24, 36, 14, 14, 8), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
