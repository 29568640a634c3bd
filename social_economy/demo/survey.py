"""The demo's surveys: the 2016 full survey of products and services, answered in every status, and this
year's survey, open on the demo's day and answered online, by phone and in a draft."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from jeonju_center.common.actors import Actor
from jeonju_center.demo.base import DEMO_ORG_MEMBER_USERNAME
from jeonju_center.demo.data import load_demo_data
from jeonju_center.demo.draws import date_between, mobile_number

from .. import services, surveys
from ..models import (
    OrganizationMember,
    Product,
    SalesChannel,
    SupportNeed,
    SurveyCampaign,
    SurveyProductItem,
    SurveyResponse,
)

DATA = load_demo_data(__package__)


def seed_2016_survey(ctx, organizations, products_by_org):
    rng, fake = ctx.rng("social_economy:survey"), ctx.faker_for("social_economy:survey")
    survey = DATA["survey_2016"]
    campaign, campaign_created = SurveyCampaign.objects.get_or_create(
        name=survey["name"],
        defaults={
            "year": survey["year"],
            "starts_on": survey["starts_on"],
            "ends_on": survey["ends_on"],
            "status": SurveyCampaign.Status.CLOSED,
            "description": survey["description"],
        },
    )
    channels = list(SalesChannel.objects.order_by("code"))
    needs = list(SupportNeed.objects.order_by("code"))
    statuses = list(SurveyResponse.Status)
    weights = [survey["status_weights"][status] for status in statuses]
    wanted = []  # (response, channels, needs, product items)
    for index, org in enumerate(organizations):
        status = statuses[index] if index < len(statuses) else rng.choices(statuses, weights=weights)[0]
        completed = status in SurveyResponse.COMPLETED_STATUSES
        surveyed_on = date_between(rng, campaign.starts_on, campaign.ends_on)
        respondent_name = fake.name()
        respondent_phone = mobile_number(rng)
        revenue = rng.randrange(10_000_000, 2_000_000_000, 1_000_000)
        employees = rng.randint(1, 45)
        chosen_channels = rng.sample(channels, rng.randint(1, 3))
        chosen_needs = rng.sample(needs, rng.randint(1, 3))
        items = []
        for product in products_by_org.get(org.pk, [])[:4]:
            sales = rng.randrange(1_000_000, 300_000_000, 100_000)
            items.append(SurveyProductItem(product=product, annual_sales=sales, unit_price=product.price))
        reached = status not in (SurveyResponse.Status.NOT_STARTED, SurveyResponse.Status.UNREACHABLE)
        response = SurveyResponse(
            campaign=campaign,
            organization=org,
            status=status,
            surveyed_on=surveyed_on if completed or status == SurveyResponse.Status.IN_PROGRESS else None,
            respondent_name=respondent_name if reached else "",
            respondent_phone=respondent_phone if reached else "",
            annual_revenue=revenue if completed else None,
            employees_count=employees if completed else None,
            notes="" if status != SurveyResponse.Status.DECLINED else survey["declined_note"],
        )
        wanted.append(
            (response, chosen_channels if completed else [], chosen_needs if completed else [], items)
        )
    existing = set(SurveyResponse.objects.filter(campaign=campaign).values_list("organization_id", flat=True))
    new = [row for row in wanted if row[0].organization_id not in existing]
    SurveyResponse.objects.bulk_create([row[0] for row in new], batch_size=500)
    ChannelLink, NeedLink = SurveyResponse.sales_channels.through, SurveyResponse.needs.through
    ChannelLink.objects.bulk_create(
        [ChannelLink(surveyresponse_id=r.pk, saleschannel_id=c.pk) for r, chans, _n, _i in new for c in chans]
    )
    NeedLink.objects.bulk_create(
        [NeedLink(surveyresponse_id=r.pk, supportneed_id=n.pk) for r, _c, ns, _i in new for n in ns]
    )
    new_items = []
    for response, _c, _n, items in new:
        if response.status in SurveyResponse.COMPLETED_STATUSES:
            for item in items:
                item.response = response
                new_items.append(item)
    SurveyProductItem.objects.bulk_create(new_items, batch_size=1000)
    return [
        f"survey campaigns: {int(campaign_created)} created, {SurveyCampaign.objects.count()} total",
        f"survey responses: {len(new)} created, {SurveyResponse.objects.count()} total",
    ]


ONLINE_SUBMISSIONS = 12
STAFF_ENTRIES = 8


def seed_online_survey(ctx):
    """This year's campaign, open today whatever the date: opened through the service (every operating
    organization gets its record, every contact its personal link), a dozen organizations answered online
    (some verified by staff, one sent back with a comment), a few answered by phone and entered by staff,
    and the demo member's organization has a draft it can finish at ``/me/organization/``."""
    survey = DATA["online_survey"]
    today = timezone.localdate()
    name = survey["name"].format(year=today.year)
    if SurveyCampaign.objects.filter(name=name).exists():
        return f"open survey campaign: 0 created ({name})"
    rng = ctx.rng("social_economy:online-survey")
    campaign = SurveyCampaign.objects.create(
        name=name,
        year=today.year,
        starts_on=today + datetime.timedelta(days=survey["starts_days_from_today"]),
        ends_on=today + datetime.timedelta(days=survey["ends_days_from_today"]),
        description=survey["description"],
    )
    services.survey_campaign_open(campaign=campaign, actor=ctx.job)
    surveys.survey_invitations_send(campaign_id=campaign.pk, actor=ctx.job)
    User = get_user_model()
    staff = User.objects.filter(is_superuser=True).order_by("pk").first()
    member = User.objects.filter(username=DEMO_ORG_MEMBER_USERNAME).first()
    member_organizations = set(
        OrganizationMember.objects.filter(status=OrganizationMember.Status.ACTIVE).values_list(
            "organization_id", flat=True
        )
    )
    channels = list(SalesChannel.objects.order_by("code").values_list("pk", flat=True))
    needs = list(SupportNeed.objects.order_by("code").values_list("pk", flat=True))
    products = {}
    for product in Product.objects.filter(organization__survey_responses__campaign=campaign, is_active=True):
        products.setdefault(product.organization_id, []).append(product)
    responses = [
        response
        for response in campaign.responses.order_by("organization__name", "pk")
        if response.organization_id in products and response.organization_id not in member_organizations
    ]
    chosen = rng.sample(responses, min(len(responses), ONLINE_SUBMISSIONS + STAFF_ENTRIES))

    def answers():
        employees = rng.randint(2, 40)
        return {
            "respondent_name": ctx.faker_for("social_economy:online-survey").name(),
            "respondent_phone": mobile_number(rng),
            "annual_revenue": rng.randrange(30_000_000, 1_500_000_000, 1_000_000),
            "employees_count": employees,
            "vulnerable_employees_count": rng.randint(0, employees),
            "sales_channels": rng.sample(channels, min(len(channels), 2)),
            "needs": rng.sample(needs, min(len(needs), 2)),
        }

    def rows(response):
        return [
            {
                "product_id": product.pk,
                "annual_sales": rng.randrange(1_000_000, 200_000_000, 100_000),
                "unit_price": product.price,
            }
            for product in products[response.organization_id][:4]
        ]

    online, by_phone = chosen[:ONLINE_SUBMISSIONS], chosen[ONLINE_SUBMISSIONS:]
    for index, response in enumerate(online):
        # Answered from the e-mailed link, without signing in.
        surveys.survey_response_open(response_id=response.pk, actor=Actor.citizen(None))
        surveys.survey_response_save(
            response_id=response.pk,
            answers=answers(),
            product_rows=rows(response),
            submit=True,
            actor=Actor.citizen(None),
        )
        if index < 4:
            surveys.survey_response_verify(response_id=response.pk, actor=staff)
        elif index == 4:
            surveys.survey_response_return(
                response_id=response.pk, comment=survey["return_comment"], actor=staff
            )
    S = SurveyResponse.Status
    for response in by_phone:
        response = services.survey_response_transition(response=response, to_status=S.CONTACTING, actor=staff)
        filled = answers()
        for field in ("respondent_name", "respondent_phone", "annual_revenue", "employees_count"):
            setattr(response, field, filled[field])
        response.vulnerable_employees_count = filled["vulnerable_employees_count"]
        services.survey_response_record(response=response, actor=staff)
        for row in rows(response):
            services.survey_product_item_save(item=SurveyProductItem(response=response, **row), actor=staff)
        services.survey_response_transition(response=response, to_status=S.SUBMITTED, actor=staff)
    # The demo member's organization has opened the form and saved a draft to finish.
    drafts = 0
    if member is not None:
        for response in campaign.responses.filter(organization_id__in=member_organizations):
            surveys.survey_response_open(response_id=response.pk, actor=member)
            surveys.survey_response_save(
                response_id=response.pk,
                answers={"respondent_name": member.name, "employees_count": survey["draft_employees_count"]},
                product_rows=rows(response) if response.organization_id in products else [],
                submit=False,
                actor=member,
            )
            drafts += 1
    return (
        f"open survey campaign: 1 created ({name}), {campaign.responses.count()} organizations invited, "
        f"{len(online)} answered online, {len(by_phone)} entered by staff, {drafts} draft"
    )
