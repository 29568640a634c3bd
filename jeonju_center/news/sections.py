"""What the programs show on the home page and in the newsletter. Each app lists its sections in ``home.py``
(``HOME_SECTIONS``) and ``newsletter.py`` (``NEWSLETTER_SECTIONS``): the news package renders them and keeps
which items staff chose for an issue, without naming a program's model."""

from dataclasses import dataclass
from functools import cache

from django.apps import apps

from jeonju_center.common.app_modules import app_ordered_declarations


@dataclass(frozen=True)
class HomeSection:
    """A block of the home page, between the programs and the notices."""

    key: str
    template: str  # included with ``items``
    items: object  # callable(*, now) -> list, in a fixed number of queries
    order: int = 100


@dataclass(frozen=True)
class NewsletterSection:
    """A kind of program item staff feature in a newsletter issue (courses, products…)."""

    key: str
    label: str  # of the choice in the back office
    model: str  # "app_label.ModelName" of the items
    content: object  # callable(ids) -> the chosen items subscribers see, in order (``ids``: a subquery)
    candidates: object  # callable(*, now) -> queryset of what "fill with recent items" takes, best first
    autofill_limit: int
    # Rendered with ``items`` in the e-mail (HTML and text) and on the web page.
    html_template: str
    text_template: str
    page_template: str
    order: int = 100

    @property
    def model_class(self):
        return apps.get_model(self.model)


@cache
def home_sections():
    return tuple(app_ordered_declarations("home", "HOME_SECTIONS"))


@cache
def newsletter_sections():
    return tuple(app_ordered_declarations("newsletter", "NEWSLETTER_SECTIONS"))


def newsletter_section(key):
    """The section ``key``, or None."""
    return next((section for section in newsletter_sections() if section.key == key), None)
