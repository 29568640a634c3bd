"""Issue #17 item 2, "My organization": members edit the public profile and the products through the same
services as the back office; per-field policy decides between publishing at once and the team's review queue;
photos lose their EXIF; history names who changed what. Other organizations' ids are 404s, bad input is a
Korean message and changes nothing, the pages run a constant number of queries."""

import datetime
import io

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from jeonju_center.common.models import OutboxEmail
from social_economy import profiles, selectors
from social_economy.dashboard import social_economy_items
from social_economy.models import (
    NEW_PRODUCT,
    Organization,
    OrganizationMember,
    OrganizationStatus,
    Product,
    ProfileChange,
    ProfileFieldPolicy,
    ProfileTarget,
)
from tests.actors import TEST_JOB
from tests.courses.factories import UserFactory

from .factories import DongFactory, OrganizationFactory, ProductCertificationFactory, ProductFactory

pytestmark = pytest.mark.django_db
Status = ProfileChange.Status
MOMENT = datetime.datetime(2026, 5, 12, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(MOMENT, tick=False):
        yield


@pytest.fixture
def organization():
    return OrganizationFactory(
        name="전주 한지 협동조합", phone="063-281-1234", description="한지를 만듭니다."
    )


@pytest.fixture
def member(organization):
    user = UserFactory(email="rep@example.com", name="김대표")
    OrganizationMember.objects.create(
        organization=organization, user=user, status=OrganizationMember.Status.ACTIVE, role="representative"
    )
    return user


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def policy(target, field_name, requires_review):
    ProfileFieldPolicy.objects.update_or_create(
        target=target, field_name=field_name, defaults={"requires_review": requires_review}
    )


def profile_form(organization, **overrides):
    data = {
        "description": organization.description,
        "address": organization.address,
        "dong": organization.dong_id or "",
        "phone": organization.phone,
        "email": organization.email,
        "website": organization.website,
        "representative_name": organization.representative_name,
        "employees_count": organization.employees_count,
        "vulnerable_employees_count": organization.vulnerable_employees_count,
    }
    data.update(overrides)
    return {key: "" if value is None else value for key, value in data.items()}


def product_form(product=None, **overrides):
    data = {
        "action": "save",
        "name": product.name if product else "한지 부채",
        "kind": product.kind if product else "goods",
        "category": product.category if product else "craft",
        "description": product.description if product else "손으로 만든 부채",
        "price": product.price if product and product.price is not None else 15000,
        "unit": product.unit if product else "개",
    }
    if product is not None:
        data["certifications"] = [c.pk for c in product.certifications.all()]
    data.update(overrides)
    return data


def jpeg_with_gps(name="photo.jpg", size=(40, 20)):
    """A JPEG whose EXIF holds a GPS position and 'rotate 90° clockwise' (orientation 6)."""
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x8825] = {1: "N", 2: (35.0, 49.0, 0.0), 3: "E", 4: (127.0, 8.0, 0.0)}
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def assert_clean_photo(photo, size=(20, 40)):
    """``photo``: a field's file, read from the field's own storage (public or private)."""
    with photo.storage.open(photo.name, "rb") as stored:
        image = Image.open(stored)
        image.load()
    exif = image.getexif()
    assert len(exif) == 0 and not exif.get_ifd(0x8825)
    assert "exif" not in image.info
    assert image.size == size  # the orientation tag was applied to the pixels before it was dropped


def history_of(instance):
    return list(instance.history.order_by("-history_id"))


# --- Object-level permissions -----------------------------------------------------------------------------


def _urls(organization, product):
    return [
        ("get", reverse("my_organization:profile", args=[organization.pk])),
        ("get", reverse("my_organization:products", args=[organization.pk])),
        ("get", reverse("my_organization:product_new", args=[organization.pk])),
        ("get", reverse("my_organization:product", args=[organization.pk, product.pk])),
        ("get", reverse("my_organization:history", args=[organization.pk])),
        ("post", reverse("my_organization:profile", args=[organization.pk])),
        ("post", reverse("my_organization:product_new", args=[organization.pk])),
        ("post", reverse("my_organization:product", args=[organization.pk, product.pk])),
    ]


def _snapshot():
    return (
        list(Organization.objects.order_by("pk").values()),
        list(Product.objects.order_by("pk").values()),
        ProfileChange.objects.count(),
    )


def _attack_posts(url):
    return [
        {"description": "남의 조직을 고칩니다", "phone": "010-9999-9999"},
        {"action": "save", "name": "가짜", "kind": "goods", "category": "other", "price": "1"},
        {"action": "retire"},
    ]


@pytest.mark.parametrize("who", ["anonymous", "stranger", "requested", "left", "revoked", "other_org"])
def test_every_new_url_refuses_everyone_but_an_active_member_and_changes_nothing(client, organization, who):
    product = ProductFactory(organization=organization, name="한지 조명등")
    other = OrganizationFactory()
    if who != "anonymous":
        user = UserFactory()
        status = {"requested": "requested", "left": "left", "revoked": "revoked"}.get(who)
        if status:
            OrganizationMember.objects.create(organization=organization, user=user, status=status)
        if who == "other_org":
            OrganizationMember.objects.create(organization=other, user=user, status="active")
        client.force_login(user)
    before = _snapshot()
    for method, url in _urls(organization, product):
        payloads = _attack_posts(url) if method == "post" else [None]
        for payload in payloads:
            response = getattr(client, method)(url, payload) if payload else getattr(client, method)(url)
            if who == "anonymous":
                assert response.status_code == 302 and response.url.startswith("/accounts/login/"), url
            else:
                assert response.status_code == 404, (who, url)
    assert _snapshot() == before


def test_a_member_cannot_reach_another_organizations_product_through_their_own_id(
    member_client, organization
):
    theirs = ProductFactory(name="남의 상품", price=1000)
    before = _snapshot()
    url = reverse("my_organization:product", args=[organization.pk, theirs.pk])
    assert member_client.get(url).status_code == 404
    assert member_client.post(url, product_form(theirs, price="1")).status_code == 404
    assert member_client.post(url, {"action": "retire"}).status_code == 404
    assert _snapshot() == before


def test_a_closed_organization_is_not_editable_by_its_members(member_client, organization):
    Organization.objects.filter(pk=organization.pk).update(
        status=OrganizationStatus.CLOSED, closed_on=datetime.date(2026, 1, 1)
    )
    response = member_client.post(
        reverse("my_organization:profile", args=[organization.pk]), profile_form(organization, phone="")
    )
    assert response.status_code == 404
    organization.refresh_from_db()
    assert organization.phone == "063-281-1234"


# --- Profile: published at once or waiting for review ---------------------------------------------------


def test_member_edit_publishes_the_immediate_fields_and_holds_the_reviewed_one(
    member_client, member, organization
):
    url = reverse("my_organization:profile", args=[organization.pk])
    assert "변경은 센터에 문의" in member_client.get(url).content.decode()
    response = member_client.post(
        url,
        profile_form(organization, phone="0632815678", representative_name="이새대표", employees_count=10),
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.phone == "063-281-5678"  # normalised, published
    assert organization.employees_count == 10
    assert organization.representative_name != "이새대표"  # waits for review (code default)
    latest = history_of(organization)[0]
    assert latest.history_user == member and latest.history_change_reason == "조직 회원 수정"
    rows = {c.field_name: c for c in ProfileChange.objects.all()}
    assert set(rows) == {"phone", "employees_count", "representative_name"}
    assert rows["phone"].status == Status.PUBLISHED and rows["phone"].old_display == "063-281-1234"
    assert rows["representative_name"].status == Status.PENDING
    assert all(row.submitted_by == member and row.channel == "member" for row in rows.values())
    page = member_client.get(url).content.decode()
    assert "이새대표" in page and "검토 후 공개" in page


def test_a_newer_submission_supersedes_the_waiting_one(organization, member):
    for name in ("박첫째", "최둘째"):
        profiles.organization_profile_update(
            organization=organization,
            changes={"representative_name": name},
            actor=member,
        )
    assert list(ProfileChange.objects.order_by("pk").values_list("new_value", "status")) == [
        ("박첫째", Status.SUPERSEDED),
        ("최둘째", Status.PENDING),
    ]


def test_policy_rows_override_the_code_default(organization, member):
    policy(ProfileTarget.ORGANIZATION, "representative_name", False)
    policy(ProfileTarget.ORGANIZATION, "phone", True)
    result = profiles.organization_profile_update(
        organization=organization,
        changes={"representative_name": "정바로", "phone": "063-222-3333"},
        actor=member,
    )
    assert (result.published, result.pending) == (["representative_name"], ["phone"])
    organization.refresh_from_db()
    assert organization.representative_name == "정바로" and organization.phone == "063-281-1234"


def test_approving_field_a_and_rejecting_field_b_publishes_exactly_a(
    member_client, client, member, officer, organization
):
    policy(ProfileTarget.ORGANIZATION, "description", True)
    policy(ProfileTarget.ORGANIZATION, "address", True)
    member_client.post(
        reverse("my_organization:profile", args=[organization.pk]),
        profile_form(organization, description="새 소개입니다.", address="전주시 완산구 새 주소 1"),
    )
    old_address = Organization.objects.get(pk=organization.pk).address
    a = ProfileChange.objects.get(field_name="description")
    b = ProfileChange.objects.get(field_name="address")
    assert (a.status, b.status) == (Status.PENDING, Status.PENDING)
    assert selectors.profile_changes_pending().count() == 2
    assert [i.count for i in social_economy_items(today=MOMENT.date()) if "조직 정보 변경" in i.label] == [2]

    client.force_login(officer)
    queue = client.get(reverse("admin:social_economy_profilechange_changelist"))
    content = queue.content.decode()
    assert queue.context["cl"].result_count == 2
    assert "새 소개입니다." in content and "한지를 만듭니다." in content  # proposed beside current
    changelist = reverse("admin:social_economy_profilechange_changelist")
    client.post(changelist, {"action": "approve_selected", "_selected_action": [a.pk]})
    page = client.post(changelist, {"action": "reject_selected", "_selected_action": [b.pk]})
    assert page.status_code == 200 and "반려 사유" in page.content.decode()  # the reason is asked first
    b.refresh_from_db()
    assert b.status == Status.PENDING
    client.post(
        changelist,
        {"action": "reject_selected", "_selected_action": [b.pk], "apply": "1", "comment": "주소 확인 필요"},
    )
    organization.refresh_from_db()
    a.refresh_from_db()
    b.refresh_from_db()
    assert organization.description == "새 소개입니다."
    assert organization.address == old_address
    assert (a.status, a.decided_by, b.status, b.decision_comment) == (
        Status.APPROVED,
        officer,
        Status.REJECTED,
        "주소 확인 필요",
    )
    latest = history_of(organization)[0]
    assert latest.history_user == officer and latest.history_change_reason == f"검토 승인 (#{a.pk})"
    assert latest.description == "새 소개입니다." and latest.address == old_address
    mails = [m for m in OutboxEmail.objects.order_by("pk") if "rep@example.com" in m.to]
    assert any("승인" in m.subject for m in mails) and any("주소 확인 필요" in m.body for m in mails)

    client.force_login(member)
    log = client.get(reverse("my_organization:history", args=[organization.pk])).content.decode()
    assert "김대표" in log and "반려" in log and "주소 확인 필요" in log
    assert "박직원" not in log  # staff names stay in the back office


def test_approval_is_refused_when_the_value_changed_since(client, officer, member, organization):
    profiles.organization_profile_update(
        organization=organization,
        changes={"representative_name": "한요청"},
        actor=member,
    )
    change = ProfileChange.objects.get(status=Status.PENDING)
    profiles.organization_profile_update(
        organization=organization,
        changes={"representative_name": "직원수정"},
        actor=officer,
    )
    with pytest.raises(Exception, match="현재 값이 바뀌었습니다"):
        profiles.profile_change_approve(change_id=change.pk, actor=officer)
    organization.refresh_from_db()
    change.refresh_from_db()
    assert organization.representative_name == "직원수정" and change.status == Status.PENDING
    client.force_login(officer)
    response = client.post(
        reverse("admin:social_economy_profilechange_change", args=[change.pk]),
        {"decision": "approve"},
        follow=True,
    )
    assert response.status_code == 200 and "현재 값이 바뀌었습니다" in response.content.decode()
    change.refresh_from_db()
    assert change.status == Status.PENDING
    client.post(
        reverse("admin:social_economy_profilechange_change", args=[change.pk]), {"decision": "reject"}
    )
    change.refresh_from_db()
    assert change.status == Status.PENDING  # a rejection without a reason is not saved


# --- Products -------------------------------------------------------------------------------------------


def test_a_new_product_stays_hidden_until_approved(member_client, member, officer, organization):
    certification = ProductCertificationFactory(name="우수공예품")
    response = member_client.post(
        reverse("my_organization:product_new", args=[organization.pk]),
        product_form(certifications=[certification.pk]),
    )
    assert response.status_code == 302
    product = Product.objects.get(name="한지 부채")
    assert not product.is_active and product not in selectors.public_products()
    assert list(product.certifications.all()) == [certification]
    assert history_of(product)[0].history_user == member
    change = ProfileChange.objects.get(product=product)
    assert (change.field_name, change.status) == (NEW_PRODUCT, Status.PENDING)
    edit = reverse("my_organization:product", args=[organization.pk, product.pk])
    member_client.post(edit, {"action": "reactivate"})
    product.refresh_from_db()
    assert not product.is_active  # a member cannot bypass the review
    profiles.profile_change_approve(change_id=change.pk, actor=officer)
    product.refresh_from_db()
    assert product.is_active and product in selectors.public_products()


def test_price_publishes_at_once_name_waits_and_retire_keeps_the_row(member_client, member, organization):
    product = ProductFactory(organization=organization, name="한지 조명등", price=45000)
    url = reverse("my_organization:product", args=[organization.pk, product.pk])
    response = member_client.post(url, product_form(product, price="52000", name="한지 무드등"))
    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.price, product.name) == (52000, "한지 조명등")
    assert set(ProfileChange.objects.values_list("field_name", "status")) == {
        ("price", Status.PUBLISHED),
        ("name", Status.PENDING),
    }
    assert ProfileChange.objects.get(field_name="price").new_display == "52,000원"
    member_client.post(url, {"action": "retire"})
    product.refresh_from_db()
    assert not product.is_active and Product.objects.filter(pk=product.pk).exists()
    member_client.post(url, {"action": "reactivate"})
    product.refresh_from_db()
    assert product.is_active
    assert list(
        ProfileChange.objects.filter(field_name="is_active")
        .order_by("pk")
        .values_list("new_value", flat=True)
    ) == [False, True]


def test_exif_gps_is_gone_from_a_photo_published_at_once(member_client, organization):
    policy(ProfileTarget.PRODUCT, "image", False)
    product = ProductFactory(organization=organization)
    url = reverse("my_organization:product", args=[organization.pk, product.pk])
    response = member_client.post(url, {**product_form(product), "image": jpeg_with_gps()})
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.image.name.startswith("social_economy/products/")
    assert_clean_photo(product.image)


def test_a_reviewed_photo_is_stored_clean_privately_and_published_on_approval(
    member_client, client, officer, organization
):
    product = ProductFactory(organization=organization)
    url = reverse("my_organization:product", args=[organization.pk, product.pk])
    member_client.post(url, {**product_form(product), "image": jpeg_with_gps()})
    product.refresh_from_db()
    assert not product.image  # waits for review (code default)
    change = ProfileChange.objects.get(field_name="image")
    assert change.new_image.name.startswith("social_economy/profile_changes/")
    assert_clean_photo(change.new_image)
    client.force_login(officer)
    queue = client.get(reverse("admin:social_economy_profilechange_changelist")).content.decode()
    photo_url = reverse("admin:social_economy_profilechange_photo", args=[change.pk])
    assert photo_url in queue
    assert client.get(photo_url).status_code == 200
    profiles.profile_change_approve(change_id=change.pk, actor=officer)
    product.refresh_from_db()
    assert product.image.name.startswith("social_economy/products/")
    assert_clean_photo(product.image)


def test_the_back_office_saves_products_through_the_service(client, officer, organization):
    product = ProductFactory(organization=organization, name="한지 조명등", price=45000)
    client.force_login(officer)
    url = reverse("admin:social_economy_product_change", args=[product.pk])
    data = {
        "name": "한지 조명등",
        "kind": "goods",
        "category": "craft",
        "description": "설명",
        "price": "47000",
        "unit": "개",
        "is_active": "on",
        "image": jpeg_with_gps(),
    }
    response = client.post(url, data)
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.price == 47000
    assert_clean_photo(product.image)  # the admin path strips EXIF too
    assert history_of(product)[0].history_user == officer
    assert set(ProfileChange.objects.values_list("field_name", "channel", "status")) == {
        ("price", "staff", Status.PUBLISHED),
        ("image", "staff", Status.PUBLISHED),
        ("description", "staff", Status.PUBLISHED),
    }
    refused = client.post(url, {**data, "image": "", "description": "<script>alert(1)</script>"})
    assert refused.status_code == 200 and "HTML 태그나 스크립트는 쓸 수 없습니다" in refused.content.decode()
    product.refresh_from_db()
    assert product.description == "설명"


def test_the_back_office_organization_form_saves_through_the_service(client, officer, organization):
    client.force_login(officer)
    url = reverse("admin:social_economy_organization_change", args=[organization.pk])
    page = client.get(url)
    data = {key: value for key, value in page.context["adminform"].form.initial.items() if value is not None}
    data.update(
        {
            "phone": "0632229999",
            "products-TOTAL_FORMS": "0",
            "products-INITIAL_FORMS": "0",
            "network_memberships-TOTAL_FORMS": "0",
            "network_memberships-INITIAL_FORMS": "0",
            "consulting_cases-TOTAL_FORMS": "0",
            "consulting_cases-INITIAL_FORMS": "0",
        }
    )
    data = {k: v for k, v in data.items() if not hasattr(v, "__iter__") or isinstance(v, str)}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    organization.refresh_from_db()
    assert organization.phone == "063-222-9999"
    change = ProfileChange.objects.get()
    assert (change.field_name, change.channel, change.submitted_by) == ("phone", "staff", officer)
    refused = client.post(url, {**data, "address": "<b>주소</b>"})
    assert refused.status_code == 200 and "HTML 태그나 스크립트는 쓸 수 없습니다" in refused.content.decode()
    organization.refresh_from_db()
    assert organization.address != "<b>주소</b>"


# --- Bad input ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"description": "<script>alert(1)</script>"}, "HTML 태그나 스크립트는 쓸 수 없습니다"),
        ({"price": "-100"}, "가격은 0원 이상이어야 합니다."),
        ({"name": "가" * 101}, "100자까지 쓸 수 있습니다."),
        ({"image": "not-an-image"}, "사진 파일을 읽을 수 없습니다"),
        ({"certifications": ["999999"]}, "목록에 있는 인증만 고를 수 있습니다."),
    ],
)
def test_bad_product_input_gets_a_korean_message_and_changes_nothing(
    member_client, organization, overrides, message
):
    policy(ProfileTarget.PRODUCT, "image", False)
    product = ProductFactory(organization=organization, name="한지 조명등", price=45000)

    def bad():
        if overrides.get("image"):  # a fresh upload each time: a posted file is consumed
            return {"image": SimpleUploadedFile("photo.jpg", b"<html>not a photo</html>", "image/jpeg")}
        return overrides

    before = _snapshot()
    url = reverse("my_organization:product", args=[organization.pk, product.pk])
    response = member_client.post(url, {**product_form(product), **bad()})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _snapshot() == before
    new = member_client.post(
        reverse("my_organization:product_new", args=[organization.pk]), {**product_form(), **bad()}
    )
    assert new.status_code == 400 and message in new.content.decode()
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"address": "<a href='javascript:x'>집</a>"}, "HTML 태그나 스크립트는 쓸 수 없습니다"),
        ({"phone": "12345"}, "전화번호 형식이 올바르지 않습니다"),
        ({"employees_count": "-3"}, "0명 이상으로 적어 주세요."),
        ({"vulnerable_employees_count": "99"}, "취약계층 종사자 수는 종사자 수를 넘을 수 없습니다."),
        ({"representative_name": "가" * 51}, "50자까지 쓸 수 있습니다."),
        ({"dong": "999999"}, "올바르게 선택해 주세요"),
    ],
)
def test_bad_profile_input_gets_a_korean_message_and_changes_nothing(
    member_client, organization, overrides, message
):
    before = _snapshot()
    response = member_client.post(
        reverse("my_organization:profile", args=[organization.pk]), profile_form(organization, **overrides)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _snapshot() == before


def test_a_decompression_bomb_is_refused_in_korean(organization, member):
    policy(ProfileTarget.PRODUCT, "image", False)
    product = ProductFactory(organization=organization)
    buffer = io.BytesIO()
    Image.new("1", (9000, 9000)).save(buffer, "PNG")  # a small file that decodes into 81 million pixels
    upload = SimpleUploadedFile("bomb.png", buffer.getvalue(), "image/png")
    with pytest.raises(Exception, match="사진이 너무 큽니다"):
        profiles.product_update(product=product, changes={"image": upload}, actor=member)
    product.refresh_from_db()
    assert not product.image and not ProfileChange.objects.exists()


# --- Constant query counts ------------------------------------------------------------------------------


def _grow(organization, member, count):
    certification = ProductCertificationFactory()
    for _ in range(count):
        product = ProductFactory(organization=organization, certifications=[certification])
        profiles.product_update(product=product, changes={"price": product.price + 1}, actor=member)
        profiles.product_update(product=product, changes={"name": product.name + " 새"}, actor=member)


@pytest.mark.parametrize("page", ["products", "history", "profile", "product"])
def test_pages_run_the_same_number_of_queries_at_n_and_2n_products(member_client, member, organization, page):
    DongFactory.create_batch(3)
    _grow(organization, member, 3)
    first = Product.objects.filter(organization=organization).order_by("pk").first()
    args = [organization.pk, first.pk] if page == "product" else [organization.pk]
    url = reverse(f"my_organization:{page}", args=args)
    member_client.get(url)  # warm up the session
    with CaptureQueriesContext(connection) as small:
        assert member_client.get(url).status_code == 200
    _grow(organization, member, 3)
    with CaptureQueriesContext(connection) as large:
        response = member_client.get(url)
    assert response.status_code == 200
    if page == "products":
        assert len(response.context["products"]) == 6
    if page == "history":
        assert len(response.context["changes"]) == 12
    assert len(large.captured_queries) == len(small.captured_queries)


def test_review_queue_query_count_does_not_grow(
    client, officer, organization, member, settings, time_machine
):
    settings.BACKOFFICE_KEEP_LISTS = False  # drawing the list each time (kept lists: tests/common/)
    time_machine.move_to(timezone.now(), tick=False)  # one clock minute: no staff session renewal between
    _grow(organization, member, 3)
    client.force_login(officer)
    url = reverse("admin:social_economy_profilechange_changelist")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _grow(organization, member, 3)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.context["cl"].result_count == 6
    assert len(large.captured_queries) == len(small.captured_queries)


# --- PostgreSQL: the partial unique constraint holds under a race ---------------------------------------


@pytest.mark.postgres
def test_one_pending_change_per_field_is_a_database_rule(organization, member):
    from django.db import IntegrityError, transaction

    profiles.organization_profile_update(
        organization=organization,
        changes={"representative_name": "가나"},
        actor=member,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ProfileChange.objects.create(
            organization=organization,
            field_name="representative_name",
            new_value="다라",
            status=Status.PENDING,
        )


def test_the_retention_job_erases_representative_names_from_the_change_log(organization, member, officer):
    from social_economy.services import organization_representatives_anonymise

    profiles.organization_profile_update(
        organization=organization,
        changes={"representative_name": "지울이름"},
        actor=member,
    )
    profiles.organization_profile_update(
        organization=organization, changes={"phone": "063-111-2222"}, actor=member
    )
    Organization.objects.filter(pk=organization.pk).update(
        status=OrganizationStatus.CLOSED, closed_on=datetime.date(2020, 1, 1)
    )
    assert (
        organization_representatives_anonymise(
            closed_before=datetime.date(2021, 1, 1), now=MOMENT, actor=TEST_JOB
        )
        == 1
    )
    name_change = ProfileChange.objects.get(field_name="representative_name")
    assert (name_change.new_value, name_change.new_display, name_change.old_display) == (None, "", "")
    assert ProfileChange.objects.get(field_name="phone").new_value == "063-111-2222"
    # The change log's own history keeps no copy of the values.
    assert {"old_value", "new_value", "old_display", "new_display"}.isdisjoint(
        field.name for field in ProfileChange.history.model._meta.fields
    )


def test_the_demo_member_has_published_and_waiting_changes_and_a_second_run_adds_none():
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)
    rows = set(ProfileChange.objects.values_list("field_name", "status"))
    assert {
        ("description", Status.PUBLISHED),
        ("representative_name", Status.PENDING),
        ("price", Status.PENDING),
        (NEW_PRODUCT, Status.PENDING),
    } <= rows
    assert (
        ProfileChange.objects.filter(submitted_by__username="org").exists()
        or ProfileChange.objects.filter(submitted_by__email="org@example.com").exists()
    )
    counts = (ProfileChange.objects.count(), ProfileFieldPolicy.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (ProfileChange.objects.count(), ProfileFieldPolicy.objects.count()) == counts


def test_the_back_office_adds_a_product_through_the_service_published_at_once(client, officer, organization):
    certification = ProductCertificationFactory(name="우수공예품")
    client.force_login(officer)
    response = client.post(
        reverse("admin:social_economy_product_add"),
        {
            "organization": organization.pk,
            "name": "한지 필통",
            "kind": "goods",
            "category": "craft",
            "price": "9000",
            "unit": "개",
            "is_active": "on",
            "certifications": [certification.pk],
            "image": jpeg_with_gps("pencil-case.jpg"),
        },
    )
    assert response.status_code == 302
    product = Product.objects.get(name="한지 필통")
    assert product.is_active and list(product.certifications.all()) == [certification]
    assert_clean_photo(product.image)
    assert history_of(product)[0].history_user == officer
    change = ProfileChange.objects.get(product=product)
    assert (change.field_name, change.status, change.channel) == (NEW_PRODUCT, Status.PUBLISHED, "staff")


def test_a_members_published_value_retires_their_waiting_one_of_that_field(organization, member):
    profiles.organization_profile_update(
        organization=organization,
        changes={"representative_name": "대기중"},
        actor=member,
    )
    policy(ProfileTarget.ORGANIZATION, "representative_name", False)
    profiles.organization_profile_update(
        organization=organization,
        changes={"representative_name": "바로공개"},
        actor=member,
    )
    organization.refresh_from_db()
    assert organization.representative_name == "바로공개"
    assert list(ProfileChange.objects.order_by("pk").values_list("status", flat=True)) == [
        Status.SUPERSEDED,
        Status.PUBLISHED,
    ]


def _at_once(*calls):
    """Run ``calls`` in threads released together; each outcome is "ok" or the Korean refusal."""
    import threading

    from django.core.exceptions import ValidationError
    from django.db import close_old_connections

    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait(timeout=10)
            call()
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run, args=[call]) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_approving_at_once_publish_once():
    organization = OrganizationFactory()
    user = UserFactory(email="rep2@example.com")
    OrganizationMember.objects.create(organization=organization, user=user, status="active")
    first, second = UserFactory(is_staff=True), UserFactory(is_staff=True)
    profiles.organization_profile_update(
        organization=organization,
        changes={"representative_name": "동시승인"},
        actor=user,
    )
    change = ProfileChange.objects.get(status=Status.PENDING)
    before = organization.history.count()
    outcomes = _at_once(
        lambda: profiles.profile_change_approve(change_id=change.pk, actor=first),
        lambda: profiles.profile_change_approve(change_id=change.pk, actor=second),
    )
    assert outcomes.count("ok") == 1 and any("이미 처리한 변경" in o for o in outcomes), outcomes
    assert organization.history.count() == before + 1  # one write of the organization
    change.refresh_from_db()
    assert change.status == Status.APPROVED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_members_submitting_the_same_field_at_once_leave_one_waiting_change():
    organization = OrganizationFactory()
    users = [UserFactory(), UserFactory()]
    for user in users:
        OrganizationMember.objects.create(organization=organization, user=user, status="active")
    outcomes = _at_once(
        *[
            (lambda user=user, name=name: profiles.organization_profile_update(
                organization=organization, changes={"representative_name": name}, actor=user,
            ))
            for user, name in zip(users, ["갑동시", "을동시"], strict=True)
        ]
    )  # fmt: skip
    assert outcomes == ["ok", "ok"]
    assert ProfileChange.objects.filter(status=Status.PENDING).count() == 1
    assert ProfileChange.objects.filter(status=Status.SUPERSEDED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_rejected_and_superseded_photos_leave_storage(organization, member, officer):
    product = ProductFactory(organization=organization)
    profiles.product_update(product=product, changes={"image": jpeg_with_gps()}, actor=member)
    first = ProfileChange.objects.get(field_name="image")
    first_name = first.new_image.name
    assert default_storage.exists(first_name)
    profiles.product_update(product=product, changes={"image": jpeg_with_gps()}, actor=member)
    second = ProfileChange.objects.get(field_name="image", status=Status.PENDING)
    assert not default_storage.exists(first_name)  # superseded
    second_name = second.new_image.name
    profiles.profile_change_reject(change_id=second.pk, actor=officer, comment="사진이 흐립니다")
    assert not default_storage.exists(second_name)
    product.refresh_from_db()
    assert not product.image
