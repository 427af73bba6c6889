"""Building blocks for the PDFs Guichet prints (receipts, letters, certificates, reports).

Text that people type can hold any European letter, so it is set in DejaVu Sans (shipped in
``portal/fonts``); user text is always escaped before it reaches reportlab's markup. A
character the font cannot draw (most emoji: no font with them that reportlab can embed is
available) is replaced by a visible ``PLACEHOLDER`` rather than silently left out, an emoji
with its modifiers by a single one (``drawable``). In French, text follows French
typography (``french_spacing``): a non-breaking space inside guillemets and before
« : ; ! ? », so that no line starts with a colon or a lone guillemet.

``Letter`` lays out the letters of a programme (decisions, inadmissibility): letterhead,
addressee, place and date, reference and subject, salutation, body, sections, signature
block, and « Page 1 / 2 » at the foot of every page.

For screen readers and other assistive tools, every document says its title (shown by the
viewer instead of the file name), author, subject and language (``/Lang``), and its headings
are its outline: the bookmarks a reader jumps between (``Document``; a paragraph's style
says its level, ``OUTLINE_LEVELS``). reportlab cannot write a tagged PDF (no structure
tree, no ``/MarkInfo``, no marked content): a screen reader reads the text in drawing order,
without headings, lists or table cells as such (docs/accessibility.md).

Long text costs reportlab time that grows faster than its length when it is one
``Paragraph``: at every page break the rest of the paragraph is wrapped again. User text
therefore goes through ``paragraphs``, one ``Paragraph`` per block separated by a blank line,
a long block cut at line breaks (or at a space) every ``CHUNK`` characters; tables of facts
split a tall row across pages. The limits of ``portal.textlimits`` bound the rest, and
``manage.py bench`` measures every document at those limits. ``shortened`` cuts a text
that must fit a one-page document, saying that the rest is in the portal.
"""

import datetime
import re
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable

from portal import dates

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


NBSP = "\u00a0"
GREY = colors.HexColor("#555555")

# What is drawn instead of a character the fonts lack (U+FFFD, the replacement character).
PLACEHOLDER = "\ufffd"
_COVERED = frozenset(pdfmetrics.getFont(REGULAR).face.charToGlyph) & frozenset(
    pdfmetrics.getFont(BOLD).face.charToGlyph
)
# What may follow an emoji and belongs to it: variation selectors, skin tones, tag
# characters (subdivision flags), another emoji after a zero-width joiner.
_EMOJI_TAIL = "(?:[\ufe00-\ufe0f\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]|\u200d.)*"
# A flag is two regional indicators; control characters other than line breaks and tabs are
# dropped (reportlab would draw them as boxes or choke on them).
_FLAG = "[\U0001f1e6-\U0001f1ff]{2}"
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# The longest run of user text given to one reportlab Paragraph (see the module docstring).
CHUNK = 2_000


def drawable(value: str) -> str:
    """``value`` with what the embedded fonts cannot draw replaced by ``PLACEHOLDER``: one
    per emoji, whatever modifiers and joined emoji follow it."""
    value = _CONTROL.sub("", value)
    missing = {char for char in set(value) if ord(char) not in _COVERED and char not in "\t\n\r"}
    if not missing:
        return value
    chars = "".join(re.escape(char) for char in sorted(missing))
    return re.sub(f"(?:{_FLAG}|[{chars}]){_EMOJI_TAIL}", PLACEHOLDER, value, flags=re.S)


def shortened(value, limit: int, *, note: bool = True) -> str:
    """``value`` cut at a word before ``limit`` characters, saying that the rest is in the
    portal (or with an ellipsis only, without ``note``): for documents that must stay on
    one page (the certificate)."""
    value = str(value if value is not None else "")
    if len(value) <= limit:
        return value
    cut = value[:limit].rsplit(None, 1)[0] if " " in value[:limit] else value[:limit]
    return f"{cut.rstrip()}… {_('(continued in the portal)')}" if note else f"{cut.rstrip()}…"


def fitted(value: str, font: str, size: float, width: float) -> str:
    """``value`` cut with an ellipsis so that it takes at most ``width`` points on one line
    (a footer beside the page number)."""
    full = pdfmetrics.stringWidth(value, font, size)
    if full <= width:
        return value
    value = value[: int(len(value) * width / full) + 1]
    while value and pdfmetrics.stringWidth(value + "…", font, size) > width:
        value = value[:-1]
    return value.rstrip() + "…"


def french_spacing(value: str) -> str:
    """French typography, in French only: a non-breaking space inside guillemets, before
    « : ; ! ? » and between a day and its month (« 1er mars »), so that none of them is
    left alone at the start of a line."""
    if not (translation.get_language() or "").startswith("fr"):
        return value
    value = re.sub(r"«[ \u00a0\u202f]*", "«" + NBSP, value)
    value = re.sub(r"[ \u00a0\u202f]*»", NBSP + "»", value)
    value = re.sub(r"(?<=\S)[ \u202f]([:;!?])(?=\s|$)", NBSP + r"\1", value)
    return re.sub(r"\b(\d{1,2}(?:er)?) (?=[^\W\d])", r"\1" + NBSP, value)


def caption(label: str, value, *, bold: bool = True) -> str:
    """Markup for « Objet : … » in French, "Subject: …" in English, the caption in bold: the
    space before the colon comes from the translation, ``esc`` makes it non-breaking."""
    shown = f"<b>{esc(label)}</b>" if bold else esc(label)
    return esc(_("%(caption)s: %(value)s")) % {"caption": shown, "value": esc(value)}


def text(value, style: str = "body") -> Paragraph:
    """A paragraph of short text (a caption, a name, a sentence of ours), escaped, with line
    breaks kept. Text people type, of any length, goes through ``paragraphs``."""
    escaped = esc(value).replace("\n", "<br/>")
    return Paragraph(escaped, STYLES[style])


def blocks(value) -> list[str]:
    """``value`` cut into the runs of text ``paragraphs`` sets: at blank lines, then at line
    breaks (or at a space, or anywhere) so that none is longer than ``CHUNK``."""
    value = str(value if value is not None else "").replace("\r\n", "\n").strip()
    runs = []
    for block in re.split(r"\n[ \t]*\n\s*", value):
        while len(block) > CHUNK:
            head = block[:CHUNK]
            cut = max(head.rfind("\n"), head.rfind(" "))
            cut = cut if cut > CHUNK // 2 else CHUNK
            runs.append(block[:cut])
            block = block[cut:].lstrip(" \n")
        runs.append(block)
    return [run for run in runs if run.strip()]


def paragraphs(value, style: str = "body") -> list[Paragraph]:
    """Text people typed, of any length, as one escaped ``Paragraph`` per block (see
    ``blocks``), line breaks kept; an empty text gives an empty list."""
    style = style if isinstance(style, ParagraphStyle) else STYLES[style]
    return [Paragraph(esc(run).replace("\n", "<br/>"), style) for run in blocks(value)]


def markup(value: str, style: str = "body") -> Paragraph:
    """A paragraph of our own markup (bold labels around escaped values)."""
    return Paragraph(value, STYLES[style])


def esc(value) -> str:
    """``value`` escaped for reportlab's markup, in the active language's typography, what
    the fonts cannot draw replaced visibly (``drawable``)."""
    return escape(french_spacing(drawable(str(value if value is not None else ""))))


def facts_table(rows: list[tuple[str, object]]) -> Table:
    """A two-column table of labels and values; a value taller than a page continues on
    the next."""
    data = [
        [markup(f"<b>{esc(label)}</b>"), paragraphs(value) or text("")] for label, value in rows
    ]
    table = Table(data, colWidths=[55 * mm, 115 * mm], splitInRow=1)
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


def _wrap(line: str, font: str, size: float, width: float) -> list[str] | None:
    """``line`` cut at its spaces into lines no wider than ``width``, where a ``Paragraph``
    would cut it (its spaces may shrink by ``spaceShrinkage``); a no-break space never
    breaks (reportlab's ``simpleSplit`` breaks at any white space). None when a word alone
    is wider than ``width``: a paragraph cuts it."""
    space = pdfmetrics.stringWidth(" ", font, size)
    shrink = STYLES["body"].spaceShrinkage * space
    lines: list[str] = []
    words: list[str] = []
    used = -space
    for word in line.split(" "):
        extent = pdfmetrics.stringWidth(word, font, size)
        if extent > width:
            return None
        if words and used + space + extent > width + shrink * len(words):
            lines.append(" ".join(words))
            words, used = [], -space
        words.append(word)
        used += space + extent
    return [*lines, " ".join(words)]


# Reportlab's padding of a table cell, left and right (points).
CELL_PADDING = 6


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

    room = [width * mm - 2 * CELL_PADDING for width in widths]
    fonts = [(STYLES[style].fontName, STYLES[style].fontSize) for style in styles]

    def cell(value, column: int):
        """The cell's lines, wrapped at spaces to the column's width, drawn as strings in
        the column's font: a ``Paragraph`` per cell costs most of a large table's time."""
        shown = french_spacing(drawable(str(value if value is not None else "")))
        font, size = fonts[column]
        lines = [_wrap(part, font, size, room[column]) for part in shown.split("\n")]
        if None not in lines:
            return "\n".join(line for part in lines for line in part)
        return text(value, styles[column])

    data = [bold(header)]
    data += [[cell(value, column) for column, value in enumerate(row)] for row in rows]
    lines = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        *(
            ("FONT", (column, 1), (column, -1), font, size, STYLES[styles[column]].leading)
            for column, (font, size) in enumerate(fonts)
        ),
        *(
            ("ALIGN", (column, 1), (column, -1), "RIGHT")
            for column in range(len(header))
            if numeric[column]
        ),
        ("LINEBELOW", (0, 0), (-1, 0), 0.75, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.lightgrey),
    ]
    if footer:
        data.append(bold(footer))
        lines.append(("LINEABOVE", (0, -1), (-1, -1), 0.75, colors.black))
    table = Table(data, colWidths=[width * mm for width in widths], repeatRows=1)
    table.setStyle(TableStyle(lines))
    return table


def spacer(height_mm: float = 4) -> Spacer:
    return Spacer(1, height_mm * mm)


# The outline level of a paragraph by its style's name: a document's title, a letter's
# subject at the top; headings and a letter's sections under them.
OUTLINE_LEVELS = {"title": 0, "subject": 0, "heading": 1, "section": 1}


class Document(SimpleDocTemplate):
    """An A4 document for assistive tools as well as print: its title shown by the viewer,
    its language, and an outline made of its headings (paragraphs whose style is named in
    ``outline_levels``; its entry reads the paragraph's ``outline_title`` if set, else its
    text), opened beside the first page."""

    def __init__(self, *args, outline_levels: dict[str, int] = OUTLINE_LEVELS, **kwargs):
        super().__init__(*args, **kwargs)
        self.outline_levels = outline_levels
        self._outline_level = -1
        self._bookmarks = 0

    def beforeDocument(self):
        self.canv.showOutline()
        self.canv.setViewerPreference("DisplayDocTitle", "true")

    def afterFlowable(self, flowable):
        if not isinstance(flowable, Paragraph):
            return
        level = self.outline_levels.get(flowable.style.name)
        if level is None:
            return
        # An outline may go down one level at a time only.
        level = min(level, self._outline_level + 1)
        self._outline_level = level
        self._bookmarks += 1
        key = f"heading-{self._bookmarks}"
        self.canv.bookmarkHorizontalAbsolute(key, self.frame._y + flowable.height)
        title = getattr(flowable, "outline_title", None) or flowable.getPlainText()
        self.canv.addOutlineEntry(title, key, level=level, closed=False)


def page_numbering(footer: str = ""):
    """A canvas class that writes ``footer`` and « Page n / N » at the foot of every page:
    the pages are kept until the last one is laid out, so that N is known. So are the
    bookmarks of each page, which must name the page they are written on."""
    label = _("Page %(page)s / %(pages)s")

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []
            self._marks = []

        def bookmarkHorizontalAbsolute(self, *args, **kwargs):
            self._marks.append((Canvas.bookmarkHorizontalAbsolute, args, kwargs))

        def addOutlineEntry(self, *args, **kwargs):
            self._marks.append((Canvas.addOutlineEntry, args, kwargs))

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._marks = []
            self._startPage()

        def save(self):
            count = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                for mark, args, kwargs in self._marks:
                    mark(self, *args, **kwargs)
                self.saveState()
                self.setFont(REGULAR, 8)
                self.setFillColor(colors.grey)
                page = label % {"page": self._pageNumber, "pages": count}
                room = 165 * mm - pdfmetrics.stringWidth(page, REGULAR, 8)
                self.drawString(20 * mm, 12 * mm, fitted(drawable(footer), REGULAR, 8, room))
                self.drawRightString(190 * mm, 12 * mm, page)
                self.restoreState()
                super().showPage()
            super().save()

    return NumberedCanvas


def language_tag(language: str | None = None) -> str:
    """The BCP 47 tag a PDF's ``/Lang`` holds (``fr-BE``, ``en``) for a Django language code,
    by default the active language."""
    return translation.to_locale(language or translation.get_language() or "fr-be").replace(
        "_", "-"
    )


def build(
    story: list,
    *,
    title: str,
    author: str = "Guichet",
    footer: str = "",
    lang: str | None = None,
    subject: str = "",
) -> bytes:
    """Render ``story`` on A4 pages with a footer line and « Page n / N »; title, author,
    subject, language (``lang``, a language code such as ``fr-be``; by default the active
    one) and outline written for screen readers (``Document``)."""
    buffer = BytesIO()
    document = Document(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=22 * mm,
        title=title,
        author=author,
        subject=subject or title,
        creator="Guichet",
        invariant=True,
        lang=language_tag(lang),
    )
    document.build(story, canvasmaker=page_numbering(footer))
    return buffer.getvalue()


LETTER_STYLES = {
    "identity": ParagraphStyle(
        "identity", fontName=BOLD, fontSize=13, leading=17, textColor=PRIMARY
    ),
    "bodies": ParagraphStyle("bodies", fontName=REGULAR, fontSize=9, leading=12, textColor=GREY),
    "meta": ParagraphStyle("meta", fontName=REGULAR, fontSize=9, leading=13),
    "subject": ParagraphStyle("subject", fontName=BOLD, fontSize=11, leading=15, spaceAfter=2),
    "paragraph": ParagraphStyle(
        "paragraph", fontName=REGULAR, fontSize=10, leading=14, spaceAfter=6
    ),
    "section": ParagraphStyle(
        "section",
        fontName=BOLD,
        fontSize=10.5,
        leading=14,
        spaceBefore=6,
        spaceAfter=3,
        textColor=PRIMARY,
    ),
    "signatory": ParagraphStyle("signatory", fontName=BOLD, fontSize=10, leading=14),
}


def letterhead(programme, *, room: int | None = None) -> list:
    """The programme's identity at the top of its documents: its name, then the managing
    agency and the funding body, over a rule in the portal's colour; each ``shortened`` to
    ``room`` characters when given (a one-page document)."""
    bodies = " · ".join(
        dict.fromkeys(body for body in (programme.managing_agency, programme.funding_body) if body)
    )
    name = programme.name
    if room:
        name, bodies = shortened(name, room), shortened(bodies, room)
    return [
        Paragraph(esc(name), LETTER_STYLES["identity"]),
        Paragraph(esc(bodies), LETTER_STYLES["bodies"]),
        spacer(2),
        HRFlowable(width="100%", thickness=1, color=PRIMARY),
    ]


def signature_block(
    programme, *, on_behalf_of: str = "", signing_line: bool = False, room: int | None = None
) -> list:
    """The signatory configured on the programme: « <body>, by delegation, », room to sign
    (over a thin rule with ``signing_line``, as on a certificate), the name in bold, the
    function, the managing agency, each ``shortened`` to ``room`` characters when given.
    Without a signatory, the agency signs."""

    def line(value) -> str:
        return esc(shortened(value, room, note=False) if room else value)

    flowables = []
    if on_behalf_of:
        flowables.append(
            Paragraph(
                esc(_("%(body)s, by delegation,") % {"body": on_behalf_of}),
                LETTER_STYLES["paragraph"],
            )
        )
    flowables.append(spacer(14))
    if signing_line:
        flowables.append(HRFlowable(width="100%", thickness=0.5, color=GREY, hAlign="LEFT"))
    if programme.signatory_name:
        flowables.append(Paragraph(line(programme.signatory_name), LETTER_STYLES["signatory"]))
    if programme.signatory_function:
        flowables.append(Paragraph(line(programme.signatory_function), STYLES["body"]))
    flowables.append(Paragraph(line(programme.managing_agency), STYLES["body"]))
    return flowables


_paragraphs = paragraphs  # ``Letter.section`` takes an argument of that name


class Letter:
    """A programme's letter to an organisation, laid out as an administrative letter.

    Build it top to bottom, then ``render()``::

        letter = Letter(programme, addressee=[name, street, town], date=day,
                        reference="CW-2027-0001", subject="Grant of a subsidy")
        letter.paragraph("We are pleased to inform you…")
        letter.facts([("Amount granted", "60 000,00 €")])
        letter.section("Legal basis", [programme.legal_basis])
        pdf_bytes = letter.render()

    Every text is escaped and set in the active language's typography.
    """

    def __init__(
        self,
        programme,
        *,
        addressee: list[str],
        date,
        reference: str,
        subject: str,
        salutation: str | None = None,
        on_behalf_of: str = "",
    ):
        self.programme = programme
        self.addressee = [line for line in addressee if line]
        self.date = date
        self.reference = reference
        self.subject = subject
        self.salutation = salutation if salutation is not None else _("Dear Sir or Madam,")
        self.on_behalf_of = on_behalf_of
        self.body: list = []

    def paragraph(self, value: str) -> "Letter":
        """A paragraph of the body (several, if ``value`` has blank lines); a line break in
        ``value`` is kept."""
        self.body += paragraphs(value, LETTER_STYLES["paragraph"])
        return self

    def facts(self, rows: list[tuple[str, object]]) -> "Letter":
        """Captions and values, two columns, inside the body."""
        if rows:
            self.body += [facts_table(rows), spacer(3)]
        return self

    def section(
        self, heading: str, paragraphs: list[str], facts: list[tuple[str, object]] = ()
    ) -> "Letter":
        """A titled part of the letter (reasons, obligations, legal basis, appeal routes),
        facts first; left out when it has nothing to say."""
        paragraphs_ = [p for p in paragraphs if p and str(p).strip()]
        if not paragraphs_ and not facts:
            return self
        self.body += [CondPageBreak(30 * mm), Paragraph(esc(heading), LETTER_STYLES["section"])]
        if facts:
            self.body += [facts_table(list(facts)), spacer(3)]
        for value in paragraphs_:
            self.body += _paragraphs(value, LETTER_STYLES["paragraph"])
        return self

    def _addressee_and_meta(self) -> Table:
        """The place, date and reference on the left; the addressee on the right, where a
        windowed envelope shows it."""
        place = self.programme.letter_place
        day = self.date
        if isinstance(day, datetime.datetime):
            day = timezone.localtime(day).date()
        day = dates.long_date(day)
        dated = _("%(place)s, %(date)s") % {"place": place, "date": day} if place else day
        meta = [
            Paragraph(esc(dated), LETTER_STYLES["meta"]),
            spacer(2),
            Paragraph(caption(_("Reference"), self.reference), LETTER_STYLES["meta"]),
        ]
        address = [Paragraph(esc(line), STYLES["body"]) for line in self.addressee]
        table = Table([[meta, address]], colWidths=[82 * mm, 82 * mm], hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (0, 0), 0),
                ]
            )
        )
        return table

    def _subject_line(self) -> Paragraph:
        """« Objet : … », whose bookmark reads the subject alone."""
        line = Paragraph(caption(_("Subject"), self.subject, bold=False), LETTER_STYLES["subject"])
        line.outline_title = self.subject
        return line

    def story(self) -> list:
        return [
            *letterhead(self.programme),
            spacer(10),
            self._addressee_and_meta(),
            spacer(12),
            self._subject_line(),
            spacer(4),
            Paragraph(esc(self.salutation), LETTER_STYLES["paragraph"]),
            *self.body,
            spacer(2),
            KeepTogether(
                [
                    Paragraph(
                        esc(_("Yours faithfully,")),
                        LETTER_STYLES["paragraph"],
                    ),
                    spacer(2),
                    *signature_block(self.programme, on_behalf_of=self.on_behalf_of),
                ]
            ),
        ]

    def render(self, *, title: str | None = None, appendix: list = ()) -> bytes:
        """The letter as PDF; ``appendix`` (flowables) follows the signature from a new
        page, numbered with the letter's pages."""
        story = self.story()
        if appendix:
            story += [PageBreak(), *appendix]
        return build(
            story,
            title=title or self.subject,
            author=self.programme.managing_agency,
            subject=f"{self.subject} — {self.reference}",
            footer=f"{self.programme.managing_agency} — {self.reference}",
        )
