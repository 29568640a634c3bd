from django.utils.translation import gettext as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import PartnerAPIKey


class PartnerScopePermission(BasePermission):
    """Deny by default. A view declares ``read_scope`` (GET/HEAD/OPTIONS) and ``write_scope`` (the rest);
    ``public_read = True`` opens reads to everyone. Staff sessions may use every endpoint."""

    def has_permission(self, request, view):
        if getattr(view, "action", "") is None and request.method != "OPTIONS":
            return True  # a method the resource does not have at all: let the view answer 405
        safe = request.method in SAFE_METHODS
        if safe and getattr(view, "public_read", False):
            return True
        user = request.user
        if user and user.is_authenticated and user.is_staff:
            return True
        if not isinstance(request.auth, PartnerAPIKey):
            return False  # -> 401 when unauthenticated, 403 for a signed-in citizen
        scope = getattr(view, "read_scope" if safe else "write_scope", None)
        if scope and request.auth.has_scope(scope):
            return True
        self.message = (
            _("이 API 키에는 '%(scope)s' 권한(scope)이 없습니다.") % {"scope": scope}
            if scope
            else _("이 작업은 API 키로 할 수 없습니다.")
        )
        return False
