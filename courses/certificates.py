"""The completion certificate (수료증) as a PDF.

Korean text needs a Korean font inside the PDF: NanumGothic (SIL OFL 1.1, from Debian's fonts-nanum,
see ``courses/fonts/OFL.txt``) ships with the code and fpdf2 embeds the subset of glyphs the
certificate uses, so the file looks the same on every reader and nothing is downloaded at run time.
"""

import logging
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

from .completion import format_certificate_code

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "NanumGothic"
CENTER_NAME = "전주도시혁신센터"

# fontTools reports every subsetting step at INFO and warns about tables (TSI*) that only font editors
# use; neither says anything about the certificate.
logging.getLogger("fontTools").setLevel(logging.ERROR)


def _korean_date(value):
    return _("%(year)d년 %(month)d월 %(day)d일") % {
        "year": value.year,
        "month": value.month,
        "day": value.day,
    }


def _holder_name(enrollment):
    if enrollment.user is None:
        return str(_("(익명)"))
    return enrollment.user.name or enrollment.user.username


def certificate_pdf(*, enrollment, verify_url):
    """The certificate of a completed enrolment as PDF bytes.

    ``enrollment`` comes from ``completion.certificate_by_number`` (course, track, user and the course's
    session dates annotated); ``verify_url`` is the absolute address of the public verification page.
    """
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(_("수료증 %(number)s") % {"number": enrollment.certificate_number})
    pdf.set_author(CENTER_NAME)
    pdf.set_creator(CENTER_NAME)
    pdf.set_lang("ko")
    pdf.add_font(FONT_FAMILY, "", FONT_DIR / "NanumGothic.ttf")
    pdf.add_font(FONT_FAMILY, "B", FONT_DIR / "NanumGothicBold.ttf")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(25, 25, 25)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    # A double frame, as Korean certificates usually have.
    pdf.set_draw_color(40, 70, 120)
    pdf.set_line_width(1.2)
    pdf.rect(12, 12, pdf.w - 24, pdf.h - 24)
    pdf.set_line_width(0.4)
    pdf.rect(15, 15, pdf.w - 30, pdf.h - 30)

    pdf.set_font(FONT_FAMILY, "", 11)
    pdf.set_xy(pdf.l_margin, 28)
    pdf.cell(width, 8, _("제 %(number)s 호") % {"number": enrollment.certificate_number}, align="L")

    pdf.set_font(FONT_FAMILY, "B", 36)
    pdf.set_xy(pdf.l_margin, 55)
    pdf.cell(width, 20, _("수 료 증"), align="C")

    course = enrollment.course
    rows = [
        (_("성명"), _holder_name(enrollment)),
        (_("강좌명"), course.title),
        (_("분야"), course.track.name),
    ]
    if enrollment.first_session_date and enrollment.last_session_date:
        rows.append(
            (
                _("교육 기간"),
                _("%(start)s ~ %(end)s (총 %(sessions)d회 중 %(attended)d회 출석)")
                % {
                    "start": enrollment.first_session_date.strftime("%Y.%m.%d."),
                    "end": enrollment.last_session_date.strftime("%Y.%m.%d."),
                    "sessions": enrollment.session_count or 0,
                    "attended": enrollment.attended_count or 0,
                },
            )
        )
    rows.append((_("강사"), course.instructor_name))

    y = 100
    for label, value in rows:
        pdf.set_xy(pdf.l_margin + 5, y)
        pdf.set_font(FONT_FAMILY, "B", 13)
        pdf.cell(32, 9, label)
        pdf.set_font(FONT_FAMILY, "", 13)
        pdf.set_xy(pdf.l_margin + 37, y)
        pdf.multi_cell(width - 42, 9, value, align="L")
        y = max(pdf.get_y(), y + 9) + 3

    pdf.set_font(FONT_FAMILY, "", 14)
    pdf.set_xy(pdf.l_margin + 5, max(y + 12, 165))
    pdf.multi_cell(
        width - 10,
        10,
        _(
            "위 사람은 %(center)s에서 운영한 시민강좌 「%(course)s」 과정을 "
            "수료 기준(출석률 %(percent)d%%) 이상 이수하였으므로 이 증서를 드립니다."
        )
        % {"center": CENTER_NAME, "course": course.title, "percent": course.completion_percent},
        align="J",
    )

    completed_on = timezone.localtime(enrollment.completed_at).date()
    pdf.set_font(FONT_FAMILY, "", 14)
    pdf.set_xy(pdf.l_margin, 225)
    pdf.cell(width, 10, _korean_date(completed_on), align="C")
    pdf.set_font(FONT_FAMILY, "B", 22)
    pdf.set_xy(pdf.l_margin, 242)
    pdf.cell(width, 14, _("%(center)s장") % {"center": CENTER_NAME}, align="C")

    pdf.set_font(FONT_FAMILY, "", 9)
    pdf.set_text_color(70, 70, 70)
    pdf.set_xy(pdf.l_margin, 262)
    pdf.cell(
        width,
        5,
        _("확인 코드 %(code)s") % {"code": format_certificate_code(enrollment.certificate_code)},
        align="C",
    )
    pdf.set_xy(pdf.l_margin, 268)
    pdf.multi_cell(width, 5, _("진위 확인: %(url)s") % {"url": verify_url}, align="C")
    return bytes(pdf.output())
