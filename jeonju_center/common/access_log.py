"""The monthly review of the personal-data access log by a center administrator: the month's figures per
staff member and the accesses worth a closer look (exports, large unmasked reads, night and weekend use)."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AccessLogReview, PersonalDataAccess

# An unmasked read of more records than this in one go is listed for review.
LARGE_ACCESS_RECORDS = 100
# A staff member who reached more records than this in one day (all accesses together) is listed too:
# many small reads add up to a bulk collection as surely as one large export.
HEAVY_DAY_RECORDS = 500
WORKING_HOURS = range(8, 20)


def access_log_month_to_review(today):
    """The month a review done ``today`` covers: the previous calendar month."""
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def month_bounds(month_start):
    tz = ZoneInfo(settings.TIME_ZONE)
    next_month = (month_start + datetime.timedelta(days=32)).replace(day=1)
    start = datetime.datetime.combine(month_start, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(next_month, datetime.time.min, tzinfo=tz)
    return start, end


def _is_unusual_time(moment):
    local = timezone.localtime(moment)
    return local.weekday() >= 5 or local.hour not in WORKING_HOURS


def monthly_access_report(month_start):
    """Figures for one month of the access log (three queries whatever the number of rows)."""
    start, end = month_bounds(month_start)
    month = PersonalDataAccess.objects.filter(accessed_at__gte=start, accessed_at__lt=end)
    per_staff = list(
        month.values("staff_username")
        .annotate(
            accesses=Count("id"),
            records=Sum("record_count"),
            views=Count("id", filter=Q(action=PersonalDataAccess.Action.VIEW)),
            searches=Count("id", filter=Q(action=PersonalDataAccess.Action.SEARCH)),
            exports=Count("id", filter=Q(action=PersonalDataAccess.Action.EXPORT)),
        )
        .order_by("-records", "staff_username")
    )
    candidates = month.filter(
        Q(action=PersonalDataAccess.Action.EXPORT, masked=False)
        | Q(record_count__gt=LARGE_ACCESS_RECORDS, masked=False)
        | ~Q(accessed_at__week_day__in=[2, 3, 4, 5, 6])
        | ~Q(accessed_at__hour__in=list(WORKING_HOURS))
    ).order_by("accessed_at")
    flagged = []
    for access in candidates:
        reasons = []
        if access.action == PersonalDataAccess.Action.EXPORT and not access.masked:
            reasons.append(_("개인정보 포함 내보내기"))
        if access.record_count > LARGE_ACCESS_RECORDS and not access.masked:
            reasons.append(_("대량 열람"))
        if _is_unusual_time(access.accessed_at):
            reasons.append(_("업무 시간 외"))
        if reasons:
            flagged.append({"access": access, "reasons": reasons})
    heavy_days = list(
        month.annotate(day=TruncDate("accessed_at", tzinfo=ZoneInfo(settings.TIME_ZONE)))
        .values("staff_username", "day")
        .annotate(records=Sum("record_count"), accesses=Count("id"))
        .filter(records__gt=HEAVY_DAY_RECORDS)
        .order_by("day", "staff_username")
    )
    return {
        "total": sum(row["accesses"] for row in per_staff),
        "per_staff": per_staff,
        "flagged": flagged,
        "heavy_days": heavy_days,
        "heavy_day_records": HEAVY_DAY_RECORDS,
    }


def access_log_report_send(*, today=None):
    """E-mail the access-log reviewers (개인정보 보호책임자) last month's figures with a link to the review page;
    once per month whatever the retries. Returns the outbox row, or None when nobody is there to read it."""
    from django.template.loader import render_to_string
    from django.urls import reverse

    from .outbox import outbox_enqueue
    from .teams import ACCESS_LOG_REVIEWERS, team_emails

    today = today or timezone.localdate()
    month_start = access_log_month_to_review(today)
    recipients = team_emails(ACCESS_LOG_REVIEWERS)
    if not recipients:
        return None
    report = monthly_access_report(month_start)
    review_path = reverse(
        "admin:common_personaldataaccess_review_month",
        kwargs={"year": month_start.year, "month": month_start.month},
    )
    body = render_to_string(
        "common/email/access_log_report.txt",
        {
            "month_start": month_start,
            "report": report,
            "review_url": f"{settings.PORTAL_URL}{review_path}",
            "reviewed": AccessLogReview.objects.filter(month=month_start).exists(),
        },
    )
    return outbox_enqueue(
        dedup_key=f"access-log-report:{month_start:%Y-%m}",
        to=recipients,
        subject=_("[전주도시혁신센터] %(month)s 개인정보 접근 기록 점검 요청")
        % {"month": f"{month_start:%Y-%m}"},
        body=body,
    )


def access_log_review_record(*, month, reviewed_by, findings=""):
    """Record that ``reviewed_by`` checked ``month`` of the access log; a month is reviewed once."""
    start, end = month_bounds(month)
    count = PersonalDataAccess.objects.filter(accessed_at__gte=start, accessed_at__lt=end).count()
    try:
        with transaction.atomic():
            return AccessLogReview.objects.create(
                month=month, reviewed_by=reviewed_by, record_count=count, findings=findings
            )
    except IntegrityError as error:
        raise ValidationError(_("%(month)s은 이미 점검했습니다.") % {"month": f"{month:%Y-%m}"}) from error
