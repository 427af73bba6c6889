"""Dates read day-month-year on a 24-hour clock in every language (a Brussels portal), one
format per context across the site, and "1er mars" in French."""

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation

from portal import dates
from reporting.forms import ScheduleForm
from tests.factories import CallFactory
from tests.pages import text_of

BRUSSELS = ZoneInfo("Europe/Brussels")
DEADLINE = dt.datetime(2027, 3, 4, 23, 59, tzinfo=BRUSSELS)


@pytest.mark.parametrize(
    ("language", "long_date", "long_datetime", "short_date", "short_datetime"),
    [
        ("fr-be", "4 mars 2027", "4 mars 2027 23:59", "04/03/2027", "04/03/2027 23:59"),
        ("en", "4 March 2027", "4 March 2027 23:59", "04/03/2027", "04/03/2027 23:59"),
    ],
)
def test_every_language_writes_day_month_year_and_a_24_hour_clock(
    language, long_date, long_datetime, short_date, short_datetime
):
    with translation.override(language):
        assert dates.long_date(DEADLINE.date()) == long_date
        assert dates.long_datetime(DEADLINE) == long_datetime
        assert formats.date_format(DEADLINE, "SHORT_DATE_FORMAT") == short_date
        assert formats.date_format(DEADLINE, "SHORT_DATETIME_FORMAT") == short_datetime


def test_the_first_of_the_month_is_an_ordinal_in_french_only():
    first = dt.datetime(2027, 3, 1, 9, 0, tzinfo=BRUSSELS)
    with translation.override("fr-be"):
        assert dates.long_date(first.date()) == "1er mars 2027"
        assert dates.long_datetime(first) == "1er mars 2027 09:00"
        assert dates.long_date(dt.date(2027, 3, 11)) == "11 mars 2027"
    with translation.override("en"):
        assert dates.long_date(first.date()) == "1 March 2027"


def test_a_moment_is_dated_in_brussels():
    # 23:30 UTC on 28 February is already 1 March in Brussels.
    moment = dt.datetime(2027, 2, 28, 23, 30, tzinfo=dt.UTC)
    with translation.override("fr-be"):
        assert dates.long_date(moment) == "1er mars 2027"
        assert dates.long_datetime(moment) == "1er mars 2027 00:30"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "deadline"),
    [("fr-be", "1er mars 2027 23:59"), ("en", "1 March 2027 23:59")],
)
def test_a_calls_deadline_reads_the_same_way_on_its_page(client, language, deadline):
    call = CallFactory(closes_at=dt.datetime(2027, 3, 1, 23, 59, tzinfo=BRUSSELS))
    client.post(reverse("portal:set_language"), {"language": language})

    text = text_of(client.get(reverse("applications:call", args=[call.slug])))

    assert deadline in text
    assert "p.m." not in text and "a.m." not in text


@pytest.mark.parametrize("language", ["fr-be", "en"])
@pytest.mark.parametrize("typed", ["04/03/2027", "04.03.2027", "4-3-2027", "2027-03-04"])
def test_a_date_is_typed_day_first_in_every_language(language, typed):
    with translation.override(language):
        form = ScheduleForm(
            {"frequency": "quarterly", "starts_on": typed, "days_allowed": 30, "reminder_days": 7}
        )
        form.is_valid()
    assert form.cleaned_data.get("starts_on") == dt.date(2027, 3, 4), form.errors


def test_templates_use_one_named_format_per_context():
    """Prose uses ``long_date`` / ``long_datetime``; ``|date:`` is kept for machine dates
    ("c") and table cells (the short formats). Any other format would make a page where
    "04.12.2026" sits beside "4 décembre 2026"."""
    allowed = {"'c'", '"c"', '"SHORT_DATE_FORMAT"', '"SHORT_DATETIME_FORMAT"'}
    wrong = []
    for template in Path(settings.BASE_DIR).glob("*/templates/**/*.*"):
        for argument in re.findall(r"\|date:(\"[^\"]*\"|'[^']*')", template.read_text()):
            if argument not in allowed:
                wrong.append(f"{template.relative_to(settings.BASE_DIR)}: {argument}")
    assert wrong == []
