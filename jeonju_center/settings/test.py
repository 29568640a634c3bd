"""Test settings: the environment's settings made fast and hermetic.

The database still comes from ``DATABASE_URL`` so CI runs the suite on PostgreSQL.
"""

from jeonju_center.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MESSAGE_BACKEND = "locmem"
CACHES = {**CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}  # noqa: F405
# Tests call tasks inline; the Celery integration tests start a real worker themselves.
CELERY_TASK_ALWAYS_EAGER = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "public": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Static files are served by the test client's finders; WhiteNoise would only warn about STATIC_ROOT.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405
# The lockout stays on in tests; only the test client's request-less login() is let through (see the class).
AUTHENTICATION_BACKENDS = [
    "jeonju_center.common.security.TestClientLockoutBackend"
    if backend == "jeonju_center.common.security.PortalLockoutBackend"
    else backend
    for backend in AUTHENTICATION_BACKENDS  # noqa: F405
]
