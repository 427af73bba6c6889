"""The messages the review app sends (``portal.messages``): the emails of the review, the
consensus, the hearings, the complaints and the decisions, and the opening words of the
decision letter (the rest of the letter is computed: ``review.pdf``)."""

import datetime as dt
from dataclasses import replace

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.messages import DOSSIER, dossier_values, programme_of
from portal import dates, deadlines
from portal.figures import euros
from portal.links import absolute_url
from portal.messages import LETTER, Message, Placeholder


def _dossier(*replaced: Placeholder, without: tuple[str, ...] = ()) -> tuple[Placeholder, ...]:
    """``DOSSIER`` with the placeholders of the same name replaced by ``replaced`` (a
    reviewer's ``link`` goes to their own page, not the applicant's), less ``without``."""
    by_name = {p.name: p for p in replaced}
    return tuple(by_name.get(p.name, p) for p in DOSSIER if p.name not in without)


def _page(name: str, *args) -> str:
    """The absolute address of a review page; an example not saved (the editor's preview)
    points at number 0."""
    return absolute_url(reverse(f"review:{name}", args=[arg or 0 for arg in args]))


def _example_person(full_name) -> object:
    """A person not saved, who stands for the one a message names in the editor's preview
    (``full_name``: a lazy text, read in the language of each rendering)."""
    from portal.models import User

    return User(full_name=full_name, email="example@example.invalid")


def _name_of(person) -> str:
    """A person's name as a message writes it."""
    return str(person) if person.pk else str(person.full_name)


# --- reviewers -----------------------------------------------------------------------------


def _assignment_example(application, *, answered: bool = False):
    from review.models import Assignment

    assignment = Assignment.objects.filter(application=application).first()
    if assignment is None or (answered and assignment.state == Assignment.State.INVITED):
        assignment = Assignment(
            application=application,
            reviewer=_example_person(gettext_lazy("(the reviewer's name)")),
            state=Assignment.State.DECLINED if answered else Assignment.State.INVITED,
        )
    return {"assignment": assignment}


def _invited_values(context) -> dict[str, object]:
    assignment = context["assignment"]
    return {
        **dossier_values(assignment.application),
        "link": _page("assignment", assignment.pk),
    }


def _reassign_values(context) -> dict[str, object]:
    assignment = context["assignment"]
    return {
        **dossier_values(assignment.application),
        "reviewer": _name_of(assignment.reviewer),
        "state": assignment.get_state_display(),
        "link": _page("assignments", assignment.application.call.slug),
    }


# --- the consensus -------------------------------------------------------------------------


def _consensus_example(state: str | None = None):
    def example(application):
        from review.models import Consensus

        consensus = Consensus.objects.filter(application=application).first()
        if consensus is None or (state is not None and consensus.state != state):
            consensus = Consensus(
                application=application,
                rapporteur=_example_person(gettext_lazy("(the rapporteur's name)")),
                state=state or Consensus.State.DRAFTING,
            )
        return {"consensus": consensus, "reason": gettext_lazy("(what the officer asks to change)")}

    return example


def _consensus_values(context) -> dict[str, object]:
    consensus = context["consensus"]
    return {
        **dossier_values(consensus.application),
        "rapporteur": _name_of(consensus.rapporteur),
        "link": _page("consensus", consensus.pk),
    }


def _named_values(context) -> dict[str, object]:
    consensus = context["consensus"]
    automatic = _(
        "The portal named you because the reviewers' scores are further apart than the call allows."
    )
    return {
        **_consensus_values(context),
        "named_by_portal": "" if consensus.named_by_id else automatic,
    }


def _sent_back_values(context) -> dict[str, object]:
    return {**_consensus_values(context), "reason": context["reason"]}


CONSENSUS_LINK = Placeholder(
    "link", gettext_lazy("the address of the consensus's page in the portal")
)

# --- the hearings --------------------------------------------------------------------------


def _hearing_example(application):
    from review.models import Hearing

    hearing = Hearing.objects.filter(application=application).first()
    if hearing is None:
        starts_at = timezone.localtime() + dt.timedelta(days=14)
        hearing = Hearing(
            application=application,
            starts_at=starts_at.replace(hour=14, minute=30, second=0, microsecond=0),
            place=gettext_lazy("(the place of the hearing)"),
        )
    return {"hearing": hearing}


def _hearing_values(context) -> dict[str, object]:
    hearing = context["hearing"]
    where = []
    if hearing.place:
        where.append(_("Where: %(place)s") % {"place": hearing.place})
    if hearing.video_link:
        where.append(_("Video link: %(link)s") % {"link": hearing.video_link})
    return {
        **dossier_values(hearing.application),
        "when": dates.long_datetime(hearing.starts_at),
        "where": "\n".join(where),
    }


HEARING = (
    *DOSSIER,
    Placeholder(
        "when", gettext_lazy("the hearing's date and time, in Brussels time"), required=True
    ),
    Placeholder(
        "where",
        gettext_lazy(
            "the lines “Where: …” and “Video link: …”, one per line, for those the hearing has "
            "(at least one)"
        ),
        required=True,
    ),
)

# --- complaints ----------------------------------------------------------------------------


def _complaint_example(answered: bool):
    def example(application):
        from review.models import Complaint

        complaint = Complaint.objects.filter(application=application).first()
        if complaint is None or (answered and not complaint.answer):
            complaint = Complaint(
                application=application,
                about=Complaint.About.DECISION,
                reasons=gettext_lazy("(the applicant's reasons)"),
                due_on=timezone.localdate()
                + dt.timedelta(days=application.call.programme.complaint_answer_days),
                state=Complaint.State.REJECTED if answered else Complaint.State.RECEIVED,
                answer=gettext_lazy("(the programme's answer)") if answered else "",
            )
        return {"complaint": complaint}

    return example


def _filed_values(context) -> dict[str, object]:
    complaint = context["complaint"]
    return {
        **dossier_values(complaint.application),
        "about": complaint.get_about_display(),
        "due": dates.long_date(complaint.due_on),
        "link": _page("complaint", complaint.pk),
    }


def _answered_values(context) -> dict[str, object]:
    complaint = context["complaint"]
    return {
        **dossier_values(complaint.application),
        "state": complaint.get_state_display(),
        "answer": complaint.answer,
    }


# --- decisions -----------------------------------------------------------------------------


def _decision_values(context) -> dict[str, object]:
    decision = context["decision"]
    application = decision.application
    return {
        **dossier_values(application),
        "amount": euros(decision.amount) if decision.amount is not None else "",
        "reason": decision.reason,
        "label": application.call.programme.label_name,
        **_appeal_values(decision.decided_at or timezone.now()),
    }


def _appeal_values(sent_at) -> dict[str, object]:
    """The last days of both appeal routes, counted as the letter counts them: from the
    latest day the decision is deemed notified (docs/decisions.md)."""
    notified = deadlines.deemed_notified(sent_at)
    return {
        "complaint_until": dates.long_date(deadlines.redress_ends(notified)),
        "appeal_until": dates.long_date(deadlines.council_of_state_ends(notified)),
    }


def _decision_example(granted: bool):
    def example(application):
        from review.models import Decision

        decision = Decision.objects.filter(application=application).first()
        if decision is None or decision.granted != granted:
            decision = Decision(
                application=application,
                granted=granted,
                amount=(application.requested_amount or 0) if granted else None,
                reason="" if granted else gettext_lazy("(the reason the minister gives)"),
                decided_at=timezone.now(),
            )
        return {"decision": decision}

    return example


AMOUNT = Placeholder("amount", gettext_lazy("the amount granted"), required=True)
# A decision says how to contest it, and until when (the letter details both routes).
APPEAL = (
    Placeholder(
        "complaint_until",
        gettext_lazy("the last day to send a complaint (30 days after the notification)"),
        required=True,
    ),
    Placeholder(
        "appeal_until",
        gettext_lazy(
            "the last day to appeal to the Council of State (60 days after the notification)"
        ),
        required=True,
    ),
)
REASON = Placeholder("reason", gettext_lazy("the reason for the refusal, as the minister wrote it"))

# The letter's opening: the reference and its amount or reason are required (a decision
# without them is not one); the facts, reasons, legal basis and appeal routes follow,
# computed, since the law requires them in every decision (``review.pdf``).
LETTER_REFERENCE = replace(next(p for p in DOSSIER if p.name == "reference"), required=True)
LETTER_DOSSIER = _dossier(LETTER_REFERENCE, without=("link",))


MESSAGES = [
    Message(
        key="review/emails/invited",
        title=gettext_lazy("Review request (to a reviewer)"),
        placeholders=_dossier(
            Placeholder(
                "link",
                gettext_lazy(
                    "the address of the review request's page, where the reviewer accepts or "
                    "declines"
                ),
            )
        ),
        values=_invited_values,
        programme=programme_of("assignment", "application"),
        example=_assignment_example,
        order=10,
    ),
    Message(
        key="review/emails/reassign",
        title=gettext_lazy("Reviewer to replace (to the officers)"),
        placeholders=(
            *_dossier(
                Placeholder("link", gettext_lazy("the address of the call's page of reviewers"))
            ),
            Placeholder("reviewer", gettext_lazy("the name of the reviewer who will not review")),
            Placeholder(
                "state",
                gettext_lazy("why: the request declined, or a conflict of interest declared"),
            ),
        ),
        values=_reassign_values,
        programme=programme_of("assignment", "application"),
        example=lambda application: _assignment_example(application, answered=True),
        order=11,
    ),
    Message(
        key="review/emails/consensus_named",
        title=gettext_lazy("Consensus: you are named rapporteur (to the rapporteur)"),
        placeholders=(
            *_dossier(CONSENSUS_LINK),
            Placeholder(
                "named_by_portal",
                gettext_lazy(
                    "when the portal named the rapporteur because the reviewers disagree, the "
                    "sentence that says so; else empty"
                ),
            ),
        ),
        values=_named_values,
        programme=programme_of("consensus", "application"),
        example=_consensus_example(),
        order=20,
    ),
    Message(
        key="review/emails/consensus_named_by_portal",
        title=gettext_lazy("Consensus: the portal named a rapporteur (to the officers)"),
        placeholders=(
            *_dossier(CONSENSUS_LINK),
            Placeholder("rapporteur", gettext_lazy("the rapporteur's name")),
        ),
        values=_consensus_values,
        programme=programme_of("consensus", "application"),
        example=_consensus_example(),
        order=21,
    ),
    Message(
        key="review/emails/consensus_submitted",
        title=gettext_lazy("Consensus to approve (to the officers)"),
        placeholders=(
            *_dossier(CONSENSUS_LINK),
            Placeholder("rapporteur", gettext_lazy("the rapporteur's name")),
        ),
        values=_consensus_values,
        programme=programme_of("consensus", "application"),
        example=_consensus_example(),
        order=22,
    ),
    Message(
        key="review/emails/consensus_sent_back",
        title=gettext_lazy("Consensus sent back (to the rapporteur)"),
        placeholders=(
            *_dossier(CONSENSUS_LINK),
            Placeholder("reason", gettext_lazy("what the officer asks to change"), required=True),
        ),
        values=_sent_back_values,
        programme=programme_of("consensus", "application"),
        example=_consensus_example(),
        order=23,
    ),
    Message(
        key="review/emails/consensus_approved",
        title=gettext_lazy("Consensus approved (to the rapporteur)"),
        placeholders=_dossier(CONSENSUS_LINK),
        values=_consensus_values,
        programme=programme_of("consensus", "application"),
        example=_consensus_example(),
        order=24,
    ),
    Message(
        key="review/emails/hearing_invited",
        title=gettext_lazy("Invitation to a hearing (sent with the call's mailing)"),
        placeholders=HEARING,
        values=_hearing_values,
        programme=programme_of("hearing", "application"),
        example=_hearing_example,
        order=40,
    ),
    Message(
        key="review/emails/hearing_moved",
        title=gettext_lazy("Hearing moved"),
        placeholders=HEARING,
        values=_hearing_values,
        programme=programme_of("hearing", "application"),
        example=_hearing_example,
        order=41,
    ),
    Message(
        key="review/emails/complaint_filed",
        title=gettext_lazy("Complaint filed (to the officers)"),
        placeholders=(
            *_dossier(Placeholder("link", gettext_lazy("the address of the complaint's page"))),
            Placeholder(
                "about",
                gettext_lazy(
                    "what the complaint is against: the inadmissibility, the evaluation or "
                    "the decision"
                ),
            ),
            Placeholder(
                "due",
                gettext_lazy("the date by which the complaint must be answered"),
                required=True,
            ),
        ),
        values=_filed_values,
        programme=programme_of("complaint", "application"),
        example=_complaint_example(False),
        order=70,
    ),
    Message(
        key="review/emails/complaint_answered",
        title=gettext_lazy("Answer to a complaint"),
        placeholders=(
            *DOSSIER,
            Placeholder(
                "state",
                gettext_lazy("the outcome of the complaint: upheld or rejected"),
                required=True,
            ),
            Placeholder(
                "answer", gettext_lazy("the programme's answer, as written"), required=True
            ),
        ),
        values=_answered_values,
        programme=programme_of("complaint", "application"),
        example=_complaint_example(True),
        order=71,
    ),
    Message(
        key="review/emails/decision_granted",
        title=gettext_lazy("Decision: the application is granted"),
        placeholders=(*DOSSIER, AMOUNT, *APPEAL),
        values=_decision_values,
        programme=programme_of("decision", "application"),
        example=_decision_example(True),
        order=60,
    ),
    Message(
        key="review/emails/decision_refused",
        title=gettext_lazy("Decision: the application is refused"),
        placeholders=(*DOSSIER, REASON, *APPEAL),
        values=_decision_values,
        programme=programme_of("decision", "application"),
        example=_decision_example(False),
        order=61,
    ),
    Message(
        key="review/letters/grant",
        title=gettext_lazy(
            "Decision letter, grant: its subject and opening (the facts, reasons, legal basis "
            "and appeal routes follow, as the law requires)"
        ),
        placeholders=(
            *LETTER_DOSSIER,
            AMOUNT,
            Placeholder("label", gettext_lazy("the name of the programme's label")),
        ),
        values=_decision_values,
        programme=programme_of("decision", "application"),
        example=_decision_example(True),
        kind=LETTER,
        order=62,
    ),
    Message(
        key="review/letters/refusal",
        title=gettext_lazy(
            "Decision letter, refusal: its subject and opening (the facts, reasons, legal "
            "basis and appeal routes follow, as the law requires)"
        ),
        placeholders=(
            *LETTER_DOSSIER,
            Placeholder("reason", REASON.description, required=True),
        ),
        values=_decision_values,
        programme=programme_of("decision", "application"),
        example=_decision_example(False),
        kind=LETTER,
        order=63,
    ),
]
