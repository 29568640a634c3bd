from django.middleware.locale import LocaleMiddleware


class KoreanFirstLocaleMiddleware(LocaleMiddleware):
    """Korean on every page unless the visitor chose another language with the language switch.

    Django would otherwise follow the browser's Accept-Language, so staff and citizens whose browser
    prefers English would land on English pages and an English admin; the portal is Korean first.
    """

    def process_request(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)
