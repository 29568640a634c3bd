"""The demo data reads as real Korean: no Latin filler, particles that agree with the word before them, numbers
that agree with their text, and a demo citizen whose /me/ shows every state."""

import re
import unicodedata

import pytest
from django.core.management import call_command
from django.db import transaction

from jeonju_center.common.korean import particle, with_particle
from tests.text_columns import text_columns

# Latin letters that Korean text itself uses: brands, certification marks, units, HTML markup and links.
ALLOWED_LATIN = [
    r"https?://\S+?(?=[\"'<\s]|$)",
    r"[\w.+-]+@[\w-]+(\.[\w-]+)+",
    r"<[^>]+>",
    r"e편한세상",
    r"\bHACCP\b",
    r"\bGAP\b",
    r"(?<=\d)(g|kg|ml|L|cm|mm)\b",
    # A call's code in its receipt numbers (접수번호, e.g. ODR2026-0007) and consent versions (ODR2026:1).
    r"\b[A-Z]{2,}\d{4}[A-Z]?(?=-\d{4}(?!\d)|:)",
]


def _has_final_consonant(syllable):
    """Independent of the code under test: a Hangul syllable with a final consonant decomposes into three jamo."""
    return len(unicodedata.normalize("NFD", syllable)) == 3


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


def _texts():
    """(model.field, value) of every human-readable text column of the domain apps."""
    for model, field in text_columns(also_not_text={"phone", "address", "type"}):
        values = model.objects.exclude(**{field.name: ""}).exclude(**{f"{field.name}__isnull": True})
        for value in values.values_list(field.name, flat=True).distinct():
            yield f"{model.__name__}.{field.name}", value


@pytest.mark.django_db
def test_generated_text_has_no_latin_letters_outside_names_links_and_units(demo):
    offending, seen = {}, 0
    for where, value in _texts():
        seen += 1
        stripped = value
        for pattern in ALLOWED_LATIN:
            stripped = re.sub(pattern, " ", stripped)
        if re.search(r"[A-Za-z]", stripped) and value != "demo":  # the demo API key's label
            offending.setdefault(where, value)
    assert seen > 1000
    assert offending == {}


@pytest.mark.django_db
def test_no_generated_text_hedges_between_two_particles(demo):
    hedged = [
        (where, value)
        for where, value in _texts()
        if re.search(r"\((은|는|이|가|을|를|과|와|으로|로)\)", value)
    ]
    assert hedged == []


@pytest.mark.django_db
def test_particles_after_community_names_and_agendas_agree_with_the_last_syllable(demo):
    from ondure.models import Community
    from regeneration.models import CouncilMeeting

    checked = 0
    for name, description in Community.objects.values_list("name", "description"):
        assert description.startswith(name), description
        following = description[len(name)]
        expected = "은" if _has_final_consonant(name[-1]) else "는"
        assert following == expected, description
        checked += 1
    for agenda_line, minutes in CouncilMeeting.objects.exclude(minutes="").values_list("agenda", "minutes"):
        agenda = agenda_line.splitlines()[0].removeprefix("1. ")
        assert minutes.startswith(agenda), minutes
        expected = "을" if _has_final_consonant(agenda[-1]) else "를"
        assert minutes[len(agenda)] == expected, minutes
        checked += 1
    assert checked > 100


@pytest.mark.django_db
def test_every_course_description_states_the_completion_rule_of_its_fields(demo):
    from courses.models import Course

    for percent, description in Course.objects.values_list("completion_percent", "description"):
        stated = re.findall(r"출석률 (\d+)%", description)
        assert stated == [str(percent)], description


@pytest.mark.django_db
def test_the_demo_citizen_sees_every_state_and_a_certificate(demo, client):
    from courses.models import Enrollment, EnrollmentStatus
    from jeonju_center.demo.base import DEMO_CITIZEN_USERNAME

    mine = Enrollment.objects.filter(user__username=DEMO_CITIZEN_USERNAME)
    assert set(mine.values_list("status", flat=True)) == {
        EnrollmentStatus.CONFIRMED,
        EnrollmentStatus.WAITING,
        EnrollmentStatus.CANCELLED,
    }
    certified = mine.exclude(certificate_number="").get()
    assert certified.is_completed and certified.certificate_code
    assert mine.filter(status=EnrollmentStatus.CONFIRMED, is_completed=False).exists()

    client.force_login(mine.first().user)
    page = client.get("/me/").content.decode()
    for enrollment in mine.select_related("course"):
        assert enrollment.course.title in page
    assert "대기" in page and "수료증" in page


@pytest.mark.parametrize(
    ("word", "pair", "expected"),
    [
        ("두레", "은/는", "두레는"),
        ("공동체", "은/는", "공동체는"),
        ("마을", "은/는", "마을은"),
        ("연구회", "이/가", "연구회가"),
        ("협의체", "을/를", "협의체를"),
        ("일정", "을/를", "일정을"),
        ("한옥", "과/와", "한옥과"),
        ("전주", "과/와", "전주와"),
        ("서울", "으로/로", "서울로"),  # ㄹ takes 로
        ("한옥마을", "으로/로", "한옥마을로"),
        ("부엌", "으로/로", "부엌으로"),
        ("학교", "으로/로", "학교로"),
        ("3단지", "은/는", "3단지는"),
        ("1", "은/는", "1은"),  # 일
        ("2", "은/는", "2는"),  # 이
        ("7", "으로/로", "7로"),  # 칠: ㄹ
        ("6", "으로/로", "6으로"),  # 육
        ("e편한세상", "이/가", "e편한세상이"),
        ("(주)전주", "은/는", "(주)전주는"),
    ],
)
def test_particles_follow_the_final_consonant(word, pair, expected):
    assert with_particle(word, pair) == expected
    assert particle(word, pair) == expected[len(word) :]
