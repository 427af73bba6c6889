"""The staff list of activity reports exported in every format, for its current filter."""

import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal, InvalidOperation

import pytest
import tablib
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from labels import services as label_services
from portal import exports
from portal.models import BackgroundExport
from reporting import indicatorlibrary
from reporting.models import ActivityReport, Indicator
from reporting.resources import ActivityReportResource
from tests.factories import CallFactory, UserFactory
from tests.labels.conftest import granted
from tests.queries import assert_same_count
from tests.reporting.conftest import FILLED, make_report, with_indicators

pytestmark = pytest.mark.django_db

STATE = ActivityReport.State


@pytest.fixture(autouse=True)
def exports_queue(settings):
    """The immediate backend, with the exports queue of production."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "exports"],
        }
    }


@pytest.fixture
def reports(label):
    """Four reports of the label; three accepted ones (the filter below keeps those)."""
    narrative = {**FILLED, "narrative": '=HYPERLINK("http://evil.example")'}
    return [
        make_report(label, dt.date(2026, 1, 1), STATE.ACCEPTED, **FILLED),
        make_report(label, dt.date(2026, 4, 1), STATE.ACCEPTED, **narrative),
        make_report(label, dt.date(2026, 7, 1), STATE.ACCEPTED, **{**FILLED, "desks": 31}),
        make_report(label, dt.date(2026, 10, 1), STATE.DUE),
    ]


def url(fmt, query="state=accepted"):
    return reverse("reporting:staff_export", args=[fmt]) + "?" + query


def expected(reports, fmt="csv"):
    """The rows a person expects, written out from the reports themselves: a spreadsheet
    shows formulae as text, JSON the text as typed."""
    rows = []
    # In the order of the staff list: newest periods first.
    for report in sorted(reports, key=lambda r: r.period_start, reverse=True):
        label = report.label
        narrative = report.narrative
        rows.append(
            [
                label.number,
                label.organisation.legal_name,
                label.get_province_display(),
                report.period_start,
                report.period_end,
                report.due_on,
                report.get_state_display(),
                report.submitted_at,
                *(report.values.get(code) for code in indicatorlibrary_codes()),
                "'" + narrative if narrative.startswith("=") and fmt != "json" else narrative,
            ]
        )
    return [[same(value) for value in row] for row in rows]


def indicatorlibrary_codes() -> list[str]:
    return [definition["code"] for definition in indicatorlibrary.COWORKING]


def same(value) -> str:
    """A cell as text, whatever the format parsed it to (dates, numbers)."""
    if value in (None, ""):
        return ""
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return same(dt.date.fromisoformat(value))
        except ValueError:
            pass
    if isinstance(value, bool):
        return str(value)
    try:
        return format(Decimal(str(value)).normalize(), "f")
    except InvalidOperation:
        return str(value)


def headers():
    with translation.override("fr-be"):
        indicators = Indicator.objects.order_by("programme", "position")
        return exports.headers(ActivityReportResource(indicators=list(indicators)))


def parse(fmt, response):
    """Header and rows of a downloaded file."""
    if fmt in ("csv", "csv-excel"):
        text = response.getvalue().decode("utf-8")
        if fmt == "csv-excel":
            assert text.startswith("\ufeff")
            text = text[1:]
        table = list(csv.reader(io.StringIO(text), delimiter=";" if fmt == "csv-excel" else ","))
        if fmt == "csv-excel":
            # Decimal commas for French Excel: "61,5" is 61.5.
            table = [[re.sub(r"^(-?\d+),(\d+)$", r"\1.\2", cell) for cell in row] for row in table]
    elif fmt == "xlsx":
        table = [list(row) for row in load_workbook(io.BytesIO(response.getvalue())).active.values]
    elif fmt == "ods":
        dataset = tablib.Dataset().load(response.getvalue(), format="ods")
        table = [list(dataset.headers), *(list(row) for row in dataset)]
    else:
        items = json.loads(response.getvalue())
        table = [list(items[0]), *(list(item.values()) for item in items)]
    return table[0], [[same(value) for value in row] for row in table[1:]]


@pytest.mark.parametrize("fmt", ["csv", "csv-excel", "xlsx", "ods", "json"])
def test_every_format_parses_back_to_the_filtered_rows(client, officer, reports, fmt):
    client.force_login(officer)

    response = client.get(url(fmt))

    assert response.status_code == 200
    # Named in the reader's language, the sheet as well as the file.
    assert response["Content-Disposition"].startswith('attachment; filename="rapports-dactivite-')
    if fmt == "xlsx":
        assert load_workbook(io.BytesIO(response.getvalue())).sheetnames == ["Rapports d'activité"]
    if fmt == "ods":
        assert tablib.Dataset().load(response.getvalue(), format="ods").title == (
            "Rapports d'activité"
        )
    header, rows = parse(fmt, response)
    assert header == headers()
    assert rows == expected(reports[:3], fmt)


def test_csv_streams_and_neutralises_formulae(client, officer, reports):
    client.force_login(officer)

    response = client.get(url("csv", "q=" + reports[0].label.number))

    assert isinstance(response, StreamingHttpResponse)
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8"))))
    assert len(rows) == 4
    narratives = [row[headers()[-1]] for row in rows]
    assert '\'=HYPERLINK("http://evil.example")' in narratives
    assert not any(narrative.startswith("=") for narrative in narratives)


@pytest.mark.parametrize("fmt", ["csv", "csv-excel", "xlsx", "ods", "json"])
def test_formulae_are_neutralised_in_spreadsheets_only(client, officer, reports, fmt):
    client.force_login(officer)

    _header, rows = parse(fmt, client.get(url(fmt)))

    narratives = {row[-1] for row in rows}
    formula = '=HYPERLINK("http://evil.example")'
    if fmt == "json":
        assert formula in narratives  # the data as typed, for the programs that read it
    else:
        assert "'" + formula in narratives
        assert formula not in narratives


@pytest.mark.parametrize(("fmt", "index"), [("csv", 0), ("json", 3)])
def test_the_admin_export_neutralises_formulae_in_spreadsheets_only(
    client, admin_user, reports, fmt, index
):
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:reporting_activityreport_export"),
        {"format": str(index), "resource": "0", "activityreportresource_narrative": "on"},
    )

    text = response.getvalue().decode("utf-8")
    if fmt == "json":
        narratives = {item["Rapport narratif"] for item in json.loads(text)}
    else:
        narratives = {row["Rapport narratif"] for row in csv.DictReader(io.StringIO(text))}
    formula = '=HYPERLINK("http://evil.example")'
    assert (formula if fmt == "json" else "'" + formula) in narratives


def test_headers_and_states_follow_the_language(client, officer, reports):
    officer.language = "en"
    officer.save()
    client.force_login(officer)

    header, rows = parse("csv", client.get(url("csv")))

    assert header[0] == "Label number"
    assert "Occupancy rate (%)" in header
    assert {row[6] for row in rows} == {"accepted"}


def test_the_export_follows_the_programmes_of_the_user(client, other_officer, reports):
    client.force_login(other_officer)
    _header, rows = parse("csv", client.get(url("csv")))
    assert rows == []


def test_someone_who_works_on_no_programme_gets_404(client, holder, reports):
    client.force_login(holder)
    assert client.get(url("csv")).status_code == 404
    assert client.get(url("xlsx")).status_code == 404


def test_an_unknown_format_is_404(client, officer, reports):
    client.force_login(officer)
    assert client.get(url("pdf")).status_code == 404


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "json"])
def test_a_large_export_runs_in_the_background_for_its_owner_only(
    client, officer, reports, monkeypatch, fmt
):
    monkeypatch.setattr(exports, "BACKGROUND_THRESHOLD", 2)
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 1)
    client.force_login(officer)

    response = client.get(url(fmt))

    record = BackgroundExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:export_detail", args=[record.pk])
    assert (record.owner, record.kind, record.query) == (officer, "reports", "state=accepted")
    record.refresh_from_db()
    assert record.state == BackgroundExport.State.DONE
    assert (record.rows_done, record.rows_total) == (3, 3)
    page = client.get(response["Location"])
    assert "Refresh" not in page
    download = reverse("portal:export_download", args=[record.pk])
    assert download in page.content.decode()
    response = client.get(download)
    assert response.status_code == 200
    header, rows = parse(fmt, response)
    assert (header, rows) == (headers(), expected(reports[:3], fmt))

    client.force_login(UserFactory())
    assert client.get(reverse("portal:export_detail", args=[record.pk])).status_code == 404
    assert client.get(download).status_code == 404

    # The owner who leaves the programme no longer downloads its data.
    client.force_login(officer)
    officer.programme_roles.all().delete()
    assert client.get(download).status_code == 404


def test_the_progress_page_refreshes_itself_while_the_file_is_written(client, officer):
    record = BackgroundExport.objects.create(
        owner=officer, kind="reports", format="xlsx", rows_total=10_000, rows_done=2_500
    )
    client.force_login(officer)

    response = client.get(reverse("portal:export_detail", args=[record.pk]))

    assert response["Refresh"] == "3"
    assert "25 %" in response.content.decode()
    download = reverse("portal:export_download", args=[record.pk])
    assert download not in response.content.decode()
    assert client.get(download).status_code == 404


def test_csv_streams_even_when_large(client, officer, reports, monkeypatch):
    monkeypatch.setattr(exports, "BACKGROUND_THRESHOLD", 1)
    client.force_login(officer)

    response = client.get(url("csv-excel"))

    assert isinstance(response, StreamingHttpResponse)
    assert len(b"".join(response.streaming_content).splitlines()) == 1 + 3  # accepted ones
    assert not BackgroundExport.objects.exists()


def test_large_csv_reads_rows_without_model_instances(officer, reports, django_assert_num_queries):
    source = exports.source("reports", officer, {"state": "accepted"})
    with django_assert_num_queries(1):
        assert len(list(exports.rows(source.resource, source.queryset))) == 3


@pytest.mark.parametrize(("language", "first"), [("fr-be", "csv-excel"), ("en", "csv")])
def test_french_readers_are_offered_the_excel_csv_first(client, officer, reports, language, first):
    client.force_login(officer)
    client.post(reverse("portal:set_language"), {"language": language})

    page = client.get(reverse("reporting:staff_list")).content.decode()

    links = re.findall(r'href="/[^"?]*/export\.([a-z-]+)\?', page)
    assert links[:2] == [first, "csv" if first == "csv-excel" else "csv-excel"]


def test_an_english_reader_gets_english_file_and_sheet_names(client, officer, reports):
    client.force_login(officer)
    client.post(reverse("portal:set_language"), {"language": "en"})

    response = client.get(url("xlsx"))

    assert response["Content-Disposition"].startswith('attachment; filename="activity-reports-')
    assert load_workbook(io.BytesIO(response.getvalue())).sheetnames == ["Activity reports"]


def test_each_indicator_has_its_column_with_typed_values(client, officer, reports):
    """Whole numbers as integers, amounts and rates with their two places: a spreadsheet
    sums them as they come."""
    client.force_login(officer)

    response = client.get(url("xlsx"))

    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    header, *rows = [list(row) for row in sheet.values]
    assert header[8:20] == [
        "Coworkers actifs",
        "Postes de travail",
        "Taux d'occupation (%)",
        "Jours d'ouverture",
        "Événements organisés",
        "Participants",
        "Entreprises hébergées",
        "Entreprises créées",
        "Emplois créés (ETP)",
        "Chiffre d'affaires (€)",
        "Subsides utilisés (€)",
        "Partenariats",
    ]
    first = dict(zip(header, rows[-1], strict=True))
    assert first["Coworkers actifs"] == 42 and isinstance(first["Coworkers actifs"], int)
    assert first["Taux d'occupation (%)"] == 61.5
    assert first["Chiffre d'affaires (€)"] == 18250
    assert first["Emplois créés (ETP)"] == 1.5


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_number_stored_as_json_null_is_an_empty_cell(client, officer, reports, fmt):
    """A JSON null is no value, on SQLite as on PostgreSQL (SQLite once read it as 0)."""
    for report in reports:
        report.values = {**report.values, "desks": None}
        report.save(update_fields=["values"])
    client.force_login(officer)

    header, rows = parse(fmt, client.get(url(fmt)))

    desks = [row[header.index("Postes de travail")] for row in rows]
    assert desks and all(cell in ("", None) for cell in desks)


def other_programme_report(definitions, **values):
    """An accepted report of a space of another programme, which has ``definitions``."""
    call = CallFactory(programme__reference_prefix=definitions[0]["code"][:4].upper())
    with_indicators(call.programme, definitions)
    label = label_services.issue_label(granted(call), today=dt.date(2025, 12, 15))
    return make_report(label, dt.date(2026, 1, 1), STATE.ACCEPTED, **values)


def test_the_indicators_of_every_listed_programme_have_their_columns(
    client, officer, reports, django_assert_max_num_queries
):
    """A fab lab's indicators next to a coworking's: a column shared by code and type
    (turnover), the others empty for the reports of the other programme; yes or no in
    words."""
    fab_lab = other_programme_report(
        indicatorlibrary.FAB_LAB,
        visitors=310,
        workshops=12,
        machine_hours="148.5",
        open_days=60,
        open_source_projects=True,
        turnover="5400",
        narrative="Douze ateliers.",
    )
    officer.programme_roles.create(programme=fab_lab.label.programme, role="officer")
    client.force_login(officer)

    header, rows = parse("csv", client.get(url("csv")))

    assert header.count("Chiffre d'affaires (€)") == 1
    assert header[-6:] == [
        "Visiteurs",
        "Ateliers organisés",
        "Heures-machines (h)",
        "Jours d'ouverture [open_days]",
        "Projets documentés en open source",
        "Rapport narratif",
    ]
    assert "Jours d'ouverture [days_open]" in header
    lab = next(
        dict(zip(header, row, strict=True)) for row in rows if row[0] == fab_lab.label.number
    )
    assert lab["Visiteurs"] == "310"
    assert lab["Heures-machines (h)"] == "148.5"
    assert lab["Projets documentés en open source"] == "Oui"
    assert lab["Chiffre d'affaires (€)"] == "5400"
    assert lab["Coworkers actifs"] == ""


def test_the_queries_of_an_export_do_not_grow_with_programmes_and_indicators(
    client, officer, reports
):
    client.force_login(officer)
    few = _queries(client, url("xlsx"))
    for definitions in (indicatorlibrary.FAB_LAB, indicatorlibrary.RURAL):
        report = other_programme_report(definitions)
        officer.programme_roles.create(programme=report.label.programme, role="officer")
    many = _queries(client, url("xlsx"))
    assert_same_count(few, many, ceiling=12)


def _queries(client, address):
    from tests.queries import queries_of

    return queries_of(client, address)


@pytest.mark.parametrize("language", ["fr-be", "en"])
def test_the_file_rows_are_the_cells_each_column_shows(officer, reports, language):
    """The rows of a file, converted with what each column works out once per file (the
    labels in the reader's language, the time zone), are the cells ``Column.show`` gives
    one by one, as the admin's export does."""
    with translation.override(language):
        source = exports.source("reports", officer, {})
        columns = source.resource.columns()
        paths = [column.path for column in columns]
        stored = source.resource.prepare(source.queryset).values_list(*paths)
        one_by_one = [
            [column.show(value) for column, value in zip(columns, row, strict=True)]
            for row in stored
        ]
        in_file = list(exports.rows(source.resource, source.queryset))

    assert in_file == one_by_one
    assert len(in_file) == len(reports)
    states = {row[paths.index("state")] for row in in_file}
    assert ("accepté" if language == "fr-be" else "accepted") in states
