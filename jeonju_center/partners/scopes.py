"""The scopes a partner API key can carry. Adding one is a compatible change; renaming one is not."""

from django.utils.translation import gettext_lazy as _

SCOPES = {
    "social_economy:read": _("사회적경제 조직·제품·조사·매장·네트워크 조회"),
    "ondure:read": _("온두레 공동체·지원사업 조회"),
    "regeneration:read": _("도시재생 지역·빈집·주거사업·협의체 조회"),
    "courses:read": _("시민강좌 조회"),
    "calls:read": _("모집·공모 조회 (공개 정보)"),
    "consulting:write": _("컨설팅 사례·회차 등록"),
}
SCOPE_CHOICES = list(SCOPES.items())
