"""Lookup values every installation needs: survey sales channels, support needs, product certifications."""

from django.db import transaction

from jeonju_center.common.reference import reference_loader

from .models import ProductCertification, SalesChannel, SupportNeed

SALES_CHANNELS = [
    ("online", "온라인몰"),
    ("direct_store", "직매장"),
    ("public_procurement", "공공구매"),
    ("wholesale", "도매"),
    ("events_markets", "행사·장터"),
    ("b2b", "기업 납품"),
    ("other", "기타"),
]

SUPPORT_NEEDS = [
    ("sales_channels", "판로"),
    ("marketing", "마케팅"),
    ("funding", "자금"),
    ("design_packaging", "디자인·포장"),
    ("certification", "인증"),
    ("education", "교육"),
    ("quality", "품질 개선"),
]

PRODUCT_CERTIFICATIONS = [
    ("haccp", "HACCP"),
    ("eco_friendly", "친환경"),
    ("organic", "유기농"),
    ("gap", "GAP(우수농산물)"),
    ("excellent_procurement", "우수제품(조달청)"),
    ("social_enterprise_mark", "사회적기업 제품 인증"),
    ("traditional_food", "전통식품 품질인증"),
    ("other", "기타"),
]


def _load(model, values):
    existing = set(model.objects.values_list("code", flat=True))
    missing = [
        model(code=code, name=name, display_order=order)
        for order, (code, name) in enumerate(values, start=1)
        if code not in existing
    ]
    model.objects.bulk_create(missing)
    return len(missing)


@reference_loader
@transaction.atomic
def load_social_economy_lookups():
    """Create the sales channels, support needs and product certifications that are missing."""
    channels = _load(SalesChannel, SALES_CHANNELS)
    needs = _load(SupportNeed, SUPPORT_NEEDS)
    certifications = _load(ProductCertification, PRODUCT_CERTIFICATIONS)
    return (
        f"social economy lookups: {channels} sales channels, {needs} support needs, "
        f"{certifications} product certifications created"
    )
