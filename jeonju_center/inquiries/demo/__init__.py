"""Demo inquiries, made through the services with the clock of each step: every status, one overdue, one from a
visitor still waiting for the e-mail confirmation, and the demo citizen's own (one answered, one open).
What people asked and staff answered is in ``data.toml`` beside this file."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from jeonju_center.common.actors import Actor
from jeonju_center.demo.base import DEMO_CITIZEN_USERNAME
from jeonju_center.demo.data import load_demo_data
from jeonju_center.demo.steps import demo_step

from .. import services
from ..models import Inquiry

DATA = load_demo_data(__name__)


@demo_step("inquiries", after=["base"])
def seed(ctx):
    User = get_user_model()
    if Inquiry.objects.exists():
        yield f"inquiries: {Inquiry.objects.count()} kept"
        return
    staff = User.objects.filter(is_superuser=True).order_by("pk").first()
    citizen = User.objects.filter(username=DEMO_CITIZEN_USERNAME).first()
    others = list(User.objects.filter(username__startswith="citizen").order_by("username")[60:70])
    now = timezone.make_aware(datetime.datetime.combine(ctx.today, datetime.time(10, 0)))
    for number, row in enumerate(DATA["inquiries"]):
        asked_at = now + datetime.timedelta(days=row["days_from_today"])
        asker = citizen if number < 2 else (others[number] if len(others) > number else citizen)
        inquiry = services.inquiry_submit(
            team=row["team"], subject=row["subject"], question=row["question"], agreed=True, actor=asker,
            now=asked_at,
        )  # fmt: skip
        if row["handled"] in ("assigned", "answered"):
            services.inquiry_assign(
                inquiry_id=inquiry.pk, assignee=staff, actor=staff, now=asked_at + datetime.timedelta(hours=3)
            )
        if row["handled"] == "answered":
            services.inquiry_answer(
                inquiry_id=inquiry.pk,
                answer=row["answer"],
                actor=staff,
                now=asked_at + datetime.timedelta(days=2),
            )
            services.inquiry_note(inquiry_id=inquiry.pk, note=row["note"], actor=staff)
    visitor = DATA["visitor"]
    services.inquiry_submit(
        team=visitor["team"],
        subject=visitor["subject"],
        question=visitor["question"],
        agreed=True,
        actor=Actor.citizen(None),  # a visitor without an account
        name=visitor["name"],
        email=visitor["email"],
        now=now + datetime.timedelta(hours=visitor["hours_from_now"]),
    )
    yield f"inquiries: {Inquiry.objects.count()} created"
