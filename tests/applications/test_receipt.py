import io

import pytest
from pypdf import PdfReader

from applications import services
from tests.factories import complete

pytestmark = pytest.mark.django_db


def test_the_receipt_holds_reference_organisation_content_and_documents(draft, applicant):
    receipt = services.submit(complete(draft, by=applicant), by=applicant)

    with receipt.file.open("rb") as handle:
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)
    assert draft.reference in text
    assert "Société coopérative Liégeoise des Espaces" in text
    assert "Un espace partagé au cœur de la ville" in text
    assert "Plan financier sur trois ans" in text
    assert "Accusé de réception" in text
