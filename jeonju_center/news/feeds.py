"""RSS 2.0 and Atom feeds of the latest published news."""

from django.contrib.syndication.views import Feed
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .models import Program
from .selectors import public_news

FEED_SIZE = 20


class LatestNewsRssFeed(Feed):
    title = _("전주도시혁신센터 소식")
    link = reverse_lazy("news:list")
    description = _("도시재생·사회적경제·온두레 공동체·시민강좌 소식")
    language = "ko"

    def items(self):
        return public_news()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # The body was sanitised when it was saved.
        return item.summary or item.body

    def item_link(self, item):
        return reverse("news:detail", args=[item.slug])

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [str(Program(item.program).label)]


class LatestNewsAtomFeed(LatestNewsRssFeed):
    feed_type = Atom1Feed
    subtitle = LatestNewsRssFeed.description
