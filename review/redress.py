"""Complaints (internal redress): an applicant contests the inadmissibility, the evaluation
or the decision of its dossier within the period of docs/decisions.md, and the programme
examines it, then upholds or rejects it with an answer.

- **Filing** (:func:`file_complaint`): a member of the applicant organisation, once the
  letter contested exists (the inadmissibility letter; the decision letter for the
  evaluation and the decision), until ``redress_ends`` of the day that letter is deemed
  notified (``Letter.notified_on``: the day a member first downloaded it, at the latest
  ten days after it was issued). The answer is due ``Programme.complaint_answer_days``
  after the Brussels day of filing.
- **Upheld on the inadmissibility**: the dossier goes back to the admissibility check
  (``Application.readmit``: inadmissible → submitted).
- **Upheld on the evaluation**: the dossier goes back to the review
  (``Application.reopen_review``: refused → admissible). The earlier reviewers' assignments
  are set aside (``Assignment.supersede``): their reviews stay, listed as the earlier
  evaluation, and they may not be assigned again; the jury's proposal, the decision, the
  standing, the shortlisting, the hearing and the consensus (with its scores), one each per
  dossier, are copied into ``Complaint.superseded`` and removed so that the new evaluation
  can write its own. A jury already closed is reconvened (``JurySession.reconvene``, by the
  portal itself) to propose on the dossier evaluated anew; the minutes of its earlier
  sitting are kept, and its closing again issues new minutes.
- **Upheld on the decision**: the dossier keeps its state; the answer tells the applicant
  what the ministry will do (a new decision is outside the portal's machine).
"""

import datetime as dt

from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application, Letter
from applications.services import officers_of
from portal import deadlines
from portal.dates import long_date
from portal.emails import send_to_user
from portal.transitions import Problem, TransitionRefused, perform, record_creation
from review import ranking
from review.models import (
    Assignment,
    Complaint,
    Consensus,
    Decision,
    Hearing,
    JurySession,
    Proposal,
    Shortlisting,
    Standing,
)

# The letter a complaint contests, by what it is about.
LETTER_KIND = {
    Complaint.About.INADMISSIBILITY: Letter.Kind.INADMISSIBILITY,
    Complaint.About.EVALUATION: Letter.Kind.DECISION,
    Complaint.About.DECISION: Letter.Kind.DECISION,
}


def contested_letter(application: Application, about: str, letters=None) -> Letter | None:
    """The latest letter a complaint ``about`` this contests; None before it is issued.
    ``letters``: the dossier's letters already read, if they are."""
    kind = LETTER_KIND[about]
    if letters is None:
        return application.letters.filter(kind=kind).order_by("-issued_at").first()
    return max((x for x in letters if x.kind == kind), key=lambda x: x.issued_at, default=None)


def complaint_ends(application: Application, about: str, letters=None) -> dt.date | None:
    """The last day to file a complaint ``about`` this; None while there is nothing to
    contest."""
    letter = contested_letter(application, about, letters)
    return None if letter is None else deadlines.redress_ends(letter.notified_on)


def open_to_complaint(application: Application, letters=None) -> dict[str, dt.date]:
    """What the applicant may still contest today, with the last day of each (one query,
    none when ``letters`` are given)."""
    if letters is None:
        letters = list(application.letters.all())
    today = deadlines.brussels_date(timezone.now())
    open_ = {}
    for about in Complaint.About.values:
        ends = complaint_ends(application, about, letters)
        if ends is not None and today <= ends:
            open_[about] = ends
    return open_


def filing_problems(application: Application, *, by, about: str, reasons: str) -> list[Problem]:
    """Why this complaint may not be filed (the permission is checked apart)."""
    if about not in Complaint.About.values:
        return [Problem(_("Choose what the complaint is against."), "about")]
    problems = []
    ends = complaint_ends(application, about)
    if ends is None:
        problems.append(Problem(_("There is no letter to contest yet."), "about"))
    elif deadlines.brussels_date(timezone.now()) > ends:
        problems.append(
            Problem(
                _("The period for a complaint ended on %(date)s.") % {"date": long_date(ends)},
                "about",
            )
        )
    if not reasons.strip():
        problems.append(Problem(_("Give the reasons of the complaint."), "reasons"))
    return problems


def file_complaint(application: Application, *, by, about: str, reasons: str, document=None):
    """File a complaint for a member of the applicant organisation; the officers are told.
    Raises ``PermissionError`` for anyone else, ``TransitionRefused`` when it is late, has
    nothing to contest or no reasons."""
    if not by.has_perm("review.file_complaint", application):
        raise PermissionError("review.file_complaint")
    problems = filing_problems(application, by=by, about=about, reasons=reasons)
    if problems:
        raise TransitionRefused(problems)
    now = timezone.now()
    due_on = deadlines.brussels_date(now) + dt.timedelta(
        days=application.call.programme.complaint_answer_days
    )
    with transaction.atomic():
        complaint = Complaint(
            application=application,
            about=about,
            reasons=reasons,
            filed_by=by,
            filed_at=now,
            due_on=due_on,
        )
        if document is not None:
            complaint.document.save(document.name, document, save=False)
        complaint.save()
        record_creation(complaint, by=by)
        for officer in officers_of(application):
            send_to_user(officer, "review/emails/complaint_filed", {"complaint": complaint})
    return complaint


def examine(complaint: Complaint, *, by) -> None:
    """The programme starts examining the complaint."""
    perform(complaint, "examine", by=by)


def _answer_required(answer: str) -> list[Problem]:
    return [] if answer.strip() else [Problem(_("Write the answer to the applicant."), "answer")]


def reject(complaint: Complaint, *, by, answer: str) -> None:
    """The complaint is unfounded; the applicant receives the answer."""
    with transaction.atomic():
        perform(complaint, "reject", by=by, comment=answer, check=lambda: _answer_required(answer))
        _tell_applicant(complaint)


def uphold(complaint: Complaint, *, by, answer: str) -> None:
    """The complaint is founded: its effect on the dossier (module docstring) in the same
    transaction, then the applicant receives the answer."""
    with transaction.atomic():
        perform(complaint, "uphold", by=by, comment=answer, check=lambda: _answer_required(answer))
        application = Application.objects.select_for_update().get(pk=complaint.application_id)
        if complaint.about == Complaint.About.INADMISSIBILITY:
            perform(application, "readmit", by=by, comment=answer)
        elif complaint.about == Complaint.About.EVALUATION:
            _reopen_review(complaint, application, by=by, answer=answer)
        _tell_applicant(complaint)


def _snapshot(row) -> dict | None:
    if row is None:
        return None
    values = model_to_dict(row)
    return {key: str(value) if value is not None else None for key, value in values.items()}


# What one evaluation of a dossier leaves, one row each, set aside when it is evaluated anew.
SUPERSEDED_ROWS = {
    "proposal": Proposal,
    "decision": Decision,
    "standing": Standing,
    "shortlisting": Shortlisting,
    "hearing": Hearing,
    "consensus": Consensus,
}


def _reopen_review(complaint: Complaint, application: Application, *, by, answer: str) -> None:
    perform(application, "reopen_review", by=by, comment=answer)
    rows = {
        name: model.objects.filter(application=application).first()
        for name, model in SUPERSEDED_ROWS.items()
    }
    consensus = rows["consensus"]
    complaint.superseded = {
        **{name: _snapshot(row) for name, row in rows.items()},
        "consensus_scores": [_snapshot(score) for score in consensus.scores.all()]
        if consensus is not None
        else [],
        "reviewers": list(
            application.assignments.filter(
                state__in=[Assignment.State.INVITED, Assignment.State.ACCEPTED]
            ).values_list("reviewer_id", flat=True)
        ),
    }
    complaint.save(update_fields=["superseded"])
    for row in rows.values():
        if row is not None:
            row.delete()
    jury = JurySession.objects.filter(
        call=application.call_id, state=JurySession.State.CLOSED
    ).first()
    if jury is not None:
        perform(
            jury,
            "reconvene",
            by=None,
            system=True,
            comment=_("Complaint upheld on the evaluation of %(reference)s.")
            % {"reference": application.reference},
        )
    for assignment in application.assignments.filter(
        state__in=[Assignment.State.INVITED, Assignment.State.ACCEPTED]
    ):
        perform(assignment, "supersede", by=by, comment=answer)
    ranking.refresh_after_commit([application.pk])


def _tell_applicant(complaint: Complaint) -> None:
    from applications.services import members_of

    for member in members_of(complaint.application):
        send_to_user(member, "review/emails/complaint_answered", {"complaint": complaint})


def earlier_reviewers(application: Application) -> set[int]:
    """The reviewers of an evaluation set aside by an upheld complaint: never assigned again
    on this dossier."""
    return set(
        application.assignments.filter(state=Assignment.State.SUPERSEDED).values_list(
            "reviewer_id", flat=True
        )
    )
