"""Absolute links read outside the site — in emails, on certificates and in their QR codes.

Every such link is built here. In production it starts with ``SITE_URL``, whatever ``Host``
a request carried: a forged header must never reach an email (password-reset poisoning).
On a development machine (``DEBUG``) it follows the address the portal is served on: the
request's scheme and host — passed in, or the one being answered, which ``OriginMiddleware``
remembers for emails rendered far from the view — and ``SITE_URL`` outside any request (a
management command, a background worker), which ``make run`` sets from its HOST and PORT.
"""

from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest

_served_origin: ContextVar[str | None] = ContextVar("served_origin", default=None)


def site_url(request: HttpRequest | None = None) -> str:
    """The scheme and host links start with, without a trailing slash."""
    if settings.DEBUG:
        origin = _origin(request) if request is not None else _served_origin.get()
        if origin:
            return origin
    return settings.SITE_URL


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """``path`` (from ``reverse`` or ``get_absolute_url``) as a link people can follow."""
    return f"{site_url(request)}{path}"


def _origin(request: HttpRequest) -> str:
    # get_host() checks the host against ALLOWED_HOSTS.
    return f"{request.scheme}://{request.get_host()}"


class OriginMiddleware:
    """On a development machine, remember the origin of the request being answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.DEBUG:
            return self.get_response(request)
        token = _served_origin.set(_origin(request))
        try:
            return self.get_response(request)
        finally:
            _served_origin.reset(token)
