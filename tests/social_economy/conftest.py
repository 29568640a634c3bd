"""Fixtures every social-economy test module shares."""

import pytest

from jeonju_center.common.teams import SOCIAL_ECONOMY_TEAM, load_team_groups
from tests.staff import staff_user


@pytest.fixture
def officer(db):
    """A member of the social-economy team (its group's permissions, an address the team's e-mails go to)."""
    load_team_groups()
    return staff_user("officer", SOCIAL_ECONOMY_TEAM, name="박직원", email="officer@jjuic.example")
