"""Citizens never meet Django's bare English error pages: 400, 403, 403 (CSRF), 404 and 500 are Korean pages in
the site's look, and the 500 page renders without the database."""

import pytest
from django.test import Client, RequestFactory

from jeonju_center.common.views import server_error

SITE_MARKS = ["전주도시혁신센터", "본문 바로가기", 'lang="ko"', "첫 화면으로"]


def _assert_site_page(response, status, heading):
    html = response.content.decode()
    assert response.status_code == status
    for mark in [*SITE_MARKS, heading]:
        assert mark in html, mark
    for english in ("Not Found", "Forbidden", "Bad Request", "Server Error", "CSRF verification failed"):
        assert english not in html


@pytest.mark.django_db
def test_an_unknown_page_is_a_korean_404(client):
    _assert_site_page(client.get("/no-such-page/"), 404, "찾으시는 페이지가 없습니다")


@pytest.mark.django_db
def test_a_bad_host_is_a_korean_400(client):
    _assert_site_page(client.get("/", HTTP_HOST="evil.example"), 400, "요청을 처리할 수 없습니다")


@pytest.mark.django_db
def test_a_forbidden_page_is_a_korean_403(django_user_model):
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    request = RequestFactory().get("/me/")
    request.user = django_user_model.objects.create_user("citizen", password="pw-123456789")
    _assert_site_page(permission_denied(request, PermissionDenied()), 403, "이 페이지를 볼 권한이 없습니다")


@pytest.mark.django_db
def test_a_failed_csrf_check_is_a_korean_403():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    _assert_site_page(response, 403, "보안 확인 시간이 지났거나 확인할 수 없습니다")


def test_the_500_page_renders_in_korean_without_the_database():
    """No ``django_db`` mark: any query would fail this test (pytest-django blocks database access)."""
    request = RequestFactory().get("/courses/")
    try:
        raise ValueError("a bug in a view")
    except ValueError:
        response = server_error(request)
    _assert_site_page(response, 500, "일시적인 오류가 생겼습니다")
