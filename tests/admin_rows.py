"""One row of every model that has an admin page, for ``tests/test_admin_pages.py``.

``ROW_BUILDERS`` maps a model label to a callable that creates one row of that model together with the rows
it points at or lists (its own course, organization, community, call, user…), so that a changelist column
reading a related row without ``list_select_related``/``prefetch_related`` shows up as more queries when
there are more rows. Every call creates the same number of rows of its model, and nothing else creates rows
of that model, so N calls and 2N calls list N·k and 2N·k rows.

``NOT_BUILT`` names an admin this registry leaves out, with the reason; a new admin is in one of the two or
``tests/test_admin_pages.py`` fails.
"""

import datetime
import itertools
from types import SimpleNamespace

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from calls.draw import ALGORITHM as DRAW_ALGORITHM
from calls.models import (
    Application,
    ApplicationDocument,
    ApplicationMember,
    ApplicationStatus,
    CallAttachment,
    CallQuestion,
    ConflictOfInterest,
    Draw,
    ReviewScore,
    ScoringCriterion,
)
from courses.models import CourseFeedback, EnrollmentStatus
from jeonju_center.accounts.models import ConsentRecord, MessageEvent, MessageSubscription, PhoneVerification
from jeonju_center.common.models import (
    AccessLogReview,
    District,
    Dong,
    OutboxEmail,
    OutboxMessage,
    PersonalDataAccess,
    RetentionRun,
    ServiceHeartbeat,
)
from jeonju_center.common.teams import load_team_groups
from jeonju_center.inquiries import services as inquiry_services
from jeonju_center.news.models import (
    FaqEntry,
    NewsAttachment,
    NewsletterDelivery,
    NewsletterIssue,
    NewsletterItem,
    Program,
    Publication,
    PublicationAttachment,
    PublicationDownload,
)
from jeonju_center.partners.models import ChangeEvent, IdempotencyRecord
from ondure.models import (
    CommunityGraduation,
    ExpenseCategory,
    ExpenseLine,
    GrantSettlement,
    OndureEducationCourse,
    SupportProgram,
    SupportRecord,
)
from social_economy import profiles
from social_economy.models import ConsultingRequest, OrganizationMember, ProfileFieldPolicy
from spaces.models import Booking, SpaceClosure
from tests.calls.factories import CallFactory
from tests.courses.factories import AttendanceFactory, CourseFactory, EnrollmentFactory, UserFactory
from tests.news.factories import NewsletterIssueFactory, NewsPostFactory, SubscriberFactory
from tests.ondure.factories import (
    CommunityFactory,
    CommunityMemberFactory,
    CommunityStageRecordFactory,
    SupportProgramFactory,
    SupportRecordFactory,
)
from tests.partners.factories import PartnerCenterFactory, make_key
from tests.regeneration.factories import (
    ActivationAreaFactory,
    CouncilMeetingFactory,
    CouncilMemberFactory,
    CouncilSupportFactory,
    DongFactory,
    HouseStatusChangeFactory,
    HousingProgramFactory,
    MeetingAttachmentFactory,
    MeetingAttendanceFactory,
    OwnerConsentFactory,
    RenovationFactory,
    ResidentCouncilFactory,
    RoomFactory,
    TenancyFactory,
    VacantHouseFactory,
    VacantHouseGradeFactory,
)
from tests.social_economy.factories import (
    ConsultingSessionFactory,
    NetworkMembershipFactory,
    ProductCertificationFactory,
    ProductFactory,
    SalesChannelFactory,
    StoreListingFactory,
    SupportNeedFactory,
    SurveyProductItemFactory,
)
from tests.spaces.factories import at, room

PDF = b"%PDF-1.4\n%%EOF\n"

ROW_BUILDERS = {}

# Admins of other libraries this registry does not build rows for, with the reason (none today).
NOT_BUILT = {}

_numbers = itertools.count(1)


def _number():
    return next(_numbers)


def builds(*labels):
    """Register the decorated function as the builder of each of ``labels``."""

    def register(builder):
        for label in labels:
            assert label not in ROW_BUILDERS, label
            ROW_BUILDERS[label] = builder
        return builder

    return register


def _pick(label, chain, attribute):
    """Register ``label``'s builder: one ``chain()`` of an app's related rows, returning its ``attribute``."""
    assert label not in ROW_BUILDERS, label
    ROW_BUILDERS[label] = lambda: getattr(chain(), attribute)


def _staff():
    return UserFactory(is_staff=True)


def _dong():
    # The factories' dongs are get-or-create over a few names: a new name keeps one row per call.
    return Dong.objects.create(name=f"시험{_number()}동", district=District.WANSAN)


# --- courses --------------------------------------------------------------------------------------------


def _courses_row():
    """An attendance with its own course, track, session, enrollee and checker; a waiting enrolment too."""
    attendance = AttendanceFactory()
    EnrollmentFactory(course=attendance.enrollment.course, status=EnrollmentStatus.WAITING)
    enrollment = attendance.enrollment
    course = enrollment.course
    return SimpleNamespace(
        attendance=attendance,
        enrollment=enrollment,
        session=attendance.session,
        course=course,
        track=course.track,
    )


_pick("courses.Track", _courses_row, "track")
_pick("courses.Course", _courses_row, "course")
_pick("courses.CourseSession", _courses_row, "session")
_pick("courses.Enrollment", _courses_row, "enrollment")
_pick("courses.Attendance", _courses_row, "attendance")


@builds("courses.CourseFeedback")
def _course_feedback():
    row = _courses_row()
    return CourseFeedback.objects.create(
        course=row.course,
        enrollment=row.enrollment,
        submitted_at=timezone.now(),
        overall=5,
        content=4,
        instructor=5,
        venue=3,
        schedule=4,
        comment="다음 기수도 듣고 싶어요.",
    )


# --- social economy ---------------------------------------------------------------------------------------

# Policies of fields the chain's member edits leave alone, so every chain's changes wait for review alike.
_POLICY_FIELDS = [
    ("product", "price"),
    ("product", "unit"),
    ("product", "kind"),
    ("product", "category"),
    ("product", "description"),
    ("organization", "phone"),
    ("organization", "website"),
    ("organization", "address"),
]


def _social_economy_row():
    """A row of every model of the app, each chain with its own organization, campaign, store…"""
    channel, need, certification = SalesChannelFactory(), SupportNeedFactory(), ProductCertificationFactory()
    item = SurveyProductItemFactory(response__sales_channels=[channel], response__needs=[need])
    product, organization = item.product, item.product.organization
    product.certifications.add(certification)
    ProductFactory(organization=organization)
    listing = StoreListingFactory(product=product)
    consulting_session = ConsultingSessionFactory(case__organization=organization)
    ConsultingSessionFactory()
    membership = NetworkMembershipFactory(organization=organization)
    member = OrganizationMember.objects.create(
        organization=organization, user=UserFactory(), status=OrganizationMember.Status.ACTIVE
    )
    consulting_request = ConsultingRequest.objects.create(
        organization=organization, requested_by=member.user, topic="marketing", description="판로"
    )
    # A member's waiting changes: one of the organization, one of a product (the queue lists pending rows).
    profiles.organization_profile_update(
        organization=organization, changes={"representative_name": "새대표"}, actor=member.user
    )
    profiles.product_update(product=product, changes={"name": product.name + " 새"}, actor=member.user)
    taken = set(ProfileFieldPolicy.objects.values_list("target", "field_name"))
    target, field_name = next(pair for pair in _POLICY_FIELDS if pair not in taken)
    policy = ProfileFieldPolicy.objects.create(target=target, field_name=field_name, requires_review=True)
    return SimpleNamespace(
        organization=organization,
        product=product,
        campaign=item.response.campaign,
        response=item.response,
        item=item,
        store=listing.store,
        listing=listing,
        case=consulting_session.case,
        consulting_session=consulting_session,
        network=membership.network,
        membership=membership,
        channel=channel,
        need=need,
        certification=certification,
        member=member,
        consulting_request=consulting_request,
        policy=policy,
        change=organization.profile_changes.first(),
    )


for _label, _attribute in [
    ("social_economy.Organization", "organization"),
    ("social_economy.Product", "product"),
    ("social_economy.SurveyCampaign", "campaign"),
    ("social_economy.SurveyResponse", "response"),
    ("social_economy.SurveyProductItem", "item"),
    ("social_economy.Store", "store"),
    ("social_economy.StoreListing", "listing"),
    ("social_economy.ConsultingCase", "case"),
    ("social_economy.ConsultingSession", "consulting_session"),
    ("social_economy.Network", "network"),
    ("social_economy.NetworkMembership", "membership"),
    ("social_economy.SalesChannel", "channel"),
    ("social_economy.SupportNeed", "need"),
    ("social_economy.ProductCertification", "certification"),
    ("social_economy.OrganizationMember", "member"),
    ("social_economy.ConsultingRequest", "consulting_request"),
    ("social_economy.ProfileFieldPolicy", "policy"),
    ("social_economy.ProfileChange", "change"),
]:
    _pick(_label, _social_economy_row, _attribute)


# --- regeneration -------------------------------------------------------------------------------------


@builds("regeneration.ActivationArea")
def _area():
    area = ActivationAreaFactory()
    area.dongs.set([DongFactory(name="중앙동"), DongFactory(name="풍남동")])
    return area


@builds("regeneration.ResidentCouncil")
def _council():
    council = ResidentCouncilFactory()
    CouncilMemberFactory(council=council)
    CouncilMeetingFactory(council=council)
    return council


@builds("regeneration.CouncilMeeting")
def _meeting():
    return MeetingAttendanceFactory().meeting


@builds("regeneration.VacantHouse")
def _house():
    return VacantHouseFactory(
        dong=DongFactory(name="노송동"), status="in_use", current_program=HousingProgramFactory()
    )


@builds("regeneration.HousingProgram")
def _program():
    program = HousingProgramFactory()
    VacantHouseFactory(status="in_use", current_program=program)
    TenancyFactory(program=program)
    return program


@builds("regeneration.HouseStatusChange")
def _status_change():
    return HouseStatusChangeFactory(changed_by=_staff())


@builds("regeneration.Tenancy")
def _tenancy():
    room = RoomFactory()
    return TenancyFactory(house=room.house, room=room)


for _label, _factory in [
    ("regeneration.CouncilMember", CouncilMemberFactory),
    ("regeneration.MeetingAttendance", MeetingAttendanceFactory),
    ("regeneration.VacantHouseGrade", VacantHouseGradeFactory),
    ("regeneration.OwnerConsent", OwnerConsentFactory),
    ("regeneration.Renovation", RenovationFactory),
    ("regeneration.Room", RoomFactory),
    ("regeneration.MeetingAttachment", MeetingAttachmentFactory),
    ("regeneration.CouncilSupport", CouncilSupportFactory),
]:
    builds(_label)(_factory)


# --- ondure ---------------------------------------------------------------------------------------------


def _ondure_row():
    """A graduated community with members, a stage record and two supports (a grant and consulting)."""
    community = CommunityFactory(graduated=True)
    member = CommunityMemberFactory(community=community)
    CommunityMemberFactory(community=community)
    stage_record = CommunityStageRecordFactory(community=community)
    grant = SupportRecordFactory(community=community)
    SupportRecordFactory(community=community, kind=SupportRecord.Kind.CONSULTING, amount=0)
    return SimpleNamespace(
        community=community,
        member=member,
        stage_record=stage_record,
        grant=grant,
        program=grant.program,
    )


_pick("ondure.Community", _ondure_row, "community")
_pick("ondure.CommunityMember", _ondure_row, "member")
_pick("ondure.CommunityStageRecord", _ondure_row, "stage_record")
_pick("ondure.SupportProgram", _ondure_row, "program")
_pick("ondure.SupportRecord", _ondure_row, "grant")


def _settlement_row():
    """A community's grant being settled, with two expense lines (one with a receipt)."""
    grant = _ondure_row().grant
    settlement = GrantSettlement.objects.create(
        support_record=grant, granted_amount=grant.amount, spent_total=450_000
    )
    line = ExpenseLine.objects.create(
        settlement=settlement,
        spent_on=grant.supported_on,
        vendor="한지 공방",
        purpose="재료비",
        category=ExpenseCategory.MATERIALS,
        amount=300_000,
        receipt=ContentFile(PDF, name="receipt.pdf"),
    )
    ExpenseLine.objects.create(
        settlement=settlement,
        spent_on=grant.supported_on,
        vendor="전주 인쇄소",
        purpose="홍보물",
        category=ExpenseCategory.PROMOTION,
        amount=150_000,
    )
    return SimpleNamespace(settlement=settlement, line=line)


_pick("ondure.GrantSettlement", _settlement_row, "settlement")
_pick("ondure.ExpenseLine", _settlement_row, "line")


@builds("ondure.CommunityGraduation")
def _graduation():
    community = _ondure_row().community
    organization = community.graduated_organization
    return CommunityGraduation.objects.create(
        community=community,
        organization=organization,
        organization_name=organization.name,
        organization_type=organization.org_type,
        graduated_on=community.graduated_on,
        reason="희망 단계를 마치고 협동조합으로 설립",
        decided_by=_staff(),
    )


@builds("ondure.OndureEducationCourse")
def _ondure_education_course():
    return OndureEducationCourse.objects.create(
        course=CourseFactory(),
        program=SupportProgramFactory(kind=SupportProgram.Kind.COOPERATIVE_EDUCATION),
    )


# --- calls ----------------------------------------------------------------------------------------------


def _calls_row():
    """A call with its parts, one submitted application with a document, a member, a score and a declared
    conflict, and the call's published draw."""
    call = CallFactory()
    call.dongs.set([_dong()])
    requirement = call.documents.get()
    criterion = ScoringCriterion.objects.create(call=call, name="활동 계획", max_points=30)
    question = CallQuestion.objects.create(call=call, text="입주 후 공동체 활동에 참여할 계획")
    attachment = CallAttachment.objects.create(
        call=call, title="공고문", file=ContentFile(PDF, name="notice.pdf")
    )
    receipt_number = f"{call.code}-0001"
    application = Application.objects.create(
        call=call,
        applicant=UserFactory(),
        receipt_number=receipt_number,
        status=ApplicationStatus.SUBMITTED,
        applicant_name="김청년",
        birth_date=datetime.date(2000, 5, 5),
        phone="010-5555-1234",
        dong=_dong(),
        declares_no_home=True,
        motivation="구도심에서 일하며 살고 싶습니다.",
        answers={str(question.pk): "마을 모임에 나가겠습니다."},
        consent_version=call.privacy_terms_version,
        consented_at=timezone.now(),
        submitted_at=timezone.now(),
    )
    document = ApplicationDocument.objects.create(
        application=application,
        requirement=requirement,
        file=ContentFile(PDF, name="document.pdf"),
        original_name="주민등록등본.pdf",
    )
    member = ApplicationMember.objects.create(application=application, name="이구성", dong=_dong())
    score = ReviewScore.objects.create(
        application=application, criterion=criterion, reviewer=_staff(), points=20
    )
    conflict = ConflictOfInterest.objects.create(
        application=application, reviewer=_staff(), reason="친족 관계"
    )
    draw = Draw.objects.create(
        call=call,
        algorithm=DRAW_ALGORITHM,
        seed="37-12-05",
        entries=[receipt_number],
        order=[receipt_number],
        witnessed_by="참관인 3명",
        performed_by=_staff(),
    )
    return SimpleNamespace(
        call=call,
        application=application,
        draw=draw,
        document=document,
        member=member,
        score=score,
        conflict=conflict,
        requirement=requirement,
        criterion=criterion,
        attachment=attachment,
        question=question,
    )


for _label, _attribute in [
    ("calls.Call", "call"),
    ("calls.Application", "application"),
    ("calls.Draw", "draw"),
    ("calls.ApplicationDocument", "document"),
    ("calls.ApplicationMember", "member"),
    ("calls.ReviewScore", "score"),
    ("calls.ConflictOfInterest", "conflict"),
    ("calls.DocumentRequirement", "requirement"),
    ("calls.ScoringCriterion", "criterion"),
    ("calls.CallAttachment", "attachment"),
    ("calls.CallQuestion", "question"),
]:
    _pick(_label, _calls_row, _attribute)


# --- spaces ---------------------------------------------------------------------------------------------


def _spaces_row():
    """A space with a closure day and a citizen's request to book it."""
    number = _number()
    space = room(name=f"센터 소회의실 {number}", slug=f"small-room-{number}")
    closure = SpaceClosure.objects.create(space=space, date=datetime.date(2027, 3, 11), reason="소독")
    day = datetime.date(2027, 3, 10)
    booking = Booking.objects.create(
        space=space,
        user=UserFactory(),
        group_name="풍남동 주민모임",
        contact_phone="010-2345-6789",
        purpose="마을 모임",
        headcount=5,
        starts_at=at(day, 10),
        ends_at=at(day, 12),
    )
    return SimpleNamespace(space=space, closure=closure, booking=booking)


_pick("spaces.Space", _spaces_row, "space")
_pick("spaces.SpaceClosure", _spaces_row, "closure")
_pick("spaces.Booking", _spaces_row, "booking")


# --- inquiries ------------------------------------------------------------------------------------------


@builds("inquiries.Inquiry")
def _inquiry():
    load_team_groups()
    inquiry = inquiry_services.inquiry_submit(
        team="education",
        subject="주말 강좌가 있나요?",
        question="토요일 강좌를 찾습니다.",
        agreed=True,
        actor=UserFactory(),
    )
    return inquiry_services.inquiry_assign(inquiry_id=inquiry.pk, assignee=_staff(), actor=_staff())


# --- news -----------------------------------------------------------------------------------------------


@builds("news.NewsPost")
def _news_post():
    post = NewsPostFactory(author=_staff())
    NewsAttachment.objects.create(post=post, title="대관 신청서", file=ContentFile(PDF, name="form.pdf"))
    return post


@builds("news.NewsAttachment")
def _news_attachment():
    return _news_post().attachments.get()


@builds("news.FaqEntry")
def _faq_entry():
    return FaqEntry.objects.create(
        program=Program.ONDURE,
        question=f"전주 온두레 공동체의 최소 인원은? ({_number()})",
        answer="유형마다 다릅니다.",
    )


def _library_row():
    """A publication with a downloaded attachment."""
    publication = Publication.objects.create(
        slug=f"research-{_number()}",
        category=Publication.Category.RESEARCH,
        title="전주시 도시재생 정책 발굴과 연구",
        year=2016,
        program=Program.REGENERATION,
        published_on=datetime.date(2016, 12, 20),
    )
    attachment = PublicationAttachment.objects.create(
        publication=publication,
        title="보고서 전문",
        file=ContentFile(PDF, name="report.pdf"),
        download_count=1,
    )
    download = PublicationDownload.objects.create(
        attachment=attachment, visitor_key="k" * 64, day=datetime.date(2027, 3, 4)
    )
    return SimpleNamespace(publication=publication, attachment=attachment, download=download)


_pick("news.Publication", _library_row, "publication")
_pick("news.PublicationAttachment", _library_row, "attachment")
_pick("news.PublicationDownload", _library_row, "download")


def _newsletter_item(issue, program_row):
    content_type = ContentType.objects.get_for_model(program_row)
    return NewsletterItem.objects.create(issue=issue, content_type=content_type, object_id=program_row.pk)


def _newsletter_row():
    """A sent issue with a news post, a course and a product, and its delivery to a subscriber by e-mail."""
    issue = NewsletterIssueFactory(
        status=NewsletterIssue.Status.SENT, send_started_at=timezone.now(), sent_by=_staff()
    )
    issue.news_posts.set([NewsPostFactory()])
    course_item = _newsletter_item(issue, CourseFactory())
    _newsletter_item(issue, ProductFactory())
    subscriber = SubscriberFactory()
    email = OutboxEmail.objects.create(
        dedup_key=f"newsletter-{issue.pk}-{subscriber.pk}",
        to=[subscriber.email],
        subject=issue.subject,
        body="이번 호 소식입니다.",
        status=OutboxEmail.Status.SENT,
        sent_at=timezone.now(),
    )
    delivery = NewsletterDelivery.objects.create(
        issue=issue,
        subscriber=subscriber,
        email=email,
        status=NewsletterDelivery.Status.QUEUED,
        processed_at=timezone.now(),
    )
    return SimpleNamespace(issue=issue, item=course_item, subscriber=subscriber, delivery=delivery)


_pick("news.NewsletterIssue", _newsletter_row, "issue")
_pick("news.NewsletterItem", _newsletter_row, "item")
_pick("news.Subscriber", _newsletter_row, "subscriber")
_pick("news.NewsletterDelivery", _newsletter_row, "delivery")


# --- partners -------------------------------------------------------------------------------------------


def _partner_key():
    api_key, _raw = make_key("courses:read", "social_economy:read")
    return api_key


@builds("partners.PartnerCenter")
def _partner_center():
    return _partner_key().partner


@builds("partners.PartnerAPIKey")
def _partner_api_key():
    return _partner_key()


@builds("partners.ChangeEvent")
def _change_event():
    return ChangeEvent.objects.create(
        resource="consulting-cases",
        object_id=str(_number()),
        action=ChangeEvent.Action.CREATED,
        partner=PartnerCenterFactory(),
    )


@builds("partners.IdempotencyRecord")
def _idempotency_record():
    return IdempotencyRecord.objects.create(
        api_key=_partner_key(),
        key=f"retry-{_number()}",
        request_fingerprint="f" * 64,
        status_code=201,
        response_body={"id": 1},
    )


# --- common ---------------------------------------------------------------------------------------------


@builds("common.Dong")
def _common_dong():
    return _dong()


@builds("common.ServiceHeartbeat")
def _heartbeat():
    return ServiceHeartbeat.objects.create(component=f"worker-{_number()}", last_seen=timezone.now())


@builds("common.OutboxEmail")
def _outbox_email():
    return OutboxEmail.objects.create(
        dedup_key=f"mail-{_number()}",
        to=["citizen@example.com"],
        subject="[전주도시혁신센터] 수강신청이 확정되었습니다",
        body="본문입니다.",
    )


@builds("common.OutboxMessage")
def _outbox_message():
    return OutboxMessage.objects.create(
        dedup_key=f"message-{_number()}",
        user=UserFactory(),
        phone="010-2345-6789",
        event="enrollment_confirmed",
        text="전주도시혁신센터: 수강신청이 확정되었습니다.",
    )


@builds("common.PersonalDataAccess")
def _personal_data_access():
    staff = _staff()
    return PersonalDataAccess.objects.create(
        staff=staff,
        staff_username=staff.username,
        ip_address="10.1.2.3",
        action=PersonalDataAccess.Action.VIEW,
        data_kind="수강 신청",
        model_label="courses.enrollment",
        object_ids=[1],
        record_count=1,
        fields=["user__name"],
    )


@builds("common.AccessLogReview")
def _access_log_review():
    number = _number()
    month = datetime.date(2000 + number // 12, number % 12 + 1, 1)
    return AccessLogReview.objects.create(
        month=month, reviewed_by=_staff(), record_count=3, findings="이상 없음"
    )


@builds("common.RetentionRun")
def _retention_run():
    return RetentionRun.objects.create(
        policy="courses.enrollment", cutoff=datetime.date(2024, 12, 31), processed_count=2
    )


# --- accounts and the libraries' own admins -------------------------------------------------------------


@builds("accounts.User")
def _user():
    user = UserFactory()
    user.groups.set([_group()])
    return user


@builds("auth.Group")
def _group():
    group = Group.objects.create(name=f"시험 그룹 {_number()}")
    group.permissions.set(Permission.objects.filter(codename__in=["view_course", "view_track"]))
    return group


@builds("accounts.ConsentRecord")
def _consent_record():
    return ConsentRecord.objects.create(
        user=UserFactory(), item=ConsentRecord.Item.PRIVACY_SIGNUP, version="2026-01", ip_address="10.1.2.3"
    )


@builds("accounts.MessageSubscription")
def _message_subscription():
    return MessageSubscription.objects.create(user=UserFactory(), event=MessageEvent.ENROLLMENT_CONFIRMED)


@builds("accounts.PhoneVerification")
def _phone_verification():
    return PhoneVerification.objects.create(
        user=UserFactory(),
        phone="010-2345-6789",
        code_hash="0" * 64,
        expires_at=timezone.now() + datetime.timedelta(minutes=5),
    )


@builds("account.EmailAddress")
def _email_address():
    user = UserFactory()
    return EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


def _social_row():
    """A Kakao login: the app, a citizen's account linked through it and the account's token."""
    number = _number()
    app = SocialApp.objects.create(provider="kakao", name=f"카카오 {number}", client_id=f"client-{number}")
    account = SocialAccount.objects.create(user=UserFactory(), provider="kakao", uid=str(number))
    token = SocialToken.objects.create(app=app, account=account, token=f"token-{number}")
    return SimpleNamespace(app=app, account=account, token=token)


_pick("socialaccount.SocialApp", _social_row, "app")
_pick("socialaccount.SocialAccount", _social_row, "account")
_pick("socialaccount.SocialToken", _social_row, "token")


@builds("otp_totp.TOTPDevice")
def _totp_device():
    return TOTPDevice.objects.create(user=_staff(), name="인증 앱", confirmed=True)


@builds("otp_static.StaticDevice")
def _static_device():
    device = StaticDevice.objects.create(user=_staff(), name="복구 코드", confirmed=True)
    device.token_set.create(token="a1b2c3d4")
    return device


def _login_fields():
    return {
        "username": f"citizen{_number()}@example.com",
        "ip_address": "203.0.113.7",
        "user_agent": "Mozilla/5.0",
        "http_accept": "text/html",
        "path_info": "/accounts/login/",
    }


@builds("axes.AccessAttempt")
def _access_attempt():
    return AccessAttempt.objects.create(**_login_fields(), get_data="", post_data="", failures_since_start=2)


@builds("axes.AccessLog")
def _access_log():
    return AccessLog.objects.create(**_login_fields())


@builds("axes.AccessFailureLog")
def _access_failure_log():
    return AccessFailureLog.objects.create(**_login_fields(), locked_out=False)
