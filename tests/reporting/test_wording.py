"""Reporting's wording: an overdue report is "En retard", not "À remettre en retard"; a
unit is not repeated ("Jours d'ouverture (jours)"); counts agree with their number."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from portal import exports
from reporting.indicators import ReportForm
from reporting.models import ReportingSchedule
from reporting.resources import ActivityReportResource
from tests.pages import text_of
from tests.reporting.conftest import make_report

pytestmark = pytest.mark.django_db


def test_an_overdue_report_reads_overdue_once(client, officer, label):
    make_report(label, dt.date(2025, 1, 1))  # due long ago, never filed
    client.force_login(officer)

    text = text_of(client.get(reverse("reporting:staff_list")))

    assert "En retard" in text
    assert "À remettre en retard" not in text
    assert "à remettre en retard" not in text.lower()


@pytest.mark.parametrize(
    ("language", "days_open"), [("fr-be", "Jours d'ouverture"), ("en", "Days open")]
)
def test_a_unit_the_name_already_says_is_not_repeated(label, language, days_open):
    report = make_report(label, dt.date(2026, 1, 1))
    with translation.override(language):
        form = ReportForm(report=report, indicators=report.asked_indicators())
        assert form.fields["days_open"].label == days_open
        header = exports.headers(ActivityReportResource(indicators=report.asked_indicators()))
    assert days_open in header
    assert not any("(jours)" in cell or "(days)" in cell for cell in header)


@pytest.mark.parametrize(
    ("days", "language", "text"),
    [
        (1, "fr-be", "délai de 1 jour après chaque période"),
        (30, "fr-be", "délai de 30 jours après chaque période"),
        (1, "en", "1 day allowed after each period"),
        (30, "en", "30 days allowed after each period"),
    ],
)
def test_the_days_allowed_agree_with_their_number(programme, days, language, text):
    schedule = ReportingSchedule(
        programme=programme, starts_on=dt.date(2026, 3, 1), days_allowed=days, reminder_days=1
    )
    with translation.override(language):
        html = render_to_string(
            "reporting/panels/programme.html",
            {"panel": {"schedule": schedule, "programme": programme}, "user": None},
        )
    assert text in " ".join(html.split())
    if language == "fr-be":
        assert "depuis le 1er mars 2026" in html
