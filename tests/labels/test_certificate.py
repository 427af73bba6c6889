import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from labels.pdf import certificate, verification_qr

pytestmark = pytest.mark.django_db


def test_the_certificate_names_the_holder_the_number_and_the_dates(label):
    text = " ".join(PdfReader(io.BytesIO(certificate(label))).pages[0].extract_text().split())

    assert label.number in text
    assert "Société Liégeoise des Tiers-Lieux ASBL" in text
    from django.utils import formats

    assert formats.date_format(label.issued_on, "DATE_FORMAT") in text
    assert formats.date_format(label.valid_until, "DATE_FORMAT") in text
    assert "Certificat de labellisation" in text


def test_the_qr_code_points_to_the_verification_page(label):
    (qr,) = verification_qr(label).contents

    assert qr.value == f"http://testserver/labels/verify/{label.number}/"


def test_the_holder_downloads_the_certificate_and_strangers_get_404(
    client, label, holder, other_applicant
):
    url = reverse("labels:certificate", args=[label.number])
    client.force_login(holder)
    assert client.get(url)["Content-Type"] == "application/pdf"
    client.force_login(other_applicant)
    assert client.get(url).status_code == 404
