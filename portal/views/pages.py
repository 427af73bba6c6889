import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import (
    Http404,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from portal.middleware import supported


def server_error(request):
    """The error page. When the database is out of reach (restarting, failing over), say so
    with a 503 and a retry delay: the request's transaction was rolled back, and what was
    saved before is intact. Renders without touching the database (no session, no user)."""
    error = sys.exc_info()[1]
    unreachable = isinstance(error, OperationalError | InterfaceError)
    template = loader.get_template("503.html" if unreachable else "500.html")
    response = HttpResponseServerError(template.render())
    if unreachable:
        response.status_code = 503
        response["Retry-After"] = "30"
    return response


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's, a PDF's)."""
    response = HttpResponseRedirect(static("portal/favicon.svg"))
    response["Cache-Control"] = "max-age=86400"
    return response


@require_safe
def privacy(request):
    """What Guichet keeps about the people who use it, and why."""
    return render(request, "portal/privacy.html")


@never_cache
@require_safe
def health(request):
    """For the load balancer: 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def set_language(request):
    """Switch the interface language; remembered by a cookie and, once signed in, the profile."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    language = supported(request.POST.get("language"))
    if language is None:
        raise Http404
    next_url = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
        httponly=True,
    )
    if request.user.is_authenticated and request.user.language != language:
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response
