"""Sessions end on their own after a working day, on sign-out and on a password change, and
their cookies carry the strict flags under production settings."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD
from tests.portal.test_security import PRODUCTION, manage

pytestmark = pytest.mark.django_db


def sign_in(client, user):
    response = client.post(reverse("portal:login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_a_session_expires_after_the_configured_age(client, applicant):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, applicant)
        assert client.get(reverse("portal:profile")).status_code == 200

    later = start + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE, minutes=1)
    with time_machine.travel(later, tick=False):
        response = client.get(reverse("portal:profile"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:login"))


def test_signing_out_ends_the_session_on_the_server(client, applicant):
    sign_in(client, applicant)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value

    client.post(reverse("portal:logout"))
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = cookie

    assert replay.get(reverse("portal:profile")).status_code == 302


def test_changing_the_password_ends_the_other_sessions(client, applicant):
    laptop, phone = sign_in(Client(), applicant), sign_in(Client(), applicant)

    laptop.post(
        reverse("portal:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Un-nouveau-secret-2027",
            "new_password2": "Un-nouveau-secret-2027",
        },
    )

    assert laptop.get(reverse("portal:profile")).status_code == 200
    assert phone.get(reverse("portal:profile")).status_code == 302


def test_production_cookies_are_secure_http_only_same_site_and_short_lived():
    # The session and CSRF cookies as SessionMiddleware and CsrfViewMiddleware write them
    # under production settings (signed-cookie sessions here only to need no database).
    code = """
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.test import RequestFactory

def view(request):
    request.session["seen"] = True
    get_token(request)
    return HttpResponse()

request = RequestFactory().get("/", secure=True, HTTP_HOST="guichet.example.be")
response = SessionMiddleware(CsrfViewMiddleware(view))(request)
for cookie in response.cookies.values():
    print(cookie.OutputString())
"""
    env = {**PRODUCTION, "SESSION_ENGINE": "django.contrib.sessions.backends.signed_cookies"}
    result = manage("shell", "-v", "0", "-c", code, env=env)

    cookies = dict(line.split("=", 1)[0:2] for line in result.stdout.split("\n") if line)
    assert set(cookies) == {"sessionid", "csrftoken"}, result.stderr
    session = next(line for line in result.stdout.splitlines() if line.startswith("sessionid"))
    csrf = next(line for line in result.stdout.splitlines() if line.startswith("csrftoken"))
    for flag in ("Secure", "HttpOnly", "SameSite=Lax", "Max-Age=28800"):
        assert flag in session
    for flag in ("Secure", "SameSite=Lax"):
        assert flag in csrf
