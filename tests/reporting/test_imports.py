"""Legacy activity reports imported in the admin: preview, row errors, all or nothing."""

import csv
import datetime as dt
import io

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from openpyxl import Workbook

from portal.models import BackgroundImport
from reporting.models import ActivityReport, Indicator, ReportTally
from reporting.resources import ActivityReportResource
from tests.factories import UserFactory
from tests.pages import text_of
from tests.reporting.conftest import FILLED, make_report

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:reporting_activityreport_import")
CONFIRM_URL = reverse("admin:reporting_activityreport_process_import")
CSV_FORMAT, XLSX_FORMAT = "0", "1"


def header(name: str) -> str:
    """The French header of a core column, or of an indicator by its code."""
    return headers()[name]


def headers() -> dict[str, str]:
    with translation.override("fr-be"):
        named = {
            name: str(field.column_name) for name, field in ActivityReportResource().fields.items()
        }
        for indicator in Indicator.objects.all():
            named[indicator.code] = str(capfirst(indicator.heading))
    return named


def row(of, start: dt.date, **values):
    end = (start.replace(day=28) + dt.timedelta(days=70)).replace(day=1) - dt.timedelta(days=1)
    content = {
        "label": of.number,
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "due_on": (end + dt.timedelta(days=30)).isoformat(),
        "state": "accepted",
        **{name: str(value) for name, value in FILLED.items()},
        **values,
    }
    named = headers()
    return {named.get(name, name): value for name, value in content.items()}


def csv_file(rows, name="rapports.csv"):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8"), content_type="text/csv")


def xlsx_file(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(rows[0]))
    for values in rows:
        sheet.append(list(values.values()))
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("rapports.xlsx", out.getvalue())


def preview(client, upload, fmt=CSV_FORMAT):
    return client.post(IMPORT_URL, {"import_file": upload, "format": fmt})


def confirm(client, response):
    form = response.context["confirm_form"]
    return client.post(CONFIRM_URL, {**form.initial})


def test_a_file_with_one_bad_row_writes_nothing_and_names_the_row_and_field(
    client, admin_user, label
):
    client.force_login(admin_user)
    rows = [
        row(label, dt.date(2026, 1, 1)),
        row(label, dt.date(2026, 4, 1), occupancy_rate="140"),
        row(label, dt.date(2026, 7, 1)),
    ]

    response = preview(client, csv_file(rows))

    assert response.status_code == 200
    assert response.context.get("confirm_form") is None
    invalid = response.context["result"].invalid_rows
    assert [line.number for line in invalid] == [2]
    # Named by its column, as the file heads it.
    assert list(invalid[0].error_dict) == ["Taux d'occupation (%)"]

    assert "100" in " ".join(invalid[0].error_dict["Taux d'occupation (%)"])
    assert not ActivityReport.objects.exists()


def test_a_number_that_does_not_parse_is_a_row_error_not_a_crash(client, admin_user, label):
    client.force_login(admin_user)
    rows = [row(label, dt.date(2026, 1, 1)), row(label, dt.date(2026, 4, 1), turnover="beaucoup")]

    result = preview(client, csv_file(rows)).context["result"]

    assert not result.has_errors()
    assert [(line.number, list(line.error_dict)) for line in result.invalid_rows] == [
        (2, ["Chiffre d'affaires (€)"])
    ]
    assert not ActivityReport.objects.exists()


def test_an_unknown_label_or_state_names_the_field(client, admin_user, label):
    client.force_login(admin_user)
    rows = [
        row(label, dt.date(2026, 1, 1), label="CW-LBL-1999-999"),
        row(label, dt.date(2026, 4, 1), state="perdu"),
    ]

    response = preview(client, csv_file(rows))

    result = response.context["result"]
    ((number, (error,)),) = result.row_errors()
    assert number == 1
    assert "« CW-LBL-1999-999 »" in str(error.error)
    assert [(line.number, list(line.error_dict)) for line in result.invalid_rows] == [
        (2, ["state"])
    ]
    assert "Traceback" not in text_of(response)


def test_a_good_file_is_previewed_then_imported(
    client, admin_user, label, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    rows = [row(label, dt.date(2026, 1, 1)), row(label, dt.date(2026, 4, 1), state="submitted")]

    response = preview(client, csv_file(rows))

    assert response.context["confirm_form"] is not None
    assert not ActivityReport.objects.exists(), "the preview writes nothing"
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(client, response)
    assert response.status_code == 302
    reports = list(ActivityReport.objects.order_by("period_start"))
    # Both counted in the programme's statistics once the import committed.
    counted = ReportTally.objects.filter(programme=label.programme, indicator=None)
    assert sorted(counted.values_list("period_start", "reports")) == [
        (dt.date(2026, 1, 1), 1),
        (dt.date(2026, 4, 1), 1),
    ]
    assert [(r.period_start, r.state) for r in reports] == [
        (dt.date(2026, 1, 1), "accepted"),
        (dt.date(2026, 4, 1), "submitted"),
    ]
    assert reports[0].values["occupancy_rate"] == "61.50"
    assert reports[0].values["active_coworkers"] == 42
    assert reports[0].narrative == FILLED["narrative"]


def test_an_xlsx_file_imports_too_and_updates_by_label_and_period(client, admin_user, label):
    client.force_login(admin_user)
    first = row(label, dt.date(2026, 1, 1), state="due")
    confirm(client, preview(client, xlsx_file([first]), XLSX_FORMAT))

    response = preview(
        client, xlsx_file([row(label, dt.date(2026, 1, 1), state="due", desks="35")]), XLSX_FORMAT
    )
    confirm(client, response)

    report = ActivityReport.objects.get()
    assert report.values["desks"] == 35


def test_an_import_cannot_rewrite_a_filed_report(client, admin_user, label):
    client.force_login(admin_user)
    accepted = make_report(label, dt.date(2026, 1, 1), ActivityReport.State.ACCEPTED, **FILLED)

    response = preview(client, csv_file([row(label, dt.date(2026, 1, 1), occupancy_rate="12")]))

    assert [line.number for line in response.context["result"].invalid_rows] == [1]
    assert "a été remis" in text_of(response)
    accepted.refresh_from_db()
    assert accepted.values["occupancy_rate"] == "61.50"


def test_a_legacy_report_that_arrives_filed_must_be_complete(client, admin_user, label):
    client.force_login(admin_user)

    response = preview(client, csv_file([row(label, dt.date(2026, 1, 1), narrative="")]))

    assert [line.number for line in response.context["result"].invalid_rows] == [1]
    assert "Rapport narratif" in text_of(response) or "rapport narratif" in text_of(response)
    assert not ActivityReport.objects.exists()


def test_the_confirmed_import_rolls_back_if_a_row_became_invalid_since_the_preview(
    client, admin_user, label
):
    """The preview found the file valid; before it is confirmed, someone creates the
    report of its second row (still due, while the file says accepted: a state change the
    import may not make). The valid first row is not written either."""
    client.force_login(admin_user)
    rows = [row(label, dt.date(2026, 1, 1)), row(label, dt.date(2026, 4, 1))]
    response = preview(client, csv_file(rows))
    make_report(label, dt.date(2026, 4, 1))

    response = confirm(client, response)

    assert list(ActivityReport.objects.values_list("period_start", "state")) == [
        (dt.date(2026, 4, 1), "due")
    ]


# --- large files, checked and imported in the background ----------------------------


@pytest.fixture
def background(monkeypatch):
    """Every file counts as large: it goes to the background import."""
    monkeypatch.setattr("portal.imports.BACKGROUND_BYTES", 0)


def monthly_rows(of, count: int, **values):
    """``count`` rows of four-week periods, one starting on each day from the label's
    issue (distinct keys, all within its validity)."""
    rows = []
    for day in range(count):
        start = of.issued_on + dt.timedelta(days=day)
        end = start + dt.timedelta(days=27)
        rows.append(
            row(
                of,
                start,
                period_end=end.isoformat(),
                due_on=(end + dt.timedelta(days=30)).isoformat(),
                days_open="20",
                **values,
            )
        )
    return rows


def test_a_large_file_is_checked_in_the_background_then_imported_on_confirmation(
    client, admin_user, label, background, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)

    response = preview(client, csv_file(monthly_rows(label, 30)))

    job = BackgroundImport.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    page = client.get(job.get_absolute_url())
    assert "30 / 30" in text_of(page)
    assert "Prêt à importer" in text_of(page) or "prêt à importer" in text_of(page)
    assert not ActivityReport.objects.exists(), "the check writes nothing"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:import_confirm", args=[job.pk]))

    assert response.status_code == 302
    assert ActivityReport.objects.count() == 30
    counted = ReportTally.objects.filter(programme=label.programme, indicator=None)
    assert sum(counted.values_list("reports", flat=True)) == 30  # the statistics count them
    job.refresh_from_db()
    assert (job.state, job.new_rows, job.rows_done) == ("done", 30, 30)
    assert "30 nouveaux" in text_of(client.get(job.get_absolute_url()))
    assert not job.file, "the uploaded file goes once imported"


def test_a_large_file_with_one_bad_row_writes_nothing_and_lists_the_row_error(
    client, admin_user, label, background
):
    client.force_login(admin_user)
    rows = monthly_rows(label, 30)
    rows[16] = {**rows[16], header("occupancy_rate"): "140"}

    response = client.get(preview(client, csv_file(rows)).url)

    job = BackgroundImport.objects.get()
    assert (job.state, job.invalid_rows) == ("invalid", 1)
    assert job.row_errors[0]["row"] == 17
    table = text_of(response)
    assert "a été écrit" in table
    assert "17" in table and header("occupancy_rate") in table and "100" in table
    assert "Importer le fichier" not in table
    assert not ActivityReport.objects.exists()
    assert client.post(reverse("portal:import_confirm", args=[job.pk])).status_code == 302
    assert not ActivityReport.objects.exists(), "an invalid file is never imported"


def test_the_background_import_rolls_back_whole_if_a_row_became_invalid_since_the_check(
    client, admin_user, label, background
):
    client.force_login(admin_user)
    rows = monthly_rows(label, 5)
    job_url = preview(client, csv_file(rows)).url
    make_report(label, label.issued_on + dt.timedelta(days=3))  # now filed as "due"

    client.post(reverse("portal:import_confirm", args=[BackgroundImport.objects.get().pk]))

    job = BackgroundImport.objects.get()
    assert (job.state, job.invalid_rows) == ("invalid", 1)
    assert [error["row"] for error in job.row_errors] == [4]
    assert ActivityReport.objects.count() == 1
    assert "a été écrit" in text_of(client.get(job_url))


def test_a_file_naming_the_same_report_twice_names_the_first_row(
    client, admin_user, label, background
):
    client.force_login(admin_user)
    rows = monthly_rows(label, 3)

    preview(client, csv_file([*rows, rows[1]]))

    job = BackgroundImport.objects.get()
    assert [(error["row"], error["messages"]) for error in job.row_errors] == [
        (4, ["La ligne 2 du fichier porte sur le même enregistrement."])
    ]


@pytest.mark.parametrize("count", [50, 500])
def test_the_queries_of_an_import_do_not_grow_with_its_rows(
    count, client, admin_user, label, background, django_assert_max_num_queries
):
    client.force_login(admin_user)
    upload = csv_file(monthly_rows(label, count))

    # SQLite takes at most 999 values a statement: 500 rows are inserted in a dozen
    # statements (fewer once the old indicator columns go, issue 18).
    with django_assert_max_num_queries(45):
        response = preview(client, upload)
    with django_assert_max_num_queries(45):
        client.post(reverse("portal:import_confirm", args=[BackgroundImport.objects.get().pk]))

    assert response.status_code == 302
    assert ActivityReport.objects.count() == count


def test_only_its_owner_sees_an_import_while_they_may_import(client, admin_user, label, background):
    client.force_login(admin_user)
    job_url = preview(client, csv_file(monthly_rows(label, 2))).url
    job = BackgroundImport.objects.get()

    other = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(other)
    assert client.get(job_url).status_code == 404
    assert client.post(reverse("portal:import_confirm", args=[job.pk])).status_code == 404
    admin_user.is_staff = False
    admin_user.save()
    client.force_login(admin_user)
    assert client.get(job_url).status_code == 404
    assert not ActivityReport.objects.exists()


def test_a_small_file_keeps_the_preview_in_the_page(client, admin_user, label):
    client.force_login(admin_user)

    response = preview(client, csv_file(monthly_rows(label, 3)))

    assert response.status_code == 200 and response.context["confirm_form"] is not None
    assert not BackgroundImport.objects.exists()


# --- plausible dates ------------------------------------------------------------------


@pytest.mark.parametrize(
    "values, field, message",
    [
        (
            {"period_start": "1900-01-01", "period_end": "1900-03-31", "due_on": "1900-04-30"},
            "period_start",
            "en dehors de la validité du label",
        ),
        ({"due_on": "9999-12-31"}, "due_on", "qui suit la fin de sa période"),
        ({"due_on": "2026-03-01"}, "due_on", "après la fin de sa période"),
        ({"period_end": "2025-12-31"}, "period_end", "se termine avant de commencer"),
        ({"period_end": "2027-06-30", "due_on": "2027-07-30"}, "period_end", "au plus un an"),
    ],
)
def test_implausible_dates_are_row_errors(client, admin_user, label, values, field, message):
    client.force_login(admin_user)

    response = preview(client, csv_file([row(label, dt.date(2026, 1, 1), **values)]))

    (invalid,) = response.context["result"].invalid_rows
    assert message in " ".join(invalid.error_dict[field])
    assert not ActivityReport.objects.exists()


def test_a_period_after_the_label_expired_is_refused_but_its_last_period_is_owed(
    client, admin_user, label
):
    client.force_login(admin_user)
    last = label.valid_until.replace(day=1)
    after = (label.valid_until + dt.timedelta(days=40)).replace(day=1)

    response = preview(client, csv_file([row(label, last), row(label, after)]))

    assert [line.number for line in response.context["result"].invalid_rows] == [2]


def test_a_chunk_reads_only_the_reports_its_rows_name(label):
    """A large file is checked in chunks; each chunk fetches the reports it may update by
    label and period, not every report of its labels (the 100,000-row import stalled)."""
    for month in (1, 4, 7, 10):
        make_report(label, dt.date(2026, month, 1))
    resource = ActivityReportResource()
    with translation.override("fr-be"):
        dataset = tablib.Dataset(headers=list(row(label, dt.date(2027, 1, 1))))
        dataset.append(list(row(label, dt.date(2027, 1, 1)).values()))
        dataset.append(list(row(label, dt.date(2026, 4, 1)).values()))
        resource.before_import(dataset)

    assert [key[1] for key in resource.existing] == [dt.date(2026, 4, 1)]


# --- the programme's indicators -------------------------------------------------------


def test_columns_headed_by_codes_and_values_in_words_are_read(client, admin_user, label):
    """A file may head an indicator's column by its code (as the API names it); a yes or
    no is read in words, an option by its label."""
    Indicator.objects.create(
        programme=label.programme,
        position=20,
        code="accessible",
        label_fr="accessible PMR",
        kind=Indicator.Kind.YES_NO,
        aggregation=Indicator.Aggregation.SHARE_YES,
    )
    client.force_login(admin_user)
    first = row(label, dt.date(2026, 1, 1))
    first["desks"] = first.pop(header("desks"))
    first["accessible"] = "Oui"

    confirm(client, preview(client, csv_file([first])))

    report = ActivityReport.objects.get()
    assert report.values["desks"] == 30 and report.values["accessible"] is True


def test_a_value_the_programme_does_not_ask_is_a_row_error(client, admin_user, label):
    client.force_login(admin_user)
    other = Indicator.objects.create(
        programme=label.programme,
        code="visitors",
        label_fr="visiteurs",
        kind=Indicator.Kind.INTEGER,
        retired_from=dt.date(2026, 1, 1),
    )
    rows = [
        row(label, dt.date(2025, 10, 1), state="due", visitors="12"),
        row(label, dt.date(2026, 1, 1), visitors="12"),
    ]

    result = preview(client, csv_file(rows))

    invalid = result.context["result"].invalid_rows
    assert [(line.number, list(line.error_dict)) for line in invalid] == [(2, ["Visiteurs"])]
    assert "pas demandé pour cette période" in " ".join(invalid[0].error_dict["Visiteurs"])
    assert other.label == "visiteurs"
