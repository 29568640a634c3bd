"""What a web process would otherwise do on its first requests, done once when the WSGI application loads.

Under gunicorn's ``preload_app`` (deploy/gunicorn.conf.py) this runs in the master, before the workers are
forked: each worker, at start and whenever one replaces another (``max_requests``), serves its first request
as fast as its thousandth, and the workers share the memory it filled. Left to the first requests, it cost a
fresh worker some 900 ms on its first enrolment POST (the URLconf's 336 modules and its reverse table, the
iCalendar time zone, Celery's task registry), paid by five workers at once when a course opened at 10:00.

Nothing here opens a connection (database, cache, broker): a socket opened before the fork would be shared
by every worker. Apps add their own work with a ``warm_up()`` method on their ``AppConfig``.
"""

import gc

from django.apps import apps
from django.conf import settings
from django.urls import get_resolver
from django.urls.resolvers import get_ns_resolver
from django.utils import timezone, translation


def warm_up():
    resolver = get_resolver()
    for code in dict.fromkeys([settings.LANGUAGE_CODE, *(code for code, _name in settings.LANGUAGES)]):
        with translation.override(code):
            translation.gettext("")  # the language's catalogues, merged from every app
            # The table reverse() reads is built per language: the first builds import every view module.
            resolver.reverse_dict  # noqa: B018
            _populate_namespaces(resolver)
    timezone.get_default_timezone()
    _celery_tasks()
    for config in apps.get_app_configs():
        hook = getattr(config, "warm_up", None)
        if hook is not None:
            hook()
    # What is loaded now lives as long as the process: out of the collector's sight, a full collection in a
    # worker walks only what requests made (not Django's, the apps' and the URLconf's objects), and a forked
    # worker's reference counts no longer copy the master's pages on the first collection.
    gc.freeze()


def _populate_namespaces(resolver, ns_pattern="", converters=()):
    """The reverse tables of every namespace (``admin:``, ``courses:``…), as ``reverse()`` builds them on first
    use: for a namespaced name it reverses through ``get_ns_resolver(pattern, …)``, a resolver of its own,
    cached per namespace, whose table (the admin's: every registered model) is built on its first call."""
    for extra, sub_resolver in resolver.namespace_dict.values():
        pattern = ns_pattern + extra
        sub_converters = {**dict(converters), **sub_resolver.pattern.converters}
        get_ns_resolver(pattern, sub_resolver, tuple(sub_converters.items())).reverse_dict  # noqa: B018
        _populate_namespaces(sub_resolver, pattern, tuple(sub_converters.items()))


def _celery_tasks():
    """The project's Celery app with its tasks registered and its producer's classes imported (no broker
    connection: that is opened by the first task a worker sends)."""
    from jeonju_center.celery import app

    app.finalize(auto=True)
    app.amqp  # noqa: B018
    app.connection_for_write()  # a Connection object; it connects only when used
    app.backend  # noqa: B018  (the result backend's object, as each task sent builds its AsyncResult)
