"""Safe rich text for news posts and newsletter intros: nh3 keeps a short list of tags, and every image
must describe itself (alt text) so screen-reader users are not left out."""

from html.parser import HTMLParser

import nh3
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "ul", "ol", "li", "a", "blockquote",
    "table", "caption", "thead", "tbody", "tr", "th", "td", "img", "figure", "figcaption", "hr", "code", "pre",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Dropped together with their content (not only the tags).
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template"}


class _ImageAltFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images_without_alt = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            values = dict(attrs)
            if not (values.get("alt") or "").strip():
                self.images_without_alt.append(values.get("src") or "")


def sanitize_html(value):
    """The HTML with only safe tags, attributes and URL schemes left (links get rel="noopener noreferrer")."""
    return nh3.clean(
        value or "",
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    ).strip()


def images_without_alt(value):
    finder = _ImageAltFinder()
    finder.feed(value or "")
    finder.close()
    return finder.images_without_alt


def clean_rich_text(value, *, field):
    """Sanitised HTML, or a ``ValidationError`` on ``field`` naming the images that have no alt text."""
    cleaned = sanitize_html(value)
    missing = images_without_alt(cleaned)
    if missing:
        raise ValidationError(
            {
                field: _(
                    "이미지 {count}개에 대체 텍스트(alt)가 없습니다: {sources}. "
                    '<img src="…" alt="이미지 설명">처럼 설명을 넣어 주세요.'
                ).format(count=len(missing), sources=", ".join(src or "?" for src in missing[:3]))
            }
        )
    return cleaned
