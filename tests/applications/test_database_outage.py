"""When the database goes away in the middle of a request, the person gets a clean page that
says so (503, retry later), the request's writes are rolled back as a whole, and what was
saved before stays."""

import contextlib

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from applications.models import Application
from portal.models import StateChange
from tests.factories import complete
from tests.pages import text_of

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def database_lost(when=lambda sql: True):
    """From now on, every query matching ``when`` fails as a dropped connection does."""

    def execute(run, sql, params, many, context):
        if when(sql):
            raise OperationalError("server closed the connection unexpectedly")
        return run(sql, params, many, context)

    with connection.execute_wrapper(execute):
        yield


@pytest.fixture
def browser_of(applicant):
    client = Client(raise_request_exception=False)
    client.force_login(applicant)
    return client


def test_a_submission_cut_off_midway_writes_nothing_and_keeps_the_saved_draft(browser_of, draft):
    complete(draft)
    section = reverse("applications:section", args=[draft.pk, "project"])
    browser_of.post(section, {"project_title": "Un tiers-lieu à Namur", "summary": "Résumé"})

    # The state changes, then the history row fails to be written.
    with database_lost(when=lambda sql: 'INSERT INTO "portal_statechange"' in sql):
        response = browser_of.post(
            reverse("applications:submit", args=[draft.pk]), {"declaration": "on"}
        )

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Service temporairement indisponible" in text_of(response)
    assert "Traceback" not in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == Application.State.DRAFT
    assert draft.reference is None and not draft.receipts.exists()
    assert not StateChange.objects.filter(transition="submit").exists()
    assert draft.project_title == "Un tiers-lieu à Namur"


def test_a_database_out_of_reach_before_the_page_starts_still_gives_the_clean_page(
    browser_of,
):
    with database_lost():
        response = browser_of.get(reverse("portal:dashboard"))

    assert response.status_code == 503
    assert "Service temporairement indisponible" in text_of(response)
    assert "Content-Security-Policy" in response.headers
    assert response.headers["X-Frame-Options"] == "DENY"


def test_other_errors_keep_the_plain_error_page(browser_of, monkeypatch):
    from portal.views import dashboards

    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(dashboards, "panels_for", broken)

    response = browser_of.get(reverse("portal:role_dashboard", args=["applicant"]))

    assert response.status_code == 500
    assert "Une erreur s'est produite" in text_of(response)


def test_a_csv_export_with_the_database_gone_answers_the_error_page_not_a_cut_download(
    call, officer
):
    client = Client(raise_request_exception=False)
    client.force_login(officer)
    url = reverse("applications:staff_call_export", args=[call.slug, "csv"])

    with database_lost(when=lambda sql: '"applications_application"' in sql):
        response = client.get(url)

    assert response.status_code == 503
    assert not response.streaming
    assert "Service temporairement indisponible" in text_of(response)
