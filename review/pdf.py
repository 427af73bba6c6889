"""The decision letter (courrier de notification): a grant with its amount, label,
obligations and payment, or a refusal with its reasons; both with the legal basis."""

from django.utils.translation import gettext as _

from portal import letters, pdf
from portal.figures import euros, number


def addressee(organisation) -> list[str]:
    return [
        organisation.legal_name,
        organisation.street,
        f"{organisation.postcode} {organisation.municipality}",
    ]


def decision_letter(application, decision) -> bytes:
    """The letter of ``decision``; a grant's label and reporting sections come from the
    apps that know them (``portal.letters``), so draw it once the label is issued."""
    call, organisation = application.call, application.organisation
    programme = call.programme
    proposal = getattr(application, "proposal", None)
    if decision.granted:
        subject = _("Grant of a subsidy to your application %(reference)s") % {
            "reference": application.reference
        }
    else:
        subject = _("Refusal of your application %(reference)s") % {
            "reference": application.reference
        }
    letter = pdf.Letter(
        programme,
        addressee=addressee(organisation),
        date=decision.decided_at,
        reference=application.reference,
        subject=subject,
        on_behalf_of=programme.funding_body,
    )
    if decision.granted:
        letter.paragraph(
            _(
                "We are pleased to inform you that the minister has granted your application "
                "“%(title)s” to the call “%(call)s” a subsidy of %(amount)s €. The label "
                "“%(label)s” is awarded to %(organisation)s."
            )
            % {
                "title": application.project_title,
                "call": call.title,
                "amount": number(decision.amount, 2),
                "label": programme.label_name,
                "organisation": organisation.legal_name,
            }
        )
        letter.facts(
            [
                (_("Application reference"), application.reference),
                (_("Call"), call.title),
                (_("Amount granted"), euros(decision.amount)),
            ]
        )
        for section in letters.sections_for("grant", application):
            letter.section(section.heading, section.paragraphs, section.facts)
        letter.section(
            _("Payment"),
            [
                _(
                    "The subsidy of %(amount)s is paid into the bank account of "
                    "%(organisation)s, under the conditions of the call. An amount that the "
                    "activity reports do not justify may be claimed back."
                )
                % {"amount": euros(decision.amount), "organisation": organisation.legal_name}
            ],
        )
        reasons = [proposal.rationale] if proposal else []
    else:
        letter.paragraph(
            _(
                "We regret to inform you that the minister has not granted your application "
                "“%(title)s” to the call “%(call)s”, for the following reason:"
            )
            % {"title": application.project_title, "call": call.title}
        )
        letter.paragraph(decision.reason)
        reasons = []
        if proposal:
            reasons.append(
                _("The jury's opinion: %(rationale)s") % {"rationale": proposal.rationale}
            )
    letter.section(_("Reasons for the decision"), reasons)
    letter.section(_("Legal basis"), [programme.legal_basis])
    return letter.render()
