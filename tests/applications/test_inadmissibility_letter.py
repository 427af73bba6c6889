"""The inadmissibility letter uses the programme's letter layout: salutation, legal basis,
signature of the programme's signatory, page numbers."""

import io

import pytest
from pypdf import PdfReader

from applications import services
from applications.pdf import inadmissibility_letter
from tests.factories import complete

pytestmark = pytest.mark.django_db


def test_the_inadmissibility_letter_is_signed_and_numbered(draft, applicant, officer, programme):
    programme.signatory_name = "Anne Lambotte"
    programme.signatory_function = "Administratrice générale"
    programme.letter_place = "Namur"
    programme.legal_basis = "Décision du Gouvernement wallon du 29 octobre 2010."
    programme.save()
    services.submit(complete(draft, by=applicant), by=applicant)
    services.declare_inadmissible(draft, by=officer, reason="Le plan financier manque.")

    pages = [p.extract_text() for p in PdfReader(io.BytesIO(inadmissibility_letter(draft))).pages]
    text = " ".join(" ".join(pages).split())

    assert "Madame, Monsieur," in text
    assert "Namur, le " in text
    assert f"Objet : Votre dossier {draft.reference} est irrecevable" in text
    assert "Le plan financier manque." in text
    assert "Base légale Décision du Gouvernement wallon du 29 octobre 2010." in text
    assert "Anne Lambotte Administratrice générale" in text
    assert f"Page 1 / {len(pages)}" in pages[0]
