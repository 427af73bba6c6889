"""Building blocks for the PDFs Guichet prints (receipts, letters, certificates, reports).

Text that people type can hold any European letter, so it is set in DejaVu Sans (shipped in
``portal/fonts``); user text is always escaped before it reaches reportlab's markup.
"""

from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils import formats, timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONTS = Path(__file__).resolve().parent / "fonts"
REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"
PRIMARY = colors.HexColor("#1d4f91")


def _register_fonts() -> None:
    if REGULAR not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(REGULAR, FONTS / "DejaVuSans.ttf"))
        pdfmetrics.registerFont(TTFont(BOLD, FONTS / "DejaVuSans-Bold.ttf"))
        pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD)


_register_fonts()

STYLES = {
    "body": ParagraphStyle("body", fontName=REGULAR, fontSize=10, leading=14),
    "small": ParagraphStyle("small", fontName=REGULAR, fontSize=8, leading=10),
    "title": ParagraphStyle(
        "title", fontName=BOLD, fontSize=16, leading=20, textColor=PRIMARY, spaceAfter=6
    ),
    "heading": ParagraphStyle(
        "heading", fontName=BOLD, fontSize=12, leading=16, spaceBefore=10, spaceAfter=4
    ),
    "body_right": ParagraphStyle(
        "body_right", fontName=REGULAR, fontSize=10, leading=14, alignment=TA_RIGHT
    ),
    "small_right": ParagraphStyle(
        "small_right", fontName=REGULAR, fontSize=8, leading=10, alignment=TA_RIGHT
    ),
}


def text(value, style: str = "body") -> Paragraph:
    """A paragraph of user-supplied text, escaped, with line breaks kept."""
    escaped = escape(str(value if value is not None else "")).replace("\n", "<br/>")
    return Paragraph(escaped, STYLES[style])


def markup(value: str, style: str = "body") -> Paragraph:
    """A paragraph of our own markup (bold labels around escaped values)."""
    return Paragraph(value, STYLES[style])


def esc(value) -> str:
    return escape(str(value if value is not None else ""))


def facts_table(rows: list[tuple[str, object]]) -> Table:
    """A two-column table of labels and values."""
    data = [[markup(f"<b>{esc(label)}</b>"), text(value)] for label, value in rows]
    table = Table(data, colWidths=[55 * mm, 115 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def grid_table(
    header: list[str],
    rows: list[list[object]],
    widths: list[float],
    *,
    numeric: list[bool] | None = None,
    footer: list[object] | None = None,
    small: bool = False,
) -> Table:
    """A grid with a bold header repeated on each page; ``numeric`` columns are aligned
    right, a ``footer`` (totals) comes in bold under a rule, ``small`` text fits more
    columns. Cells are escaped; a line break in a cell is kept."""
    numeric = numeric or [False] * len(header)
    styles = [("small" if small else "body") + ("_right" if right else "") for right in numeric]

    def bold(cells):
        return [
            markup(f"<b>{esc(cell)}</b>".replace("\n", "<br/>"), style)
            for cell, style in zip(cells, styles, strict=True)
        ]

    data = [bold(header)]
    data += [[text(cell, style) for cell, style in zip(row, styles, strict=True)] for row in rows]
    lines = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.75, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.lightgrey),
    ]
    if footer:
        data.append(bold(footer))
        lines.append(("LINEABOVE", (0, -1), (-1, -1), 0.75, colors.black))
    table = Table(data, colWidths=[width * mm for width in widths], repeatRows=1)
    table.setStyle(TableStyle(lines))
    return table


def local_datetime(value) -> str:
    """A date and time in Brussels time, formatted for the active language."""
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def local_date(value) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def spacer(height_mm: float = 4) -> Spacer:
    return Spacer(1, height_mm * mm)


def build(story: list, *, title: str, author: str = "Guichet", footer: str = "") -> bytes:
    """Render ``story`` on A4 pages with a footer line and page numbers."""
    buffer = BytesIO()

    def decorate(canvas, document):
        canvas.saveState()
        canvas.setFont(REGULAR, 8)
        canvas.setFillColor(colors.grey)
        canvas.drawString(20 * mm, 12 * mm, footer)
        canvas.drawRightString(190 * mm, 12 * mm, str(document.page))
        canvas.restoreState()

    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=22 * mm,
        title=title,
        author=author,
        invariant=True,
    )
    document.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()
