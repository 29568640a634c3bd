"""Staff accounts for tests: one helper instead of one per module (the ``teams`` fixture of
``tests/conftest.py`` loads the groups they join)."""

from django.contrib.auth.models import Group

from jeonju_center.accounts.models import User

STAFF_PASSWORD = "pw-123456789"


def staff_user(username="staff", *groups, **fields):
    """A staff account (display name = ``username`` unless given) in the named groups (teams)."""
    fields.setdefault("name", username)
    user = User.objects.create_user(username=username, password=STAFF_PASSWORD, is_staff=True, **fields)
    user.groups.set(Group.objects.filter(name__in=groups))
    return user
