"""The center's staff teams (one Django group each). Issue-level permissions are assigned per group;
team e-mails (monthly reports, alerts) go to the active staff members of the team's group."""

from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from .reference import reference_loader

REGENERATION_TEAM = "도시재생팀"
SOCIAL_ECONOMY_TEAM = "사회적경제팀"  # social economy and Ondure communities
EDUCATION_TEAM = "교육팀"  # citizen courses
CENTER_ADMINS = "센터 관리자"
PERSONAL_DATA_VIEWERS = "개인정보 열람"

TEAMS = {
    REGENERATION_TEAM: _("도시재생팀"),
    SOCIAL_ECONOMY_TEAM: _("사회적경제팀"),
    EDUCATION_TEAM: _("교육팀"),
    CENTER_ADMINS: _("센터 관리자"),
    PERSONAL_DATA_VIEWERS: _("개인정보 열람"),
}


def team_emails(team):
    """E-mail addresses of the active staff members of ``team`` (plus center admins as a fallback)."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")
    emails = list(users.filter(groups__name=team).values_list("email", flat=True).distinct())
    if not emails:
        emails = list(users.filter(groups__name=CENTER_ADMINS).values_list("email", flat=True).distinct())
    return sorted(emails)


@reference_loader
def load_team_groups():
    created = [name for name in TEAMS if Group.objects.get_or_create(name=name)[1]]
    return f"team groups: {len(created)} created"
