import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from tests.pages import text_of

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "Zx8!q2#Lr9@vT4$mN7%kP1^wB6&yH3*cJ5(dF0)gS8-aE2+uR7_iO4",
    "ALLOWED_HOSTS": "guichet.example.be",
    "SITE_URL": "https://guichet.example.be",
    "DJANGO_SETTINGS_MODULE": "portal.settings",
}


def manage(*args, env):
    # The subprocess must not inherit what the test run itself sets.
    inherited = {
        "DEBUG",
        "SECRET_KEY",
        "SITE_URL",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "DJANGO_SETTINGS_MODULE",
    }
    clean = {k: v for k, v in os.environ.items() if k not in inherited}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr


def test_production_cookies_are_secure():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0)"
    )
    result = manage("shell", "-v", "0", "-c", code, env=PRODUCTION)

    assert result.stdout.split() == ["True"] * 5, result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", env={**PRODUCTION, "SECRET_KEY": ""})

    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_its_public_address():
    """Links in emails and on certificates would otherwise lead to 127.0.0.1."""
    production = {k: v for k, v in PRODUCTION.items() if k != "SITE_URL"}

    result = manage("check", env=production)

    assert result.returncode != 0
    assert "Set SITE_URL" in result.stderr
    assert manage("check", env={**production, "DEBUG": "1"}).returncode == 0


@pytest.mark.django_db
def test_every_page_sends_security_headers_and_a_csp_without_inline_script(client):
    for url in ["/", reverse("portal:login"), "/nowhere/"]:
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert "<script" not in response.content.decode()


@pytest.mark.django_db
def test_sign_in_is_throttled_after_five_failures(client):
    UserFactory(email="founder@example.be")
    for _ in range(5):
        client.post(reverse("portal:login"), {"username": "founder@example.be", "password": "no"})

    response = client.post(
        reverse("portal:login"), {"username": "founder@example.be", "password": PASSWORD}
    )

    assert response.status_code == 429
    assert "Trop de tentatives" in text_of(response)
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_forms_are_protected_against_csrf(applicant):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(applicant)

    response = client.post(reverse("portal:organisation_create"), {})

    assert response.status_code == 403


@pytest.mark.django_db
def test_the_lockout_page_states_the_configured_limits(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(email="founder@example.be")
    for _ in range(3):
        client.post(reverse("portal:login"), {"username": "founder@example.be", "password": "no"})

    response = client.post(
        reverse("portal:login"), {"username": "founder@example.be", "password": "no"}
    )

    assert "pendant 15 minutes après 3 tentatives" in text_of(response)


@pytest.mark.django_db
def test_the_audit_history_cannot_be_edited_in_the_admin(client, admin_user):
    from portal.models import StateChange

    client.force_login(admin_user)
    assert client.get(reverse("admin:portal_statechange_changelist")).status_code == 200
    assert client.get(reverse("admin:portal_statechange_add")).status_code == 403
    assert StateChange.objects.count() == 0


@pytest.mark.django_db
def test_signing_in_before_confirming_the_address_never_counts_towards_the_lockout(client):
    from axes.models import AccessAttempt

    UserFactory(email="founder@example.be", is_active=False)
    credentials = {"username": "founder@example.be", "password": PASSWORD}

    for _ in range(7):
        response = client.post(reverse("portal:login"), credentials)
        assert response.status_code == 200
        assert "pas encore confirmée" in text_of(response)

    assert not AccessAttempt.objects.filter(failures_since_start__gt=0).exists()
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_a_wrong_password_for_an_unconfirmed_account_still_counts(client, settings):
    from axes.models import AccessAttempt

    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(email="founder@example.be", is_active=False)
    for _ in range(3):
        client.post(reverse("portal:login"), {"username": "founder@example.be", "password": "no"})

    # Locked out, the right password earns the lockout page, not a hint that it was right.
    response = client.post(
        reverse("portal:login"), {"username": "founder@example.be", "password": PASSWORD}
    )

    assert AccessAttempt.objects.get().failures_since_start >= 3
    assert response.status_code == 429
    assert "pas encore confirmée" not in text_of(response)


@pytest.mark.django_db
def test_only_the_admin_lets_in_the_inline_code_of_its_export_page(client, admin_user):
    from portal.adminsite import source_hash

    portal_csp = client.get("/").headers["Content-Security-Policy"]
    client.force_login(admin_user)
    admin_csp = client.get(reverse("admin:portal_organisation_export")).headers[
        "Content-Security-Policy"
    ]

    assert "unsafe-hashes" not in portal_csp and "sha256" not in portal_csp
    assert "unsafe-inline" not in admin_csp
    assert source_hash("onSelectToggleChange(event)") in admin_csp
