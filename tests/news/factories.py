import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from jeonju_center.news.models import NewsletterIssue, NewsPost, Program, Subscriber


class NewsPostFactory(DjangoModelFactory):
    class Meta:
        model = NewsPost

    title = factory.Sequence(lambda n: f"센터 소식 {n}")
    slug = factory.Sequence(lambda n: f"news-{n}")
    program = Program.CENTER
    summary = factory.Faker("sentence", locale="ko_KR")
    body = "<p>본문입니다.</p>"
    status = NewsPost.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))


class SubscriberFactory(DjangoModelFactory):
    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"reader{n:05d}@example.com")
    status = Subscriber.Status.CONFIRMED
    token = factory.Sequence(lambda n: f"token-{n:05d}-abcdefghijklmnop")
    confirmation_sent_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=2))
    confirmation_count = 1
    confirmed_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))


class NewsletterIssueFactory(DjangoModelFactory):
    class Meta:
        model = NewsletterIssue

    subject = factory.Sequence(lambda n: f"뉴스레터 {n}호")
    intro = "<p>이번 호 소식입니다.</p>"
