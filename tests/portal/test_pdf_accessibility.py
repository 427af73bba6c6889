"""What a PDF tells assistive tools: its title (shown instead of the file name), author,
subject and language, and an outline made of its headings whose bookmarks open the page each
heading is on, numbered pages or not."""

import io

from django.utils import translation
from pypdf import PdfReader

from portal import pdf
from tests.pages import pdf_outline


def long_document(language: str) -> bytes:
    with translation.override(language):
        story = [pdf.text("Rapport", "title")]
        for number in range(1, 4):
            story += [pdf.text(f"Partie {number}", "heading"), *pdf.paragraphs("Texte. " * 900)]
        return pdf.build(story, title="Rapport annuel", author="AWT", subject="Les chiffres")


def test_a_document_says_its_title_author_subject_and_language():
    reader = PdfReader(io.BytesIO(long_document("fr-be")))

    assert reader.metadata.title == "Rapport annuel"
    assert reader.metadata.author == "AWT"
    assert reader.metadata.subject == "Les chiffres"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fr-BE"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712 (a PDF boolean)
    assert root["/PageMode"] == "/UseOutlines"
    assert PdfReader(io.BytesIO(long_document("en"))).trailer["/Root"]["/Lang"] == "en"


def test_its_headings_are_bookmarks_to_the_pages_they_are_on():
    content = long_document("fr-be")
    pages = PdfReader(io.BytesIO(content)).pages

    outline = pdf_outline(content)

    assert [(level, title) for level, title, _page in outline] == [
        (0, "Rapport"),
        (1, "Partie 1"),
        (1, "Partie 2"),
        (1, "Partie 3"),
    ]
    for _level, title, page in outline:
        assert title in pages[page - 1].extract_text()
    assert outline[-1][2] > 1, "the last part is further on, not on the first page"


def test_an_outline_never_skips_a_level():
    content = pdf.build([pdf.text("Sans titre", "heading")], title="Note")

    assert pdf_outline(content) == [(0, "Sans titre", 1)]
