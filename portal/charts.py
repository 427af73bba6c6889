"""Charts drawn once with reportlab's graphics: placed as they are in PDFs (a ``Drawing`` is a
flowable) and turned into inline SVG for web pages by ``to_svg``.

The SVG is made safe for the page's strict Content-Security-Policy (no ``style`` attributes,
only presentation attributes) and accessible (``role="img"`` with the chart's title). Text
from data (call titles, province names) is escaped by the XML serialiser. Every chart shown
on a page must also have its figures in a table next to it.
"""

import math
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence

from django.utils.translation import gettext as _
from reportlab.graphics import renderSVG
from reportlab.graphics.charts.axes import XCategoryAxis
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.attrmap import AttrMap, AttrMapValue
from reportlab.lib.validators import isString

from portal.pdf import BOLD, REGULAR

# The portal's blue, then the Okabe-Ito colours (distinguishable with colour blindness).
PALETTE = [
    colors.HexColor(value)
    for value in ("#1d4f91", "#e69f00", "#009e73", "#d55e00", "#56b4e9", "#cc79a7", "#4f5b66")
]
TEXT = colors.HexColor("#1b1f24")
GRID = colors.HexColor("#c5ccd4")

WIDTH, HEIGHT = 480, 240
TITLE_SIZE, LABEL_SIZE = 11, 8
Series = Sequence[tuple[str, Sequence[float]]]


class Chart(Drawing):
    """A drawing that carries its title: drawn at its top and used as the SVG's name."""

    _attrMap = AttrMap(BASE=Drawing, title=AttrMapValue(isString, desc="accessible title"))

    def __init__(self, width: float, height: float, title: str):
        super().__init__(width, height)
        self.title = str(title)
        self.add(
            String(
                0,
                height - TITLE_SIZE,
                self.title,
                fontName=BOLD,
                fontSize=TITLE_SIZE,
                fillColor=TEXT,
            )
        )


def shorten(text: str, length: int = 24) -> str:
    """A category name short enough for an axis; the table next to the chart has it whole."""
    text = str(text)
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def axis_label(text: str, width: int = 18, lines: int = 3) -> str:
    """A category name on up to ``lines`` lines of ``width`` characters. A longer name
    keeps its beginning and its end, where calls of one programme differ ("Creative
    Wallonia / Coworking … 2015" and "… nouvel appel"): cutting the end would give every
    call of a programme the programme's name."""
    wrapped = textwrap.wrap(" ".join(str(text).split()), width=width)
    if len(wrapped) <= lines:
        return "\n".join(wrapped)
    words = " ".join(wrapped[1:]).split()
    tail: list[str] = []
    while words and len(textwrap.wrap(" ".join(["…", words[-1], *tail]), width)) < lines:
        tail.insert(0, words.pop())
    return "\n".join([wrapped[0], *textwrap.wrap(" ".join(["…", *tail]), width)])


def _colour(index: int) -> colors.Color:
    return PALETTE[index % len(PALETTE)]


def _value_max(series: Series) -> float:
    """A top for the value axis (reportlab cannot scale an axis whose values are all 0)."""
    highest = max((float(v) for _name, values in series for v in values), default=0)
    return highest * 1.1 if highest > 0 else 1


def _number(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u202f") if abs(value) >= 1000 else f"{value:g}"


def _style_axes(chart, series: Series, value_format: Callable[[float], str]) -> None:
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = REGULAR
        axis.labels.fontSize = LABEL_SIZE
        axis.labels.fillColor = TEXT
        axis.strokeColor = GRID
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = _value_max(series)
    if value_format is _number:
        # Counts: whole steps, never 0.2 of a dossier.
        chart.valueAxis.valueStep = max(1, math.ceil(chart.valueAxis.valueMax / 5))
    chart.valueAxis.labelTextFormat = value_format
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = GRID
    chart.valueAxis.gridStrokeWidth = 0.5


def _legend(drawing: Chart, series: Series, y: float) -> None:
    if len(series) < 2:
        return
    legend = Legend()
    legend.x, legend.y = 0, y
    legend.alignment = "right"
    legend.boxAnchor = "nw"
    legend.deltax = 8
    legend.dx = legend.dy = 7
    legend.fontName = REGULAR
    legend.fontSize = LABEL_SIZE
    legend.fillColor = TEXT
    legend.strokeColor = None
    legend.colorNamePairs = [
        (_colour(index), shorten(name, 30)) for index, (name, _values) in enumerate(series)
    ]
    # Side by side: at most four legend entries on one line, then a second line.
    legend.columnMaximum = 1 if len(series) <= 4 else 2
    legend.dxTextSpace = 4
    legend.variColumn = True
    drawing.add(legend)


def _empty(drawing: Chart) -> Chart:
    drawing.add(
        String(
            drawing.width / 2,
            drawing.height / 2,
            _("No data for these filters."),
            fontName=REGULAR,
            fontSize=LABEL_SIZE + 2,
            fillColor=TEXT,
            textAnchor="middle",
        )
    )
    return drawing


def funnel_chart(
    stages: Sequence[tuple[str, float]],
    *,
    title: str,
    width: float = WIDTH,
    height: float = 180,
) -> Chart:
    """Horizontal bars, one per stage from top to bottom, each with its count at its end."""
    drawing = Chart(width, height, title)
    if not stages or not any(value for _name, value in stages):
        return _empty(drawing)
    chart = HorizontalBarChart()
    chart.x, chart.y = 110, 16
    chart.width, chart.height = width - chart.x - 30, height - chart.y - TITLE_SIZE - 14
    # reportlab draws the first category at the bottom: reverse, so the funnel reads downwards.
    ordered = list(reversed(stages))
    chart.data = [[float(value) for _name, value in ordered]]
    chart.categoryAxis.categoryNames = [shorten(name, 20) for name, _value in ordered]
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    _style_axes(chart, [("", chart.data[0])], _number)
    chart.bars[0].fillColor = _colour(0)
    chart.bars.strokeColor = None
    chart.barLabelFormat = _number
    chart.barLabels.fontName = REGULAR
    chart.barLabels.fontSize = LABEL_SIZE
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing


def grouped_bar_chart(
    categories: Sequence[str],
    series: Series,
    *,
    title: str,
    value_format: Callable[[float], str] = _number,
    width: float = WIDTH,
    height: float = HEIGHT,
) -> Chart:
    """Vertical bars, one group per category and one colour per series, with a legend."""
    drawing = Chart(width, height, title)
    if not categories or not series:
        return _empty(drawing)
    legend_height = 16 if len(series) > 1 else 0
    slanted = len(categories) > 4
    names = [axis_label(name, 16, 2) if slanted else axis_label(name) for name in categories]
    lines = max(name.count("\n") + 1 for name in names)
    chart = VerticalBarChart()
    chart.x, chart.y = 56, (24 + 14 * lines) if slanted else (12 + 11 * lines)
    chart.width = width - chart.x - 6
    chart.height = height - chart.y - TITLE_SIZE - 10 - legend_height
    chart.data = [[float(value) for value in values] for _name, values in series]
    chart.categoryAxis.categoryNames = names
    chart.categoryAxis.labels.boxAnchor = "ne" if slanted else "n"
    chart.categoryAxis.labels.angle = 20 if slanted else 0
    _style_axes(chart, series, value_format)
    chart.bars.strokeColor = None
    chart.groupSpacing = 8
    chart.barSpacing = 1
    for index in range(len(series)):
        chart.bars[index].fillColor = _colour(index)
    drawing.add(chart)
    _legend(drawing, series, height - TITLE_SIZE - 6)
    return drawing


class _NamedCategoriesAxis(XCategoryAxis):
    """A category axis that draws only the categories it names: a chart of many periods
    names every few, and reportlab would still lay out and draw an empty label for each of
    the others (most of such a chart's shapes)."""

    def makeTickLabels(self):
        labels = super().makeTickLabels()
        labels.contents = [label for label in labels.contents if label._text]
        return labels


# The most periods a line chart names on its axis, and marks with a dot on each line.
MOST_NAMED_CATEGORIES = 12


def line_chart(
    categories: Sequence[str],
    series: Series,
    *,
    title: str,
    value_format: Callable[[float], str] = _number,
    width: float = WIDTH,
    height: float = HEIGHT,
) -> Chart:
    """One line per series over ordered categories (periods), with markers and a legend."""
    drawing = Chart(width, height, title)
    if not categories or not series:
        return _empty(drawing)
    legend_height = 16 if len(series) > 1 else 0
    legend_height += 12 if len(series) > 4 else 0
    chart = HorizontalLineChart()
    chart.categoryAxis = _NamedCategoriesAxis()
    chart.x, chart.y = 56, 30
    chart.width = width - chart.x - 10
    chart.height = height - chart.y - TITLE_SIZE - 10 - legend_height
    chart.data = [[float(value) for value in values] for _name, values in series]
    # Many periods: a name every few periods (counted back from the latest, which is
    # always named) and lines without markers, which would pile up into a blur.
    step = math.ceil(len(categories) / MOST_NAMED_CATEGORIES)
    last = len(categories) - 1
    chart.categoryAxis.categoryNames = [
        shorten(name, 12) if (last - index) % step == 0 else ""
        for index, name in enumerate(categories)
    ]
    chart.categoryAxis.labels.boxAnchor = "n"
    _style_axes(chart, series, value_format)
    chart.joinedLines = 1
    for index in range(len(series)):
        chart.lines[index].strokeColor = _colour(index)
        chart.lines[index].strokeWidth = 2
        if step == 1:
            chart.lines[index].symbol = makeMarker("FilledCircle", size=4, fillColor=_colour(index))
    drawing.add(chart)
    _legend(drawing, series, height - TITLE_SIZE - 6)
    return drawing


# SVG ----------------------------------------------------------------------------------------

SVG_NS = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
_FONT_FAMILY = "DejaVu Sans, Verdana, sans-serif"


def _presentation_attributes(element: ET.Element) -> None:
    """Turn ``style="fill: …; stroke: …"`` into attributes: a strict CSP blocks inline styles
    (``style-src 'self'``) but not SVG presentation attributes."""
    style = element.attrib.pop("style", "")
    for declaration in style.split(";"):
        name, _sep, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if not name or name == "clip-path":
            continue
        if name == "font-family":
            if value == BOLD:
                element.set("font-weight", "bold")
            value = _FONT_FAMILY
        element.set(name, value)


def to_svg(drawing: Drawing) -> str:
    """The drawing as an inline ``<svg>`` element for an HTML page (no XML prolog), named by
    its title for assistive technology, scalable to its container, safe to mark ``|safe``."""
    title = str(getattr(drawing, "title", ""))
    root = ET.fromstring(renderSVG.drawToString(drawing).encode("utf-8"))
    # The drawing's own clipping rectangle is the whole view box: useless, and its fixed id
    # would clash between several charts on one page.
    for clip in root.findall(f"{{{SVG_NS}}}clipPath"):
        root.remove(clip)
    for element in root.iter():
        element.attrib.pop("id", None)
        _presentation_attributes(element)
    for placeholder in ("title", "desc"):
        node = root.find(f"{{{SVG_NS}}}{placeholder}")
        if node is not None:
            root.remove(node)
    name = ET.Element(f"{{{SVG_NS}}}title")
    name.text = title
    root.insert(0, name)
    root.attrib.pop("width", None)
    root.attrib.pop("height", None)
    root.set("role", "img")
    root.set("aria-label", title)
    root.set("class", "chart")
    return ET.tostring(root, encoding="unicode")
