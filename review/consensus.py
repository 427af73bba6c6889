"""The consensus of a dossier's reviews, written by a rapporteur among its reviewers.

The officer names the rapporteur (:func:`name_rapporteur`), or the portal does when the last
review of a dossier comes in and its reviewers disagree (:func:`name_automatically`, the
ranking's own disagreement flag). The rapporteur writes a score and a comment per criterion
and an overall comment, starting from the individual reviews side by side
(:func:`save_draft`), and submits it (:func:`submit`); the officer sends it back with a reason
(:func:`send_back`) or approves it (:func:`approve`): from then on the dossier's standing is
the consensus's total (``review.ranking.refresh_standings``). Every step writes the
consensus's history; naming again while it is written is a note in it.
"""

from decimal import Decimal

import rules
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.models import Application
from applications.services import officers_of
from portal.emails import send_to_user
from portal.models import User
from portal.transitions import Problem, TransitionRefused, note, perform, record_creation
from review import ranking, services
from review.models import Assignment, Consensus, ConsensusScore, Review

# A consensus is named, written and approved on a dossier fully reviewed that the jury has
# not yet proposed or not: before, reviews are missing; after, it would change nothing.
OPEN_TO_CONSENSUS = (Application.State.REVIEWED, Application.State.SHORTLISTED)

# The steps this module writes in a consensus's history (``portal.transitions.note``);
# ``apps.py`` registers them in ``portal.transitions.NOTE_NAMES``.
NOTES = {"rapporteur_changed": gettext_lazy("rapporteur changed")}


def eligible_rapporteurs(application: Application):
    """The dossier's reviewers who may write its consensus: an accepted assignment with a
    submitted review, still in the programme's pool; the first assigned first."""
    return (
        services.reviewer_pool(application.call.programme_id)
        .filter(
            assignments__application=application,
            assignments__state=Assignment.State.ACCEPTED,
            assignments__review__state=Review.State.SUBMITTED,
        )
        .order_by("assignments__assigned_at", "assignments__pk")
    )


def _open_problems(application: Application) -> list[str]:
    state = Application.objects.filter(pk=application.pk).values_list("state", flat=True)[0]
    if state in OPEN_TO_CONSENSUS:
        return []
    return [_("A consensus is written on a reviewed application the jury has not decided on.")]


def _name(application: Application, rapporteur: User, *, by: User | None) -> Consensus:
    consensus = Consensus.objects.create(
        application=application, rapporteur=rapporteur, named_by=by
    )
    record_creation(consensus, by=by, comment=str(rapporteur))
    send_to_user(rapporteur, "review/emails/consensus_named", {"consensus": consensus})
    return consensus


def name_rapporteur(application: Application, *, by: User, rapporteur: User) -> Consensus:
    """The officer names the dossier's rapporteur among its reviewers; naming another while
    the consensus is written hands it over (the draft stays), never once submitted."""
    if not rules.has_perm("review.manage_consensus", by, application):
        raise PermissionError("name_rapporteur")
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        problems = _open_problems(application)
        if not eligible_rapporteurs(application).filter(pk=rapporteur.pk).exists():
            problems.append(
                Problem(
                    _("%(name)s has not submitted a review of this application.")
                    % {"name": rapporteur},
                    "rapporteur",
                )
            )
        if problems:
            raise TransitionRefused(problems)
        consensus = Consensus.objects.filter(application=application).first()
        if consensus is None:
            return _name(application, rapporteur, by=by)
        if consensus.state != Consensus.State.DRAFTING:
            raise TransitionRefused(
                [_("The consensus is submitted: its rapporteur can no longer change.")]
            )
        if consensus.rapporteur_id == rapporteur.pk:
            return consensus
        Consensus.objects.filter(pk=consensus.pk).update(
            rapporteur=rapporteur, named_by=by, named_at=timezone.now()
        )
        consensus.refresh_from_db()
        note(consensus, "rapporteur_changed", by=by, comment=str(rapporteur))
        send_to_user(rapporteur, "review/emails/consensus_named", {"consensus": consensus})
        return consensus


def name_automatically(application: Application) -> Consensus | None:
    """Name a rapporteur for a dossier just fully reviewed whose reviewers disagree (the
    ranking's flag, read from the scores: its standing is refreshed after commit): the
    eligible reviewer with the fewest consensuses to write, the first assigned on a tie.
    None without a disagreement, when a consensus exists or no reviewer is eligible."""
    if Consensus.objects.filter(application=application).exists():
        return None
    if not ranking.disagree(application):
        return None
    rapporteur = (
        eligible_rapporteurs(application)
        .annotate(
            to_write=Count(
                "consensuses",
                filter=Q(consensuses__state=Consensus.State.DRAFTING),
                distinct=True,
            )
        )
        .order_by("to_write", "assignments__assigned_at", "assignments__pk")
        .first()
    )
    if rapporteur is None:
        return None
    consensus = _name(application, rapporteur, by=None)
    for officer in officers_of(application):
        send_to_user(officer, "review/emails/consensus_named_by_portal", {"consensus": consensus})
    return consensus


def _locked(consensus: Consensus, by: User, perm: str) -> Consensus:
    locked = (
        Consensus.objects.select_for_update().select_related("application").get(pk=consensus.pk)
    )
    if not rules.has_perm(perm, by, locked):
        raise PermissionError(perm)
    return locked


def save_draft(
    consensus: Consensus,
    values: dict[int, tuple[Decimal | None, str]],
    *,
    overall_comment: str,
    by: User,
) -> None:
    """The rapporteur saves the consensus as it stands (``values``: criterion id -> (score,
    comment)), checked like a review's draft; only while it is written."""
    with transaction.atomic():
        locked = _locked(consensus, by, "review.write_consensus")
        if locked.state != Consensus.State.DRAFTING:
            raise TransitionRefused(
                [_("This consensus is submitted and can no longer be changed.")]
            )
        problems = _open_problems(locked.application)
        problems += services.grid_problems(locked.application.call, values, final=False)
        if problems:
            raise TransitionRefused(problems)
        for criterion_pk, (value, comment) in values.items():
            ConsensusScore.objects.update_or_create(
                consensus=locked,
                criterion_id=criterion_pk,
                defaults={"value": value, "comment": comment},
            )
        locked.overall_comment = overall_comment
        locked.save(update_fields=["overall_comment"])
        consensus.overall_comment = overall_comment


def submission_problems(consensus: Consensus) -> list[Problem]:
    """What the stored consensus lacks to be submitted: a score and a comment on every
    criterion (checked as a review's), and the overall comment."""
    call = consensus.application.call
    values = {s.criterion_id: (s.value, s.comment) for s in consensus.scores.all()}
    problems = services.grid_problems(call, values, final=True)
    for criterion in call.criteria.all():
        value, comment = values.get(criterion.pk, (None, ""))
        if value is not None and not comment.strip():
            problems.append(
                Problem(
                    _("Explain the consensus on “%(criterion)s”.") % {"criterion": criterion.title},
                    f"comment_{criterion.pk}",
                )
            )
    if not consensus.overall_comment.strip():
        problems.append(Problem(_("Write the overall comment."), "overall_comment"))
    return problems


def submit(consensus: Consensus, *, by: User) -> None:
    """The rapporteur submits the consensus; the officers are told."""

    def check():
        return _open_problems(consensus.application) + submission_problems(consensus)

    with transaction.atomic():
        perform(consensus, "submit", by=by, check=check)
        for officer in officers_of(consensus.application):
            send_to_user(officer, "review/emails/consensus_submitted", {"consensus": consensus})


def send_back(consensus: Consensus, *, by: User, reason: str) -> None:
    """The officer sends the consensus back to its rapporteur, saying why."""

    def check():
        return [] if reason.strip() else [Problem(_("Say what to change."), "reason")]

    with transaction.atomic():
        perform(consensus, "send_back", by=by, comment=reason, check=check)
        send_to_user(
            consensus.rapporteur,
            "review/emails/consensus_sent_back",
            {"consensus": consensus, "reason": reason},
        )


def approve(consensus: Consensus, *, by: User) -> None:
    """The officer approves the consensus: the dossier is ranked on it from now on."""

    def check():
        return _open_problems(consensus.application) + submission_problems(consensus)

    with transaction.atomic():
        perform(consensus, "approve", by=by, check=check)
        ranking.refresh_after_commit([consensus.application_id])
        send_to_user(
            consensus.rapporteur, "review/emails/consensus_approved", {"consensus": consensus}
        )


def side_by_side(consensus: Consensus) -> tuple[list[Review], list[tuple]]:
    """The dossier's submitted reviews, the first assigned first, and per criterion of the
    call: (criterion, the reviews' scores in that order — None where missing — and the
    consensus's own score). Three queries whatever the number of reviewers."""
    reviews = list(
        Review.objects.filter(
            assignment__application=consensus.application_id,
            assignment__state=Assignment.State.ACCEPTED,
            state=Review.State.SUBMITTED,
        )
        .select_related("assignment__reviewer")
        .prefetch_related("scores")
        .order_by("assignment__assigned_at", "assignment__pk")
    )
    own = {score.criterion_id: score for score in consensus.scores.all()}
    lines = []
    for criterion in consensus.application.call.criteria.all():
        scores = [
            next((s for s in review.scores.all() if s.criterion_id == criterion.pk), None)
            for review in reviews
        ]
        lines.append((criterion, scores, own.get(criterion.pk)))
    return reviews, lines
