"""The decision letter (courrier de notification): a grant with its amount, label,
obligations and payment, or a refusal with its reasons; both with the legal basis, and the
evaluation summary appended. The evaluation summary on its own, and the jury's minutes."""

from decimal import Decimal

from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from applications.services import recipient_language
from portal import dates, deadlines, letters, messages, pdf
from portal.figures import euros, exact, number
from review import ranking
from review.models import Hearing, Proposal, Shortlisting
from review.summary import QUARTERS, EvaluationSummary, summary_of


def addressee(organisation) -> list[str]:
    return [
        organisation.legal_name,
        organisation.street,
        f"{organisation.postcode} {organisation.municipality}",
    ]


def decision_letter(application, decision) -> bytes:
    """The letter of ``decision``, a reasoned administrative act: the facts, the reasons
    (the jury's rationale, the minister's reason for a refusal, the score against the
    thresholds, the evaluation summary annexed), the legal basis and the appeal routes with
    their end dates. A grant's label and reporting sections come from the apps that know
    them (``portal.letters``), so draw it once the label is issued."""
    call, organisation = application.call, application.organisation
    programme = call.programme
    proposal = getattr(application, "proposal", None)
    summary = summary_of(application)
    # The subject and the opening are the programme's wording (``review.messages``); the
    # sections the law requires in a reasoned decision follow, computed.
    key = "review/letters/grant" if decision.granted else "review/letters/refusal"
    context = {"decision": decision}
    language = translation.get_language()
    subject, opening = messages.render(key, context, language)
    if not subject:
        subject, _opening = messages.render(
            key, context, language, wording_of=messages.default_wording(key, language)
        )
    letter = pdf.Letter(
        programme,
        addressee=addressee(organisation),
        date=decision.decided_at,
        reference=application.reference,
        subject=subject,
        on_behalf_of=programme.funding_body,
    )
    for paragraph in messages.paragraphs(opening):
        letter.paragraph(paragraph)
    if decision.granted:
        letter.facts(
            [
                (_("Application reference"), application.reference),
                (_("Call"), call.title),
                (_("Amount granted"), euros(decision.amount)),
            ]
        )
    letter.section(_("Facts"), facts_paragraphs(application, decision, summary))
    letter.section(_("Reasons for the decision"), reasons_paragraphs(proposal, summary))
    if decision.granted:
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
    letter.section(_("Legal basis"), legal_basis_paragraphs(call))
    letter.section(
        _("How to contest this decision"), appeal_paragraphs(programme, decision.decided_at)
    )
    return letter.render(appendix=summary_story(summary, annex=True))


def facts_paragraphs(application, decision, summary: EvaluationSummary) -> list[str]:
    """What happened to the dossier, in order: its submission, its evaluation, the jury's
    proposal and the decision."""
    facts = [
        _(
            "On %(date)s, %(organisation)s submitted the application “%(title)s” "
            "(reference %(reference)s) to the call for projects “%(call)s”."
        )
        % {
            "date": dates.long_date(application.submitted_at),
            "organisation": application.organisation.legal_name,
            "title": application.project_title,
            "reference": application.reference,
            "call": application.call.title,
        }
    ]
    if summary.reviews:
        facts.append(
            ngettext(
                "The agency found it admissible; %(count)s independent expert evaluated it "
                "against the criteria of the call.",
                "The agency found it admissible; %(count)s independent experts evaluated it "
                "against the criteria of the call.",
                summary.reviews,
            )
            % {"count": summary.reviews}
        )
    proposal = getattr(application, "proposal", None)
    if proposal is not None:
        when = {"date": dates.long_date(proposal.decided_at)}
        if proposal.at_shortlist:
            facts.append(_("On %(date)s, the jury left it off its shortlist.") % when)
        elif proposal.proposed:
            facts.append(_("On %(date)s, the jury proposed it for funding.") % when)
        else:
            facts.append(_("On %(date)s, the jury did not propose it for funding.") % when)
    facts.append(
        _("The minister decided on %(date)s.") % {"date": dates.long_date(decision.decided_at)}
    )
    return [" ".join(facts)]


def reasons_paragraphs(proposal, summary: EvaluationSummary) -> list[str]:
    """The reasons a reader can check: the jury's rationale, the overall score against the
    criteria's thresholds, and the annexed evaluation summary that details them."""
    reasons = []
    if proposal is not None and proposal.rationale:
        reasons.append(_("The jury's opinion: %(rationale)s") % {"rationale": proposal.rationale})
    if summary.overall is not None:
        score = {"score": _score(summary.overall, summary.overall_max)}
        below = [result.title for result in summary.criteria if result.met is False]
        if below:
            reasons.append(
                ngettext(
                    "The application obtained an overall score of %(score)s; it did not meet "
                    "the threshold of the criterion %(criteria)s.",
                    "The application obtained an overall score of %(score)s; it did not meet "
                    "the thresholds of the criteria %(criteria)s.",
                    len(below),
                )
                % {
                    **score,
                    "criteria": ", ".join(
                        _("“%(criterion)s”") % {"criterion": title} for title in below
                    ),
                }
            )
        elif any(result.met is not None for result in summary.criteria):
            reasons.append(
                _(
                    "The application obtained an overall score of %(score)s; it met the "
                    "threshold of every criterion that has one."
                )
                % score
            )
        else:
            reasons.append(_("The application obtained an overall score of %(score)s.") % score)
    reasons.append(
        _(
            "The evaluation summary report annexed to this letter gives the score and the "
            "experts' comments for each criterion, and the application's place in the ranking."
        )
    )
    return reasons


def legal_basis_paragraphs(call) -> list[str]:
    """The call's own legal basis, then the programme's; without either, a sentence that
    says which rules the decision applies (the call's staff page warns of the gap)."""
    bases = list(dict.fromkeys(b.strip() for b in (call.legal_basis, call.programme.legal_basis)))
    bases = [basis for basis in bases if basis]
    if bases:
        return bases
    return [
        _("This decision applies the rules of the call for projects “%(call)s”.")
        % {"call": call.title}
    ]


def appeal_paragraphs(programme, sent_at) -> list[str]:
    """The two appeal routes and their last days, counted from the deemed notification
    (``portal.deadlines``) of a decision sent at ``sent_at``. The letter is drawn before the
    applicant opens it, so it gives the latest dates: those of a decision never opened."""
    notified = deadlines.deemed_notified(sent_at)
    complaints_to = programme.redress_body.strip() or programme.managing_agency
    return [
        _(
            "This decision is notified to you on the day you first open it in the portal, "
            "and at the latest on the tenth day after it was sent on %(sent)s, that is on "
            "%(notified)s at the latest."
        )
        % {"sent": dates.long_date(sent_at), "notified": dates.long_date(notified)},
        _(
            "Complaint (internal review): you may send a reasoned complaint to %(body)s, "
            "within thirty days of the notification, that is until %(date)s at the latest."
        )
        % {"body": complaints_to, "date": dates.long_date(deadlines.redress_ends(notified))},
        _(
            "Appeal to the Council of State: you may lodge an appeal for annulment with the "
            "Council of State, administrative litigation section, within sixty days of the "
            "notification, that is until %(date)s at the latest, by a petition sent to the "
            "Council of State, rue de la Science 33, 1040 Brussels, or through its electronic "
            "procedure. A complaint does not extend this period."
        )
        % {"date": dates.long_date(deadlines.council_of_state_ends(notified))},
        _(
            "When the last day of a period is a Saturday, a Sunday or a legal holiday, the "
            "period ends on the next working day; the dates above take this into account."
        ),
    ]


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
                        number(Decimal(row["total"]), 2)
                        + (f"\n{_('consensus')}" if row.get("consensus") else ""),
                        euros(Decimal(row["requested"]), 0)
                        if row["requested"] not in (None, "None")
                        else "—",
                        _proposal_word(proposals.get(row["reference"])),
                    ]
                    for row in ranked
                ],
                [10, 62, 30, 30, 38],
                numeric=[True, False, True, True, False],
            )
        )
    else:
        story.append(pdf.text(_("No application was ranked.")))
    order = {row["reference"]: row["rank"] for row in ranked}
    if call.shortlist_with_hearings:
        story += _shortlist_story(call, order)
    story.append(pdf.text(_("Proposals and rationale"), "heading"))
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


def _shortlist_story(call, order: dict[str, int]) -> list:
    """The minutes' account of the shortlist: each shortlisted dossier, in the ranking's
    order, with the jury's rationale and its hearing (when, attended or not, the notes)."""
    shortlisted = sorted(
        Shortlisting.objects.filter(application__call=call).select_related(
            "application__organisation", "application__hearing"
        ),
        key=lambda s: (order.get(s.application.reference, 10**9), s.application.reference),
    )
    story = [pdf.text(_("Shortlist and hearings"), "heading")]
    if not shortlisted:
        story.append(pdf.text(_("No application was shortlisted.")))
    for shortlisting in shortlisted:
        application = shortlisting.application
        hearing = getattr(application, "hearing", None)
        if hearing is None:
            heard = _("No hearing was arranged.")
        else:
            heard = _("Hearing of %(when)s: %(state)s.") % {
                "when": dates.long_datetime(hearing.starts_at),
                "state": hearing.get_state_display(),
            }
        story += [
            pdf.markup(
                f"<b>{pdf.esc(application.reference)} — {pdf.esc(application.organisation)}</b>"
            ),
            *pdf.paragraphs(shortlisting.rationale),
            pdf.text(heard),
            *(
                pdf.paragraphs(hearing.notes)
                if hearing is not None and hearing.state in Hearing.DONE and hearing.notes
                else []
            ),
            pdf.spacer(2),
        ]
    return story


def _proposal_word(proposal) -> str:
    if proposal is None:
        return "—"
    if proposal.at_shortlist:
        return _("Left off the shortlist")
    return _("Proposed for funding") if proposal.proposed else _("Not proposed")


def _score(value, out_of) -> str:
    if value is None:
        return "—"
    return f"{exact(round(value, 2))} / {exact(out_of)}"


def _met_word(met: bool | None) -> str:
    if met is None:
        return pgettext("threshold", "no threshold")
    return pgettext("threshold", "met") if met else pgettext("threshold", "not met")


def _band_words(summary: EvaluationSummary) -> str:
    band = summary.band
    if band is None:
        return _("Not ranked")
    if band.count < QUARTERS:
        # Too few to cut in quarters: the rank itself says as much.
        rank = {"first": band.first, "count": band.count}
        return capfirst(_("rank %(first)s of %(count)s") % rank)
    quarter = {
        1: _("First quarter"),
        2: _("Second quarter"),
        3: _("Third quarter"),
        4: _("Fourth quarter"),
    }[band.quarter]
    if band.first == band.last:
        where = _("rank %(first)s of %(count)s") % {"first": band.first, "count": band.count}
    else:
        where = _("ranks %(first)s to %(last)s of %(count)s") % {
            "first": band.first,
            "last": band.last,
            "count": band.count,
        }
    return _("%(quarter)s of the ranking: %(ranks)s") % {"quarter": quarter, "ranks": where}


def _funding_words(summary: EvaluationSummary) -> str:
    if summary.within_budget is None:
        return "—"
    budget = euros(summary.budget, 0)
    if summary.below_threshold:
        return _(
            "Not applicable: an application under a criterion's threshold cannot be "
            "proposed for funding (budget of the call: %(budget)s)."
        ) % {"budget": budget}
    if summary.within_budget:
        return _(
            "Above the funding line: the amounts requested by the applications ranked up to "
            "this one stay within the budget of the call (%(budget)s)."
        ) % {"budget": budget}
    return _(
        "Below the funding line: the amounts requested by the applications ranked up to "
        "this one exceed the budget of the call (%(budget)s)."
    ) % {"budget": budget}


def _comment_by(comment) -> str:
    if comment.expert is None:
        return comment.text
    return _("Expert %(number)s: %(comment)s") % {"number": comment.expert, "comment": comment.text}


def summary_story(summary: EvaluationSummary, *, annex: bool = False) -> list:
    """The evaluation summary as flowables: on its own (``evaluation_summary``) or as the
    annex of the decision letter (``annex``). It names no reviewer: comments are signed
    « Expert n » (see ``review.summary``)."""
    application = summary.application
    call = application.call
    title = _("Evaluation summary report")
    story = [pdf.text(_("Annex: %(title)s") % {"title": title} if annex else title, "title")]
    if summary.from_consensus:
        source = _("Consensus of the experts, approved by the agency")
    else:
        source = ngettext(
            "Mean of the scores of %(count)s expert's review",
            "Mean of the scores of the %(count)s experts' reviews",
            summary.reviews,
        ) % {"count": summary.reviews}
    story.append(
        pdf.facts_table(
            [
                (_("Call"), call.title),
                (_("Application reference"), application.reference),
                (_("Organisation"), application.organisation.legal_name),
                (_("Project"), application.project_title),
                (_("Scores"), source),
            ]
        )
    )
    story.append(pdf.text(_("Scores per criterion"), "heading"))
    if summary.criteria:
        story.append(
            pdf.grid_table(
                [_("Criterion"), _("Weight"), _("Score"), _("Threshold"), _("Threshold met")],
                [
                    [
                        result.title,
                        f"\u00d7 {exact(result.weight)}",
                        _score(result.score, result.max_score),
                        _score(result.threshold, result.max_score)
                        if result.threshold is not None
                        else "—",
                        _met_word(result.met),
                    ]
                    for result in summary.criteria
                ],
                [50, 30, 26, 26, 38],
                numeric=[False, True, True, True, False],
                footer=[
                    _("Overall score"),
                    "",
                    _score(summary.overall, summary.overall_max),
                    "",
                    _("all met") if summary.thresholds_met else _("not all met"),
                ],
            )
        )
        story.append(
            pdf.text(
                _("Overall score = Σ weight × score per criterion."),  # noqa: RUF001
                "small",
            )
        )
    else:
        story.append(pdf.text(_("The call has no scoring grid.")))
    commented = [result for result in summary.criteria if result.comments]
    if commented or summary.overall_comment:
        story.append(pdf.text(_("Comments"), "heading"))
    for result in commented:
        story.append(pdf.markup(f"<b>{pdf.esc(result.title)}</b>"))
        for comment in result.comments:
            story += pdf.paragraphs(_comment_by(comment))
        story.append(pdf.spacer(2))
    if summary.overall_comment:
        story.append(pdf.markup(f"<b>{pdf.esc(_('Overall comment'))}</b>"))
        story += pdf.paragraphs(summary.overall_comment)
    story.append(pdf.text(_("Ranking and funding line"), "heading"))
    facts = [
        (_("Overall score"), _score(summary.overall, summary.overall_max)),
        (_("Rank band"), _band_words(summary)),
        (_("Funding line"), _funding_words(summary)),
    ]
    if summary.proposed is not None:
        facts.append(
            (
                _("Jury proposal"),
                _("Proposed for funding") if summary.proposed else _("Not proposed"),
            )
        )
    if summary.granted is not None:
        facts.append(
            (
                _("Ministerial decision"),
                pgettext("decision", "Granted")
                if summary.granted
                else pgettext("decision", "Refused"),
            )
        )
    story.append(pdf.facts_table(facts))
    story.append(pdf.spacer(2))
    story.append(
        pdf.text(
            _(
                "The rank band is the quarter of the call's ranking the application falls in. "
                "The experts are numbered; their names are not disclosed."
            ),
            "small",
        )
    )
    return story


def evaluation_summary(application, *, language: str | None = None) -> bytes:
    """The evaluation summary report as PDF, in ``language`` (by default the applicant's,
    as their letters: ``recipient_language``)."""
    language = language or recipient_language(application)
    with translation.override(language):
        summary = summary_of(application)
        programme = application.call.programme
        title = _("Evaluation summary report — %(reference)s") % {
            "reference": application.reference
        }
        return pdf.build(
            [*pdf.letterhead(programme), pdf.spacer(6), *summary_story(summary)],
            title=title,
            author=programme.managing_agency,
            footer=f"{programme.managing_agency} — {application.reference}",
            lang=language,
        )
