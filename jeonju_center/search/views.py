"""``/search/?q=``: every kind of public content in one page, grouped by kind, matches highlighted;
``&kind=…`` shows one kind's hits, paged."""

from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import selectors
from .sources import search_source, search_sources


@require_safe
def search(request):
    query = " ".join(request.GET.get("q", "").split())
    kind = request.GET.get("kind", "")
    context = {"query": query, "kinds": search_sources(), "max_length": selectors.QUERY_MAX_LENGTH}
    status = 200
    if not query:
        if "q" in request.GET:
            context["error"] = _("검색어를 입력해 주세요.")
            status = 400
    elif len(query) > selectors.QUERY_MAX_LENGTH:
        context["error"] = _("검색어는 %(limit)d자까지 입력할 수 있습니다.") % {
            "limit": selectors.QUERY_MAX_LENGTH
        }
        status = 400
    elif search_source(kind):
        context["kind"], context["page"] = selectors.kind_page(query, kind, request.GET.get("page"))
        context["page_query"] = urlencode({"q": query, "kind": kind}) + "&"
    else:
        groups = selectors.search(query)
        context["groups"] = groups
        context["total"] = sum(group.count for group in groups)
    return render(request, "search/results.html", context, status=status)
