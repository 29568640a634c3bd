"""The product analysis (상품 분석) as inline SVG charts and as an Excel workbook.

Charts are drawn on the server as plain SVG (no JavaScript); each has a title and a description for
screen readers and is shown next to a table with the same numbers.
"""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from jeonju_center.common.spreadsheets import neutralize_row

BAR_HEIGHT = 22
BAR_GAP = 8
LABEL_WIDTH = 150
PLOT_WIDTH = 300
VALUE_WIDTH = 70


def bar_chart(rows, *, value_key="count", label_key="label"):
    """Horizontal bars, one per row, scaled to the largest value."""
    largest = max((row[value_key] or 0 for row in rows), default=0) or 1
    bars = []
    for index, row in enumerate(rows):
        value = row[value_key] or 0
        width = round(PLOT_WIDTH * value / largest, 1)
        bars.append(
            {
                "label": row[label_key],
                "value": value,
                "y": index * (BAR_HEIGHT + BAR_GAP),
                "text_y": index * (BAR_HEIGHT + BAR_GAP) + BAR_HEIGHT * 0.7,
                "width": width,
                "value_x": LABEL_WIDTH + width + 6,
            }
        )
    return {
        "bars": bars,
        "width": LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH,
        "height": max(len(rows), 1) * (BAR_HEIGHT + BAR_GAP),
        "plot_x": LABEL_WIDTH,
        "bar_height": BAR_HEIGHT,
    }


def range_chart(rows):
    """One min–max bar per category with a tick at the median; categories without prices are left out."""
    priced = [row for row in rows if row["count"]]
    largest = max((row["max"] for row in priced), default=0) or 1
    bars = []
    for index, row in enumerate(priced):
        start = LABEL_WIDTH + PLOT_WIDTH * row["min"] / largest
        end = LABEL_WIDTH + PLOT_WIDTH * row["max"] / largest
        bars.append(
            {
                "label": row["label"],
                "y": index * (BAR_HEIGHT + BAR_GAP),
                "text_y": index * (BAR_HEIGHT + BAR_GAP) + BAR_HEIGHT * 0.7,
                "x": round(start, 1),
                "width": round(max(end - start, 2), 1),
                "median_x": round(LABEL_WIDTH + PLOT_WIDTH * row["median"] / largest, 1),
                "value_x": round(end + 6, 1),
                "min": row["min"],
                "median": row["median"],
                "max": row["max"],
            }
        )
    return {
        "bars": bars,
        "width": LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH + 60,
        "height": max(len(priced), 1) * (BAR_HEIGHT + BAR_GAP),
        "plot_x": LABEL_WIDTH,
        "bar_height": BAR_HEIGHT,
    }


def analysis_charts(analysis):
    return {
        "status": bar_chart(analysis["responses_by_status"]),
        "category": bar_chart(analysis["products_by_category_and_org_type"], value_key="total"),
        "price": range_chart(analysis["price_by_category"]),
        "channels": bar_chart(analysis["sales_channel_ranking"]),
        "needs": bar_chart(analysis["needs_ranking"]),
    }


def _sheet(workbook, title, headers, rows):
    sheet = workbook.create_sheet(title)
    sheet.append(neutralize_row(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(neutralize_row(row))
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(12, len(str(header)) * 2 + 2)
    return sheet


def analysis_workbook(campaign, analysis):
    """The report's tables, one sheet each, as .xlsx bytes."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    coverage = analysis["coverage"]
    _sheet(
        workbook,
        _("조사 현황"),
        [_("항목"), _("값")],
        [
            (_("전수조사"), campaign.name),
            (_("조사 대상"), coverage["total"]),
            (_("응답(제출·검증)"), coverage["responded"]),
            (_("검증 완료"), coverage["verified"]),
            (_("거절"), coverage["declined"]),
            (_("미제출"), coverage["not_responded"]),
            (_("응답률(%)"), coverage["responded_percent"]),
            (_("검증률(%)"), coverage["verified_percent"]),
        ]
        + [(row["label"], row["count"]) for row in analysis["responses_by_status"]],
    )
    _sheet(
        workbook,
        _("분류×조직유형"),
        [_("품목 분류"), *[t["label"] for t in analysis["org_types"]], _("합계")],
        [
            (row["label"], *row["counts"], row["total"])
            for row in analysis["products_by_category_and_org_type"]
        ]
        + [
            (
                _("합계"),
                *analysis["products_by_org_type_totals"],
                sum(analysis["products_by_org_type_totals"]),
            )
        ],
    )
    _sheet(
        workbook,
        _("가격대"),
        [_("품목 분류"), _("응답 수"), _("최저(원)"), _("중앙값(원)"), _("최고(원)")],
        [(r["label"], r["count"], r["min"], r["median"], r["max"]) for r in analysis["price_by_category"]],
    )
    for title, rows in (
        (_("판매 경로 순위"), "sales_channel_ranking"),
        (_("지원 필요 순위"), "needs_ranking"),
    ):
        _sheet(
            workbook,
            title,
            [_("순위"), _("항목"), _("응답 수"), _("비율(%)")],
            [(r["rank"], r["label"], r["count"], r["percent"]) for r in analysis[rows]],
        )
    _sheet(
        workbook,
        _("시범매장 후보"),
        [_("조직명"), _("조직 유형"), _("행정동"), _("입점 가능 상품 수")],
        [
            (c["organization_name"], c["org_type_label"], c["dong_name"], c["ready_product_count"])
            for c in analysis["pilot_store_candidates"]
        ],
    )
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()
