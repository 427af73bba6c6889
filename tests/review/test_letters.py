"""The decision letters read as administrative acts: programme identity, addressee, place
and date, reference, subject, salutation, body, signature, page numbers, French typography;
a grant names its label, obligations and payment."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from labels.models import Label
from reporting.models import ReportingSchedule
from review import services
from tests.review.test_jury_and_decision import complete_reviews

pytestmark = pytest.mark.django_db


def no_line_breaks_french_punctuation(pages) -> bool:
    """No line starts with « : ; ! ? » nor ends with « (the PDF writes a non-breaking
    space as a space glyph: what shows it is where lines break)."""
    lines = [line.strip() for page in pages for line in page.splitlines()]
    return not any(line[:1] in {":", ";", "!", "?", "»"} or line.endswith("«") for line in lines)


@pytest.fixture
def signed(programme):
    programme.signatory_name = "Anne Lambotte"
    programme.signatory_function = "Administratrice générale"
    programme.letter_place = "Namur"
    programme.legal_basis = "Décision du Gouvernement wallon du 29 octobre 2010."
    programme.save()
    return programme


@pytest.fixture
def proposed(admissible, reviewers, officer, grid, signed):
    services.assign([admissible], reviewers[:2], by=officer)
    complete_reviews(admissible, reviewers[:2], grid)
    admissible.refresh_from_db()
    services.propose(admissible, by=officer, proposed=True, rationale="Projet solide et ancré")
    return admissible


def pages_of(application) -> list[str]:
    letter = application.letters.get(kind="decision")
    with letter.file.open("rb") as handle:
        return [page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages]


def test_a_grant_letter_names_the_label_the_obligations_and_the_payment(
    proposed, ministry, signed, django_capture_on_commit_callbacks
):
    ReportingSchedule.objects.create(programme=signed, starts_on=dt.date(2020, 1, 1))

    with django_capture_on_commit_callbacks(execute=True):
        services.decide(proposed, by=ministry, granted=True, amount=Decimal("60000"))

    pages = pages_of(proposed)
    text = " ".join(" ".join(pages).split())
    label = Label.objects.get(application=proposed)
    assert signed.name in pages[0] and signed.managing_agency in pages[0]
    assert proposed.organisation.legal_name in pages[0]
    assert "Namur, le " in pages[0]
    assert "Objet : Octroi" in pages[0]
    assert "Madame, Monsieur," in pages[0]
    assert label.number in text
    assert "Valable jusqu'au" in text
    assert "rapport trimestriel" in text
    assert "Le premier rapport" in text and "est à remettre au plus tard le" in text
    assert "60 000,00" in text and "compte bancaire" in text
    assert "Projet solide et ancré" in text
    assert "Base légale" in text and "29 octobre 2010" in text
    assert "Gouvernement wallon, par délégation," in text
    assert "Anne Lambotte" in text and "Administratrice générale" in text
    assert f"Page 1 / {len(pages)}" in pages[0]
    assert f"Page {len(pages)} / {len(pages)}" in pages[-1]
    assert f"« {proposed.project_title} »" in text
    assert no_line_breaks_french_punctuation(pages)


def test_a_refusal_letter_gives_the_reasons_and_is_signed(proposed, ministry, signed):
    services.decide(proposed, by=ministry, granted=False, reason="Budget épuisé")

    pages = pages_of(proposed)
    text = " ".join(" ".join(pages).split())
    assert "Madame, Monsieur," in text
    assert "pour le motif suivant :" in text
    assert "Budget épuisé" in text
    assert "Motivation de la décision" in text and "Avis du jury : Projet solide" in text
    assert "Anne Lambotte" in text and "Administratrice générale" in text
    assert f"Page 1 / {len(pages)}" in pages[0]
    assert not Label.objects.exists()


def test_an_english_letter_keeps_english_typography(proposed, ministry, signed):
    proposed.created_by.language = "en"
    proposed.created_by.save()

    services.decide(proposed, by=ministry, granted=False, reason="No budget left")

    text = "\n".join(pages_of(proposed))
    assert "Dear Sir or Madam," in text
    assert "Subject: Refusal" in text
    assert "Namur, " in text and "reason:" in text
