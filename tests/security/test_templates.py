"""The Content-Security-Policy runs no inline code, so the templates must not contain any: no <script> without
``src`` (JSON data blocks are fine), no ``on…=`` handler attributes, no ``javascript:`` URLs — anywhere.
Public pages also get no ``style=""`` (their style-src has no 'unsafe-inline'); the admin's policy allows it.
Scanning the files keeps a new template from breaking a page silently in the browser."""

import re
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

TEMPLATE_DIRS = [
    REPO_ROOT / "templates",
    *REPO_ROOT.glob("*/templates"),
    *REPO_ROOT.glob("jeonju_center/*/templates"),
]
TAG = re.compile(r"<[a-zA-Z][^<>]*>", re.DOTALL)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
DATA_BLOCK = re.compile(r"""\btype\s*=\s*["']application/(?:ld\+)?json["']""", re.IGNORECASE)


def html_templates():
    return sorted(
        path for directory in TEMPLATE_DIRS if directory.is_dir() for path in directory.rglob("*.html")
    )


def is_public(path):
    """Rendered as a page of the public site (not the admin, not an e-mail body)."""
    parts = path.relative_to(REPO_ROOT).parts
    return "admin" not in parts and "email" not in parts


def inline_code(text):
    problems = []
    for match in SCRIPT_TAG.finditer(text):
        attributes = match.group(1)
        if "src=" not in attributes and not DATA_BLOCK.search(attributes):
            problems.append(f"inline <script> at offset {match.start()}")
    for tag in TAG.findall(text):
        if HANDLER.search(tag):
            problems.append(f"event handler in {tag[:80]!r}")
        if JS_URL.search(tag):
            problems.append(f"javascript: URL in {tag[:80]!r}")
    return problems


def inline_styles(text):
    return [f"style attribute in {tag[:80]!r}" for tag in TAG.findall(text) if STYLE_ATTRIBUTE.search(tag)]


def test_the_scan_sees_the_templates():
    names = {path.relative_to(REPO_ROOT).as_posix() for path in html_templates()}
    assert "templates/base.html" in names
    assert "templates/admin/courses/course/attendance.html" in names
    assert "templates/security/lockout.html" in names


@pytest.mark.parametrize("path", html_templates(), ids=lambda p: p.relative_to(REPO_ROOT).as_posix())
def test_no_inline_script_or_handler(path: Path):
    assert inline_code(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "path", [p for p in html_templates() if is_public(p)], ids=lambda p: p.relative_to(REPO_ROOT).as_posix()
)
def test_no_inline_style_on_public_pages(path: Path):
    assert inline_styles(path.read_text(encoding="utf-8")) == []


def test_the_scan_catches_each_kind_of_inline_code():
    assert len(inline_code("<script>alert(1)</script><p>x</p>")) == 1
    assert len(inline_code('<button type="button"\n  onclick="window.print()">인쇄</button>')) == 1
    assert len(inline_code('<a href="javascript:void(0)">x</a>')) == 1
    assert len(inline_code('<body onload="start()">')) == 1
    assert inline_code("<script src=\"{% static 'x.js' %}\" defer></script>") == []
    assert inline_code('<script type="application/json" id="data">{"a": 1}</script>') == []
    assert inline_code('<p>Online 강좌는 onsite 강좌와 다릅니다.</p><input data-online="1">') == []
    assert len(inline_styles('<img src="x.png" alt="" style="max-width:100%">')) == 1
