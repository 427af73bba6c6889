"""Language selection: French by default, whatever the browser asks for.

A signed-in person reads the portal in the language of their profile; a visitor in the
language chosen with the switcher (a cookie); everyone else in French (Belgium).
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


def supported(code: str | None) -> str | None:
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = None
        if user is not None and user.is_authenticated:
            language = supported(user.language)
        language = (
            language
            or supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
            or settings.LANGUAGE_CODE
        )
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
