"""The back office's admin site: Django's, with the list of apps and models built once per role.

Every back-office page carries that list (the navigation sidebar, the index). Django builds it per page by
asking each of the ~100 model admins for its permissions, reversing two URLs per model and sorting ~100
translated names, then draws it as ~100 table rows: 11 ms and 12 ms of a 63 ms changelist (measured at 100×
data). What it holds depends only on the viewer's permissions (every ``has_*_permission`` of the portal's
admins is a function of them), the language and the URLconf, and the sidebar also on the page's path (it
marks the current model), so both are kept per process under those. They only ever show links: each view
still checks its own permission.
"""

import threading
from collections import OrderedDict

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language


class Kept:
    """What was built under a key, the least recently used dropped beyond ``size`` (threads share it)."""

    def __init__(self, size):
        self.size = size
        self._items = OrderedDict()
        self._lock = threading.Lock()

    def get_or_build(self, key, build):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = build()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self):
        with self._lock:
            self._items.clear()


class PortalAdminSite(admin.AdminSite):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._app_lists = Kept(size=64)  # roles × languages
        self._sidebars = Kept(size=128)  # … × page paths (~30 KB each)

    def get_app_list(self, request, app_label=None):
        app_list = self._app_lists.get_or_build(
            _role_key(request, app_label),
            lambda: super(PortalAdminSite, self).get_app_list(request, app_label),
        )
        # A copy per page: a caller may change its dicts (Django's own templates do not).
        return [{**app, "models": [dict(model) for model in app["models"]]} for app in app_list]

    def sidebar_app_list_html(self, request, draw):
        """The navigation sidebar's list of apps, as ``draw()`` renders it, kept per role and page path."""
        return self._sidebars.get_or_build((_role_key(request, None), request.path), draw)

    def register(self, *args, **kwargs):
        self.forget_app_lists()
        return super().register(*args, **kwargs)

    def unregister(self, *args, **kwargs):
        self.forget_app_lists()
        return super().unregister(*args, **kwargs)

    def forget_app_lists(self):
        self._app_lists.clear()
        self._sidebars.clear()


def _role_key(request, app_label):
    user = request.user
    if user.is_active and user.is_superuser:
        permissions = "superuser"  # has every permission, whatever the table says
    else:
        permissions = frozenset(user.get_all_permissions()) if user.is_active else frozenset()
    return (
        permissions,
        user.is_active,
        user.is_staff,
        app_label,
        get_language(),
        get_script_prefix(),
        get_urlconf(),
    )


@receiver(setting_changed)
def _forget_app_lists(**kwargs):
    # Tests change the language, the URLconf or the admin's address.
    admin.site.forget_app_lists()


class PortalAdminConfig(AdminConfig):
    default_site = "jeonju_center.common.admin_site.PortalAdminSite"
