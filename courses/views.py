"""Public pages of citizen courses: the catalogue, a course, enrol/cancel, /me/ and the calendars.

Thin views: reads go through ``selectors``, writes through ``services``; a refusal from a service is shown
as a Korean message and changes nothing. Pages that show a citizen's own data are ``no-store``.
"""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import OperationalError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from jeonju_center.common import db_errors
from jeonju_center.common.db_routing import use_primary
from jeonju_center.common.forms import add_service_errors
from jeonju_center.common.security import client_ip_address

from . import cache as page_cache
from . import calendars, selectors, services
from . import feedback as course_feedback
from .filters import CourseFilterSet
from .forms import EnrollmentForm, FeedbackForm
from .models import Course, CourseAudience, CourseStatus, EnrollmentStatus

PAGE_SIZE = 20
CATALOGUE_FILTER_FIELDS = ("q", "track", "month", "open")


def _get_course_or_404(slug, find=selectors.public_course):
    try:
        return find(slug)
    except Course.DoesNotExist:
        raise Http404(_("강좌를 찾을 수 없습니다.")) from None


def _refusal_text(error):
    return " ".join(error.messages)


def _catalogue(request, *, csrf_token=None):
    filterset = CourseFilterSet(request.GET or None, queryset=selectors.catalogue_courses())
    status = 200
    if filterset.is_bound and not filterset.is_valid():
        courses, status = Course.objects.none(), 400
    else:
        courses = filterset.qs
    page = Paginator(courses, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    form = filterset.form
    context = {
        "page": page,
        "filter_form": form,
        "filter_fields": [form[name] for name in CATALOGUE_FILTER_FIELDS],
        "query_string": query.urlencode(),
        "is_filtered": any(request.GET.get(name) for name in CATALOGUE_FILTER_FIELDS),
    }
    if csrf_token is not None:
        context["csrf_token"] = csrf_token
    return render(request, "courses/catalogue.html", context, status=status)


@require_safe
def catalogue(request):
    if not page_cache.is_shared(request):
        return _catalogue(request)

    def render_shared(csrf_token, now):
        response = _catalogue(request, csrf_token=csrf_token)
        return response, selectors.next_enrollment_window_change(now)

    # Every anonymous visitor gets the same page for the same address (courses/cache.py).
    return page_cache.shared_page(request, render_shared)


def _button_state(course, enrollment, user, now):
    """What the visitor can do on the course page: one of the states the template knows."""
    if enrollment is not None:
        if enrollment.status == EnrollmentStatus.WAITING:
            return "waiting"
        if now < services.cancellation_deadline(course):
            return "confirmed"
        return "confirmed_locked"
    if course.status == CourseStatus.CANCELLED:
        return "cancelled"
    if not course.is_enrollment_open:
        return "not_yet" if now < course.enrollment_opens_at else "closed"
    if not user.is_authenticated:
        return "login"
    if course.audience == CourseAudience.DONG_RESIDENTS and user.dong_id not in {
        dong.pk for dong in course.audience_dongs.all()
    }:
        return "not_eligible"
    if course.seats_left > 0:
        return "enroll"
    if course.waitlist_length < course.waitlist_limit:
        return "waitlist"
    return "full"


def _detail_response(request, course, *, form=None, status=200, csrf_token=None):
    now = timezone.now()
    enrollment = selectors.user_active_enrollment(request.user, course)
    context = {
        "course": course,
        "sessions": list(course.sessions.all()),
        "enrollment": enrollment,
        "state": _button_state(course, enrollment, request.user, now),
        "cancel_deadline": services.cancellation_deadline(course),
        "form": form or EnrollmentForm(),
        "login_url": f"{reverse('account_login')}?next={request.path}",
        "signup_url": f"{reverse('account_signup')}?next={request.path}",
    }
    if csrf_token is not None:
        context["csrf_token"] = csrf_token
    response = render(request, "courses/detail.html", context, status=status)
    if request.user.is_authenticated:
        add_never_cache_headers(response)
    return response


@require_safe
def detail(request, slug):
    if not page_cache.is_shared(request):
        return _detail_response(request, _get_course_or_404(slug))

    def render_shared(csrf_token, now):
        course = _get_course_or_404(slug)
        response = _detail_response(request, course, csrf_token=csrf_token)
        return response, selectors.next_enrollment_window_change(now, course)

    # Every anonymous visitor sees the same page ("log in to enrol"), kept in the cache (courses/cache.py).
    return page_cache.shared_page(request, render_shared)


def _busy_response(request, course, message):
    """503 with ``Retry-After``: the course page again, with the message and the button to retry."""
    messages.error(request, message)
    response = _detail_response(request, course, status=503)
    response["Retry-After"] = str(db_errors.RETRY_AFTER_SECONDS)
    return response


def _login_first(request, course):
    messages.info(request, _("수강신청은 로그인한 뒤 할 수 있습니다."))
    return redirect_to_login(reverse("courses:detail", args=[course.slug]))


@use_primary()
@require_POST
def enroll(request, slug):
    # Only the course's id and slug: the service reads and locks the course itself, and the page with its
    # seat counts is built only when it is shown (a refused form, a busy database). At the opening minute of
    # a popular course every request saved here is CPU given to the others.
    course = _get_course_or_404(slug, find=selectors.public_course_reference)
    if not request.user.is_authenticated:
        return _login_first(request, course)
    form = EnrollmentForm(request.POST)
    if not form.is_valid():
        return _detail_response(request, _get_course_or_404(slug), form=form, status=400)
    try:
        enrollment = services.enrollment_create(
            course=course,
            user=request.user,
            actor=request.user,
            consent_version=settings.PRIVACY_TERMS_VERSION,
            consent_ip=client_ip_address(request),
        )
    except ValidationError as error:
        messages.error(request, _refusal_text(error))
    except OperationalError as error:
        if not db_errors.is_contention(error):
            raise  # a lost connection: the site's 503 page (jeonju_center.common.db_errors)
        # The course lock was not granted within DB_LOCK_TIMEOUT_MS: nothing was written.
        return _busy_response(
            request,
            _get_course_or_404(slug),
            _("신청이 몰려 처리하지 못했습니다. 잠시 후 다시 시도해 주세요."),
        )
    else:
        if enrollment.status == EnrollmentStatus.CONFIRMED:
            messages.success(request, _("수강신청이 확정되었습니다. 안내 메일을 보내 드렸습니다."))
        else:
            position = enrollment.position_when_enrolled
            messages.success(
                request,
                _("정원이 차서 대기 %(position)d번으로 신청되었습니다. 자리가 나면 자동으로 확정됩니다.")
                % {"position": position},
            )
    return redirect("courses:detail", slug=course.slug)


def _safe_next(request, default):
    target = request.POST.get("next", "") or request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@use_primary()
@never_cache
@require_http_methods(["GET", "POST"])
def cancel(request, slug):
    """GET: what cancelling means (the seat goes to the next person, a waiting place is lost), with the
    button. POST from that page (``confirm``) cancels; a POST without it shows the page first."""
    course = _get_course_or_404(slug)
    if not request.user.is_authenticated:
        return _login_first(request, course)
    next_url = _safe_next(request, reverse("courses:detail", args=[course.slug]))
    enrollment = selectors.user_active_enrollment(request.user, course)
    if enrollment is None:
        messages.error(request, _("취소할 신청이 없습니다."))
        return redirect(next_url)
    if request.method == "GET" or request.POST.get("confirm") != "yes":
        context = {
            "course": course,
            "enrollment": enrollment,
            "waiting_position": services.waiting_position(enrollment)
            if enrollment.status == EnrollmentStatus.WAITING
            else None,
            "cancel_deadline": services.cancellation_deadline(course),
            "next_url": next_url,
        }
        return render(request, "courses/cancel_confirm.html", context)
    try:
        services.enrollment_cancel(enrollment=enrollment, actor=request.user)
    except ValidationError as error:
        messages.error(request, _refusal_text(error))
    except OperationalError as error:
        if not db_errors.is_contention(error):
            raise
        return _busy_response(
            request, course, _("요청이 몰려 처리하지 못했습니다. 잠시 후 다시 시도해 주세요.")
        )
    else:
        messages.success(request, _("'%(title)s' 수강신청을 취소했습니다.") % {"title": course.title})
    return redirect(next_url)


@never_cache
@login_required
@require_safe
def my_enrollments(request):
    enrollments = list(selectors.user_enrollments(request.user))
    now = timezone.now()
    today = timezone.localdate(now)
    for enrollment in enrollments:
        enrollment.can_cancel = enrollment.status == EnrollmentStatus.WAITING or (
            enrollment.status == EnrollmentStatus.CONFIRMED
            and now < services.cancellation_deadline(enrollment.course)
        )
        # The satisfaction survey of a course that ended lately, for an attendee who has not answered yet.
        sessions = enrollment.course.sessions.all()
        ended_on = sessions[len(sessions) - 1].date if sessions else None
        if (
            enrollment.attended
            and not enrollment.has_feedback
            and ended_on
            and today - datetime.timedelta(days=course_feedback.LINK_VALID_DAYS) <= ended_on < today
        ):
            enrollment.feedback_link = course_feedback.feedback_url(enrollment)
    feed_path = reverse(
        "courses:my_calendar",
        kwargs={"user_id": request.user.pk, "token": calendars.calendar_feed_token(request.user)},
    )
    context = {
        "active": [e for e in enrollments if e.status != EnrollmentStatus.CANCELLED],
        "cancelled": [e for e in enrollments if e.status == EnrollmentStatus.CANCELLED],
        "feed_url": request.build_absolute_uri(feed_path),
    }
    return render(request, "courses/my_enrollments.html", context)


def _ics_response(content, filename):
    response = HttpResponse(content, content_type=calendars.ICS_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
def course_calendar(request, slug):
    course = _get_course_or_404(slug)
    return _ics_response(calendars.course_calendar(course), f"{course.slug}.ics")


@never_cache
@require_safe
def my_calendar(request, user_id, token):
    """A citizen's private feed: anyone with the address can read it, so the address holds a secret."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not calendars.calendar_feed_token_is_valid(user, token):
        raise Http404(_("캘린더 주소가 올바르지 않습니다."))
    enrollments = selectors.user_enrollments(user).exclude(status=EnrollmentStatus.CANCELLED)
    response = _ics_response(
        calendars.enrollments_calendar(enrollments, name=_("나의 시민강좌")), "my-courses.ics"
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def feedback_survey(request, token):
    """The satisfaction survey from the personal link in the e-mail (no sign-in needed: the link is the key)."""
    try:
        enrollment = course_feedback.enrollment_for_token(token)
    except course_feedback.FeedbackLinkError as error:
        return render(request, "courses/feedback.html", {"link_error": error.message}, status=400)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            course_feedback.feedback_submit(
                enrollment=enrollment,
                answers={name: value for name, value in data.items() if name != "comment"},
                comment=data["comment"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return render(request, "courses/feedback.html", {"course": enrollment.course, "done": True})
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request, "courses/feedback.html", {"course": enrollment.course, "form": form}, status=status
    )
