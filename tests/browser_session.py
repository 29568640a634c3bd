"""Sign a user in to a Playwright page without going through the login form (the form has its own tests)."""

from django.conf import settings
from django.test import Client


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
