"""What needs the 사회적경제팀's attention today in the social-economy program (the back-office home).

Five queries whatever the data: the campaigns in progress with their counts, the two kinds of
certification expiry, the consulting requests and the profile changes waiting for review. Each link opens the admin list filtered to exactly the counted rows.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jeonju_center.common.dashboard import DashboardItem, dashboard_panel
from jeonju_center.common.teams import SOCIAL_ECONOMY_TEAM

from . import selectors, services
from .models import ConsultingCase, Organization, SurveyResponse

# A campaign this close to its end with organizations still missing needs reminders now.
SURVEY_ENDING_WARNING_DAYS = 14


def _survey_items(today):
    responses_url = reverse("admin:social_economy_surveyresponse_changelist")
    completed = ",".join(SurveyResponse.COMPLETED_STATUSES)
    pending = ",".join(SurveyResponse.REMINDABLE_STATUSES)
    items = []
    for campaign in selectors.survey_campaigns_in_progress():
        total = campaign.response_count
        percent = round(campaign.completed_count * 100 / total) if total else 0
        items.append(
            DashboardItem(
                label=_("%(campaign)s 응답 접수 (제출·검증)") % {"campaign": campaign.name},
                count=campaign.completed_count,
                url=f"{responses_url}?campaign__id__exact={campaign.pk}&status__in={completed}",
                model="social_economy.surveyresponse",
                detail=_(
                    "조사 대상 %(total)d곳 중 %(percent)d%% · 온라인 %(online)d곳, 직원 입력 %(staff)d곳"
                )
                % {
                    "total": total,
                    "percent": percent,
                    "online": campaign.online_count,
                    "staff": campaign.completed_count - campaign.online_count,
                },
            )
        )
        items.append(
            DashboardItem(
                label=_("%(campaign)s 검토할 응답 (제출)") % {"campaign": campaign.name},
                count=campaign.to_review_count,
                url=f"{responses_url}?campaign__id__exact={campaign.pk}&status__exact={SurveyResponse.Status.SUBMITTED}",
                model="social_economy.surveyresponse",
                level="warning",
            )
        )
        days_left = (campaign.ends_on - today).days
        items.append(
            DashboardItem(
                label=_("%(campaign)s 미제출 조직 (독려 대상)") % {"campaign": campaign.name},
                count=campaign.pending_count,
                url=f"{responses_url}?campaign__id__exact={campaign.pk}&status__in={pending}",
                model="social_economy.surveyresponse",
                level="warning"
                if campaign.pending_count and days_left <= SURVEY_ENDING_WARNING_DAYS
                else "info",
                detail=_("조사 종료 %(date)s, 독려 메일 %(round)d차까지 발송")
                % {"date": f"{campaign.ends_on:%Y-%m-%d}", "round": campaign.reminder_round},
            )
        )
    return items


@dashboard_panel("social_economy", team=SOCIAL_ECONOMY_TEAM, title=gettext_lazy("사회적경제 지원"), order=200)
def social_economy_items(*, today):
    items = _survey_items(today)
    organizations_url = reverse("admin:social_economy_organization_changelist")
    expiry = {
        which: selectors.certification_expiry_filter(
            Organization.objects.all(), today=today, which=which, within_days=services.EXPIRY_WARNING_DAYS
        ).count()
        for which in ("soon", "expired")
    }
    items.append(
        DashboardItem(
            label=_("인증·지정 만료 예정 조직 (%(days)d일 이내)") % {"days": services.EXPIRY_WARNING_DAYS},
            count=expiry["soon"],
            url=f"{organizations_url}?expiry=soon",
            model="social_economy.organization",
            level="warning",
        )
    )
    items.append(
        DashboardItem(
            label=_("인증·지정이 만료된 채 운영 중인 조직"),
            count=expiry["expired"],
            url=f"{organizations_url}?expiry=expired",
            model="social_economy.organization",
            level="warning",
        )
    )
    items.append(
        DashboardItem(
            label=_("답변을 기다리는 컨설팅 요청 (접수)"),
            count=ConsultingCase.objects.filter(status=ConsultingCase.Status.REQUESTED).count(),
            url=reverse("admin:social_economy_consultingcase_changelist")
            + f"?status__exact={ConsultingCase.Status.REQUESTED}",
            model="social_economy.consultingcase",
            level="warning",
        )
    )
    items.append(
        DashboardItem(
            label=_("검토를 기다리는 조직 정보 변경"),
            count=selectors.profile_changes_pending().count(),
            url=reverse("admin:social_economy_profilechange_changelist") + "?state=pending",
            model="social_economy.profilechange",
            level="warning",
        )
    )
    return items
