"""French typography in the PDFs: guillemets and « : ; ! ? » never break from their text."""

import io

from django.utils import translation
from pypdf import PdfReader

from portal import pdf

SENTENCE = "Le dossier « Espace partagé » est recevable : bravo ! Vraiment ? Oui ; merci. "


def lines_of(document: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(document))
    return [line.strip() for page in reader.pages for line in page.extract_text().splitlines()]


def test_french_spacing_binds_guillemets_and_high_punctuation():
    with translation.override("fr"):
        spaced = pdf.french_spacing("« Titre » : oui ! non ? « déjà\u00a0» ; le 1er mars")

    assert spaced == (
        "«\u00a0Titre\u00a0»\u00a0: oui\u00a0! non\u00a0? "
        "«\u00a0déjà\u00a0»\u00a0; le 1er\u00a0mars"
    )


def test_english_text_is_left_as_it_is():
    with translation.override("en"):
        assert pdf.french_spacing("Title: yes!") == "Title: yes!"


def test_no_line_of_a_french_pdf_starts_with_a_colon_or_a_closing_guillemet():
    with translation.override("fr"):
        document = pdf.build([pdf.text(SENTENCE * 60)], title="Typographie")

    lines = lines_of(document)
    assert len(lines) > 20
    assert not [line for line in lines if line[:1] in {":", ";", "!", "?", "»"}]
    assert not [line for line in lines if line.endswith("«")]
