"""The label certificate: A4, printable, with a QR code to the public verification page."""

from django.utils.translation import gettext as _
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm

from portal import pdf


def verification_qr(label, size_mm: float = 40) -> Drawing:
    """A QR drawing whose value is the label's verification URL."""
    widget = QrCodeWidget(label.verification_url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    size = size_mm * mm
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def certificate(label) -> bytes:
    programme = label.programme
    story = [
        pdf.text(programme.name, "small"),
        pdf.spacer(10),
        pdf.text(_("Label certificate"), "title"),
        pdf.text(programme.label_name, "heading"),
        pdf.spacer(6),
        pdf.text(_("is awarded to")),
        pdf.text(label.organisation.legal_name, "title"),
        pdf.text(label.space_name),
        pdf.text(f"{label.street}, {label.postcode} {label.municipality}"),
        pdf.spacer(8),
        pdf.facts_table(
            [
                (_("Label number"), label.number),
                (_("Valid from"), pdf.local_date(label.issued_on)),
                (_("Valid until"), pdf.local_date(label.valid_until)),
                (_("Awarded by"), programme.funding_body),
                (_("Managed by"), programme.managing_agency),
            ]
        ),
        pdf.spacer(8),
        verification_qr(label),
        pdf.text(_("Check this label at %(url)s") % {"url": label.verification_url}, "small"),
    ]
    return pdf.build(
        story,
        title=_("Label certificate %(number)s") % {"number": label.number},
        author=programme.managing_agency,
        footer=f"{programme.name} — {label.number}",
    )
