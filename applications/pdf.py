"""The dossier's PDFs: the acknowledgement of receipt and the inadmissibility letter."""

from decimal import Decimal

from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.platypus import KeepTogether

from applications.callforms import Question, TableColumn
from applications.questionnaire import shown_rows
from portal import dates, messages, pdf
from portal.figures import euros

WIDTH_MM = 170
INADMISSIBILITY = "applications/letters/inadmissibility"


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
                    _("Address"),
                    f"{application.street}, {application.postcode} {application.municipality}",
                ),
                (_("Total cost of the project"), euros(application.total_cost)),
                (_("Requested amount"), euros(application.requested_amount)),
            ]
        ),
        pdf.text(_("Project summary"), "heading"),
        *pdf.paragraphs(application.summary),
        *form_answers(application),
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


def form_answers(application) -> list:
    """Each section of the call's form as it stands: a heading, then its questions and the
    answers in words, a table answer as a grid with its total under the summed column. A
    heading or a table's question is kept on the page of what follows it."""
    answers = application.answers or {}
    story = []
    for section, pairs in application.questionnaire.readable(answers):
        parts, facts = [], []
        for question, text in pairs:
            value = answers.get(question.code)
            if question.kind != Question.Kind.TABLE or not value:
                facts.append((question.label, text))
                continue
            if facts:
                parts.append(pdf.facts_table(facts))
                facts = []
            parts.append(
                KeepTogether(
                    [
                        pdf.spacer(2),
                        pdf.markup(f"<b>{pdf.esc(question.label)}</b>"),
                        answer_table(question, value),
                    ]
                )
            )
        if facts:
            parts.append(pdf.facts_table(facts))
        heading = pdf.text(section.title, "heading")
        story += [KeepTogether([heading, parts[0]]), *parts[1:]] if parts else [heading]
    return story


def answer_table(question: Question, value: dict):
    """A table answer as a grid: amounts and numbers on the right, the total in bold."""
    columns = list(question.columns.all())
    numeric = [c.kind in (TableColumn.Kind.AMOUNT, TableColumn.Kind.INTEGER) for c in columns]
    wide = [not right for right in numeric]
    narrow_mm = 34
    wide_mm = (WIDTH_MM - narrow_mm * sum(numeric)) / max(sum(wide), 1)
    footer = None
    summed = next((c for c in columns if c.summed), None)
    if summed is not None:
        footer = ["" for _column in columns]
        footer[columns.index(summed)] = euros(Decimal(value["total"]))
        footer[0 if columns[0] != summed else -1] = _("Total")
    return pdf.grid_table(
        [c.label for c in columns],
        shown_rows(question, value),
        [narrow_mm if right else wide_mm for right in numeric],
        numeric=numeric,
        footer=footer,
        small=len(columns) > 4,
    )


def inadmissibility_letter(application) -> bytes:
    """The letter telling the applicant their dossier is inadmissible, and why: its subject
    and opening words are the programme's wording of the message
    "applications/letters/inadmissibility" (``portal.messages``), in the active language."""
    call, organisation = application.call, application.organisation
    subject, body = messages.render(
        INADMISSIBILITY, {"application": application}, translation.get_language()
    )
    letter = pdf.Letter(
        call.programme,
        addressee=[
            organisation.legal_name,
            organisation.street,
            f"{organisation.postcode} {organisation.municipality}",
        ],
        date=application.admissibility_decided_at,
        reference=application.reference,
        subject=subject,
    )
    for paragraph in messages.paragraphs(body):
        letter.paragraph(paragraph)
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
