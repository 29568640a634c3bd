"""The large data set of ``make bench`` and the per-run fixtures (logins, an API key, target rows).

Run by ``benchmarks/run.py`` in a development-mode subprocess (``seed_demo`` refuses production):

1. ``manage.py seed_demo`` adds the realistic demo data (every app, the demo staff login, a partner).
2. ``seed_large`` bulk-adds the benchmark volume on top, about 100 times the center's real size:
   30,000 organizations with 300,000 products, 2,000 published courses with 8,000 sessions and
   200,000 enrolments of 20,000 citizens. Rows are recognisable by their ``bench-``/``벤치마크`` names
   and counted before anything is added, so a second run adds nothing.
3. ``prepare_run`` writes what the load generator needs to a JSON file: citizens who can log in, a fresh
   partner key with every scope, the course and organization to read, the courses to enrol in.

``seed_demo --scale N`` alone would also produce a large set, but its cost grows faster than N (scale 10
takes over ten minutes), so the volume comes from ``bulk_create`` here.
"""

import argparse
import datetime
import json
import random
import sys
import time

SIZES = {
    "full": {"organizations": 30_000, "products": 300_000, "courses": 2_000, "citizens": 20_000, "enrolments": 200_000,
             "vacant_houses": 30_000},
    "small": {"organizations": 3_000, "products": 30_000, "courses": 200, "citizens": 2_000, "enrolments": 10_000,
              "vacant_houses": 3_000},
    # The demo data alone (``seed_demo``): the size the center has today.
    "demo": {"organizations": 0, "products": 0, "courses": 0, "citizens": 0, "enrolments": 0, "vacant_houses": 0},
}  # fmt: skip
ORG_PREFIX = "벤치마크 사회적경제조직 "
PRODUCT_PREFIX = "벤치마크 생산품 "
COURSE_PREFIX = "bench-course-"
CITIZEN_PREFIX = "bench-citizen"
LOGIN_PREFIX = "bench-login-"
ENROLL_COURSE_PREFIX = "bench-enrol-"
LOGIN_PASSWORD = "bench-jeonju-2026-load"
ENROLL_COURSES = 200
HOUSE_PREFIX = "BENCH-"
# Recovery codes for the staff's second factor: one per virtual user of each locust process of a run
# (``BENCH_RUN``, ``BENCH_MAX_USERS`` in benchmarks/locustfile.py).
STAFF_CODE_RUNS, STAFF_CODES_PER_RUN = 40, 64


def log(message):
    print(f"  seed: {message}", flush=True)


def seed_organizations(size, rng):
    from jeonju_center.common.models import Dong
    from social_economy.models import Organization, Product, ProductCertification

    have = Organization.objects.filter(name__startswith=ORG_PREFIX).count()
    dongs = list(Dong.objects.values_list("pk", flat=True))
    types = [c for c, _ in Organization._meta.get_field("org_type").choices if c != "preliminary_se"]
    sectors = [c for c, _ in Organization._meta.get_field("sector").choices]
    for start in range(have, size["organizations"], 5000):
        Organization.objects.bulk_create(
            Organization(
                name=f"{ORG_PREFIX}{n:06d}", org_type=rng.choice(types), sector=rng.choice(sectors),
                dong_id=rng.choice(dongs), description="전주 지역 사회적경제조직입니다.",
                employees_count=rng.randint(1, 40),
            )
            for n in range(start, min(start + 5000, size["organizations"]))
        )  # fmt: skip
        log(f"organizations {min(start + 5000, size['organizations']):,}")
    org_ids = list(
        Organization.objects.filter(name__startswith=ORG_PREFIX).order_by("pk").values_list("pk", flat=True)
    )
    categories = [c for c, _ in Product._meta.get_field("category").choices]
    certifications = list(ProductCertification.objects.values_list("pk", flat=True))
    through = Product.certifications.through
    have = Product.objects.filter(name__startswith=PRODUCT_PREFIX).count()
    for start in range(have, size["products"], 10000):
        batch = Product.objects.bulk_create(
            Product(
                organization_id=org_ids[n % len(org_ids)], name=f"{PRODUCT_PREFIX}{n:07d}",
                category=rng.choice(categories), description="지역에서 만든 착한 생산품입니다.",
                price=rng.randrange(1000, 90000, 500), unit="1개",
            )
            for n in range(start, min(start + 10000, size["products"]))
        )  # fmt: skip
        through.objects.bulk_create(
            through(product_id=product.pk, productcertification_id=rng.choice(certifications))
            for product in batch
            if certifications and rng.random() < 0.3
        )
        log(f"products {min(start + 10000, size['products']):,}")


def seed_courses(size, rng):
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from courses.models import Course, CourseSession, Enrollment, EnrollmentStatus, Track
    from jeonju_center.common.models import Dong
    from jeonju_center.partners.changes import CREATED, record_changes

    if not size["courses"] or Course.objects.filter(slug__startswith=COURSE_PREFIX).exists():
        return
    User = get_user_model()
    now = timezone.now()
    tracks = list(Track.objects.all())
    dongs = list(Dong.objects.all())
    with transaction.atomic():
        citizens = User.objects.bulk_create(
            (
                User(
                    username=f"{CITIZEN_PREFIX}{n:06d}", name=f"시민{n:06d}",
                    email=f"{CITIZEN_PREFIX}{n:06d}@example.com", password="!", dong=dongs[n % len(dongs)],
                )
                for n in range(size["citizens"])
            ),
            batch_size=5000,
        )  # fmt: skip
        courses = Course.objects.bulk_create(
            (
                Course(
                    title=f"시민강좌 벤치마크 {n + 1}기 — 마을공동체와 사회적경제", slug=f"{COURSE_PREFIX}{n:05d}",
                    track=tracks[n % len(tracks)], summary="벤치마크용 강좌입니다.",
                    description="벤치마크용 강좌 소개 " * 10, instructor_name="김강사",
                    place="전주도시혁신센터 2층 강의실", capacity=rng.choice([20, 30, 40, 60, 80]),
                    waitlist_limit=rng.choice([10, 20, 30]), enrollment_opens_at=opens,
                    enrollment_closes_at=opens + datetime.timedelta(days=21), status=Course.Status.RECRUITING,
                    is_published=True,
                )
                for n in range(size["courses"])
                for opens in [now - datetime.timedelta(days=rng.randint(-10, 30))]
            ),
            batch_size=2000,
        )  # fmt: skip
        CourseSession.objects.bulk_create(
            (
                CourseSession(
                    course=course, date=first + datetime.timedelta(days=7 * number),
                    start_time=datetime.time(19, 0), end_time=datetime.time(21, 0), room="201호",
                    topic=f"{number + 1}회차",
                )
                for course in courses
                for first in [(course.enrollment_closes_at + datetime.timedelta(days=3)).date()]
                for number in range(4)
            ),
            batch_size=5000,
        )  # fmt: skip
        per_course = size["enrolments"] // size["courses"]
        batch = []
        for course in courses:
            for position, user in enumerate(rng.sample(citizens, per_course)):
                requested = course.enrollment_opens_at + datetime.timedelta(minutes=position)
                if position < course.capacity:
                    status, confirmed_at, cancelled_at = EnrollmentStatus.CONFIRMED, requested, None
                elif position < course.capacity + course.waitlist_limit:
                    status, confirmed_at, cancelled_at = EnrollmentStatus.WAITING, None, None
                else:
                    status, confirmed_at = EnrollmentStatus.CANCELLED, requested
                    cancelled_at = requested + datetime.timedelta(hours=1)
                batch.append(
                    Enrollment(
                        course=course, user=user, applicant_dong_id=user.dong_id, status=status,
                        requested_at=requested, confirmed_at=confirmed_at, cancelled_at=cancelled_at,
                        cancel_reason="by_user" if cancelled_at else "", consent_version="bench",
                        consented_at=requested,
                    )
                )  # fmt: skip
            if len(batch) >= 20_000:
                Enrollment.objects.bulk_create(batch, batch_size=5000)
                batch = []
        Enrollment.objects.bulk_create(batch, batch_size=5000)
        record_changes("courses", [course.pk for course in courses], CREATED)
    log(f"{len(courses):,} courses, {size['enrolments']:,} enrolments of {len(citizens):,} citizens")


def seed_vacant_houses(size, rng):
    """Surveyed houses in every status, grade and dong, about 100 times the houses a city surveys."""
    from jeonju_center.common.models import Dong
    from regeneration.models import HousingProgram, VacantHouse
    from regeneration.models.vacant_houses import BuildingType, GradeScheme, HouseStatus, VacancyCause

    have = VacantHouse.objects.filter(management_number__startswith=HOUSE_PREFIX).count()
    dongs = list(Dong.objects.values_list("pk", flat=True))
    programs = list(HousingProgram.objects.values_list("pk", flat=True))
    statuses = [s for s in HouseStatus.values if programs or s != HouseStatus.IN_USE]
    for start in range(have, size["vacant_houses"], 5000):
        houses = []
        for n in range(start, min(start + 5000, size["vacant_houses"])):
            scheme = rng.choice(GradeScheme.values)
            status = rng.choice(statuses)
            houses.append(
                VacantHouse(
                    management_number=f"{HOUSE_PREFIX}{n:06d}", address=f"전주시 완산구 벤치마크로 {n}",
                    dong_id=rng.choice(dongs), building_type=rng.choice(BuildingType.values),
                    vacancy_cause=rng.choice(VacancyCause.values),
                    surveyed_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=n % 700),
                    survey_round=rng.choice([2019, 2024]), current_grade_scheme=scheme,
                    current_grade=rng.randint(1, 4 if scheme == GradeScheme.URBAN_4 else 3), status=status,
                    current_program_id=rng.choice(programs) if status == HouseStatus.IN_USE else None,
                    owner_name=f"소유자{n:06d}", is_public=rng.random() < 0.1,
                )
            )  # fmt: skip
        VacantHouse.objects.bulk_create(houses)
        log(f"vacant houses {min(start + 5000, size['vacant_houses']):,}")


def seed_large(size):
    from django.db import connection

    started = time.monotonic()
    rng = random.Random(20261125)
    seed_organizations(size, rng)
    seed_courses(size, rng)
    seed_vacant_houses(size, rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    log(f"large data set ready ({time.monotonic() - started:.0f} s)")


# --- Per-run fixtures ---------------------------------------------------------------------------------


def _login_citizens(count):
    """Citizens with a known password and a verified e-mail address, as sign-up leaves them."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from jeonju_center.common.models import Dong

    User = get_user_model()
    password = make_password(LOGIN_PASSWORD)  # hashed once: the production hasher is slow on purpose
    dong = Dong.objects.order_by("pk").first()
    emails = []
    for n in range(count):
        email = f"{LOGIN_PREFIX}{n:02d}@example.com"
        user, _ = User.objects.update_or_create(
            username=f"{LOGIN_PREFIX}{n:02d}",
            defaults={"email": email, "name": f"부하시험{n:02d}", "password": password, "dong": dong, "is_active": True},
        )  # fmt: skip
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        emails.append(email)
    return emails


def _enroll_courses(now):
    """Open courses (everyone may enrol, seats to spare) that the enrolment scenario cycles through; their
    window is moved around today on every run, and earlier runs' active enrolments are cancelled."""
    from courses.models import Course, CourseSession, Enrollment, EnrollmentStatus, Track

    track = Track.objects.order_by("pk").first()
    opens, closes = now - datetime.timedelta(days=1), now + datetime.timedelta(days=30)
    existing = set(
        Course.objects.filter(slug__startswith=ENROLL_COURSE_PREFIX).values_list("slug", flat=True)
    )
    slugs = [f"{ENROLL_COURSE_PREFIX}{n:03d}" for n in range(ENROLL_COURSES)]
    new = Course.objects.bulk_create(
        Course(
            title=f"수강신청 부하시험 강좌 {slug[-3:]}", slug=slug, track=track, instructor_name="김강사",
            place="전주도시혁신센터", capacity=10_000, waitlist_limit=0, enrollment_opens_at=opens,
            enrollment_closes_at=closes, status=Course.Status.RECRUITING, is_published=True,
        )
        for slug in slugs
        if slug not in existing
    )  # fmt: skip
    CourseSession.objects.bulk_create(
        CourseSession(course=course, date=(closes + datetime.timedelta(days=7)).date(),
                      start_time=datetime.time(19, 0), end_time=datetime.time(21, 0))
        for course in new
    )  # fmt: skip
    courses = Course.objects.filter(slug__in=slugs)
    courses.update(enrollment_opens_at=opens, enrollment_closes_at=closes, cancellation_deadline=None)
    CourseSession.objects.filter(course__in=courses).update(date=(closes + datetime.timedelta(days=7)).date())
    Enrollment.objects.filter(course__in=courses, status__in=Enrollment.ACTIVE_STATUSES).update(
        status=EnrollmentStatus.CANCELLED, cancelled_at=now, cancel_reason="other"
    )
    return slugs


def _staff_recovery_codes(username, count):
    """One-time recovery codes of the staff login's second factor, one per virtual user: the staff pass the
    two-factor page as a real staff member would (an authenticator code is good once per 30 s)."""
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    user = get_user_model().objects.get(username=username)
    device, _ = StaticDevice.objects.get_or_create(user=user, name="벤치마크 복구 코드")
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(count)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def prepare_run(out_path, *, users):
    from django.db.models import Count, Q
    from django.utils import timezone

    from courses.models import Course
    from jeonju_center.common.actors import Actor
    from jeonju_center.demo.base import DEMO_STAFF_PASSWORD, DEMO_STAFF_USERNAME
    from jeonju_center.partners.models import PartnerAPIKey, PartnerCenter
    from jeonju_center.partners.scopes import SCOPES
    from jeonju_center.partners.services import partner_key_create, partner_key_revoke
    from social_economy.models import Organization

    now = timezone.now()
    actor = Actor.system("벤치마크 준비")
    partner, _ = PartnerCenter.objects.get_or_create(name="벤치마크 협력기관")
    for old in PartnerAPIKey.objects.filter(partner=partner, revoked=False):
        partner_key_revoke(api_key=old, actor=actor)
    # A limit the load cannot reach, as a partner with a raised limit would have: the bench measures
    # speed, not the throttle's 429s (which the API tests cover).
    _, raw_key = partner_key_create(
        partner=partner, scopes=list(SCOPES), name="benchmark", rate_limit_per_minute=10_000_000, actor=actor
    )
    # The benchmark's own rows, or the demo's on the demo-size run.
    detail = (
        Course.objects.filter(is_published=True)
        .exclude(slug__startswith=ENROLL_COURSE_PREFIX)
        .annotate(bench=Q(slug__startswith=COURSE_PREFIX), n=Count("enrollments"))
        .order_by("-bench", "-n", "slug")
        .first()
    )
    organization = (
        Organization.objects.annotate(bench=Q(name__startswith=ORG_PREFIX), n=Count("products"))
        .order_by("-bench", "-n", "pk")
        .first()
    )
    fixtures = {
        "staff_codes": _staff_recovery_codes(DEMO_STAFF_USERNAME, STAFF_CODE_RUNS * STAFF_CODES_PER_RUN),
        "api_key": raw_key,
        "course_slug": detail.slug,
        "organization_id": organization.pk,
        "citizens": _login_citizens(users),
        "citizen_password": LOGIN_PASSWORD,
        "enroll_courses": _enroll_courses(now),
        "staff_username": DEMO_STAFF_USERNAME,
        "staff_password": DEMO_STAFF_PASSWORD,
        "counts": _counts(),
    }
    with open(out_path, "w", encoding="utf-8") as handle:
        json.dump(fixtures, handle, ensure_ascii=False, indent=2)


def _counts():
    from courses.models import Course, Enrollment
    from regeneration.models import VacantHouse
    from social_economy.models import Organization, Product

    return {
        "vacant_houses": VacantHouse.objects.count(),
        "organizations": Organization.objects.count(),
        "products": Product.objects.count(),
        "courses": Course.objects.filter(is_published=True).count(),
        "enrolments": Enrollment.objects.count(),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description="Seed the benchmark data set and write the run fixtures.")
    parser.add_argument("--size", choices=sorted(SIZES), default="full")
    parser.add_argument("--users", type=int, default=16, help="citizens who log in (one per virtual user)")
    parser.add_argument("--fixtures", required=True, help="JSON file to write for the load generator")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.db import transaction

    seed_large(SIZES[args.size])
    with transaction.atomic():
        prepare_run(args.fixtures, users=args.users)


if __name__ == "__main__":
    sys.exit(main())
