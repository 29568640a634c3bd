"""The change history every social-economy model keeps, and whom it records as the author of a change."""

from simple_history.models import HistoricalRecords

# Every model keeps its change history (who, when, what, why). Personal fields are excluded on purpose:
# history tables must not keep copies of the personal data that the retention job has to erase.


def history_staff_user(request=None, **kwargs):
    """The account recorded as the author of a change. Partner centers write consulting through the API
    with an API key (a ``PartnerPrincipal``, not an account), so their changes are recorded without one
    rather than failing the request."""
    from django.contrib.auth import get_user_model

    user = getattr(request, "user", None)
    return user if isinstance(user, get_user_model()) else None


def _history(**options):
    return HistoricalRecords(get_user=history_staff_user, **options)
