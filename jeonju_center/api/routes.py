"""The partner API's registry: every installed app that has an ``api/urls.py`` lists its resources there as
``ROUTES`` (and, when its records feed the change feed, ``api/feed.py`` its ``FEED_SOURCES``). The API
package finds them here (``jeonju_center.common.app_modules``), so it names no domain app and the URL conf,
the change feed and the views do not import one another."""

from jeonju_center.common.app_modules import app_declarations


def all_routes():
    """``(prefix, viewset, basename)`` of every resource of the API."""
    return app_declarations("api.urls", "ROUTES")


def all_feed_sources():
    return app_declarations("api.feed", "FEED_SOURCES")
