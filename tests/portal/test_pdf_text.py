"""What people type reaches the PDFs whole: a character the font lacks shows as a visible
placeholder instead of vanishing, long text is set as many short paragraphs, and a one-page
document says where the rest is."""

import io

from django.utils import translation
from pypdf import PdfReader

from portal import pdf


def text_of(document: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(document)).pages)


def test_an_emoji_the_font_lacks_shows_as_a_placeholder_instead_of_vanishing():
    document = pdf.build(pdf.paragraphs("Lancement 🚀 réussi 👍🏽, merci 👨‍👩‍👧 !"), title="t")

    text = text_of(document)

    assert f"Lancement {pdf.PLACEHOLDER} réussi {pdf.PLACEHOLDER}, merci {pdf.PLACEHOLDER}" in text


def test_letters_and_signs_the_font_has_are_kept():
    value = "Œuvre à Liège, 12 € — « façade » ❤ ½ ĳ 😀"

    assert pdf.drawable(value) == value


def test_control_characters_are_dropped_and_line_breaks_kept():
    assert pdf.drawable("a\x00b\x07c\nd\te") == "abc\nd\te"


def test_long_text_is_set_as_short_paragraphs_with_nothing_lost():
    words = [f"mot{n}" for n in range(3000)]
    value = " ".join(words[:1500]) + "\n\n" + " ".join(words[1500:])

    runs = pdf.blocks(value)

    assert len(runs) > 4
    assert all(len(run) <= pdf.CHUNK for run in runs)
    assert " ".join(runs).split() == words
    text = text_of(pdf.build(pdf.paragraphs(value), title="t"))
    assert "mot0 " in text and "mot2999" in text


def test_a_long_value_in_a_table_of_facts_continues_on_the_next_page():
    members = "\n".join(f"Membre {n}" for n in range(400))

    document = pdf.build([pdf.facts_table([("Membres présents", members)])], title="t")

    assert len(PdfReader(io.BytesIO(document)).pages) > 1
    assert "Membre 399" in text_of(document)


def test_a_shortened_text_says_the_rest_is_in_the_portal():
    with translation.override("fr"):
        short = pdf.shortened("Coopérative " * 30, 40)

    assert short == "Coopérative Coopérative Coopérative… (suite dans le portail)"
    assert pdf.shortened("Court", 40) == "Court"


def test_a_long_footer_is_cut_so_that_it_never_runs_into_the_page_number():
    document = pdf.build([pdf.text("Corps")], title="t", footer="Agence " * 60 + "FIN")

    text = text_of(document)

    assert "FIN" not in text
    assert "1 / 1" in text
