"""The center administrators' panel for news and the newsletter: what waits for publication or sending."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jeonju_center.common.dashboard import DashboardItem, dashboard_panel
from jeonju_center.common.teams import CENTER_ADMINS

from . import selectors
from .models import NewsletterIssue, NewsPost, Subscriber


@dashboard_panel("news", team=CENTER_ADMINS, title=gettext_lazy("소식·뉴스레터"), order=500)
def news_items(*, today):
    now = timezone.now()
    posts = NewsPost.objects.aggregate(
        drafts=Count("pk", filter=Q(status=NewsPost.Status.DRAFT)),
        scheduled=Count("pk", filter=selectors.scheduled_news_q(now)),
    )
    issues = NewsletterIssue.objects.aggregate(
        drafts=Count("pk", filter=Q(status=NewsletterIssue.Status.DRAFT)),
        sending=Count("pk", filter=Q(status=NewsletterIssue.Status.SENDING)),
    )
    pending = Subscriber.objects.filter(status=Subscriber.Status.PENDING).count()
    posts_url = reverse("admin:news_newspost_changelist")
    issues_url = reverse("admin:news_newsletterissue_changelist")
    return [
        DashboardItem(
            label=_("게시를 기다리는 임시 저장 소식"),
            count=posts["drafts"],
            url=f"{posts_url}?status__exact={NewsPost.Status.DRAFT}",
            model="news.newspost",
        ),
        DashboardItem(
            label=_("예약 게시된 소식"),
            count=posts["scheduled"],
            url=f"{posts_url}?visibility=scheduled",
            model="news.newspost",
        ),
        DashboardItem(
            label=_("작성 중인 뉴스레터"),
            count=issues["drafts"],
            url=f"{issues_url}?status__exact={NewsletterIssue.Status.DRAFT}",
            model="news.newsletterissue",
        ),
        DashboardItem(
            label=_("발송 중인 뉴스레터"),
            count=issues["sending"],
            url=f"{issues_url}?status__exact={NewsletterIssue.Status.SENDING}",
            model="news.newsletterissue",
            level="warning",
            detail=_("발송이 오래 멈춰 있으면 발송 현황을 확인하세요."),
        ),
        DashboardItem(
            label=_("구독 확인을 기다리는 신청"),
            count=pending,
            url=f"{reverse('admin:news_subscriber_changelist')}?status__exact={Subscriber.Status.PENDING}",
            model="news.subscriber",
        ),
    ]
