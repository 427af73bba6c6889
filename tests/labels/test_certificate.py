import io

import pytest
from django.urls import reverse
from pypdf import PdfReader
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib.units import mm

from labels.pdf import QrCode, certificate, verification_qr
from tests.pages import pdf_outline

pytestmark = pytest.mark.django_db


def test_the_certificate_names_the_holder_the_number_and_the_dates(label):
    text = " ".join(PdfReader(io.BytesIO(certificate(label))).pages[0].extract_text().split())

    assert label.number in text
    assert "Société Liégeoise des Tiers-Lieux ASBL" in text
    from django.utils import formats

    assert formats.date_format(label.issued_on, "DATE_FORMAT") in text
    assert formats.date_format(label.valid_until, "DATE_FORMAT") in text
    assert "Certificat de labellisation" in text


def test_the_qr_code_points_to_the_verification_page_with_the_signed_statement(label):
    (qr,) = verification_qr(label).contents

    address, token = qr.value.split("?token=")
    assert address == f"http://testserver/labels/verify/{label.number}/"
    assert token == label.statement


def test_the_holder_downloads_the_certificate_and_strangers_get_404(
    client, label, holder, other_applicant
):
    url = reverse("labels:certificate", args=[label.number])
    client.force_login(holder)
    assert client.get(url)["Content-Type"] == "application/pdf"
    client.force_login(other_applicant)
    assert client.get(url).status_code == 404


def test_the_certificate_is_signed_by_the_programme_s_signatory(label):
    from django.utils import formats

    programme = label.programme
    programme.signatory_name = "Élise Dumont"
    programme.signatory_function = "Directrice générale"
    programme.letter_place = "Namur"
    programme.save()

    reader = PdfReader(io.BytesIO(certificate(label)))
    text = " ".join(reader.pages[0].extract_text().split())

    assert len(reader.pages) == 1
    assert "Élise Dumont Directrice générale" in text
    assert f"Namur, le {formats.date_format(label.issued_on, 'DATE_FORMAT')}" in text
    assert programme.name in text and programme.funding_body in text


def test_certificate_text_keeps_french_typography():
    from django.utils import translation

    from portal.pdf import french_spacing

    with translation.override("fr-be"):
        assert french_spacing("Valable jusqu'au 3 décembre 2029") == (
            "Valable jusqu'au 3\u00a0décembre 2029"
        )
        assert (
            french_spacing("Label « Coworking » : n° 1")
            == "Label «\u00a0Coworking\u00a0»\u00a0: n° 1"
        )
    with translation.override("en"):
        assert french_spacing("Label: 3 December") == "Label: 3 December"


def test_the_certificate_tells_screen_readers_its_title_language_and_holder(label):
    content = certificate(label)

    reader = PdfReader(io.BytesIO(content))
    assert reader.metadata.title == f"Certificat de labellisation {label.number}"
    assert reader.metadata.author == label.programme.managing_agency
    assert "Société Liégeoise des Tiers-Lieux ASBL" in reader.metadata.subject
    assert reader.trailer["/Root"]["/Lang"] == "fr-BE"
    assert pdf_outline(content) == [
        (0, "Certificat de labellisation", 1),
        (1, "Société Liégeoise des Tiers-Lieux ASBL", 1),
    ]


def test_the_qr_code_has_the_modules_reportlab_s_widget_draws():
    """Encoded once and drawn as one path, the code is the one reportlab's QrCodeWidget
    draws: the same dark rectangles at the same places."""
    value = "http://testserver/labels/verify/CW-2026-001/?token=" + "eyJhbGciOiJFZERTQSJ9." * 12
    size = 40 * mm
    widget = QrCodeWidget(value, barLevel="L", barWidth=size, barHeight=size)
    expected = {
        (round(r.x, 6), round(r.y, 6), round(r.width, 6), round(r.height, 6))
        for r in widget.draw().contents
        if r.fillColor is not None
    }

    (path,) = QrCode(value, size).contents
    points = list(zip(path.points[::2], path.points[1::2], strict=True))
    drawn = set()
    for corner in range(0, len(points), 4):
        xs = [x for x, _y in points[corner : corner + 4]]
        ys = [y for _x, y in points[corner : corner + 4]]
        drawn.add(
            (
                round(min(xs), 6),
                round(min(ys), 6),
                round(max(xs) - min(xs), 6),
                round(max(ys) - min(ys), 6),
            )
        )

    assert len(expected) > 500  # a long statement makes a large code
    assert drawn == expected
