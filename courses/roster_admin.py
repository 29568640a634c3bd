"""A course's roster in the back office (수강생 명단): the confirmed, the waiting list in order and the
cancelled, and what staff do from it — enrol a citizen on their behalf, cancel or move an enrolment, change
the capacity, cancel the course, take attendance per session, decide completion, see the satisfaction
results and export the roster and the attendance (Excel, printable sign-in sheet).

Every operation has one of two shapes: a small form on the roster page (POST only; a refusal becomes an
error message on the roster) or its own confirmation page (``roster_form.html``). Both call the same
services the public pages use and show a service's ``ValidationError`` as the message, changing nothing.
Every unmasked view, search on people and export writes one access-log row.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from jeonju_center.common.download_reasons import download_reason
from jeonju_center.common.masking import mask_name
from jeonju_center.common.models import PersonalDataAccess
from jeonju_center.common.personal_data import can_view_personal_data, record_personal_data_access
from jeonju_center.common.validators import normalize_phone

from . import exports, selectors, services
from .completion import attendance_record
from .models import CancelReason, Course, CourseSession, CourseStatus, Enrollment

Action = PersonalDataAccess.Action


def error_text(error):
    return " ".join(str(message) for message in error.messages)


# --- Forms -----------------------------------------------------------------------------------------------


class RosterSearchForm(forms.Form):
    q = forms.CharField(
        label=_("수강생 검색"),
        required=False,
        max_length=100,
        help_text=_("이름, 아이디, 이메일, 휴대전화 번호 또는 수료증 번호의 일부"),
    )


class EnrollOnBehalfForm(forms.Form):
    """Staff enrol a citizen who applied by phone or at the desk; the citizen needs an account."""

    citizen = forms.CharField(
        label=_("회원 이메일 또는 휴대전화 번호"),
        max_length=254,
        help_text=_("계정이 없는 전화 신청자는 먼저 '사용자'에서 회원을 등록한 뒤 신청하세요."),
    )
    consent = forms.BooleanField(
        label=_("신청자에게서 개인정보 수집·이용 동의를 받았습니다."),
        required=True,
        error_messages={"required": _("개인정보 수집·이용 동의를 받은 뒤에 대리 신청할 수 있습니다.")},
    )

    def clean_citizen(self):
        value = self.cleaned_data["citizen"].strip()
        users = get_user_model().objects.filter(is_active=True)
        if "@" in value:
            matches = list(users.filter(email__iexact=value)[:2])
        else:
            try:
                phone = normalize_phone(value)
            except ValidationError:
                raise forms.ValidationError(
                    _("이메일 주소나 휴대전화 번호(예: 010-1234-5678)를 입력하세요.")
                ) from None
            matches = list(users.filter(phone=phone)[:2])
        if not matches:
            raise forms.ValidationError(_("해당하는 회원이 없습니다. 먼저 '사용자'에서 회원을 등록하세요."))
        if len(matches) > 1:
            raise forms.ValidationError(_("같은 번호의 회원이 여러 명입니다. 이메일 주소로 찾아 주세요."))
        return matches[0]


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(
        label=_("새 정원"),
        min_value=0,
        max_value=10000,
        help_text=_("정원을 늘리면 늘어난 자리만큼 대기자가 순서대로 확정됩니다."),
    )


class EnrollmentCancelForm(forms.Form):
    note = forms.CharField(
        label=_("취소 메모"),
        required=False,
        max_length=300,
        help_text=_("예: 전화로 취소 요청(3/2). 비워 두면 '관리자 취소'로만 기록됩니다."),
    )


class EnrollmentMoveForm(forms.Form):
    to_course = forms.ModelChoiceField(
        label=_("옮길 강좌"),
        queryset=Course.objects.none(),
        help_text=_("옮길 강좌의 정원이 찼으면 그 강좌의 대기자로 등록됩니다."),
        error_messages={"invalid_choice": _("옮길 수 있는 강좌를 고르세요.")},
    )

    def __init__(self, *args, source_course, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_course"].queryset = (
            Course.objects.exclude(pk=source_course.pk)
            .exclude(status__in=[CourseStatus.CANCELLED, CourseStatus.FINISHED])
            .order_by("title", "pk")
        )


class CourseChangeNotifyForm(forms.Form):
    message = forms.CharField(
        label=_("안내 문구"),
        max_length=1000,
        help_text=_(
            "무엇이 바뀌었는지 적으세요 (예: 3회차 장소가 2층 강의실로 바뀝니다). 바뀐 일정표가 함께 갑니다."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("무엇이 바뀌었는지 안내 문구를 입력하세요.")},
    )


class CourseCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("폐강 사유"),
        max_length=300,
        help_text=_("신청자 모두에게 보내는 안내 메일에 들어갑니다."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("확정·대기 신청이 모두 취소되고 안내 메일이 나가는 것을 확인했습니다."),
        error_messages={"required": _("폐강하려면 확인란을 체크하세요.")},
    )


# --- Views -----------------------------------------------------------------------------------------------


class CourseRosterAdminMixin:
    """The roster pages of ``CourseAdmin`` (URL names ``admin:courses_course_…``)."""

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(never_cache(function))

        course = "<int:course_id>"
        roster_urls = [
            path(f"{course}/roster/", view(self.roster_view), name="courses_course_roster"),
            path(f"{course}/roster/enroll/", view(self.enroll_view), name="courses_course_enroll"),
            path(
                f"{course}/roster/<int:enrollment_id>/cancel/",
                view(self.enrollment_cancel_view),
                name="courses_course_enrollment_cancel",
            ),
            path(
                f"{course}/roster/<int:enrollment_id>/move/",
                view(self.enrollment_move_view),
                name="courses_course_enrollment_move",
            ),
            path(f"{course}/capacity/", view(self.capacity_view), name="courses_course_capacity"),
            path(f"{course}/cancel-course/", view(self.course_cancel_view), name="courses_course_cancel"),
            path(
                f"{course}/notify-change/",
                view(self.course_change_notify_view),
                name="courses_course_change_notify",
            ),
            path(f"{course}/completion/", view(self.completion_view), name="courses_course_completion"),
            path(
                f"{course}/sessions/<int:session_id>/attendance/",
                view(self.attendance_view),
                name="courses_course_attendance",
            ),
            path(
                f"{course}/sessions/<int:session_id>/sign-in-sheet/",
                view(self.sign_in_sheet_view),
                name="courses_course_sign_in_sheet",
            ),
            path(f"{course}/roster.xlsx", view(self.roster_xlsx_view), name="courses_course_roster_xlsx"),
            path(f"{course}/feedback/", view(self.feedback_view), name="courses_course_feedback"),
            path(
                f"{course}/feedback.xlsx", view(self.feedback_xlsx_view), name="courses_course_feedback_xlsx"
            ),
            path(
                f"{course}/attendance.xlsx",
                view(self.attendance_xlsx_view),
                name="courses_course_attendance_xlsx",
            ),
        ]
        return roster_urls + super().get_urls()

    # --- shared steps ----------------------------------------------------------------------------------

    def _require(self, request, *perms):
        if not request.user.has_perms([f"courses.{perm}" for perm in perms]):
            raise PermissionDenied

    def _course(self, request, course_id):
        return get_object_or_404(self.get_queryset(request).select_related("track"), pk=course_id)

    def _enrollment(self, course, enrollment_id):
        return get_object_or_404(
            Enrollment.objects.select_related("user", "course"), pk=enrollment_id, course=course
        )

    def _session(self, course, session_id):
        return get_object_or_404(CourseSession, pk=session_id, course=course)

    def _roster_url(self, course):
        return reverse("admin:courses_course_roster", args=[course.pk])

    def _context(self, request, course, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "course": course,
            "title": title,
            "roster_url": self._roster_url(course),
            **extra,
        }

    def _run(self, request, call, success):
        """Call a service; its refusal becomes an error message and changes nothing. True when it ran."""
        try:
            outcome = call()
        except ValidationError as error:
            self.message_user(request, error_text(error), messages.ERROR)
            return False
        self.message_user(request, success(outcome) if callable(success) else success, messages.SUCCESS)
        return True

    def _roster_form(self, request, course_id, form_class, *, perms, call, success):
        """Shape 1: a small form on the roster page, POST only; back to the roster with a message."""
        self._require(request, *perms)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        course = self._course(request, course_id)
        form = form_class(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            self._run(request, lambda: call(course, data), lambda outcome: success(data, outcome))
        else:
            for errors in form.errors.values():
                self.message_user(request, " ".join(errors), messages.ERROR)
        return HttpResponseRedirect(self._roster_url(course))

    def _confirmation_page(
        self, request, course, form, *, call, success, title, action_label, intro, danger=False
    ):
        """Shape 2: an operation with its own page that says what will happen; done, back to the roster."""
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            if self._run(request, lambda: call(data), lambda outcome: success(data, outcome)):
                return HttpResponseRedirect(self._roster_url(course))
        context = self._context(
            request, course, title, form=form, action_label=action_label, intro=intro, danger=danger
        )
        return TemplateResponse(request, "admin/courses/course/roster_form.html", context)

    def _log_people(self, request, action, enrollment_ids, fields, **kwargs):
        record_personal_data_access(
            request,
            action=action,
            model=Enrollment,
            object_ids=enrollment_ids,
            fields=fields,
            data_kind=gettext("수강생 명단"),
            **kwargs,
        )

    def _xlsx(self, content, filename):
        response = HttpResponse(content, content_type=exports.XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
        return response

    def _reason_or_page(self, request, course, title):
        return download_reason(
            request,
            title=title,
            data_kind=gettext("수강생 이름·연락처"),
            back_url=self._roster_url(course),
        )

    # --- the roster --------------------------------------------------------------------------------------

    def roster_view(self, request, course_id):
        self._require(request, "view_course", "view_enrollment")
        course = self._course(request, course_id)
        search_form = RosterSearchForm(request.GET or None)
        search = search_form.cleaned_data["q"] if search_form.is_valid() else ""
        unmasked = can_view_personal_data(request.user)
        roster = exports.course_roster(course, search=search, unmasked=unmasked)
        people = [e.pk for e in roster.confirmed + roster.waiting + roster.cancelled if e.user_id]
        if search.strip() and people:
            # A search on names and numbers finds people even when the page then masks them.
            self._log_people(
                request,
                Action.SEARCH,
                people,
                exports.SEARCHED_PERSONAL_FIELDS,
                masked=not unmasked,
                search_term=search,
            )
        elif unmasked and people:
            self._log_people(request, Action.VIEW, people, exports.ROSTER_PERSONAL_FIELDS)
        context = self._context(
            request,
            course,
            gettext("%(title)s 수강생 명단") % {"title": course.title},
            search_form=search_form,
            search=search,
            roster=roster,
            sessions=exports.course_sessions(course),
            enroll_form=EnrollOnBehalfForm(),
            capacity_form=CapacityForm(initial={"capacity": course.capacity}),
            can_change=request.user.has_perms(["courses.change_course", "courses.change_enrollment"]),
            is_closed=course.status in (CourseStatus.CANCELLED, CourseStatus.FINISHED),
            can_view_personal_data=unmasked,
        )
        return TemplateResponse(request, "admin/courses/course/roster.html", context)

    # --- shape 1: forms on the roster page -------------------------------------------------------------

    def enroll_view(self, request, course_id):
        def success(data, enrollment):
            user = data["citizen"]
            return gettext("%(name)s 님을 대리 신청했습니다 (%(state)s).") % {
                "name": mask_name(user.name or user.username),
                "state": enrollment.get_status_display(),
            }

        return self._roster_form(
            request,
            course_id,
            EnrollOnBehalfForm,
            perms=["add_enrollment", "change_enrollment"],
            call=lambda course, data: services.enrollment_create(
                course=course,
                user=data["citizen"],
                actor=request.user,
                consent_version=settings.PRIVACY_TERMS_VERSION,
            ),
            success=success,
        )

    def capacity_view(self, request, course_id):
        return self._roster_form(
            request,
            course_id,
            CapacityForm,
            perms=["change_course"],
            call=lambda course, data: services.course_capacity_change(
                course=course, capacity=data["capacity"], actor=request.user
            ),
            success=lambda data, promoted: (
                gettext("정원을 %(capacity)d명으로 바꿨습니다. 대기에서 확정된 사람: %(count)d명")
                % {"capacity": data["capacity"], "count": len(promoted)}
            ),
        )

    def completion_view(self, request, course_id):
        self._require(request, "change_course", "change_enrollment")
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        course = self._course(request, course_id)
        self._evaluate(request, course)
        return HttpResponseRedirect(self._roster_url(course))

    # --- shape 2: operations with a confirmation page ---------------------------------------------------

    def enrollment_cancel_view(self, request, course_id, enrollment_id):
        self._require(request, "change_enrollment")
        course = self._course(request, course_id)
        enrollment = self._enrollment(course, enrollment_id)
        who = {"name": enrollment.enrollee_display, "state": enrollment.get_status_display()}
        return self._confirmation_page(
            request,
            course,
            EnrollmentCancelForm(request.POST or None),
            call=lambda data: services.enrollment_cancel(
                enrollment=enrollment,
                actor=request.user,
                reason=data["note"].strip() or CancelReason.BY_STAFF,
            ),
            success=lambda data, _outcome: (
                gettext("%(name)s 님의 신청을 취소했습니다. 빈자리는 대기자에게 넘어갑니다.") % who
            ),
            title=gettext("수강신청 취소"),
            action_label=gettext("신청 취소"),
            intro=gettext(
                "%(name)s 님의 신청(%(state)s)을 취소합니다. 확정 인원이었다면 첫 번째 대기자가 자동으로 확정되고 "
                "두 사람 모두에게 안내 메일이 갑니다."
            )
            % who,
        )

    def enrollment_move_view(self, request, course_id, enrollment_id):
        self._require(request, "change_enrollment", "add_enrollment")
        course = self._course(request, course_id)
        enrollment = self._enrollment(course, enrollment_id)
        who = {"name": enrollment.enrollee_display, "state": enrollment.get_status_display()}
        return self._confirmation_page(
            request,
            course,
            EnrollmentMoveForm(request.POST or None, source_course=course),
            call=lambda data: services.enrollment_move(
                enrollment=enrollment, to_course=data["to_course"], actor=request.user
            ),
            success=lambda data, new: (
                gettext("%(name)s 님을 '%(title)s'(으)로 옮겼습니다 (%(state)s).")
                % {"name": who["name"], "title": data["to_course"].title, "state": new.get_status_display()}
            ),
            title=gettext("다른 강좌로 옮기기"),
            action_label=gettext("옮기기"),
            intro=gettext(
                "%(name)s 님의 신청(%(state)s)을 다른 강좌로 옮깁니다. 이 강좌의 신청은 취소되고 빈자리는 "
                "대기자에게 넘어갑니다."
            )
            % who,
        )

    def course_change_notify_view(self, request, course_id):
        """Staff changed a session's time or room: everyone enrolled (confirmed or waiting) gets the message
        and the updated timetable."""
        self._require(request, "change_course")
        course = self._course(request, course_id)
        return self._confirmation_page(
            request,
            course,
            CourseChangeNotifyForm(request.POST or None),
            call=lambda data: services.course_change_notify(
                course=course, actor=request.user, message=data["message"]
            ),
            success=lambda data, count: (
                gettext("변경 안내 메일을 보냈습니다: %(count)d명") % {"count": count}
            ),
            title=gettext("강좌 변경 안내"),
            action_label=gettext("안내 메일 보내기"),
            intro=gettext(
                "'%(title)s' 강좌의 확정 %(confirmed)d명, 대기 %(waiting)d명에게 아래 안내와 바뀐 일정표를 "
                "메일로 보냅니다."
            )
            % {"title": course.title, "confirmed": course.seats_taken, "waiting": course.waiting_count},
        )

    def course_cancel_view(self, request, course_id):
        self._require(request, "change_course", "change_enrollment")
        course = self._course(request, course_id)
        return self._confirmation_page(
            request,
            course,
            CourseCancelForm(request.POST or None),
            call=lambda data: services.course_cancel(
                course=course, actor=request.user, reason=data["reason"]
            ),
            success=lambda data, count: (
                gettext("강좌를 폐강했습니다. 취소되고 안내 메일을 받을 신청: %(count)d건") % {"count": count}
            ),
            title=gettext("강좌 폐강"),
            action_label=gettext("폐강하기"),
            danger=True,
            intro=gettext(
                "'%(title)s' 강좌를 폐강합니다. 확정 %(confirmed)d명, 대기 %(waiting)d명의 신청이 모두 취소되고 "
                "안내 메일이 나갑니다. 되돌릴 수 없습니다."
            )
            % {"title": course.title, "confirmed": course.seats_taken, "waiting": course.waiting_count},
        )

    # --- sessions -------------------------------------------------------------------------------------

    def attendance_view(self, request, course_id, session_id):
        self._require(request, "view_course", "view_attendance")
        course = self._course(request, course_id)
        session = self._session(course, session_id)
        if request.method == "POST":
            self._require(request, "add_attendance", "change_attendance")
            done = self._run(
                request,
                lambda: attendance_record(
                    session=session,
                    present_enrollment_ids=request.POST.getlist("present"),
                    actor=request.user,
                ),
                lambda result: (
                    gettext("%(session)s 출석을 저장했습니다: 출석 %(present)d명, 결석 %(absent)d명")
                    % {
                        "session": f"{session.date:%Y-%m-%d}",
                        "present": result.present,
                        "absent": result.absent,
                    }
                ),
            )
            if done:
                return HttpResponseRedirect(self._roster_url(course))
        unmasked = can_view_personal_data(request.user)
        enrollees = exports.session_attendance_sheet(session, unmasked=unmasked)
        if unmasked and enrollees:
            self._log_people(request, Action.VIEW, [e.pk for e in enrollees], exports.SHEET_PERSONAL_FIELDS)
        context = self._context(
            request,
            course,
            gettext("%(date)s 회차 출석") % {"date": f"{session.date:%Y-%m-%d}"},
            session=session,
            enrollees=enrollees,
            can_record=request.user.has_perms(["courses.add_attendance", "courses.change_attendance"]),
        )
        return TemplateResponse(request, "admin/courses/course/attendance.html", context)

    def sign_in_sheet_view(self, request, course_id, session_id):
        self._require(request, "view_course", "view_enrollment")
        course = self._course(request, course_id)
        session = self._session(course, session_id)
        unmasked = can_view_personal_data(request.user)
        enrollees = exports.session_attendance_sheet(session, unmasked=unmasked)
        if unmasked and enrollees:
            self._log_people(request, Action.VIEW, [e.pk for e in enrollees], exports.SHEET_PERSONAL_FIELDS)
        context = self._context(
            request,
            course,
            gettext("출석 서명부"),
            session=session,
            session_number=CourseSession.objects.filter(course=course)
            .filter(Q(date__lt=session.date) | Q(date=session.date, start_time__lt=session.start_time))
            .count()
            + 1,
            enrollees=enrollees,
        )
        return TemplateResponse(request, "admin/courses/course/sign_in_sheet.html", context)

    # --- results and exports ------------------------------------------------------------------------------

    def feedback_view(self, request, course_id):
        """The satisfaction results: response rate, per item the mean and a bar per score, the comments
        without names, and the course's earlier runs."""
        self._require(request, "view_course", "view_coursefeedback")
        course = self._course(request, course_id)
        results = selectors.course_feedback_results(course)
        context = self._context(request, course, gettext("만족도 조사 결과"), results=results)
        return TemplateResponse(request, "admin/courses/course/feedback.html", context)

    def feedback_xlsx_view(self, request, course_id):
        self._require(request, "view_course", "view_coursefeedback")
        course = self._course(request, course_id)
        content = exports.feedback_xlsx(course, selectors.course_feedback_results(course))
        return self._xlsx(content, f"만족도조사-{course.slug}.xlsx")

    def roster_xlsx_view(self, request, course_id):
        self._require(request, "view_course", "view_enrollment")
        course = self._course(request, course_id)
        reason, unmasked, ask = self._reason_or_page(request, course, gettext("수강생 명단"))
        if ask:
            return ask
        rows = exports.roster_rows(course, unmasked=unmasked)
        self._log_people(
            request,
            Action.EXPORT,
            [e.pk for e in rows],
            exports.ROSTER_PERSONAL_FIELDS[:3],
            reason=reason,
            masked=not unmasked,
            record_count=len(rows),
        )
        return self._xlsx(exports.roster_xlsx(rows, unmasked=unmasked), f"수강생명단-{course.slug}.xlsx")

    def attendance_xlsx_view(self, request, course_id):
        self._require(request, "view_course", "view_attendance")
        course = self._course(request, course_id)
        reason, unmasked, ask = self._reason_or_page(request, course, gettext("출석부"))
        if ask:
            return ask
        enrollees = exports.attendance_enrollees(course, unmasked=unmasked)
        self._log_people(
            request,
            Action.EXPORT,
            [e.pk for e in enrollees],
            exports.SHEET_PERSONAL_FIELDS,
            reason=reason,
            masked=not unmasked,
            record_count=len(enrollees),
        )
        content = exports.attendance_xlsx(course, enrollees, unmasked=unmasked)
        return self._xlsx(content, f"출석부-{course.slug}.xlsx")
