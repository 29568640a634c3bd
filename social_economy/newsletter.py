from django.utils.translation import gettext_lazy as _

from jeonju_center.news.sections import NewsletterSection

from .selectors import public_product_list


def newest_products(*, now):
    return public_product_list().order_by("-created_at", "-id")


def chosen_public_products(ids):
    return public_product_list().filter(pk__in=ids).order_by("name", "id")


NEWSLETTER_SECTIONS = [
    NewsletterSection(
        key="products",
        label=_("사회적경제 제품"),
        model="social_economy.Product",
        content=chosen_public_products,
        candidates=newest_products,
        autofill_limit=4,
        html_template="social_economy/email/newsletter_section.html",
        text_template="social_economy/email/newsletter_section.txt",
        page_template="social_economy/newsletter/issue_page.html",
        order=20,
    ),
]
