"""The certificate PDF (Korean text in an embedded font), its download and the public verification page."""

import datetime
import io
import re
import zlib

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from fontTools.ttLib import TTFont

from courses.completion import attendance_record, completion_evaluate, format_certificate_code
from courses.models import Course, Enrollment
from jeonju_center.accounts.models import User
from jeonju_center.common.models import PersonalDataAccess
from tests.actors import TEST_JOB

from .factories import CourseFactory, CourseSessionFactory, EnrollmentFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- a small, honest PDF reader: objects, streams, ToUnicode maps and the text shown ----------------


_STREAM_START = re.compile(rb"stream\r?\n")


def _objects(pdf):
    """Object number → body. A stream is skipped by its /Length, never searched: compressed bytes may contain
    "endobj" or "endstream" (whether they do depends on the text, such as the date printed)."""
    objects, position = {}, 0
    header = re.compile(rb"(\d+) 0 obj\s*")
    while match := header.search(pdf, position):
        end = pdf.index(b"endobj", match.end())
        body_start = match.end()
        stream = _STREAM_START.search(pdf, body_start, end)
        if stream and b"/Length" in pdf[body_start : stream.start()]:
            length = int(re.search(rb"/Length (\d+)", pdf[body_start : stream.start()]).group(1))
            end = pdf.index(b"endobj", stream.end() + length)
        objects[int(match.group(1))] = pdf[body_start:end]
        position = end + len(b"endobj")
    return objects


def _stream(body):
    start = _STREAM_START.search(body)
    length = int(re.search(rb"/Length (\d+)", body[: start.start()]).group(1))
    data = body[start.end() : start.end() + length]
    return zlib.decompress(data) if b"/FlateDecode" in body[: start.start()] else data


def _to_unicode(cmap):
    mapping = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for start, end, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            base = int(dst, 16)
            for offset, code in enumerate(range(int(start, 16), int(end, 16) + 1)):
                mapping[code] = chr(base + offset)
    return mapping


def _literal(raw):
    """Unescape a PDF literal string (the bytes between the parentheses)."""
    out, i = bytearray(), 0
    escapes = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}
    while i < len(raw):
        byte = raw[i]
        if byte == 0x5C:  # backslash
            nxt = raw[i + 1]
            if nxt in escapes:
                out.append(escapes[nxt])
                i += 2
            elif 0x30 <= nxt <= 0x37:
                digits = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4]).group(0)
                out.append(int(digits, 8))
                i += 1 + len(digits)
            else:
                out.append(nxt)
                i += 2
        else:
            out.append(byte)
            i += 1
    return bytes(out)


def _text_lines(content, fonts):
    """Each BT…ET block as one line: its strings (Tj and TJ alike) decoded through the current font."""
    lines, parts, current, i = [], [], None, 0
    while i < len(content):
        if content[i] == 0x28:  # "(" opens a literal string; escaped parentheses do not count
            j, depth = i + 1, 1
            while depth:
                if content[j] == 0x5C:
                    j += 2
                    continue
                depth += {0x28: 1, 0x29: -1}.get(content[j], 0)
                j += 1
            codes = _literal(content[i + 1 : j - 1])
            to_unicode = fonts[current][0]
            parts.append(
                "".join(
                    to_unicode.get(int.from_bytes(codes[k : k + 2], "big"), "?")
                    for k in range(0, len(codes), 2)
                )
            )
            i = j
            continue
        font = re.match(rb"/(F\d+) [\d.]+ Tf", content[i : i + 40])
        if font:
            current = font.group(1).decode()
            i += font.end()
            continue
        if content[i : i + 2] == b"ET" and (i + 2 == len(content) or content[i + 2] in b" \n\r"):
            if parts:
                lines.append("".join(parts))
            parts = []
        i += 1
    return lines


def pdf_text_and_fonts(pdf):
    """The text drawn on the pages (decoded through each font's ToUnicode map) and the embedded fonts."""
    objects = _objects(pdf)
    fonts = {}  # resource name → (ToUnicode map, embedded TrueType font)
    for body in objects.values():
        for name, ref in re.findall(rb"/(F\d+) (\d+) 0 R", body):
            font = objects[int(ref)]
            to_unicode = _to_unicode(
                _stream(objects[int(re.search(rb"/ToUnicode (\d+) 0 R", font).group(1))])
            )
            descendant = objects[int(re.search(rb"/DescendantFonts \[(\d+) 0 R\]", font).group(1))]
            descriptor = objects[int(re.search(rb"/FontDescriptor (\d+) 0 R", descendant).group(1))]
            font_file = re.search(rb"/FontFile2 (\d+) 0 R", descriptor)
            embedded = TTFont(io.BytesIO(_stream(objects[int(font_file.group(1))]))) if font_file else None
            fonts[name.decode()] = (to_unicode, embedded)
    lines = []
    for body in objects.values():
        if b"/Length" not in body or b"stream" not in body:
            continue
        content = _stream(body)
        if b"BT" not in content or b"Tf" not in content:
            continue
        lines.extend(_text_lines(content, fonts))
    return lines, fonts


# --- fixtures -----------------------------------------------------------------------------------------


def completed(*, name="김철용", title="주경야독 인문학: 전주의 골목과 사람들", sessions=5, attended=5):
    course = CourseFactory(title=title, status=Course.Status.IN_PROGRESS)
    last = timezone.localdate() - datetime.timedelta(days=2)
    for number in range(sessions):
        CourseSessionFactory(course=course, date=last - datetime.timedelta(days=7 * (sessions - 1 - number)))
    enrollment = EnrollmentFactory(course=course, user=UserFactory(name=name))
    staff = StaffFactory()
    for index, session in enumerate(course.sessions.order_by("date")):
        attendance_record(
            session=session,
            present_enrollment_ids=[enrollment.pk] if index < attended else [],
            actor=staff,
        )
    completion_evaluate(course=course, actor=TEST_JOB)
    enrollment.refresh_from_db()
    return enrollment


def download_url(enrollment):
    return reverse("courses:certificate_download", args=[enrollment.certificate_number])


# --- the PDF ------------------------------------------------------------------------------------------


def test_the_pdf_shows_the_korean_name_and_course_in_an_embedded_korean_font(client):
    enrollment = completed(
        name="남궁민수", title="주경야독 인문학: 전주의 골목과 사람들", sessions=5, attended=4
    )
    client.force_login(enrollment.user)
    response = client.get(download_url(enrollment))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF-")

    lines, fonts = pdf_text_and_fonts(pdf)
    text = "\n".join(lines)
    assert "수 료 증" in text
    assert "남궁민수" in text
    assert "주경야독 인문학: 전주의 골목과 사람들" in text.replace("\n", "")
    assert enrollment.certificate_number in text
    assert "총 5회 중 4회 출석" in text
    joined = " ".join(lines)  # multi_cell wraps at spaces
    assert (
        "위 사람은 전주도시혁신센터에서 운영한 시민강좌 「주경야독 인문학: 전주의 골목과 사람들」 과정을"
        in joined
    )
    assert f"확인 코드 {format_certificate_code(enrollment.certificate_code)}" in lines
    assert any(
        line.startswith("진위 확인: http://testserver/courses/certificates/verify/?code=") for line in lines
    )
    assert "?" not in text.replace("?code=", "")  # every glyph drawn maps back to a character

    # The fonts are embedded (a FontFile2 each), they are NanumGothic subsets and they hold the glyphs.
    assert fonts
    for _to_unicode, embedded in fonts.values():
        assert embedded is not None
        family = embedded["name"].getDebugName(1)
        assert "Nanum" in family
    regular = next(font for name, (_m, font) in fonts.items() if "남" in _m.values())
    codepoints = set(regular.getBestCmap())
    assert {ord(ch) for ch in "남궁민수"} <= codepoints


def test_the_pdf_is_built_without_network_or_system_fonts():
    from courses import certificates

    assert (certificates.FONT_DIR / "NanumGothic.ttf").is_file()
    assert (certificates.FONT_DIR / "NanumGothicBold.ttf").is_file()
    assert "SIL OPEN FONT LICENSE" in (certificates.FONT_DIR / "OFL.txt").read_text()


# --- download: only the owner or staff ----------------------------------------------------------------


def test_the_owner_downloads_their_certificate_without_caching(client):
    enrollment = completed()
    client.force_login(enrollment.user)
    response = client.get(download_url(enrollment))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "attachment" in response["Content-Disposition"]
    assert enrollment.certificate_number in response["Content-Disposition"]


def test_another_citizen_gets_not_found_and_anonymous_must_log_in(client):
    enrollment = completed()
    response = client.get(download_url(enrollment))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    client.force_login(UserFactory())
    assert client.get(download_url(enrollment)).status_code == 404
    # Plain staff without the permission to see enrolments neither.
    client.force_login(UserFactory(is_staff=True))
    assert client.get(download_url(enrollment)).status_code == 404


def test_staff_may_download_only_with_the_personal_data_permission_and_it_is_logged(client):
    enrollment = completed()
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_enrollment"))
    client.force_login(staff)
    # The certificate names the holder in full: seeing enrolments is not enough.
    assert client.get(download_url(enrollment)).status_code == 404
    assert not PersonalDataAccess.objects.exists()
    staff.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    client.force_login(User.objects.get(pk=staff.pk))
    asked = client.get(download_url(enrollment))  # staff say why first
    assert asked.status_code == 200 and asked["Content-Type"].startswith("text/html")
    assert not PersonalDataAccess.objects.exists()
    response = client.get(download_url(enrollment), {"reason": "inquiry", "detail": "재발급 요청"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    (entry,) = PersonalDataAccess.objects.all()
    assert (entry.staff_id, entry.action, entry.object_ids) == (staff.pk, "download", [enrollment.pk])
    assert entry.reason == "민원·문의 처리: 재발급 요청"
    # The holder's own downloads are not staff access: no question, nothing logged.
    client.force_login(enrollment.user)
    own = client.get(download_url(enrollment))
    assert own.status_code == 200 and own["Content-Type"] == "application/pdf"
    assert PersonalDataAccess.objects.count() == 1


def test_unknown_and_withdrawn_certificates_are_not_found(client):
    enrollment = completed()
    client.force_login(enrollment.user)
    assert (
        client.get(reverse("courses:certificate_download", args=["JUIC-2026-9999-999999"])).status_code == 404
    )
    number = enrollment.certificate_number
    Enrollment.objects.filter(pk=enrollment.pk).update(
        is_completed=False, completed_at=None, certificate_number="", certificate_code=""
    )
    assert client.get(reverse("courses:certificate_download", args=[number])).status_code == 404


# --- public verification ----------------------------------------------------------------------------


VERIFY = "courses:certificate_verify"


def test_a_valid_code_is_confirmed_with_a_masked_name(client):
    enrollment = completed(name="박서연", title="협동조합 설립 실무")
    typed = format_certificate_code(enrollment.certificate_code).lower()
    response = client.get(reverse(VERIFY), {"code": typed})
    content = response.content.decode()
    assert response.status_code == 200
    assert "유효한 수료증입니다" in content
    assert enrollment.certificate_number in content
    assert "협동조합 설립 실무" in content
    assert "박*연" in content
    assert "박서연" not in content
    assert "no-store" in response["Cache-Control"]


def test_an_unknown_code_is_reported_invalid(client):
    completed()
    response = client.get(reverse(VERIFY), {"code": "ABCD-EFGH-JKLM"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "확인할 수 없는 코드입니다" in content
    assert "유효한 수료증입니다" not in content


def test_a_withdrawn_certificate_no_longer_verifies(client):
    enrollment = completed()
    code = enrollment.certificate_code
    Enrollment.objects.filter(pk=enrollment.pk).update(
        is_completed=False, completed_at=None, certificate_number="", certificate_code=""
    )
    content = client.get(reverse(VERIFY), {"code": code}).content.decode()
    assert "확인할 수 없는 코드입니다" in content


@pytest.mark.parametrize("typed", ["1234", "ABCD-EFGH-JKL0", "<script>"])
def test_a_malformed_code_gets_a_clear_message(client, typed):
    response = client.get(reverse(VERIFY), {"code": typed})
    content = response.content.decode()
    assert response.status_code == 200
    assert "확인 코드는 영문 대문자와 숫자 12자리입니다" in content
    assert "확인할 수 없는 코드입니다" not in content
    assert "<script>" not in content


def test_the_empty_form_has_a_labelled_field(client):
    content = client.get(reverse(VERIFY)).content.decode()
    assert '<label for="id_code">확인 코드</label>' in content
    assert "유효한 수료증" not in content
