"""Public pages: the home page, news, notices (공지사항), the publications library (자료실) and the newsletter
subscription."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from jeonju_center.common.actors import Actor
from jeonju_center.common.center import center_contact
from jeonju_center.common.download_reasons import stored_file_response
from jeonju_center.common.security import client_ip_address

from . import selectors, services
from .forms import LibraryFilterForm, NewsFilterForm, SubscribeForm
from .models import NewsAttachment, NewsPost, Program, Publication, PublicationAttachment

NEWS_PER_PAGE = 10


@require_safe
def home(request):
    return render(request, "home.html", selectors.home_page_data())


@require_safe
def about(request):
    return render(request, "about.html", {"center": center_contact()})


def _program_list(request, posts_for_program, template):
    """A paged list of posts with the program filter (news and notices alike)."""
    filter_form = NewsFilterForm(request.GET or None)
    program = ""
    if filter_form.is_bound and filter_form.is_valid():
        program = filter_form.cleaned_data["program"]
    page = Paginator(posts_for_program(program or None), NEWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        template,
        {
            "filter_form": filter_form,
            "page": page,
            "page_query": f"program={program}&" if program else "",
            "program_label": Program(program).label if program else "",
        },
    )


@require_safe
def news_list(request):
    return _program_list(request, lambda program: selectors.public_news(program=program), "news/list.html")


@require_safe
def news_detail(request, slug):
    try:
        post = selectors.public_news_post(slug=slug)
    except NewsPost.DoesNotExist:
        raise Http404(_("소식을 찾을 수 없습니다.")) from None
    return render(request, "news/detail.html", {"post": post})


@require_safe
def faq(request):
    program = request.GET.get("program") or ""
    if program not in Program.values:
        program = ""
    return render(
        request,
        "news/faq.html",
        {
            "groups": selectors.faq_by_program(program=program or None),
            "programs": Program.choices,
            "selected_program": program,
        },
    )


@require_safe
def notice_list(request):
    return _program_list(
        request, lambda program: selectors.public_notices(program=program), "news/notices.html"
    )


@require_safe
def notice_detail(request, slug):
    try:
        post = selectors.public_news_post(slug=slug, kind=NewsPost.Kind.NOTICE)
    except NewsPost.DoesNotExist:
        raise Http404(_("공지사항을 찾을 수 없습니다.")) from None
    return render(request, "news/detail.html", {"post": post, "is_notice": True})


@require_safe
def post_attachment(request, slug, pk):
    """A file attached to a visible notice or post."""
    post = NewsPost.objects.filter(selectors.published_news_q(), slug=slug).first()
    attachment = get_object_or_404(NewsAttachment, pk=pk, post=post) if post else None
    if attachment is None:
        raise Http404(_("첨부파일을 찾을 수 없습니다."))
    return stored_file_response(attachment.file, not_found=_("첨부파일을 찾을 수 없습니다."))


LIBRARY_PER_PAGE = 10


@require_safe
def library(request):
    years = selectors.publication_years()
    filter_form = LibraryFilterForm(request.GET or None, years=years)
    filters = {}
    if filter_form.is_bound and filter_form.is_valid():
        filters = {key: value for key, value in filter_form.cleaned_data.items() if value}
    publications = selectors.public_publications(
        category=filters.get("category"),
        program=filters.get("program"),
        year=filters.get("year"),
        query=filters.get("q"),
    )
    page = Paginator(publications, LIBRARY_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "news/library.html",
        {
            "filter_form": filter_form,
            "page": page,
            "page_query": f"{urlencode(filters)}&" if filters else "",
            "is_filtered": bool(filters),
            "newsletters": list(selectors.sent_newsletter_issues()[:12]),
        },
    )


@require_safe
def library_detail(request, slug):
    try:
        publication = selectors.public_publication(slug=slug)
    except Publication.DoesNotExist:
        raise Http404(_("자료를 찾을 수 없습니다.")) from None
    return render(request, "news/library_detail.html", {"publication": publication})


@require_safe
def library_download(request, slug, pk):
    """A file of a published item; the counter counts each visitor once a day."""
    attachment = (
        PublicationAttachment.objects.filter(pk=pk, publication__slug=slug, publication__is_published=True)
        .only("pk", "file")
        .first()
    )
    if attachment is None:
        raise Http404(_("첨부파일을 찾을 수 없습니다."))
    response = stored_file_response(attachment.file, not_found=_("첨부파일을 찾을 수 없습니다."))
    day = timezone.localdate()
    services.publication_download_record(
        attachment_id=attachment.pk,
        visitor_key=services.publication_visitor_key(
            day=day,
            user_id=request.user.pk if request.user.is_authenticated else None,
            ip_address=client_ip_address(request) or "",
            user_agent=request.headers.get("User-Agent", ""),
        ),
        day=day,
        actor=request.user if request.user.is_authenticated else Actor.citizen(None),
    )
    return response


@require_safe
def newsletter_issue_page(request, pk):
    """A newsletter issue already sent, as a web page (the items it chose that are still public)."""
    issue = selectors.sent_newsletter_issues().filter(pk=pk).first()
    if issue is None:
        raise Http404(_("뉴스레터를 찾을 수 없습니다."))
    return render(
        request,
        "news/newsletter_issue.html",
        {"issue": issue, **selectors.newsletter_issue_content(issue)},
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def newsletter(request):
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.newsletter_subscribe(
                email=form.cleaned_data["email"],
                agreed=form.cleaned_data["agree"],
                ip_address=client_ip_address(request),
                base_url=request.build_absolute_uri("/"),
                actor=request.user if request.user.is_authenticated else Actor.citizen(None),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "확인 메일을 보냈습니다. 메일의 링크를 눌러야 구독이 시작됩니다. "
                    "이미 구독 중이면 메일을 다시 보내지 않습니다."
                ),
            )
            return redirect("news:newsletter")
    return render(request, "news/newsletter.html", {"form": form})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe_confirm(request, token):
    # Confirming takes a POST: mail scanners that open links must not subscribe anyone.
    if request.method != "POST":
        return render(request, "news/confirm.html", {"token": token})
    try:
        services.newsletter_confirm(token=token, actor=Actor.citizen(None))
    except ValidationError as error:
        return render(request, "news/confirm.html", {"token": token, "error": error.messages[0]}, status=400)
    return render(request, "news/confirm.html", {"token": token, "confirmed": True})


@csrf_exempt  # RFC 8058 one-click: the mail client POSTs "List-Unsubscribe=One-Click" without a form
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    if request.method != "POST":
        return render(request, "news/unsubscribe.html", {"token": token})
    try:
        services.newsletter_unsubscribe(token=token, actor=Actor.citizen(None))
    except ValidationError as error:
        return render(
            request, "news/unsubscribe.html", {"token": token, "error": error.messages[0]}, status=400
        )
    return render(request, "news/unsubscribe.html", {"token": token, "done": True})
