"""Charts: reportlab drawings that become accessible, CSP-safe, escaped inline SVG."""

import xml.etree.ElementTree as ET

from reportlab.graphics.shapes import Drawing

from portal import charts

SVG = "{http://www.w3.org/2000/svg}"


def test_text_from_data_is_escaped_in_the_svg():
    drawing = charts.grouped_bar_chart(
        ["Namur & <script>alert(1)</script>", "Hainaut"],
        [("Demandé", [100_000, 50_000]), ("Octroyé", [80_000, 0])],
        title='Montants "demandés" & <octroyés>',
    )
    svg = charts.to_svg(drawing)

    assert "<script>" not in svg
    assert "Namur &amp; &lt;script&gt;" in svg
    root = ET.fromstring(svg)  # well-formed, so safe to include with |safe
    assert root.find(f"{SVG}title").text == 'Montants "demandés" & <octroyés>'
    assert root.get("aria-label") == 'Montants "demandés" & <octroyés>'
    assert root.get("role") == "img"


def test_the_svg_fits_a_strict_content_security_policy():
    svg = charts.to_svg(charts.funnel_chart([("Déposés", 9), ("Octroyés", 2)], title="Entonnoir"))

    assert "style=" not in svg  # style-src 'self' would block inline styles
    assert " id=" not in svg  # several charts on one page must not share ids
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg
    assert 'fill="rgb(' in svg
    assert "DejaVu Sans" in svg


def test_every_chart_is_a_drawing_for_the_pdf_too():
    for drawing in (
        charts.funnel_chart([("a", 3), ("b", 1)], title="Funnel"),
        charts.grouped_bar_chart(["x"], [("s", [1])], title="Bars"),
        charts.line_chart(["T1", "T2", "T3"], [("a", [1, 2, 3]), ("b", [0, 0, 1])], title="Lines"),
    ):
        assert isinstance(drawing, Drawing)
        assert drawing.title in charts.to_svg(drawing)


def test_a_chart_without_data_says_so():
    svg = charts.to_svg(charts.line_chart([], [], title="Rien"))
    assert "<text" in svg
    assert charts.to_svg(charts.funnel_chart([("a", 0)], title="Zéro")).count("<rect") == 0


def test_long_names_are_shortened_on_the_axis_only():
    assert charts.shorten("Creative Wallonia — Espaces de coworking", 20) == "Creative Wallonia —…"
    assert charts.shorten("Namur") == "Namur"


def test_calls_of_one_programme_are_told_apart_on_the_axis():
    """Every call's name began with the programme's ("Creative Wallonia / Coworking…"):
    cut at 18 characters, every bar was labelled with the programme."""
    titles = [
        "Creative Wallonia / Coworking 2011",
        "Creative Wallonia / Coworking — renouvellement 2015",
        "Creative Wallonia / Coworking — nouvel appel",
    ]
    drawing = charts.grouped_bar_chart(titles, [("Demandé", [1, 2, 3])], title="Montants")
    root = ET.fromstring(charts.to_svg(drawing))

    text = " ".join(node.text or "" for node in root.iter(f"{SVG}text"))
    assert "2011" in text and "renouvellement 2015" in text and "nouvel appel" in text
    labels = [charts.axis_label(title) for title in titles]
    assert len(set(labels)) == 3
    assert all(len(line) <= 18 for label in labels for line in label.splitlines())


def test_a_line_over_many_periods_names_every_few_and_draws_no_empty_labels():
    periods = [f"T{quarter} {year}" for year in range(2019, 2027) for quarter in (1, 2, 3, 4)]
    drawing = charts.line_chart(
        periods, [("Membres", list(range(len(periods))))], title="Membres par trimestre"
    )
    root = ET.fromstring(charts.to_svg(drawing))

    texts = [element.text or "" for element in root.iter(f"{SVG}text")]
    named = [text for text in texts if text in periods]
    assert named[-1] == "T4 2026"  # the latest period is always named
    assert len(named) <= charts.MOST_NAMED_CATEGORIES
    assert all(text.strip() for text in texts)  # no label drawn for the unnamed periods
    assert "circle" not in charts.to_svg(drawing)  # no markers blurring 32 points
