"""Legacy dossiers imported in the admin (CSV or XLSX): a call by its short name, the
organisation by its enterprise number, the answers one column per question code, each
checked as the applicant form checks it; a dry run first, all or nothing."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from applications.models import Application, application_reference, reference_counter
from applications.resources import ApplicationImportResource
from portal.models import Counter, StateChange
from tests.applications.callform_samples import install_sample_form
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

URL = reverse("admin:applications_application_import")


def headers():
    with translation.override("fr"):
        return {
            name: str(field.column_name)
            for name, field in ApplicationImportResource().fields.items()
        }


def csv_upload(rows):
    names = headers()
    out = io.StringIO()
    fieldnames = [names.get(key, key) for key in rows[0]]
    writer = csv.DictWriter(out, fieldnames=fieldnames)
    writer.writeheader()
    writer.writerows([{names.get(key, key): value for key, value in row.items()} for row in rows])
    return SimpleUploadedFile("legacy.csv", out.getvalue().encode("utf-8"))


def xlsx_upload(rows):
    names = headers()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([names.get(key, key) for key in rows[0]])
    for row in rows:
        sheet.append(list(row.values()))
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("legacy.xlsx", out.getvalue())


def preview(client, upload, fmt="0"):
    response = client.post(URL, {"import_file": upload, "format": fmt})
    assert response.status_code == 200
    return response


def confirm(client, response):
    client.post(
        reverse("admin:applications_application_process_import"),
        response.context["confirm_form"].initial,
    )


@pytest.fixture
def legacy(call):
    install_sample_form(call)
    organisations = [
        OrganisationFactory(enterprise_number="0403170701"),
        OrganisationFactory(enterprise_number="0566988259"),
    ]
    return call, organisations


def row(call, reference, enterprise_number, **answers):
    return {
        "call": call.slug,
        "reference": reference,
        "enterprise_number": enterprise_number,
        "state": "granted",
        "project_title": "Un espace",
        "summary": "Un espace de travail partagé.",
        "street": "Rue de Fer 1",
        "postcode": "5000",
        "municipality": "Namur",
        "total_cost": "90000",
        "requested_amount": "30000",
        "submitted_at": "2016-03-01 10:00:00",
        **answers,
    }


GOOD = {
    "desks": "24",
    "rent": "12000,50",
    "charter": "oui",
    "legal_form": "Société",
    "services": "wifi, Café",
    "opening": "2016-09-01",
    "budget": json.dumps(
        [{"line": "Chaises", "amount": "1500.50"}, {"line": "Bureaux", "amount": "499.50"}]
    ),
}


def test_a_bad_row_is_shown_in_the_dry_run_and_nothing_is_saved(client, admin_user, legacy):
    call, _organisations = legacy
    client.force_login(admin_user)
    prefix = call.programme.reference_prefix

    response = preview(
        client,
        csv_upload(
            [
                row(call, f"{prefix}-2016-0001", "0403.170.701", **GOOD),
                row(
                    call,
                    f"{prefix}-2016-0002",
                    "0566988259",
                    **{**GOOD, "desks": "beaucoup", "charter": "peut-être"},
                ),
            ]
        ),
    )

    result = response.context["result"]
    assert result.has_validation_errors()
    (invalid,) = result.invalid_rows
    assert invalid.number == 2
    assert set(invalid.error_dict) >= {"desks", "charter"}
    assert "Saisissez un nombre entier." in invalid.error_dict["desks"][0]
    assert response.context.get("confirm_form") is None
    assert not Application.objects.exists()


def test_a_good_file_imports_every_row_with_its_answers_and_history(client, admin_user, legacy):
    call, organisations = legacy
    client.force_login(admin_user)
    prefix = call.programme.reference_prefix
    rows = [
        row(call, f"{prefix}-2016-0007", "0403.170.701", **GOOD),
        row(call, f"{prefix}-2016-0008", "0566988259", desks="8", charter="non", legal_form="asbl"),
    ]

    response = preview(client, csv_upload(rows))
    assert not response.context["result"].has_validation_errors()
    assert not Application.objects.exists()  # the dry run keeps nothing
    confirm(client, response)

    first = Application.objects.get(reference=f"{prefix}-2016-0007")
    assert first.state == "granted" and first.organisation == organisations[0]
    assert first.province == "NAM"
    assert first.answers == {
        "desks": 24,
        "rent": "12000.50",
        "charter": True,
        "legal_form": "srl",
        "services": ["wifi", "coffee"],
        "opening": "2016-09-01",
        "budget": {
            "rows": [
                {"line": "Chaises", "amount": "1500.50"},
                {"line": "Bureaux", "amount": "499.50"},
            ],
            "total": "2000.00",
        },
    }
    second = Application.objects.get(reference=f"{prefix}-2016-0008")
    assert second.answers == {"desks": 8, "charter": False, "legal_form": "asbl"}
    changes = StateChange.objects.filter(object_id__in=[first.pk, second.pk], transition="import")
    assert {change.target for change in changes} == {"granted"}
    assert changes.count() == 2
    # The next submission of 2016 does not take an imported reference.
    assert Counter.objects.get(key=reference_counter(call.programme.pk, 2016)).value == 8
    assert application_reference(prefix, 2016, 9) not in {first.reference, second.reference}


def test_an_xlsx_file_imports_numbers_and_dates_as_the_spreadsheet_holds_them(
    client, admin_user, legacy
):
    call, _organisations = legacy
    client.force_login(admin_user)
    rows = [
        row(
            call,
            "LEGACY-1",
            "0403170701",
            desks=24,
            rent=1200.5,
            charter=True,
            opening="2016-09-01",
        )
    ]

    response = preview(client, xlsx_upload(rows), fmt="1")
    assert not response.context["result"].has_validation_errors()
    confirm(client, response)

    assert Application.objects.get(reference="LEGACY-1").answers == {
        "desks": 24,
        "rent": "1200.50",
        "charter": True,
        "opening": "2016-09-01",
    }


def test_an_unknown_question_or_a_bad_table_names_its_column(client, admin_user, legacy):
    call, _organisations = legacy
    client.force_login(admin_user)

    response = preview(
        client,
        csv_upload(
            [
                row(
                    call,
                    "LEGACY-2",
                    "0403170701",
                    surface="120",
                    budget='[{"line": "x", "amount": "abc"}]',
                )
            ]
        ),
    )

    (invalid,) = response.context["result"].invalid_rows
    assert "surface" in invalid.error_dict and "budget" in invalid.error_dict
    assert "1, Montant" in invalid.error_dict["budget"][0]
    assert not Application.objects.exists()


def test_several_choices_are_read_back_even_when_a_label_holds_a_comma():
    from applications.resources import _several

    codes = {
        "wifi": "wifi",
        "internet": "wifi",
        "accès 24 h/24, 7 j/7": "access-24-7",
        "café": "coffee",
    }
    assert _several("Internet, Accès 24 h/24, 7 j/7, Café", codes) == [
        "wifi",
        "access-24-7",
        "coffee",
    ]
    assert _several("Internet, Sauna", codes) == ["wifi", "Sauna"]


def test_imported_dossiers_are_counted_in_the_statistics_once_committed(
    client, admin_user, legacy, django_capture_on_commit_callbacks
):
    """They come without their transitions: the import asks for the programme's summaries
    (``reporting.tallies``), computed again once it commits."""
    from reporting import statistics

    call, _organisations = legacy
    client.force_login(admin_user)
    prefix = call.programme.reference_prefix
    response = preview(
        client,
        csv_upload(
            [
                row(call, f"{prefix}-2016-0011", "0403.170.701", **GOOD),
                row(call, f"{prefix}-2016-0012", "0566988259", state="refused", desks="8"),
            ]
        ),
    )

    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, response)

    _calls, total = statistics.funnel(statistics.StatisticsFilter(call.programme, year=2016))
    assert (total.submitted, total.granted, total.requested_amount) == (2, 1, 60000)
