"""The dossier's PDFs: the acknowledgement of receipt and the inadmissibility letter."""

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from portal import dates, pdf
from portal.figures import euros


def receipt(application, received_at, number: int = 1) -> bytes:
    """Acknowledgement of receipt no. ``number`` of the dossier (2 and on: resubmissions):
    reference, moment, organisation, content, documents."""
    call, organisation = application.call, application.organisation
    if number == 1:
        received = _("Your application to the call “%(call)s” was received on %(moment)s.")
    else:
        received = _(
            "Your application to the call “%(call)s”, submitted again after the requested "
            "changes, was received on %(moment)s."
        )
    story = [
        pdf.text(call.programme.name, "small"),
        pdf.text(_("Acknowledgement of receipt no. %(number)s") % {"number": number}, "title"),
        pdf.text(received % {"call": call.title, "moment": dates.long_datetime(received_at)}),
        pdf.spacer(),
        pdf.facts_table(
            [
                (_("Application reference"), application.reference),
                (_("Received on"), dates.long_datetime(received_at)),
                (_("First submitted on"), dates.long_datetime(application.submitted_at)),
                (_("Organisation"), organisation.legal_name),
                (_("Enterprise number (BCE)"), organisation.enterprise_number_display),
                (_("Project title"), application.project_title),
                (
                    _("Address of the space"),
                    f"{application.street}, {application.postcode} {application.municipality}",
                ),
                (_("Total cost of the project"), euros(application.total_cost)),
                (_("Requested amount"), euros(application.requested_amount)),
            ]
        ),
        pdf.text(_("Project summary"), "heading"),
        *pdf.paragraphs(application.summary),
        pdf.text(_("Supporting documents"), "heading"),
    ]
    documents = list(application.documents.select_related("document_type"))
    if documents:
        story.append(
            pdf.grid_table(
                [_("Document"), _("File"), _("Size")],
                [
                    [d.document_type.name, d.original_name, filesizeformat(d.size)]
                    for d in documents
                ],
                [55, 85, 30],
            )
        )
    else:
        story.append(pdf.text(_("No document was attached.")))
    story += [
        pdf.spacer(6),
        pdf.text(
            _(
                "This acknowledgement confirms that the application was submitted within the "
                "deadline. It does not prejudge its admissibility or the decision."
            ),
            "small",
        ),
    ]
    return pdf.build(
        story,
        title=_("Acknowledgement of receipt no. %(number)s — %(reference)s")
        % {"number": number, "reference": application.reference},
        author=call.programme.managing_agency,
        footer=f"{call.programme.managing_agency} — {application.reference}",
    )


def inadmissibility_letter(application) -> bytes:
    """The letter telling the applicant their dossier is inadmissible, and why."""
    call, organisation = application.call, application.organisation
    letter = pdf.Letter(
        call.programme,
        addressee=[
            organisation.legal_name,
            organisation.street,
            f"{organisation.postcode} {organisation.municipality}",
        ],
        date=application.admissibility_decided_at,
        reference=application.reference,
        subject=_("Your application %(reference)s is inadmissible")
        % {"reference": application.reference},
    )
    letter.paragraph(
        _(
            "We have examined the admissibility of your application “%(title)s” to the call "
            "“%(call)s”, submitted on %(moment)s. We regret to inform you that it is "
            "inadmissible for the following reason:"
        )
        % {
            "title": application.project_title,
            "call": call.title,
            "moment": dates.long_datetime(application.submitted_at),
        }
    )
    letter.paragraph(application.inadmissibility_reason)
    letter.paragraph(
        _(
            "The application will therefore not be examined further. You may contact the "
            "programme team for any question about this decision."
        )
    )
    letter.section(_("Legal basis"), [call.programme.legal_basis])
    return letter.render(
        title=_("Inadmissibility letter %(reference)s") % {"reference": application.reference}
    )
