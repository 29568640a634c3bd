from django.utils.translation import gettext as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import PartnerAPIKey

# A staff session (the browsable API) may do exactly what the same account may do in the back office: Django's
# model permissions of the resource's model, by method. The partner API is for partner keys; a team's login gets
# no more through it than through the admin.
_METHOD_PERMISSIONS = {"GET": "view", "HEAD": "view", "OPTIONS": "view", "POST": "add", "PUT": "change",
                       "PATCH": "change", "DELETE": "delete"}  # fmt: skip


def model_of_view(view):
    """The model a view reads or writes: its serializer's, for the action at hand (None if it has none)."""
    get_serializer_class = getattr(view, "get_serializer_class", None)
    try:
        serializer_class = get_serializer_class() if get_serializer_class else None
    except AssertionError:  # a view without a serializer class
        serializer_class = None
    meta = getattr(serializer_class, "Meta", None)
    return getattr(meta, "model", None)


def staff_may_use(user, method, model):
    if user.is_superuser:
        return True
    if model is None:
        return False
    action = _METHOD_PERMISSIONS.get(method.upper())
    return action is not None and user.has_perm(f"{model._meta.app_label}.{action}_{model._meta.model_name}")


class PartnerScopePermission(BasePermission):
    """Deny by default. A view declares ``read_scope`` (GET/HEAD/OPTIONS) and ``write_scope`` (the rest);
    ``public_read = True`` opens reads to everyone. Staff sessions get their back-office model permissions."""

    def has_permission(self, request, view):
        if getattr(view, "action", "") is None and request.method != "OPTIONS":
            return True  # a method the resource does not have at all: let the view answer 405
        safe = request.method in SAFE_METHODS
        if safe and getattr(view, "public_read", False):
            return True
        user = request.user
        if not isinstance(request.auth, PartnerAPIKey) and user and user.is_authenticated and user.is_staff:
            if staff_may_use(user, request.method, model_of_view(view)):
                return True
            self.message = _(
                "이 자료는 담당 팀 직원만 볼 수 있습니다. 업무 관리 화면과 같은 권한이 적용됩니다."
            )
            return False
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
