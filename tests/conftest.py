import pytest
from django.conf import settings


def _database_is_postgresql():
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres") and not _database_is_postgresql():
        pytest.skip("needs PostgreSQL (row locks/constraints): set DATABASE_URL=postgres://… to run it")


def pytest_report_header(config):
    db = settings.DATABASES["default"]
    return f"database: {db['ENGINE'].rsplit('.', 1)[-1]} ({db['NAME']})"
