"""Social-economy organizations (사회적경제조직), products, the full survey, stores, consulting, networks.

One module per sub-domain; import from ``social_economy.models`` as before:

- ``organizations``: organizations and their types, sectors and statuses;
- ``products``: their products and services;
- ``lookups``: the lookup tables staff keep (sales channels, support needs, product certifications);
- ``surveys``: the full survey (campaigns, responses, reported products);
- ``stores``: the pilot store and Jeonju Food direct stores with their listings;
- ``consulting``: consulting cases, sessions and the requests organizations send;
- ``networks``: networks and their member organizations;
- ``members``: the accounts acting for an organization on the portal;
- ``profiles``: members' self-service profile edits and their review;
"""

from .consulting import ConsultingCase, ConsultingRequest, ConsultingSession
from .lookups import LookupModel, ProductCertification, SalesChannel, SupportNeed
from .members import OrganizationMember
from .networks import Network, NetworkMembership
from .organizations import (
    COOPERATIVE_MIN_MEMBERS,
    COOPERATIVE_TYPES,
    SOCIAL_ENTERPRISE_TYPES,
    Organization,
    OrganizationStatus,
    OrganizationType,
    PreliminaryKind,
    Sector,
    SocialPurposeType,
)
from .products import Product
from .profiles import (
    NEW_PRODUCT,
    ORGANIZATION_MEMBER_FIELDS,
    PRODUCT_ACTIVE,
    PRODUCT_MEMBER_FIELDS,
    PROFILE_FIELD_CHOICES,
    ProfileChange,
    ProfileFieldPolicy,
    ProfileTarget,
    profile_change_image_path,
    profile_field_label,
)
from .stores import Store, StoreListing
from .surveys import SurveyCampaign, SurveyProductItem, SurveyResponse

__all__ = [
    "COOPERATIVE_MIN_MEMBERS",
    "COOPERATIVE_TYPES",
    "NEW_PRODUCT",
    "ORGANIZATION_MEMBER_FIELDS",
    "PRODUCT_ACTIVE",
    "PRODUCT_MEMBER_FIELDS",
    "PROFILE_FIELD_CHOICES",
    "SOCIAL_ENTERPRISE_TYPES",
    "ConsultingCase",
    "ConsultingRequest",
    "ConsultingSession",
    "LookupModel",
    "Network",
    "NetworkMembership",
    "Organization",
    "OrganizationMember",
    "OrganizationStatus",
    "OrganizationType",
    "PreliminaryKind",
    "Product",
    "ProductCertification",
    "ProfileChange",
    "ProfileFieldPolicy",
    "ProfileTarget",
    "SalesChannel",
    "Sector",
    "SocialPurposeType",
    "Store",
    "StoreListing",
    "SupportNeed",
    "SurveyCampaign",
    "SurveyProductItem",
    "SurveyResponse",
    # Migration 0009 refers to ``social_economy.models.profile_change_image_path``.
    "profile_change_image_path",
    "profile_field_label",
]
