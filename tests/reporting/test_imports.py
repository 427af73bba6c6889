"""Legacy activity reports imported in the admin: preview, row errors, all or nothing."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from reporting.models import ActivityReport
from reporting.resources import ActivityReportResource
from tests.pages import text_of
from tests.reporting.conftest import FILLED, make_report

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:reporting_activityreport_import")
CONFIRM_URL = reverse("admin:reporting_activityreport_process_import")
CSV_FORMAT, XLSX_FORMAT = "0", "1"


def header(name: str) -> str:
    with translation.override("fr-be"):
        return str(ActivityReportResource().fields[name].column_name)


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
    return {header(name): value for name, value in content.items()}


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
    assert list(invalid[0].error_dict) == ["occupancy_rate"]

    assert "100" in " ".join(invalid[0].error_dict["occupancy_rate"])
    assert not ActivityReport.objects.exists()


def test_a_number_that_does_not_parse_is_a_row_error_not_a_crash(client, admin_user, label):
    client.force_login(admin_user)
    rows = [row(label, dt.date(2026, 1, 1)), row(label, dt.date(2026, 4, 1), turnover="beaucoup")]

    result = preview(client, csv_file(rows)).context["result"]

    assert not result.has_errors()
    assert [(line.number, list(line.error_dict)) for line in result.invalid_rows] == [
        (2, ["turnover"])
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


def test_a_good_file_is_previewed_then_imported(client, admin_user, label):
    client.force_login(admin_user)
    rows = [row(label, dt.date(2026, 1, 1)), row(label, dt.date(2026, 4, 1), state="submitted")]

    response = preview(client, csv_file(rows))

    assert response.context["confirm_form"] is not None
    assert not ActivityReport.objects.exists(), "the preview writes nothing"
    response = confirm(client, response)
    assert response.status_code == 302
    reports = list(ActivityReport.objects.order_by("period_start"))
    assert [(r.period_start, r.state) for r in reports] == [
        (dt.date(2026, 1, 1), "accepted"),
        (dt.date(2026, 4, 1), "submitted"),
    ]
    assert reports[0].occupancy_rate == Decimal("61.5")
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
    assert report.desks == 35


def test_an_import_cannot_rewrite_a_filed_report(client, admin_user, label):
    client.force_login(admin_user)
    accepted = make_report(label, dt.date(2026, 1, 1), ActivityReport.State.ACCEPTED, **FILLED)

    response = preview(client, csv_file([row(label, dt.date(2026, 1, 1), occupancy_rate="12")]))

    assert [line.number for line in response.context["result"].invalid_rows] == [1]
    assert "a été remis" in text_of(response)
    accepted.refresh_from_db()
    assert accepted.occupancy_rate == FILLED["occupancy_rate"]


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
