import sys

from django.conf import settings
from django.contrib import messages
from django.db import InterfaceError, OperationalError, connection
from django.http import (
    Http404,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from portal import accessibility as statement
from portal import dates, throttle
from portal.forms import AccessibilityComplaintForm
from portal.middleware import supported
from portal.views.accounts import TOO_MANY


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


@require_http_methods(["GET", "HEAD", "POST"])
def accessibility(request):
    """The accessibility statement and its complaint form, which reaches the administrators
    (``portal.accessibility``); a few complaints an hour per connection."""
    form = AccessibilityComplaintForm(
        request.POST if request.method == "POST" else None, initial=_complainant(request)
    )
    if request.method == "POST" and form.is_valid():
        if not throttle.allow("accessibility-ip", throttle.client_ip(request), limit=5):
            form.add_error(None, TOO_MANY)
            return _statement(request, form, status=429)
        statement.send_complaint(statement.Complaint(**form.cleaned_data))
        messages.success(
            request, _("Thank you: your message was sent to the portal's administrators.")
        )
        return redirect("portal:accessibility")
    return _statement(request, form)


def _complainant(request) -> dict:
    """The signed-in person's name and address, and the page they came from."""
    initial = {}
    if request.user.is_authenticated:
        initial = {"name": request.user.full_name, "email": request.user.email}
    came_from = request.headers.get("referer", "")
    if came_from and url_has_allowed_host_and_scheme(came_from, {request.get_host()}):
        initial["page"] = came_from[:500]
    return initial


def _statement(request, form, status: int = 200):
    return render(
        request,
        "portal/accessibility.html",
        {
            "form": form,
            "statement_date": dates.long_date(statement.STATEMENT_DATE),
            "mediator": statement.MEDIATOR,
        },
        status=status,
    )


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
