import factory

from jeonju_center.partners.models import PartnerCenter
from jeonju_center.partners.services import partner_key_create
from tests.actors import TEST_JOB


class PartnerCenterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerCenter
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"협력센터 {n}")
    kind = PartnerCenter.Kind.PROVINCIAL_SOCIAL_ECONOMY


def make_key(*scopes, partner=None, **kwargs):
    """A partner key with ``scopes``; returns ``(key_object, raw_key)``."""
    return partner_key_create(
        partner=partner or PartnerCenterFactory(), scopes=list(scopes), actor=TEST_JOB, **kwargs
    )
