"""The decision letter (courrier de notification)."""

from django.utils.translation import gettext as _

from portal import pdf
from portal.figures import number


def decision_letter(application, decision) -> bytes:
    call, organisation = application.call, application.organisation
    if decision.granted:
        title = _("Grant of a subsidy to your application %(reference)s") % {
            "reference": application.reference
        }
        body = _(
            "We are pleased to inform you that the minister has granted your application "
            "“%(title)s” to the call “%(call)s” a subsidy of %(amount)s €. The label “%(label)s” "
            "is awarded to %(organisation)s."
        ) % {
            "title": application.project_title,
            "call": call.title,
            "amount": number(decision.amount, 2),
            "label": call.programme.label_name,
            "organisation": organisation.legal_name,
        }
    else:
        title = _("Refusal of your application %(reference)s") % {
            "reference": application.reference
        }
        body = _(
            "We regret to inform you that the minister has not granted your application "
            "“%(title)s” to the call “%(call)s”, for the following reason:"
        ) % {"title": application.project_title, "call": call.title}
    story = [
        pdf.text(call.programme.funding_body, "small"),
        pdf.text(call.programme.managing_agency, "small"),
        pdf.spacer(),
        pdf.text(organisation.legal_name),
        pdf.text(organisation.street),
        pdf.text(f"{organisation.postcode} {organisation.municipality}"),
        pdf.spacer(8),
        pdf.text(pdf.local_date(decision.decided_at), "body_right"),
        pdf.text(title, "title"),
        pdf.text(body),
    ]
    if not decision.granted:
        story += [pdf.spacer(), pdf.text(decision.reason)]
    story += [pdf.spacer(10), pdf.text(call.programme.funding_body)]
    return pdf.build(
        story,
        title=title,
        author=call.programme.managing_agency,
        footer=f"{call.programme.managing_agency} — {application.reference}",
    )
