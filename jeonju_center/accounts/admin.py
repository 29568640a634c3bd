import json

from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.admin_mixins import PersonalDataAdminMixin, ReadOnlyAdminMixin, ServiceAdminMixin
from jeonju_center.common.models import PersonalDataAccess
from jeonju_center.common.personal_data import record_personal_data_access
from jeonju_center.common.teams import PRIVILEGED_GROUPS

from .models import ConsentRecord, MessageSubscription, PhoneVerification, User
from .services import account_save

# What decides what an account may see and do. Only a superuser grants superuser or staff status, individual
# permissions or the privileged groups (개인정보 열람, 접근기록 점검); nobody changes their own rights, so no one
# widens their access unseen: another administrator does it, and it is logged.
RIGHTS_FIELDS = ("is_superuser", "is_staff", "user_permissions", "groups")
SUPERUSER_ONLY_FIELDS = ("is_superuser", "is_staff", "user_permissions")


@admin.register(User)
class UserAdmin(ServiceAdminMixin, PersonalDataAdminMixin, DjangoUserAdmin):
    personal_data_kind = _("회원 정보")
    list_display = ["username", "name", "email", "dong", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    list_select_related = ["dong"]
    search_fields = ["username", "name", "email"]
    autocomplete_fields = ["dong"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("개인정보"), {"fields": ["name", "email", "phone", "phone_verified_at", "dong"]}),
        (_("권한"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("주요 일시"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "name", "email", "password1", "password2"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Only the person proves a number (with the code sent to it); staff cannot mark one verified.
        readonly = [*super().get_readonly_fields(request, obj), "phone_verified_at"]
        if obj is not None and obj.pk == request.user.pk:
            readonly += [field for field in RIGHTS_FIELDS if field not in readonly]
        elif not request.user.is_superuser:
            readonly += [field for field in SUPERUSER_ONLY_FIELDS if field not in readonly]
        return readonly

    def has_change_permission(self, request, obj=None):
        # A superuser's account (its password included) is a superuser's to change: otherwise resetting it
        # would hand its rights to whoever did.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.exclude(name__in=PRIVILEGED_GROUPS)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # On the request, not on this admin: one ModelAdmin serves every request of every thread.
        request._rights_before = _rights_of(obj.pk) if change else None
        super().save_model(request, obj, form, change)

    def save_through_service(self, request, obj, form, change):
        account_save(account=obj, actor=request.user)

    def save_related(self, request, form, formsets, change):
        user = form.instance
        before = getattr(request, "_rights_before", None)
        super().save_related(request, form, formsets, change)
        if before is not None and not request.user.is_superuser:
            # The form never offered the privileged groups: memberships it could not show stay as they were.
            kept = Group.objects.filter(name__in=set(before["groups"]) & set(PRIVILEGED_GROUPS))
            user.groups.add(*kept)
        after = _rights_of(user.pk)
        changes = _describe_rights_change(before, after)
        request._rights_changes = changes
        if changes:
            record_personal_data_access(
                request,
                action=PersonalDataAccess.Action.RIGHTS,
                model=User,
                object_ids=[user.pk],
                fields=[name for name in RIGHTS_FIELDS if (before or {}).get(name) != after[name]],
                reason="; ".join(changes),
                data_kind=gettext("계정 권한"),
            )
            messages.info(
                request,
                gettext("권한 변경이 접근 기록에 남았습니다: %(changes)s") % {"changes": "; ".join(changes)},
            )

    def construct_change_message(self, request, form, formsets, add=False):
        """The account's admin history names the rights that changed, not only "groups were changed"."""
        message = super().construct_change_message(request, form, formsets, add)
        changes = getattr(request, "_rights_changes", None)
        if not changes:
            return message
        described = LogEntry(change_message=json.dumps(message)).get_change_message()
        return gettext("%(changes)s — 권한 변경: %(rights)s") % {
            "changes": described,
            "rights": "; ".join(changes),
        }


def _rights_of(user_id):
    user = User.objects.filter(pk=user_id).prefetch_related("groups", "user_permissions").first()
    if user is None:
        return None
    return {
        "is_superuser": user.is_superuser,
        "is_staff": user.is_staff,
        "groups": sorted(group.name for group in user.groups.all()),
        "user_permissions": sorted(
            f"{p.content_type.app_label}.{p.codename}"
            for p in user.user_permissions.select_related("content_type")
        ),
    }


def _describe_rights_change(before, after):
    """Korean lines naming what changed, e.g. "그룹 추가: 개인정보 열람"."""
    before = before or {"is_superuser": False, "is_staff": False, "groups": [], "user_permissions": []}
    lines = []
    for flag, label in (("is_superuser", gettext("최고 관리자")), ("is_staff", gettext("직원"))):
        if before[flag] != after[flag]:
            lines.append(f"{label}: {gettext('예') if after[flag] else gettext('아니요')}")
    for key, added_label, removed_label in (
        ("groups", gettext("그룹 추가"), gettext("그룹 제외")),
        ("user_permissions", gettext("권한 추가"), gettext("권한 제외")),
    ):
        added = sorted(set(after[key]) - set(before[key]))
        removed = sorted(set(before[key]) - set(after[key]))
        if added:
            lines.append(f"{added_label}: {', '.join(added)}")
        if removed:
            lines.append(f"{removed_label}: {', '.join(removed)}")
    return lines


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    """Each group's permissions are set in code (``jeonju_center/common/teams.py``, applied by
    ``load_reference_data``) and reviewed there: in the back office only a superuser may change them, or a
    center administrator could give their own group unmasked personal data."""

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdminMixin, PersonalDataAdminMixin, admin.ModelAdmin):
    """Consents are the person's evidence: given and withdrawn by the person (or erased with the account),
    never edited by staff."""

    list_display = ["user", "item", "version", "agreed_at", "withdrawn_at"]
    list_filter = ["item", "version"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email"]
    date_hierarchy = "agreed_at"


@admin.register(MessageSubscription)
class MessageSubscriptionAdmin(ReadOnlyAdminMixin, PersonalDataAdminMixin, admin.ModelAdmin):
    list_display = ["user", "event", "created_at"]
    list_filter = ["event"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email"]


@admin.register(PhoneVerification)
class PhoneVerificationAdmin(ReadOnlyAdminMixin, PersonalDataAdminMixin, admin.ModelAdmin):
    personal_data_kind = _("휴대전화 인증")
    list_display = ["user", "phone", "created_at", "expires_at", "failed_attempts", "verified_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email"]
    date_hierarchy = "created_at"
    exclude = ["code_hash"]
