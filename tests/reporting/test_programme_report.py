"""The programme report PDF: its text holds the key figures of the statistics."""

import io
import re

import pypdf
import pytest
from django.urls import reverse

from reporting import statistics
from reporting.pdf import programme_report
from tests.reporting.test_statistics import build_dataset


@pytest.fixture
def dataset(call, programme):
    """The programme whose figures ``test_statistics`` computes by hand."""
    return build_dataset(call, programme)


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text.replace("\xa0", " ").replace("\u202f", " "))


def test_the_report_holds_the_key_figures(dataset, programme):
    content = programme_report(
        statistics.programme_statistics(statistics.StatisticsFilter(programme))
    )
    text = pdf_text(content)

    assert programme.name in text
    assert "470 000,00 €" in text  # requested
    assert "140 000,00 €" in text  # granted
    assert "25,0 %" in text  # success rate: 2 of 8
    assert "5 (62,5 %)" in text  # admissible
    assert "Appel & <deux>" in text  # user text, escaped for reportlab's markup
    assert "Liège" in text and "Namur" in text
    assert "61,3 %" in text  # active coworkers per report, Q1 to Q2 2026
    # Median days, whole: 15.5 days in "proposed" reads 16, 60.0 to the decision reads 60.
    assert re.search(r"Proposé par le jury 2 16 ", text)
    assert "(jours) 60 " in text
    assert "15,5" not in text and "60,0" not in text
    # The activity charts draw means per space, and say so.
    assert "Activité par période : moyenne par espace labellisé" in text


def test_the_report_is_byte_stable(dataset, programme):
    selection = statistics.StatisticsFilter(programme, province="LIE")
    first = programme_report(statistics.programme_statistics(selection))
    assert programme_report(statistics.programme_statistics(selection)) == first
    assert "Liège" in pdf_text(first)


def test_ministry_staff_download_the_report_for_a_year(client, dataset, ministry, programme):
    client.force_login(ministry)
    response = client.get(
        reverse("reporting:statistics_report"), {"programme": programme.pk, "year": 2025}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"{programme.slug}-2025.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "20 000,00 €" in text  # the one dossier submitted in 2025
    assert "2025" in text


def test_officers_of_another_programme_get_404(client, dataset, other_officer, programme):
    client.force_login(other_officer)
    response = client.get(reverse("reporting:statistics_report"), {"programme": programme.pk})
    assert response.status_code == 404
