"""The dossier exports carry one column per question of the call after the core columns,
headed in the reader's language, with the answers read in SQL: numbers as numbers, yes/no
and choices in words, a table as its total and its rows as JSON."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from applications import formbuilder
from applications.filters import submitted_applications
from applications.resources import ApplicationResource
from portal import database_csv, exports
from tests.applications.callform_samples import (
    FIRST,
    SECOND,
    _q,
    install_sample_form,
    submitted,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossiers(call):
    install_sample_form(call)
    return (
        submitted(call, "CW-2027-0001", FIRST, project_title="=SUM(A1)"),
        submitted(call, "CW-2027-0002", SECOND),
        submitted(call, "CW-2027-0003", {}),
    )


def export(call, fmt, language="fr", query=""):
    """The call's export in ``fmt`` as the view writes it (the export kind of the review app
    builds the same resource with ``call=``)."""
    with translation.override(language):
        resource = ApplicationResource(call=call)
        queryset = submitted_applications(call, QueryDict(query)).qs
        header = exports.headers(resource)
        if fmt == "csv":
            return "".join(
                piece.decode() if isinstance(piece, bytes) else piece
                for piece in exports.csv_file(resource, queryset, header, "csv")
            )
        out = io.BytesIO()
        exports.write(fmt, header, exports.rows(resource, queryset), out, "Dossiers")
        return out.getvalue()


def by_reference(rows, key):
    return {row[key]: row for row in rows}


def test_the_csv_has_a_column_per_question_headed_in_french(dossiers, call):
    rows = list(csv.DictReader(io.StringIO(export(call, "csv"))))
    header = list(rows[0])

    assert header.index("Postes de travail") > header.index("Montant octroyé (EUR)")
    assert "Surface (m²)" not in header and "Postes de travail individuels" not in header
    first, second, empty = (by_reference(rows, "Référence")[f"CW-2027-000{n}"] for n in (1, 2, 3))
    assert first["Postes de travail"] == "12"
    assert first["Loyer annuel"] == "9000.00"
    assert first["Charte signée"] == "Oui" and second["Charte signée"] == "Non"
    assert first["Forme juridique"] == "Association" and second["Forme juridique"] == "Société"
    assert first["Services"] == "Internet, Café" and second["Services"] == "Internet"
    assert first["Ouverture"] == "2027-03-01" and first["Devise"] == "Ensemble"
    assert Decimal(second["Budget — total"]) == Decimal("4999.00")
    assert json.loads(second["Budget (JSON)"]) == SECOND["budget"]["rows"]
    assert empty["Postes de travail"] == "" and empty["Budget (JSON)"] == ""
    assert first["Titre du projet"].startswith("'=")


def test_the_csv_is_written_by_the_database_with_the_same_cells_as_python(dossiers, call):
    resource = ApplicationResource(call=call)
    assert database_csv.lines(resource, submitted_applications(call, None).qs, ",") is not None
    rows = list(csv.DictReader(io.StringIO(export(call, "csv"))))
    first = by_reference(rows, "Référence")["CW-2027-0001"]
    assert first["Services"] == "Internet, Café"
    assert by_reference(rows, "Référence")["CW-2027-0002"]["Services"] == "Internet"

    assert first["Charte signée"] == "Oui" and first["Forme juridique"] == "Association"
    assert first["Postes de travail"] == "12" and first["Loyer annuel"] == "9000.00"
    assert Decimal(first["Budget — total"]) == Decimal("1500.50")
    assert json.loads(first["Budget (JSON)"]) == FIRST["budget"]["rows"]


def test_the_xlsx_holds_numbers_as_numbers_with_english_headers(dossiers, call):
    sheet = load_workbook(io.BytesIO(export(call, "xlsx", language="en"))).active
    header, *values = list(sheet.values)
    rows = {row[0]: dict(zip(header, row, strict=True)) for row in values}

    first, second = rows["CW-2027-0001"], rows["CW-2027-0002"]
    assert first["Workstations"] == 12
    assert Decimal(str(second["Yearly rent"])) == Decimal("24000")
    assert first["Charter signed"] == "Yes" and second["Charter signed"] == "No"
    assert first["Legal form"] == "Non-profit"
    assert first["Services"] == "Internet, Coffee"
    assert Decimal(str(second["Budget — total"])) == Decimal("4999")
    assert json.loads(second["Budget (JSON)"]) == SECOND["budget"]["rows"]


@pytest.mark.parametrize("fmt", ["ods", "json"])
def test_the_other_formats_hold_the_question_columns(dossiers, call, fmt):
    content = export(call, fmt)

    if fmt == "json":
        rows = by_reference(json.loads(content), "Référence")
        assert rows["CW-2027-0001"]["Charte signée"] == "Oui"
        assert rows["CW-2027-0002"]["Postes de travail"] == 40
    else:
        assert content[:2] == b"PK"


def test_the_export_follows_the_filter_on_answers(dossiers, call):
    rows = list(csv.DictReader(io.StringIO(export(call, "csv", query="desks_min=20"))))

    assert [row["Référence"] for row in rows] == ["CW-2027-0002"]


def test_the_admin_export_has_the_same_columns(dossiers, call):
    resource = ApplicationResource(call=call)
    dataset = resource.export(submitted_applications(call, None).qs)

    assert "Budget (JSON)" in dataset.headers
    rows = by_reference(
        [dict(zip(dataset.headers, row, strict=True)) for row in dataset], "Référence"
    )
    assert rows["CW-2027-0001"]["Charte signée"] == "Oui"
    assert rows["CW-2027-0001"]["Services"] == "Internet, Café"
    assert rows["CW-2027-0002"]["Loyer annuel"] == Decimal("24000.00")


def test_the_export_runs_the_same_queries_with_1_and_20_questions(
    client, call, officer, django_assert_max_num_queries
):
    formbuilder.install(
        call,
        {
            "sections": [
                {"title_fr": "A", "title_en": "A", "questions": [_q("q0", "integer", "Q0", "Q0")]}
            ]
        },
    )
    for n in range(3):
        submitted(call, f"CW-2027-000{n + 1}", {"q0": n})

    def queries():
        with django_assert_max_num_queries(50) as captured:
            for fmt in ("csv", "xlsx"):
                export(call, fmt)
        return len(captured.captured_queries)

    one = queries()
    formbuilder.install(
        call,
        {
            "sections": [
                {
                    "title_fr": "B",
                    "title_en": "B",
                    "questions": [
                        _q(f"q{n}", kind, f"Q{n}", f"Q{n}")
                        for n, kind in zip(
                            range(1, 20),
                            ["integer", "amount", "yes_no", "short_text", "date"] * 4,
                            strict=False,
                        )
                    ],
                }
            ]
        },
    )
    assert queries() <= one


def test_the_staff_export_view_has_the_question_columns(client, call, officer, dossiers):
    client.force_login(officer)

    response = client.get(reverse("applications:staff_call_export", args=[call.slug, "csv"]))

    header = next(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert "Postes de travail" in header
