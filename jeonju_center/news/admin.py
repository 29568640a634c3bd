"""The back office of news and the newsletter: writing posts, composing issues, previewing, a test to
oneself, sending in batches with progress, and the subscriber list (masked unless the viewer holds the
개인정보 열람 permission; unmasked views and searches on addresses are logged)."""

from functools import cache
from types import SimpleNamespace

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from jeonju_center.common.admin_mixins import PersonalDataAdminMixin, PortalModelAdmin, ServiceAdminMixin
from jeonju_center.common.masking import mask_email
from jeonju_center.common.models import PersonalDataAccess
from jeonju_center.common.personal_data import can_view_personal_data, record_personal_data_access

from . import selectors, services
from .models import (
    FaqEntry,
    NewsAttachment,
    NewsletterDelivery,
    NewsletterIssue,
    NewsletterItem,
    NewsPost,
    Publication,
    PublicationAttachment,
    PublicationDownload,
    Subscriber,
)
from .richtext import clean_rich_text
from .sections import newsletter_section, newsletter_sections


def _errors(error):
    return " ".join(error.messages)


class NewsVisibilityFilter(admin.SimpleListFilter):
    """What citizens see now: the dashboard links to the scheduled posts through it."""

    title = _("공개 여부")
    parameter_name = "visibility"

    def lookups(self, request, model_admin):
        return [("public", _("공개 중")), ("scheduled", _("예약 게시")), ("draft", _("비공개(임시 저장)"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "public":
            return queryset.filter(selectors.published_news_q())
        if value == "scheduled":
            return queryset.filter(selectors.scheduled_news_q())
        if value == "draft":
            return queryset.filter(status=NewsPost.Status.DRAFT)
        return queryset


class NewsPostForm(forms.ModelForm):
    class Meta:
        model = NewsPost
        fields = [
            "title",
            "slug",
            "program",
            "summary",
            "body",
            "image",
            "image_alt",
            "status",
            "published_at",
        ]
        widgets = {"body": forms.Textarea(attrs={"rows": 18, "cols": 100})}

    def clean_body(self):
        # Shown as a form error here; the service sanitises the same way when it saves.
        try:
            return clean_rich_text(self.cleaned_data.get("body"), field="body")
        except ValidationError as error:
            raise ValidationError(error.message_dict["body"]) from None

    def clean(self):
        cleaned = super().clean()
        # Published without a time means "now" (the service does the same); set before the model's checks.
        if cleaned.get("status") == NewsPost.Status.PUBLISHED and not cleaned.get("published_at"):
            cleaned["published_at"] = timezone.now()
        return cleaned


@admin.register(FaqEntry)
class FaqEntryAdmin(PortalModelAdmin):
    list_display = ["question", "program", "display_order", "is_published"]
    list_editable = ["display_order", "is_published"]
    list_filter = ["program", "is_published"]
    search_fields = ["question", "answer"]


class NewsAttachmentInline(admin.TabularInline):
    model = NewsAttachment
    extra = 0


@admin.register(NewsAttachment)
class NewsAttachmentAdmin(PortalModelAdmin):
    """Files of notices and posts; normally added on the post's own page."""

    list_display = ["title", "post"]
    list_select_related = ["post"]
    search_fields = ["title", "post__title"]


class PublicationAttachmentInline(admin.TabularInline):
    model = PublicationAttachment
    extra = 0
    fields = ["title", "file", "download_count"]
    readonly_fields = ["download_count"]


@admin.register(Publication)
class PublicationAdmin(ServiceAdminMixin, PortalModelAdmin):
    list_display = ["title", "category", "program", "year", "is_published", "published_on", "downloads"]
    list_filter = ["category", "program", "year", "is_published"]
    search_fields = ["title", "summary", "authors", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["newsletter_issue"]
    inlines = [PublicationAttachmentInline]
    date_hierarchy = "published_on"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(total_downloads=Sum("attachments__download_count"))

    def save_publicationattachment_through_service(self, request, publication, attachment):
        services.publication_attachment_save(attachment=attachment, actor=request.user)

    @admin.display(description=_("내려받기 수"), ordering="total_downloads")
    def downloads(self, publication):
        return publication.total_downloads or 0


@admin.register(PublicationAttachment)
class PublicationAttachmentAdmin(ServiceAdminMixin, PortalModelAdmin):
    """Files of the library; normally added on the publication's own page."""

    list_display = ["title", "publication", "download_count"]
    list_select_related = ["publication"]
    search_fields = ["title", "publication__title"]
    readonly_fields = ["download_count"]

    def save_through_service(self, request, obj, form, change):
        services.publication_attachment_save(attachment=obj, actor=request.user)


@admin.register(PublicationDownload)
class PublicationDownloadAdmin(admin.ModelAdmin):
    """The once-a-day marks behind the download counter (read only; retention deletes them)."""

    list_display = ["attachment", "day"]
    list_select_related = ["attachment"]
    list_filter = ["day"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(NewsPost)
class NewsPostAdmin(ServiceAdminMixin, PortalModelAdmin):
    form = NewsPostForm
    list_display = ["title", "kind", "is_pinned", "program", "status", "published_at", "visibility", "author"]
    list_filter = ["kind", "status", NewsVisibilityFilter, "program"]
    inlines = [NewsAttachmentInline]
    search_fields = ["title", "summary", "slug"]
    date_hierarchy = "published_at"
    list_select_related = ["author"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["author", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["kind", "is_pinned", "title", "slug", "program", "summary", "body"]}),
        (_("대표 이미지"), {"fields": ["image", "image_alt"]}),
        (_("게시"), {"fields": ["status", "published_at", "author", "created_at", "updated_at"]}),
    ]

    @admin.display(description=_("공개 여부"))
    def visibility(self, post):
        if post.status != NewsPost.Status.PUBLISHED:
            return gettext("비공개(임시 저장)")
        if post.published_at and post.published_at > timezone.now():
            return gettext("예약 게시")
        return gettext("공개 중")

    def save_through_service(self, request, obj, form, change):
        services.news_post_save(post=obj, actor=request.user)


class NewsletterIssueForm(forms.ModelForm):
    """The issue's text and news; ``NewsletterIssueAdmin.get_form`` adds one choice per program section."""

    class Meta:
        model = NewsletterIssue
        fields = ["subject", "intro", "news_posts"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 6, "cols": 100})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for section in newsletter_sections():
                if section.key in self.fields:
                    chosen = selectors.newsletter_issue_items(self.instance, section.key)
                    self.initial[section.key] = list(chosen.values_list("pk", flat=True))

    def clean_intro(self):
        try:
            return clean_rich_text(self.cleaned_data.get("intro"), field="intro")
        except ValidationError as error:
            raise ValidationError(error.message_dict["intro"]) from None

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.instance.status != NewsletterIssue.Status.DRAFT:
            raise ValidationError(_("이미 발송을 시작한 뉴스레터는 고칠 수 없습니다. 새 호를 만들어 주세요."))
        return cleaned


class SectionItemsWidget(AutocompleteSelectMultiple):
    """The admin's search-as-you-type choice of a section's rows. Django's own autocomplete view follows a
    model field to the searched model, and an issue has none into the programs, so the newsletter admin
    serves the search itself (``SectionItemsAutocompleteView``), with the section key as ``field_name``."""

    def __init__(self, section, admin_site):
        relation = SimpleNamespace(model=section.model_class)
        super().__init__(
            SimpleNamespace(model=NewsletterIssue, name=section.key, remote_field=relation), admin_site
        )

    def get_url(self):
        return reverse(f"{self.admin_site.name}:news_newsletterissue_autocomplete")


class SectionItemsAutocompleteView(AutocompleteJsonView):
    """Search the rows of a section's model through that model's own admin (its search fields, queryset
    and view permission), like Django's autocomplete does for a relation."""

    def process_request(self, request):
        section = newsletter_section(request.GET.get("field_name", ""))
        if section is None:
            raise PermissionDenied
        model_admin = self.admin_site._registry.get(section.model_class)
        if model_admin is None:
            raise PermissionDenied
        if not model_admin.get_search_fields(request):
            raise Http404(
                f"{type(model_admin).__name__} must have search_fields for the newsletter's choice."
            )
        return request.GET.get("term", ""), model_admin, None, section.model_class._meta.pk.attname

    def has_perm(self, request, obj=None):
        issues = self.admin_site._registry[NewsletterIssue]
        composes = issues.has_add_permission(request) or issues.has_change_permission(request)
        return composes and super().has_perm(request, obj)

    def get_queryset(self):
        queryset = self.model_admin.get_queryset(self.request)
        queryset, may_have_duplicates = self.model_admin.get_search_results(self.request, queryset, self.term)
        if may_have_duplicates:
            queryset = queryset.distinct()
        return queryset if queryset.ordered else queryset.order_by("pk")  # stable pages


def _section_field(section, admin_site):
    return forms.ModelMultipleChoiceField(
        queryset=section.model_class._default_manager.all(),
        required=False,
        label=section.label,
        widget=SectionItemsWidget(section, admin_site),
    )


@cache
def _chosen_items_display(section):
    """A read-only line of the section's chosen rows (a callable, so that an issue already sent shows them)."""

    def chosen_items(issue):
        return ", ".join(str(item) for item in selectors.newsletter_issue_items(issue, section.key)) or "-"

    chosen_items.short_description = section.label
    chosen_items.__name__ = f"chosen_{section.key}"
    return chosen_items


@admin.register(NewsletterIssue)
class NewsletterIssueAdmin(ServiceAdminMixin, PortalModelAdmin):
    form = NewsletterIssueForm
    list_display = [
        "subject",
        "status",
        "recipient_count",
        "queued_count",
        "sent_count",
        "failed_count",
        "skipped_count",
        "send_started_at",
        "send_finished_at",
    ]
    list_filter = ["status"]
    search_fields = ["subject"]
    autocomplete_fields = ["news_posts"]
    change_form_template = "admin/news/newsletterissue/change_form.html"

    def get_queryset(self, request):
        return selectors.newsletter_issues_with_progress()

    def get_form(self, request, obj=None, change=False, **kwargs):
        section_fields = {
            section.key: _section_field(section, self.admin_site) for section in newsletter_sections()
        }
        kwargs["form"] = type(self.form.__name__, (self.form,), section_fields)
        return super().get_form(request, obj, change, **kwargs)

    def _content_fields(self, obj):
        if obj is not None and obj.status != NewsletterIssue.Status.DRAFT:
            return ["subject", "intro", "news_posts", *map(_chosen_items_display, newsletter_sections())]
        return ["subject", "intro", "news_posts", *(section.key for section in newsletter_sections())]

    def get_readonly_fields(self, request, obj=None):
        fixed = ["status", "progress", "send_started_at", "send_finished_at", "sent_by"]
        if obj is not None and obj.status != NewsletterIssue.Status.DRAFT:
            return [*self._content_fields(obj), *fixed]
        return fixed

    def get_fields(self, request, obj=None):
        fields = self._content_fields(obj)
        if obj is not None:
            fields += ["status", "progress", "send_started_at", "send_finished_at", "sent_by"]
        return fields

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for section in newsletter_sections():
            if section.key in form.cleaned_data:
                services.newsletter_issue_items_set(
                    issue=form.instance,
                    section_key=section.key,
                    objects=form.cleaned_data[section.key],
                    actor=request.user,
                )

    @admin.display(description=_("받는 사람"))
    def recipient_count(self, issue):
        return issue.recipient_count

    @admin.display(description=_("발송 대기열"))
    def queued_count(self, issue):
        return issue.queued_count

    @admin.display(description=_("발송 완료"))
    def sent_count(self, issue):
        return issue.sent_count

    @admin.display(description=_("발송 실패"))
    def failed_count(self, issue):
        return issue.failed_count

    @admin.display(description=_("제외"))
    def skipped_count(self, issue):
        return issue.skipped_count

    @admin.display(description=_("발송 현황"))
    def progress(self, issue):
        counted = selectors.newsletter_issues_with_progress().get(pk=issue.pk)
        if not counted.recipient_count:
            return gettext("아직 보내지 않았습니다.")
        done = counted.sent_count + counted.skipped_count + counted.failed_count
        percent = round(100 * done / counted.recipient_count)
        return format_html(
            '<progress max="100" value="{}" aria-label="{}"></progress> {}',
            percent,
            gettext("발송 진행률"),
            gettext(
                "받는 사람 {total}명 · 발송 완료 {sent} · 대기 {waiting} · 실패 {failed} · 제외 {skipped} ({percent}%)"
            ).format(
                total=counted.recipient_count,
                sent=counted.sent_count,
                waiting=counted.pending_count
                + counted.queued_count
                - counted.sent_count
                - counted.failed_count,
                failed=counted.failed_count,
                skipped=counted.skipped_count,
                percent=percent,
            ),
        )

    def save_through_service(self, request, obj, form, change):
        services.newsletter_issue_save(issue=obj, actor=request.user)

    # --- Preview, test and send -------------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "autocomplete/",
                wrap(SectionItemsAutocompleteView.as_view(admin_site=self.admin_site)),
                name="news_newsletterissue_autocomplete",
            ),
            path("<int:issue_id>/preview/", wrap(self.preview_view), name="news_newsletterissue_preview"),
            path("<int:issue_id>/autofill/", wrap(self.autofill_view), name="news_newsletterissue_autofill"),
            path(
                "<int:issue_id>/send-test/", wrap(self.send_test_view), name="news_newsletterissue_send_test"
            ),
            path("<int:issue_id>/send/", wrap(self.send_view), name="news_newsletterissue_send"),
            *super().get_urls(),
        ]

    def _issue(self, request, issue_id, *, change=False):
        issue = get_object_or_404(NewsletterIssue, pk=issue_id)
        allowed = (
            self.has_change_permission(request, issue) if change else self.has_view_permission(request, issue)
        )
        if not allowed:
            raise PermissionDenied
        return issue

    def _change_url(self, issue):
        return reverse("admin:news_newsletterissue_change", args=[issue.pk])

    @method_decorator(never_cache)
    def preview_view(self, request, issue_id):
        issue = self._issue(request, issue_id)
        if issue.status != NewsletterIssue.Status.DRAFT:
            return HttpResponse(issue.rendered_html)
        try:
            html, _text = services.newsletter_render(
                issue=issue,
                base_url=request.build_absolute_uri("/"),
                unsubscribe_url=request.build_absolute_uri(reverse("news:newsletter")),
            )
        except ValidationError as error:
            self.message_user(request, _errors(error), messages.ERROR)
            return redirect(self._change_url(issue))
        return HttpResponse(html)

    def _confirm_or_run(self, request, issue, *, title, question, button, run):
        if request.method != "POST":
            context = {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "issue": issue,
                "title": title,
                "question": question,
                "button": button,
            }
            return TemplateResponse(request, "admin/news/newsletterissue/confirm_action.html", context)
        try:
            message = run()
        except ValidationError as error:
            self.message_user(request, _errors(error), messages.ERROR)
        else:
            self.message_user(request, message, messages.SUCCESS)
        return redirect(self._change_url(issue))

    def autofill_view(self, request, issue_id):
        issue = self._issue(request, issue_id, change=True)

        def run():
            added = services.newsletter_issue_autofill(issue_id=issue.pk, actor=request.user)
            if not added:
                return gettext("이미 고른 항목이 있어 그대로 두었습니다.")
            parts = [(gettext("소식"), added.get("news", "-"))]
            parts += [(section.label, added.get(section.key, "-")) for section in newsletter_sections()]
            counts = ", ".join(
                gettext("{label} {count}건").format(label=label, count=count) for label, count in parts
            )
            return gettext("최근 항목으로 채웠습니다: {counts}.").format(counts=counts)

        return self._confirm_or_run(
            request,
            issue,
            title=gettext("최근 소식·강좌·제품으로 채우기"),
            question=gettext("비어 있는 부분을 최근 소식, 신청 중인 강좌, 새 제품으로 채웁니다."),
            button=gettext("채우기"),
            run=run,
        )

    def send_test_view(self, request, issue_id):
        issue = self._issue(request, issue_id)

        def run():
            services.newsletter_send_test(
                issue_id=issue.pk, actor=request.user, base_url=request.build_absolute_uri("/")
            )
            return gettext("{email} 주소로 시험 발송했습니다.").format(email=request.user.email)

        return self._confirm_or_run(
            request,
            issue,
            title=gettext("나에게 시험 발송"),
            question=gettext("지금 내용을 내 이메일({email})로만 보냅니다.").format(
                email=request.user.email or "-"
            ),
            button=gettext("시험 발송"),
            run=run,
        )

    def send_view(self, request, issue_id):
        issue = self._issue(request, issue_id, change=True)

        def run():
            count = services.newsletter_send_start(
                issue_id=issue.pk, actor=request.user, base_url=request.build_absolute_uri("/")
            )
            return gettext(
                "구독자 {count}명에게 발송을 시작했습니다. 진행 상황은 이 화면에서 볼 수 있습니다."
            ).format(count=count)

        return self._confirm_or_run(
            request,
            issue,
            title=gettext("구독자 전체에게 발송"),
            question=gettext(
                "구독을 확인한 구독자 {count}명에게 보냅니다. 발송을 시작하면 내용을 고칠 수 없습니다."
            ).format(count=selectors.confirmed_subscribers().count()),
            button=gettext("발송 시작"),
            run=run,
        )


@admin.register(NewsletterItem)
class NewsletterItemAdmin(admin.ModelAdmin):
    """Read-only list of the program items chosen for each issue; staff choose them on the issue's page."""

    list_display = ["issue", "content_type", "chosen_item"]
    list_filter = [("content_type", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["issue", "content_type"]
    fields = ["issue", "content_type", "object_id", "chosen_item"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("item")

    @admin.display(description=_("항목"))
    def chosen_item(self, item):
        return item.item or gettext("(삭제됨)")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Subscriber)
class SubscriberAdmin(PortalModelAdmin):
    # Personal fields by their plain names: the shared mixin masks them without the permission.
    list_display = ["email", "status", "created_at", "confirmed_at", "unsubscribed_at", "anonymised_at"]
    list_filter = ["status", ("anonymised_at", admin.EmptyFieldListFilter)]
    search_fields = ["email"]
    fields = [
        "email",
        "status",
        "confirmation_sent_at",
        "confirmed_at",
        "unsubscribed_at",
        "consent_version",
        "consent_ip",
        "created_at",
        "anonymised_at",
    ]
    readonly_fields = fields
    actions = ["unsubscribe_selected"]

    def has_add_permission(self, request):
        # Subscriptions start only with the subscriber's own confirmation (double opt-in).
        return False

    @admin.action(description=_("선택한 구독자 구독 해지"), permissions=["change"])
    def unsubscribe_selected(self, request, queryset):
        count = 0
        for token in queryset.exclude(status=Subscriber.Status.UNSUBSCRIBED).values_list("token", flat=True):
            services.newsletter_unsubscribe(token=token, actor=request.user)
            count += 1
        self.message_user(
            request, gettext("{count}명의 구독을 해지했습니다.").format(count=count), messages.SUCCESS
        )


@admin.register(NewsletterDelivery)
class NewsletterDeliveryAdmin(PersonalDataAdminMixin, admin.ModelAdmin):
    """Read-only log of who got which issue. Deliveries keep no history (see the model), hence no
    ``PortalModelAdmin``; the subscriber's address shown here is masked and logged like the subscriber's own
    screen, by the permission."""

    SUBSCRIBER_EMAIL = "subscriber__email"

    list_display = ["issue", "subscriber_email", "status", "email_status", "processed_at"]
    list_filter = ["status", "issue"]
    list_select_related = ["issue", "subscriber", "email"]
    search_fields = ["subscriber__email", "issue__subject"]
    fields = ["issue", "subscriber_email", "status", "email_status", "processed_at"]
    readonly_fields = fields

    def masks_personal_data(self, request):
        # The address belongs to the related subscriber, not to a field of the delivery itself.
        return not can_view_personal_data(request.user)

    def _swap_email_column(self, request, names):
        if not self.masks_personal_data(request):
            return names
        return ["subscriber_email_masked" if name == "subscriber_email" else name for name in names]

    def get_list_display(self, request):
        return self._swap_email_column(request, super().get_list_display(request))

    def get_fields(self, request, obj=None):
        return self._swap_email_column(request, super().get_fields(request, obj))

    def get_readonly_fields(self, request, obj=None):
        return self._swap_email_column(request, super().get_readonly_fields(request, obj))

    def shown_personal_fields(self, obj):
        return [self.SUBSCRIBER_EMAIL] if obj.subscriber.email else []

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        # A search on addresses is already logged by the mixin (one row per page); otherwise an unmasked
        # page of addresses is logged here.
        searched = changelist is not None and changelist.query and self.personal_search_fields(request)
        if changelist is None or request.method != "GET" or searched or self.masks_personal_data(request):
            return response
        object_ids = [delivery.pk for delivery in changelist.result_list if delivery.subscriber.email]
        if object_ids:
            record_personal_data_access(
                request,
                action=PersonalDataAccess.Action.VIEW,
                model=self.model,
                object_ids=object_ids,
                fields=[self.SUBSCRIBER_EMAIL],
            )
        return response

    @admin.display(description=_("구독자 이메일"), ordering="subscriber__email")
    def subscriber_email(self, delivery):
        return delivery.subscriber.email or gettext("(익명 처리됨)")

    @admin.display(description=_("구독자 이메일"), ordering="subscriber__email")
    def subscriber_email_masked(self, delivery):
        if not delivery.subscriber.email:
            return gettext("(익명 처리됨)")
        return mask_email(delivery.subscriber.email)

    @admin.display(description=_("메일 상태"))
    def email_status(self, delivery):
        return delivery.email.get_status_display() if delivery.email_id else "-"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
