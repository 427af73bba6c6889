"""A report's narrative has a limit: in the holder's form and in an import, where a narrative
over it is a row error naming the field, not a crash and not a saved megabyte."""

import datetime as dt

import pytest
import tablib
from django.utils import translation

from portal import textlimits
from reporting.indicators import ReportForm
from reporting.models import ActivityReport
from reporting.resources import ActivityReportResource
from tests.reporting.conftest import FILLED, make_report

pytestmark = pytest.mark.django_db


def dataset(label, narrative: str) -> tablib.Dataset:
    start, end = dt.date(2026, 1, 1), dt.date(2026, 3, 31)
    values = {
        "label": label.number,
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "due_on": (end + dt.timedelta(days=30)).isoformat(),
        "state": "accepted",
        **{name: str(value) for name, value in FILLED.items()},
        "narrative": narrative,
    }
    fields = ActivityReportResource().fields
    with translation.override("fr-be"):
        # Indicators headed by their codes, which an import reads as well as their names.
        headers = [str(fields[name].column_name) if name in fields else name for name in values]
    return tablib.Dataset(list(values.values()), headers=headers)


def test_an_imported_narrative_over_its_limit_is_a_row_error(label):
    with translation.override("fr"):
        result = ActivityReportResource().import_data(
            dataset(label, "n" * (textlimits.LONG + 1)), dry_run=True
        )

    assert result.has_validation_errors()
    (invalid,) = result.invalid_rows
    assert invalid.field_specific_errors["narrative"] == [
        "Ce texte dépasse la limite de 10\xa0000 caractères (il en compte 10\xa0001)."
    ]
    assert not ActivityReport.objects.filter(narrative__startswith="nnn").exists()


def test_an_imported_narrative_at_its_limit_is_accepted(label):
    result = ActivityReportResource().import_data(
        dataset(label, "n" * textlimits.LONG), dry_run=True
    )

    assert not result.has_validation_errors()
    assert not result.has_errors()


def test_the_holder_form_refuses_a_narrative_over_its_limit(label):
    report = make_report(label, dt.date(2026, 1, 1))

    with translation.override("fr"):
        form = ReportForm(
            {**FILLED, "narrative": "n" * (textlimits.LONG + 5)},
            report=report,
            indicators=report.asked_indicators(),
        )

        assert form.errors["narrative"] == [
            "Ce texte dépasse la limite de 10\xa0000 caractères (il en compte 10\xa0005)."
        ]
