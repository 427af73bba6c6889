"""The label certificate: one framed A4 page — the programme that awards it, the holder and
its space, the number and validity, a QR code to the public verification page and the
signature block of the programme's signatory. The QR code carries the label's signed
statement (docs/verifiable-labels.md); the PDF itself is not signed."""

import functools
import itertools
from io import BytesIO

from django.utils.translation import gettext as _
from reportlab.graphics.barcode import qrencoder
from reportlab.graphics.shapes import Drawing, Group, Path
from reportlab.lib import colors
from reportlab.lib.attrmap import AttrMap, AttrMapValue
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.validators import isString
from reportlab.platypus import Paragraph, Table, TableStyle
from reportlab.platypus.flowables import TopPadder

from labels import verification
from portal import dates, pdf

STYLES = {
    "title": ParagraphStyle(
        "title",
        fontName=pdf.BOLD,
        fontSize=28,
        leading=34,
        textColor=pdf.PRIMARY,
        alignment=TA_CENTER,
    ),
    "label_name": ParagraphStyle(
        "label_name", fontName=pdf.REGULAR, fontSize=15, leading=20, alignment=TA_CENTER
    ),
    "centre": ParagraphStyle(
        "centre", fontName=pdf.REGULAR, fontSize=11, leading=15, alignment=TA_CENTER
    ),
    "awarded_to": ParagraphStyle(
        "awarded_to",
        fontName=pdf.REGULAR,
        fontSize=11,
        leading=15,
        alignment=TA_CENTER,
        textColor=pdf.GREY,
    ),
    "holder": ParagraphStyle(
        "holder", fontName=pdf.BOLD, fontSize=22, leading=28, alignment=TA_CENTER
    ),
    "fact_label": ParagraphStyle(
        "fact_label",
        fontName=pdf.REGULAR,
        fontSize=9,
        leading=12,
        alignment=TA_CENTER,
        textColor=pdf.GREY,
    ),
    "fact_value": ParagraphStyle(
        "fact_value", fontName=pdf.BOLD, fontSize=12, leading=16, alignment=TA_CENTER
    ),
    "small": ParagraphStyle("small", fontName=pdf.REGULAR, fontSize=8, leading=10),
    "body": ParagraphStyle("body", fontName=pdf.REGULAR, fontSize=10, leading=14),
}


def _p(value, style: str):
    return Paragraph(pdf.esc(value), STYLES[style])


@functools.lru_cache(maxsize=256)
def qr_modules(value: str) -> tuple[tuple[bool, ...], ...]:
    """The modules of the QR code of ``value``, dark or light, row by row, encoded by
    reportlab's ``qrencoder`` at the low error correction level. Choosing the mask (eight
    trials, scored) is most of a certificate's time with a signed statement in its code:
    the codes of the labels downloaded lately are kept (a label's statement changes only
    when it is signed again, and then its value too)."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.L)
    code.addData(value)
    code.make()
    return tuple(tuple(bool(module) for module in row) for row in code.modules)


class QrCode(Group):
    """A QR code of ``value``, ``size`` points square with a quiet zone of four modules,
    drawn as one path, a rectangle per run of dark modules (reportlab's ``QrCodeWidget``
    encodes its value again each time it is measured or drawn, and draws a shape per run).
    """

    _attrMap = AttrMap(BASE=Group, value=AttrMapValue(isString, desc="the encoded text"))
    BORDER = 4

    def __init__(self, value: str, size: float):
        super().__init__()
        self.value = value
        modules = qr_modules(value)
        box = size / (len(modules) + 2 * self.BORDER)
        path = Path(fillColor=colors.black, strokeColor=None, strokeWidth=0)
        for row, dark_or_light in enumerate(modules):
            column = 0
            top = size - (row + self.BORDER) * box
            for dark, run in itertools.groupby(dark_or_light):
                length = len(list(run))
                if dark:
                    left = (column + self.BORDER) * box
                    right = left + length * box
                    path.moveTo(left, top - box)
                    path.lineTo(right, top - box)
                    path.lineTo(right, top)
                    path.lineTo(left, top)
                    path.closePath()
                column += length
        self.add(path)


def verification_qr(label, size_mm: float = 40, request=None) -> Drawing:
    """A QR drawing whose value is the verification page's address carrying the label's
    signed statement (``labels.verification``): a phone checks it offline. The statement
    makes a long code, hence the low error correction (printed certificates are clean)."""
    size = size_mm * mm
    drawing = Drawing(size, size)
    drawing.add(QrCode(verification.token_url(label, request), size))
    return drawing


def _facts(label) -> Table:
    """Number and validity side by side, each a small caption over its value."""
    facts = [
        (_("Label number"), label.number),
        (_("Valid from"), dates.long_date(label.issued_on)),
        (_("Valid until"), dates.long_date(label.valid_until)),
    ]
    table = Table(
        [
            [_p(caption, "fact_label") for caption, _value in facts],
            [_p(value, "fact_value") for _caption, value in facts],
        ],
        colWidths=[56 * mm] * 3,
    )
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.5, pdf.PRIMARY),
                ("LINEAFTER", (0, 0), (-2, -1), 0.25, colors.lightgrey),
                ("TOPPADDING", (0, 0), (-1, 0), 6),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
            ]
        )
    )
    return table


def _signature_and_check(label, request=None) -> Table:
    """The QR code and where to check the label (left), the signature block (right)."""
    programme = label.programme
    url = label.verification_url(request)
    check = [
        verification_qr(label, request=request),
        _p(_("Check this label at"), "small"),
        _p(url, "small"),
    ]
    issued_on = dates.long_date(label.issued_on)
    if programme.letter_place:
        place = pdf.shortened(programme.letter_place, NAME_ROOM["place"], note=False)
        issued = _("%(place)s, on %(date)s") % {"place": place, "date": issued_on}
    else:
        issued = _("Issued on %(date)s") % {"date": issued_on}
    signature = [
        _p(issued, "body"),
        *pdf.signature_block(programme, signing_line=True, room=NAME_ROOM["signature"]),
    ]
    table = Table([[check, signature]], colWidths=[98 * mm, 70 * mm])
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (0, 0), 0)])
    )
    return table


def _frame(canvas, document) -> None:
    """A double rule around the page, in the portal's colour."""
    width, height = A4
    canvas.saveState()
    canvas.setStrokeColor(pdf.PRIMARY)
    canvas.setLineWidth(2)
    canvas.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)
    canvas.setLineWidth(0.5)
    canvas.rect(12.5 * mm, 12.5 * mm, width - 25 * mm, height - 25 * mm)
    canvas.restoreState()


# The longest names the certificate prints whole, so that it keeps to its one page; longer
# ones end with "… (continued in the portal)". Every real name fits.
NAME_ROOM = {
    "label_name": 80,
    "holder": 70,
    "space": 90,
    "address": 100,
    "letterhead": 80,
    "place": 30,
    "signature": 40,
}


# The blank space between the parts of the certificate, in mm; names long enough to push
# the signature onto a second page get the tight spacing.
GAPS = (34, 26, 24)
TIGHT_GAPS = (6, 6, 6)


def certificate(label, request=None) -> bytes:
    """The certificate's PDF; its links start with ``portal.links.site_url(request)``."""
    document = _certificate(label, request, GAPS)
    if document.page > 1:
        document = _certificate(label, request, TIGHT_GAPS)
    return document.filename.getvalue()


def _certificate(label, request, gaps: tuple[int, int, int]) -> pdf.Document:
    programme = label.programme
    holder = pdf.shortened(label.organisation.legal_name, NAME_ROOM["holder"])
    space = pdf.shortened(label.space_name, NAME_ROOM["space"])
    address = pdf.shortened(
        f"{label.street}, {label.postcode} {label.municipality}", NAME_ROOM["address"]
    )
    story = [
        *pdf.letterhead(programme, room=NAME_ROOM["letterhead"]),
        pdf.spacer(gaps[0]),
        _p(_("Label certificate"), "title"),
        pdf.spacer(4),
        _p(pdf.shortened(programme.label_name, NAME_ROOM["label_name"]), "label_name"),
        pdf.spacer(gaps[1]),
        _p(_("is awarded to"), "awarded_to"),
        pdf.spacer(3),
        _p(holder, "holder"),
        pdf.spacer(3),
        _p(space, "centre") if label.space_name != label.organisation.legal_name else pdf.spacer(0),
        _p(address, "centre"),
        pdf.spacer(gaps[2]),
        _facts(label),
        TopPadder(_signature_and_check(label, request)),
    ]
    title = _("Label certificate %(number)s") % {"number": label.number}
    document = pdf.Document(
        BytesIO(),
        pagesize=A4,
        leftMargin=21 * mm,
        rightMargin=21 * mm,
        topMargin=22 * mm,
        bottomMargin=20 * mm,
        title=title,
        author=programme.managing_agency,
        subject=f"{title} — {label.organisation.legal_name}",
        creator="Guichet",
        invariant=True,
        lang=pdf.language_tag(),
        outline_levels={"title": 0, "holder": 1},
    )
    document.build(story, onFirstPage=_frame)
    return document
