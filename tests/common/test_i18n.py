"""The portal is Korean first; English comes from ``locale/en/LC_MESSAGES/django.po``."""

import ast
import re

import pytest
from django.conf import settings
from django.utils import translation

pytestmark = pytest.mark.django_db

EN_PO = settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _switch_to_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def _po_entries(path):
    """The entries of a .po file as dicts: {"flags": [...], "msgid": ..., "msgstr[0]": ..., ...}.

    Enough of the format for this project's catalogue; obsolete (``#~``) entries are skipped.
    """
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry = {"flags": []}
        keyword = None
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#,"):
                entry["flags"] += [flag.strip() for flag in line[2:].split(",")]
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry[keyword] += ast.literal_eval(line)
            elif line:
                keyword, _, value = line.partition(" ")
                entry[keyword] = ast.literal_eval(value)
        if "msgid" in entry:
            entries.append(entry)
    return entries


def _translations(entry):
    return [value for key, value in entry.items() if key.startswith("msgstr")]


def test_home_page_is_korean_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ko">' in html
    assert "전주도시혁신센터" in html
    assert "본문 바로가기" in html
    assert "Jeonju Urban Innovation Center" not in html


def test_home_page_is_english_after_switching_language(client):
    _switch_to_english(client)

    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Jeonju Urban Innovation Center" in html
    assert "Skip to main content" in html
    assert "본문 바로가기" not in html


def test_admin_index_shows_english_model_names_after_switching_language(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert "도시재생" in response.content.decode()

    _switch_to_english(admin_client)

    response = admin_client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html
    for name in ["Urban regeneration", "Vacant house", "Resident council", "Citizen courses", "Course"]:
        assert name in html
    assert "Social-economy organization" in html
    assert "Ondure community" in html
    assert "빈집" not in html


def test_english_catalogue_is_complete():
    entries = _po_entries(EN_PO)
    header, messages = entries[0], entries[1:]
    assert header["msgid"] == ""
    assert "Language: en" in header["msgstr"]
    assert messages, "run makemessages -l en"

    untranslated = [entry["msgid"] for entry in messages if not all(_translations(entry))]
    fuzzy = [entry["msgid"] for entry in entries if "fuzzy" in entry["flags"]]
    assert not untranslated, f"untranslated entries in {EN_PO}: {untranslated}"
    assert not fuzzy, f"fuzzy entries in {EN_PO}: {fuzzy}"


def test_compiled_catalogue_matches_the_po_file():
    """The .mo file is compiled from the current .po file (run compilemessages after editing it)."""
    stale = []
    with translation.override("en"):
        for entry in _po_entries(EN_PO)[1:]:
            if "msgid_plural" in entry:
                translated = translation.ngettext(entry["msgid"], entry["msgid_plural"], 1)
                expected = entry["msgstr[0]"]
            elif "msgctxt" in entry:
                translated = translation.pgettext(entry["msgctxt"], entry["msgid"])
                expected = entry["msgstr"]
            else:
                translated = translation.gettext(entry["msgid"])
                expected = entry["msgstr"]
            if translated != expected:
                stale.append(entry["msgid"])
    assert not stale, f"django.mo is out of date for: {stale}"


def test_placeholders_survive_translation():
    for entry in _po_entries(EN_PO)[1:]:
        placeholders = sorted(re.findall(r"%\(\w+\)[sd]|\{\w*\}", entry["msgid"]))
        for translated in _translations(entry):
            assert sorted(re.findall(r"%\(\w+\)[sd]|\{\w*\}", translated)) == placeholders, entry["msgid"]


def test_the_browser_language_does_not_switch_pages_to_english(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="ko">' in response.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()


def test_the_admin_is_korean_for_an_english_browser(admin_client):
    response = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en-US")
    assert response.status_code == 200
    assert "업무 관리" in response.content.decode()
