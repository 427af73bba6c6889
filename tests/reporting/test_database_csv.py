"""CSV files formatted by the database (``COPY`` on PostgreSQL) hold the cells that the
Python writer would write, in every language, and let go of the connection when a download
is abandoned."""

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from portal import database_csv, exports
from reporting import indicatorlibrary
from reporting.models import ActivityReport, Indicator
from reporting.resources import ActivityReportResource
from tests.reporting.conftest import FILLED, make_report

Kind = Indicator.Kind
# Every other type of indicator, after the twelve of SPEC §6.
OTHER_KINDS = [
    indicatorlibrary.indicator("accessible", "accessible PMR", "wheelchair access", Kind.YES_NO),
    indicatorlibrary.RURAL[-1],  # one choice
    indicatorlibrary.indicator("motto", "devise", "motto", Kind.TEXT, required=False),
]

pytestmark = pytest.mark.django_db

UTC = dt.UTC


@pytest.fixture
def reports(label):
    """Reports filed in winter and summer time, one with a formula, one still empty."""
    accepted = ActivityReport.State.ACCEPTED
    winter = make_report(label, dt.date(2026, 1, 1), accepted, **FILLED)
    for position, definition in enumerate(OTHER_KINDS, start=20):
        Indicator.objects.create(programme=label.programme, position=position, **definition)
    other = {"accessible": True, "main_audience": "students", "motto": "=1+1, vraiment"}
    summer = make_report(
        label,
        dt.date(2026, 4, 1),
        accepted,
        **{**FILLED, **other, "narrative": "+32 81 00 00 00"},
    )
    ActivityReport.objects.filter(pk=winter.pk).update(
        submitted_at=dt.datetime(2026, 1, 20, 23, 30, 15, 999_000, tzinfo=UTC)
    )
    ActivityReport.objects.filter(pk=summer.pk).update(
        submitted_at=dt.datetime(2026, 7, 10, 22, 5, tzinfo=UTC)
    )
    empty = make_report(label, dt.date(2026, 7, 1))
    quoted = make_report(
        label,
        dt.date(2026, 10, 1),
        accepted,
        **{**FILLED, "narrative": 'Dit "oui", puis;\nnon\r\nenfin'},
    )
    return [winter, summer, empty, quoted]


def a_resource():
    return ActivityReportResource(indicators=list(Indicator.objects.all()))


def database_rows(queryset, delimiter=","):
    text = "".join(
        piece.decode() if isinstance(piece, bytes) else piece
        for piece in database_csv.lines(a_resource(), queryset, delimiter)
    )
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def python_rows(queryset, delimiter=","):
    text = "".join(
        exports.csv_lines(
            [],
            exports.rows(a_resource(), queryset),
            "csv-excel" if delimiter == ";" else "csv",
        )
    )
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter))[1:]


@pytest.mark.parametrize("language", ["fr-be", "en"])
def test_the_database_writes_the_cells_that_python_would(reports, language):
    queryset = ActivityReport.objects.order_by("period_start")

    with translation.override(language):
        written = database_rows(queryset)
        expected = python_rows(queryset)

    assert written == expected
    winter, summer, empty, quoted = written
    # Brussels time, to the second: 23:30 UTC in January is past midnight there.
    assert winter[7] == "2026-01-21 00:30:15"
    assert summer[7] == "2026-07-11 00:05:00"
    assert summer[-1] == "'+32 81 00 00 00"
    assert winter[17] == "18250.00"
    assert winter[8:11] == ["42", "30", "61.50"]
    assert summer[20:23] == (
        ["Oui", "étudiants", "'=1+1, vraiment"]
        if language == "fr-be"
        else ["Yes", "students", "'=1+1, vraiment"]
    )
    assert empty[6] == ("à remettre" if language == "fr-be" else "to be filed")
    assert empty[8:23] == [""] * 15
    assert quoted[-1] == 'Dit "oui", puis;\nnon\r\nenfin'


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_a_line_of_more_cells_than_one_printf_takes_is_written_in_pieces(
    reports, monkeypatch, delimiter
):
    """SQLite's printf takes at most 127 arguments: a wide export joins several calls."""
    queryset = ActivityReport.objects.order_by("period_start")
    monkeypatch.setattr(database_csv, "PRINTF_CELLS", 4)

    written = database_rows(queryset, delimiter)

    assert written == python_rows(queryset, delimiter)
    assert len(written[0]) > 4 * 4


def test_another_time_zone_is_converted_too(reports):
    queryset = ActivityReport.objects.order_by("period_start")

    with timezone.override(ZoneInfo("America/New_York")):
        written = database_rows(queryset)
        expected = python_rows(queryset)

    assert written == expected
    assert written[0][7] == "2026-01-20 18:30:15"


def test_semicolons_and_decimal_commas_for_french_excel(reports):
    queryset = ActivityReport.objects.order_by("period_start")

    rows = database_rows(queryset, delimiter=";")

    assert rows == python_rows(queryset, delimiter=";")
    winter = rows[0]
    # Occupancy rate, jobs created (FTE), turnover: French Excel reads 1.5 as 1 May.
    assert (winter[10], winter[16], winter[17]) == ("61,50", "1,5000", "18250,00")
    assert winter[7] == "2026-01-21 00:30:15"
    assert database_rows(queryset)[0][17] == "18250.00"


def test_a_display_without_sql_is_written_from_python(reports, monkeypatch):
    resource = a_resource()
    state = resource.fields["state"]
    monkeypatch.setattr(state, "sql_display", None)
    monkeypatch.setattr(state, "display", lambda value: value.upper())
    queryset = ActivityReport.objects.order_by("period_start")

    assert database_csv.lines(resource, queryset, ",") is None
    text = "".join(exports.csv_file(resource, queryset, exports.headers(resource), "csv"))
    assert [row[6] for row in csv.reader(io.StringIO(text))][1:] == [
        "ACCEPTED",
        "ACCEPTED",
        "DUE",
        "ACCEPTED",
    ]


def test_an_abandoned_download_lets_go_of_the_connection(reports, monkeypatch):
    monkeypatch.setattr(database_csv, "CHUNK_BYTES", 1)
    monkeypatch.setattr(database_csv, "CHUNK_ROWS", 1)
    lines = database_csv.lines(a_resource(), ActivityReport.objects.all(), ",")

    assert next(lines)
    lines.close()

    # The cursor (PostgreSQL: the COPY) is over: the connection answers the next query.
    assert ActivityReport.objects.count() == 4


def test_both_csv_writers_neutralise_what_the_rows_keep_as_typed(reports):
    queryset = ActivityReport.objects.order_by("period_start")

    typed = [row[-1] for row in exports.rows(a_resource(), queryset)]

    assert typed[1] == "+32 81 00 00 00"  # what JSON writes
    assert database_rows(queryset)[1][-1] == python_rows(queryset)[1][-1] == "'+32 81 00 00 00"
