"""The decision letter (courrier de notification): a grant with its amount, label,
obligations and payment, or a refusal with its reasons; both with the legal basis."""

from decimal import Decimal

from django.utils.translation import gettext as _

from portal import dates, letters, pdf
from portal.figures import euros, number
from review import ranking
from review.models import Proposal


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
                "“%(title)s” to the call “%(call)s” a subsidy of %(amount)s. The label "
                "“%(label)s” is awarded to %(organisation)s."
            )
            % {
                "title": application.project_title,
                "call": call.title,
                "amount": euros(decision.amount),
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


def jury_minutes(session) -> bytes:
    """The minutes of a closed jury: who sat, the ranking as it stood at closing, and each
    proposal with its rationale."""
    call = session.call
    programme = call.programme
    proposals = {
        p.application.reference: p
        for p in Proposal.objects.filter(application__call=call).select_related(
            "application__organisation"
        )
    }
    ranked = ranking.snapshot(call)
    story = [
        *pdf.letterhead(programme),
        pdf.spacer(6),
        pdf.text(_("Minutes of the jury"), "title"),
        pdf.text(call.title, "heading"),
        pdf.facts_table(
            [
                (_("Closed on"), dates.long_datetime(session.closed_at)),
                (_("Closed by"), session.closed_by.full_name if session.closed_by else "—"),
                (_("Members present"), "\n".join(session.members)),
                (_("Applications ranked"), number(len(ranked))),
                (
                    _("Proposed for funding"),
                    number(sum(1 for p in proposals.values() if p.proposed)),
                ),
            ]
        ),
        pdf.text(_("Ranking at closing"), "heading"),
    ]
    if ranked:
        story.append(
            pdf.grid_table(
                ["#", _("Application"), _("Total"), _("Requested"), _("Jury proposal")],
                [
                    [
                        row["rank"],
                        f"{row['reference']}\n{row['organisation']}",
                        number(Decimal(row["total"]), 2),
                        euros(Decimal(row["requested"]), 0)
                        if row["requested"] not in (None, "None")
                        else "—",
                        _proposal_word(proposals.get(row["reference"])),
                    ]
                    for row in ranked
                ],
                [10, 70, 22, 30, 38],
                numeric=[True, False, True, True, False],
            )
        )
    else:
        story.append(pdf.text(_("No application was ranked.")))
    story.append(pdf.text(_("Proposals and rationale"), "heading"))
    order = {row["reference"]: row["rank"] for row in ranked}
    for reference, proposal in sorted(
        proposals.items(), key=lambda item: (order.get(item[0], 10**9), item[0])
    ):
        story += [
            pdf.markup(
                f"<b>{pdf.esc(reference)} — {pdf.esc(proposal.application.organisation)}</b> "
                f"({pdf.esc(_proposal_word(proposal))})"
            ),
            *pdf.paragraphs(proposal.rationale),
            pdf.spacer(2),
        ]
    return pdf.build(
        story,
        title=_("Minutes of the jury — %(call)s") % {"call": call.title},
        author=programme.managing_agency,
        footer=f"{programme.managing_agency} — {call.title}",
    )


def _proposal_word(proposal) -> str:
    if proposal is None:
        return "—"
    return _("Proposed for funding") if proposal.proposed else _("Not proposed")
