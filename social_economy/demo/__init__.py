"""Demo data of the social economy app: ~300 organizations of every type and sector, their products,
the 2016 full survey and this year's, the pilot store and Jeonju Food direct stores, consulting, networks and
the demo member's activity (the rows and texts are in ``data.toml`` beside this file).

Every random value is drawn, in a fixed order, for every row whether it exists or not, so the data are
the same on every run; rows are keyed on natural keys, so a second run creates nothing.
"""

from jeonju_center.demo.steps import demo_step

from ..reference import load_social_economy_lookups
from . import member_activity, organizations, support, survey


@demo_step("social_economy", after=["base"])
def seed(ctx):
    summary = [load_social_economy_lookups()]
    orgs, line = organizations.seed_organizations(ctx)
    summary.append(line)
    products_by_org, line = organizations.seed_products(ctx, orgs)
    summary.append(line)
    summary += survey.seed_2016_survey(ctx, orgs, products_by_org)
    summary += support.seed_stores(ctx, products_by_org)
    summary += support.seed_consulting(ctx, orgs)
    summary += organizations.seed_networks(ctx, orgs)
    summary.append(member_activity.seed_members())
    summary.append(survey.seed_online_survey(ctx))
    summary.append(member_activity.seed_profile_changes())
    return summary
