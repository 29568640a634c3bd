"""Public pages: the home page, news, notices (공지사항) and the newsletter subscription."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from jeonju_center.accounts.services import client_ip
from jeonju_center.common.center import center_contact

from . import selectors, services
from .forms import NewsFilterForm, SubscribeForm
from .models import NewsAttachment, NewsPost, Program

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
    """A file attached to a visible notice or post (the portal hands it out: public media holds pictures only)."""
    post = NewsPost.objects.filter(selectors.published_news_q(), slug=slug).first()
    attachment = get_object_or_404(NewsAttachment, pk=pk, post=post) if post else None
    if attachment is None:
        raise Http404(_("첨부파일을 찾을 수 없습니다."))
    try:
        handle = attachment.file.open("rb")
    except OSError:
        raise Http404(_("첨부파일을 찾을 수 없습니다.")) from None
    return FileResponse(handle, as_attachment=True, filename=attachment.file.name.rsplit("/", 1)[-1])


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def newsletter(request):
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.newsletter_subscribe(
                email=form.cleaned_data["email"],
                agreed=form.cleaned_data["agree"],
                ip_address=client_ip(request),
                base_url=request.build_absolute_uri("/"),
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
        services.newsletter_confirm(token=token)
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
        services.newsletter_unsubscribe(token=token)
    except ValidationError as error:
        return render(
            request, "news/unsubscribe.html", {"token": token, "error": error.messages[0]}, status=400
        )
    return render(request, "news/unsubscribe.html", {"token": token, "done": True})
