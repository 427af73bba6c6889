"""The two CSV exports open as numbers in a spreadsheet: the semicolon one ("CSV for
Excel") in a Belgian-French spreadsheet, the comma one in an English one. Checked with
LibreOffice headless (skipped where it is not installed), which reads a CSV in a given
locale as Excel does: "1.5" in Belgian French is not the number 1,5."""

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reporting.models import ActivityReport
from tests import libreoffice
from tests.reporting.conftest import FILLED, make_report

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not libreoffice.INSTALLED, reason="LibreOffice is not installed"),
]

# LibreOffice's CSV filter: separator, quote ("), UTF-8 (76), from line 1, column types
# guessed, then the locale the cells are read in.
BELGIAN_FRENCH, BRITISH_ENGLISH = 2060, 2057
SEMICOLON, COMMA = 59, 44


def opened(csv_bytes: bytes, tmp_path: Path, separator: int, locale: int) -> list:
    """The second row of the CSV as the spreadsheet reads it in ``locale``."""
    source = tmp_path / "export.csv"
    source.write_bytes(csv_bytes)
    converted = libreoffice.convert(source, "xlsx", infilter=f"CSV:{separator},34,76,1,,{locale}")
    sheet = load_workbook(converted).active
    header, first = list(sheet.iter_rows(min_row=1, max_row=2, values_only=True))
    return dict(zip(header, first, strict=True))


@pytest.fixture
def download(client, officer, label):
    make_report(label, dt.date(2026, 1, 1), ActivityReport.State.ACCEPTED, **FILLED)
    client.force_login(officer)

    def get(fmt):
        response = client.get(reverse("reporting:staff_export", args=[fmt]))
        return response.getvalue()

    return get


def test_the_excel_csv_gives_numbers_in_a_belgian_french_spreadsheet(download, tmp_path):
    row = opened(download("csv-excel"), tmp_path, SEMICOLON, BELGIAN_FRENCH)

    # Jobs created (FTE) 1.5 would be text here (and the first of May in Excel).
    assert row["Emplois créés (ETP)"] == 1.5
    assert row["Taux d'occupation (%)"] == 61.5
    assert row["Chiffre d'affaires (€)"] == 18250


def test_the_comma_csv_gives_numbers_in_an_english_spreadsheet(download, tmp_path):
    row = opened(download("csv"), tmp_path, COMMA, BRITISH_ENGLISH)

    assert row["Emplois créés (ETP)"] == 1.5
    assert row["Chiffre d'affaires (€)"] == 18250


def test_a_decimal_point_is_not_a_number_in_belgian_french(tmp_path):
    """The defect the semicolon CSV had, shown in the same spreadsheet: the test above
    would have failed."""
    row = opened("\ufeffa;b\n1.5;1,5\n".encode(), tmp_path, SEMICOLON, BELGIAN_FRENCH)

    assert row == {"a": "1.5", "b": 1.5}
