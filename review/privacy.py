"""What the review keeps about a person (see ``portal.privacy``): assignments, declarations,
scores, the consensuses they wrote as rapporteur, and the shortlistings, jury proposals and
ministerial decisions they recorded."""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.models import User
from portal.privacy import Holder, when
from review import services
from review.models import Assignment, Consensus, Decision, Proposal, Review, Shortlisting


def _collect(user: User) -> dict:
    assignments = (
        Assignment.objects.filter(reviewer=user)
        .select_related("application__call", "review")
        .prefetch_related("review__scores__criterion")
    )
    consensuses = (
        Consensus.objects.filter(rapporteur=user)
        .select_related("application")
        .prefetch_related("scores__criterion")
    )
    shortlistings = Shortlisting.objects.filter(decided_by=user).select_related("application")
    proposals = Proposal.objects.filter(decided_by=user).select_related("application")
    decisions = Decision.objects.filter(decided_by=user).select_related("application")
    return {
        "assignments": [_assignment(assignment) for assignment in assignments],
        "consensuses_written": [
            {
                "dossier": str(c.application),
                "state": c.state,
                "overall_comment": c.overall_comment,
                "named_on": when(c.named_at),
                "submitted_on": when(c.submitted_at),
                "scores": [
                    {
                        "criterion": score.criterion.code,
                        "score": str(score.value) if score.value is not None else None,
                        "comment": score.comment,
                    }
                    for score in c.scores.all()
                ],
            }
            for c in consensuses
        ],
        "shortlistings_recorded": [
            {"dossier": str(s.application), "rationale": s.rationale, "on": when(s.decided_at)}
            for s in shortlistings
        ],
        "jury_proposals_recorded": [
            {
                "dossier": str(p.application),
                "proposed": p.proposed,
                "rationale": p.rationale,
                "on": when(p.decided_at),
            }
            for p in proposals
        ],
        "decisions_recorded": [
            {
                "dossier": str(d.application),
                "granted": d.granted,
                "amount": str(d.amount) if d.amount is not None else None,
                "on": when(d.decided_at),
            }
            for d in decisions
        ],
    }


def _assignment(assignment: Assignment) -> dict:
    review = getattr(assignment, "review", None)
    return {
        "dossier": str(assignment.application),
        "call": assignment.application.call.title,
        "state": assignment.state,
        "declaration": assignment.declaration,
        "assigned_on": when(assignment.assigned_at),
        "answered_on": when(assignment.answered_at),
        "review": review
        and {
            "state": review.state,
            "recommendation": review.recommendation,
            "overall_comment": review.overall_comment,
            "submitted_on": when(review.submitted_at),
            "scores": [
                {
                    "criterion": score.criterion.code,
                    "score": str(score.value) if score.value is not None else None,
                    "comment": score.comment,
                }
                for score in review.scores.all()
            ],
        },
    }


def _obstacles(user: User) -> list[str]:
    unfinished = Assignment.objects.filter(
        Q(review__isnull=True) | ~Q(review__state=Review.State.SUBMITTED),
        reviewer=user,
        state=Assignment.State.ACCEPTED,
    )
    obstacles = []
    count = unfinished.count()
    if count:
        obstacles.append(
            ngettext(
                "You accepted to review an application and have not submitted your review: "
                "submit it, or ask the programme officer to withdraw you.",
                "You accepted to review %(count)s applications and have not submitted your "
                "reviews: submit them, or ask the programme officer to withdraw you.",
                count,
            )
            % {"count": count}
        )
    consensuses = Consensus.objects.filter(rapporteur=user, state=Consensus.State.DRAFTING).count()
    if consensuses:
        obstacles.append(
            ngettext(
                "You are the rapporteur of a consensus report still to write: write it, or "
                "ask the programme officer to name another rapporteur.",
                "You are the rapporteur of %(count)s consensus reports still to write: write "
                "them, or ask the programme officer to name another rapporteur.",
                consensuses,
            )
            % {"count": consensuses}
        )
    return obstacles


def _erase(user: User) -> None:
    """Invitations still unanswered are declined, and the officers told to assign someone
    else."""
    for assignment in Assignment.objects.filter(reviewer=user, state=Assignment.State.INVITED):
        services.decline(assignment, by=None, reason=_("Account deleted."))


HOLDER = Holder("review", collect=_collect, obstacles=_obstacles, erase=_erase)
