from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from jeonju_center.sitemaps import PagesSitemap

from .models import Course
from .selectors import PUBLIC_COURSE


class CourseSitemap(Sitemap):
    changefreq = "daily"  # seats left change

    def items(self):
        return Course.objects.filter(PUBLIC_COURSE).only("slug", "updated_at").order_by("pk")

    def location(self, course):
        return reverse("courses:detail", args=[course.slug])

    def lastmod(self, course):
        return course.updated_at


SITEMAPS = {"courses-pages": PagesSitemap(["courses:catalogue"]), "courses": CourseSitemap}
