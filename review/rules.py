"""Who may do what in the review: reviewers on their own assignments only; officers of
the programme run assignments and the jury; ministry staff decide."""

import rules

from applications.rules import (
    add_document_reader,
    is_applicant_member,
    is_programme_ministry,
    is_programme_officer,
    is_programme_reviewer,
    programme_of,
)
from portal.rules import is_admin


def assignment_of(obj):
    from review.models import Assignment, Review

    if isinstance(obj, Assignment):
        return obj
    if isinstance(obj, Review):
        return obj.assignment
    return None


@rules.predicate
def is_assigned_reviewer(user, obj) -> bool:
    assignment = assignment_of(obj)
    return assignment is not None and user.is_authenticated and assignment.reviewer_id == user.pk


@rules.predicate
def in_reviewer_pool(user, obj) -> bool:
    """Still a reviewer of the programme (removed reviewers lose their assignments)."""
    assignment = assignment_of(obj)
    return assignment is not None and is_programme_reviewer(user, assignment.application)


@rules.predicate
def has_accepted(user, obj) -> bool:
    assignment = assignment_of(obj)
    return assignment is not None and assignment.state == "accepted"


@rules.predicate
def jury_is_open(user, obj) -> bool:
    """The jury of the call (``obj``: the call, or an object of it with a ``call``: its jury,
    a hearing, a consensus) still makes proposals: it has not been closed."""
    from applications.models import Call
    from review.services import jury_is_closed

    return not jury_is_closed(obj if isinstance(obj, Call) else obj.call)


@rules.predicate
def officer_of_assignment(user, obj) -> bool:
    assignment = assignment_of(obj)
    return assignment is not None and is_programme_officer(user, assignment.application)


rules.add_perm("review.view_assignment", is_assigned_reviewer & in_reviewer_pool)
rules.add_perm("review.answer_assignment", is_assigned_reviewer & in_reviewer_pool)
reads_and_scores = is_assigned_reviewer & in_reviewer_pool & has_accepted
rules.add_perm("review.score_assignment", reads_and_scores)


@rules.predicate
def reviews_dossier(user, application) -> bool:
    """The dossier's reviewer reads its documents while the assignment is accepted (a
    review submitted included) and the reviewer is still in the programme's pool; not while
    invited, nor once declined or conflicted."""
    from review.models import Assignment

    if application is None or not user.is_authenticated:
        return False
    assignment = Assignment.objects.filter(application=application, reviewer=user).first()
    if assignment is None:
        return False
    assignment.application = application  # already loaded: the pool check reads its programme
    return reads_and_scores.test(user, assignment)


# The reviewer's part of ``applications.view_documents`` (applications/rules.py).
add_document_reader(reviews_dossier)
runs_the_review = is_programme_officer | is_admin
rules.add_perm("review.manage_reviews", runs_the_review)
rules.add_perm("review.view_ranking", is_programme_officer | is_programme_ministry | is_admin)
rules.add_perm("review.decide", is_programme_ministry)
# While the jury is open: the ranking page offers the proposal forms and the closing, and
# the services refuse them once it is closed (review.services.proposal_problems, and the
# jury's own transition).
rules.add_perm("review.propose", runs_the_review & jury_is_open)
rules.add_perm("review.close_jury", runs_the_review & jury_is_open)
# Hearings of the shortlisted applicants, run by whoever runs the review while the jury sits.
rules.add_perm("review.run_hearing", runs_the_review & jury_is_open)
# Complaints (review.redress): the applicant's members file them, the officers examine them.
rules.add_perm("review.file_complaint", is_applicant_member)
rules.add_perm("review.examine_complaint", runs_the_review)
rules.add_perm("review.set_aside_assignment", officer_of_assignment | is_admin)


@rules.predicate
def is_rapporteur(user, consensus) -> bool:
    """The reviewer named rapporteur of the consensus, still in the programme's pool."""
    return (
        consensus is not None
        and user.is_authenticated
        and consensus.rapporteur_id == user.pk
        and is_programme_reviewer(user, consensus.application)
    )


# The rapporteur writes the consensus; the officer names them, sends it back or approves it.
rules.add_perm("review.write_consensus", is_rapporteur & jury_is_open)
rules.add_perm("review.manage_consensus", runs_the_review & jury_is_open)
# The consensus page: its rapporteur, whoever runs the review, the ministry (reading); the
# dossier's other reviewers do not see it.
rules.add_perm(
    "review.view_consensus", is_rapporteur | is_programme_officer | is_programme_ministry | is_admin
)


@rules.predicate
def is_decided(user, application) -> bool:
    """The minister has decided on the dossier (granted or refused)."""
    from applications.models import Application

    return application is not None and application.state in (
        Application.State.GRANTED,
        Application.State.REFUSED,
    )


@rules.predicate
def reached_review(user, application) -> bool:
    """The dossier's review is complete: it stands in the call's ranking (reviewed or
    later)."""
    from review.ranking import RANKED_STATES

    return application is not None and application.state in RANKED_STATES


# The evaluation summary (review/summary.py): the applicant reads it with the decision,
# which it is attached to; the agency and the ministry once the review is complete.
rules.add_perm(
    "review.view_evaluation_summary",
    (is_applicant_member & is_decided)
    | ((is_programme_officer | is_programme_ministry | is_admin) & reached_review),
)

__all__ = ["programme_of"]
