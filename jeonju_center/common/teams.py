"""The center's staff teams (one Django group each) and what each may do in the back office.

Least privilege: a team gets the permissions of its own apps' models and read access to the few shared
look-ups its screens need; 센터 관리자 gets everything but the right to see unmasked personal data, which is
the separate 개인정보 열람 group. ``load_reference_data`` sets each group's permissions to exactly this list
(change it here, in code review, rather than in the admin). Team e-mails (monthly reports, alerts) go to
the active staff members of the team's group.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

REGENERATION_TEAM = "도시재생팀"
SOCIAL_ECONOMY_TEAM = "사회적경제팀"  # social economy and Ondure communities
EDUCATION_TEAM = "교육팀"  # citizen courses
CENTER_ADMINS = "센터 관리자"
PERSONAL_DATA_VIEWERS = "개인정보 열람"
# Reviews the access log monthly. Kept apart from 개인정보 열람 and 센터 관리자: whoever unmasks personal data must
# not also sign off the log of that unmasking (separation of duties, 안전성 확보조치 기준 제8조).
ACCESS_LOG_REVIEWERS = "접근기록 점검"
# Groups that only a superuser may grant or withdraw (see jeonju_center/accounts/admin.py).
PRIVILEGED_GROUPS = (PERSONAL_DATA_VIEWERS, ACCESS_LOG_REVIEWERS)

TEAMS = {
    REGENERATION_TEAM: _("도시재생팀"),
    SOCIAL_ECONOMY_TEAM: _("사회적경제팀"),
    EDUCATION_TEAM: _("교육팀"),
    CENTER_ADMINS: _("센터 관리자"),
    PERSONAL_DATA_VIEWERS: _("개인정보 열람"),
    ACCESS_LOG_REVIEWERS: _("접근기록 점검"),
}


# The apps whose models each team keeps (all permissions on them, their history included).
TEAM_APPS = {
    # Calls (모집·공모) are run by the team of their program; each call names its team, and only that team
    # sees its applications.
    # Every team answers the inquiries addressed to it (the inbox shows each team its own).
    # Space booking: the center's rooms are the center admins', the community spaces in renovated houses
    # the regeneration team's.
    REGENERATION_TEAM: ("regeneration", "calls", "inquiries", "spaces"),
    SOCIAL_ECONOMY_TEAM: ("social_economy", "ondure", "calls", "inquiries"),
    EDUCATION_TEAM: ("courses", "inquiries"),
}

# Read-only look-ups a team's screens use from elsewhere (autocomplete fields, filters).
TEAM_EXTRA_PERMISSIONS = {
    REGENERATION_TEAM: ("common.view_dong",),
    SOCIAL_ECONOMY_TEAM: ("common.view_dong", "partners.view_partnercenter"),
    EDUCATION_TEAM: ("common.view_dong", "accounts.view_user"),
}

# 센터 관리자: every app of the portal, staff accounts and groups, login lockouts.
CENTER_ADMIN_APPS = (
    "regeneration",
    "social_economy",
    "ondure",
    "courses",
    "calls",  # calls themselves; applicants' data stays with the call's own team
    "news",
    "inquiries",
    "spaces",
    "common",
    "partners",
    "accounts",
    "auth",
    "axes",
    "rest_framework_api_key",
)

PERSONAL_DATA_PERMISSION = ("common", "view_personal_data")
ACCESS_LOG_REVIEW_PERMISSIONS = ("common.view_personaldataaccess", "common.review_access_log")


def _permissions(*, apps=(), codes=()):
    query = Q(pk__in=[])
    if apps:
        query |= Q(content_type__app_label__in=apps)
    for code in codes:
        app_label, codename = code.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(query)


def team_permissions(team):
    """The permissions the group ``team`` must have, as a queryset."""
    if team == PERSONAL_DATA_VIEWERS:
        return _permissions(codes=[".".join(PERSONAL_DATA_PERMISSION)])
    if team == ACCESS_LOG_REVIEWERS:
        return _permissions(codes=ACCESS_LOG_REVIEW_PERMISSIONS)
    if team == CENTER_ADMINS:
        # Everything except unmasking personal data and signing off the access log; the log itself is view-only
        # by design.
        return _permissions(apps=CENTER_ADMIN_APPS).exclude(
            content_type__app_label="common", codename__in=[PERSONAL_DATA_PERMISSION[1], "review_access_log"]
        )
    return _permissions(apps=TEAM_APPS[team], codes=TEAM_EXTRA_PERMISSIONS.get(team, ()))


def team_emails(team):
    """E-mail addresses of the active staff members of ``team`` (plus center admins as a fallback)."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")
    emails = list(users.filter(groups__name=team).values_list("email", flat=True).distinct())
    if not emails:
        emails = list(users.filter(groups__name=CENTER_ADMINS).values_list("email", flat=True).distinct())
    return sorted(emails)


def load_team_groups():
    """Create the team groups and set each one's permissions to exactly what ``team_permissions`` says."""
    created = 0
    for name in TEAMS:
        group, was_created = Group.objects.get_or_create(name=name)
        created += was_created
        group.permissions.set(team_permissions(name))
    return f"team groups: {created} created, permissions set for {len(TEAMS)}"
