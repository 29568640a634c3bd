import re

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_page
from django.views.static import serve as static_serve

from jeonju_center.accounts import views as account_views
from jeonju_center.common import two_factor
from jeonju_center.common import views as common_views
from jeonju_center.sitemaps import all_sitemaps

admin.site.site_header = _("전주도시혁신센터 관리")
admin.site.site_title = _("전주도시혁신센터")
admin.site.index_title = _("업무 관리")

urlpatterns = [
    # The API and the back office first: every request walks this list until a pattern matches, and these
    # take most requests (no other pattern starts with their prefixes).
    path("api/v1/", include(("jeonju_center.api.urls", "api"), namespace="api")),
    # Configurable (ADMIN_URL); code and templates find it with reverse("admin:index").
    path(
        f"{settings.ADMIN_URL}two-factor/",
        admin.site.admin_view(two_factor.setup_view),
        name="two_factor_setup",
    ),
    path(
        f"{settings.ADMIN_URL}two-factor/verify/",
        admin.site.admin_view(two_factor.verify_view),
        name="two_factor_verify",
    ),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("jeonju_center.news.urls")),  # home page, /news/, newsletter
    path("healthz", common_views.healthz, name="healthz"),
    path("sitemap.xml", cache_page(3600)(sitemap_view), {"sitemaps": all_sitemaps()}, name="sitemap"),
    path("robots.txt", common_views.robots_txt, name="robots_txt"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("terms/", account_views.terms_of_use, name="terms"),
    path("privacy/", account_views.privacy_policy, name="privacy"),
    path("accounts/", include("jeonju_center.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("courses.urls")),  # /courses/… and /me/
    path("", include("calls.urls")),  # /calls/… and /me/applications/
    path("", include("jeonju_center.inquiries.urls")),  # /inquiries/… and /me/inquiries/
    path("", include("spaces.urls")),  # /spaces/… and /me/bookings/
    path("", include("jeonju_center.search.urls")),  # /search/?q=
    path("social-economy/", include("social_economy.urls")),
    path("", include("social_economy.me_urls")),  # /me/organization/
    path("ondure/", include("ondure.urls")),
    path("", include("ondure.me_urls")),  # /me/community/
    path("regeneration/", include("regeneration.urls")),
]


def public_media_urlpatterns():
    """Development only: runserver serves the public upload folders, as nginx does in production — never the
    private ones (owner consents, evidence), which only the portal's permission-checked views hand out."""
    folders = "|".join(re.escape(folder) for folder in settings.PUBLIC_MEDIA_FOLDERS)
    prefix = re.escape(settings.MEDIA_URL.lstrip("/"))
    return [
        re_path(
            rf"^{prefix}(?P<path>(?:{folders})/(?!.*\.\.).+)$",
            static_serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]


if settings.DEBUG:
    urlpatterns += public_media_urlpatterns()

handler404 = "jeonju_center.common.views.page_not_found"
handler500 = "jeonju_center.common.views.server_error"
