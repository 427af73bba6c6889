"""Who may do what in the review: reviewers on their own assignments only; officers of
the programme run assignments and the jury; ministry staff decide."""

import rules

from applications.rules import (
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
def officer_of_assignment(user, obj) -> bool:
    assignment = assignment_of(obj)
    return assignment is not None and is_programme_officer(user, assignment.application)


rules.add_perm("review.view_assignment", is_assigned_reviewer & in_reviewer_pool)
rules.add_perm("review.answer_assignment", is_assigned_reviewer & in_reviewer_pool)
rules.add_perm("review.score_assignment", is_assigned_reviewer & in_reviewer_pool & has_accepted)
rules.add_perm("review.manage_reviews", is_programme_officer | is_admin)
rules.add_perm("review.view_ranking", is_programme_officer | is_programme_ministry | is_admin)
rules.add_perm("review.decide", is_programme_ministry)
rules.add_perm("review.close_jury", is_programme_officer | is_admin)

__all__ = ["programme_of"]
