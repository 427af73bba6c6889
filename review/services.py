"""Assigning reviewers, reviewing, the jury's proposals and the ministerial decisions."""

import logging
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.template.defaultfilters import floatformat
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications import mailings
from applications.models import Application, Letter, Mailing
from applications.services import members_of, officers_of, recipient_language
from applications.signals import application_granted
from portal.emails import send_to_user
from portal.models import User
from portal.roles import Role
from portal.transitions import Problem, TransitionRefused, perform, record_creation
from review import pdf, ranking
from review.models import (
    Assignment,
    Decision,
    Hearing,
    JurySession,
    Proposal,
    Review,
    Score,
)
from review.rules import jury_is_open

logger = logging.getLogger(__name__)


def reviewer_pool(programme):
    """The reviewers of a programme, active accounts only."""
    return User.objects.filter(
        programme_roles__programme=programme,
        programme_roles__role=Role.REVIEWER,
        is_active=True,
    ).distinct()


def reviewers_with_workload(programme):
    """The programme's reviewers, each annotated with ``workload``: the assignments they
    have not finished (invited, or accepted without a submitted review)."""
    unfinished = Q(
        assignments__state__in=[Assignment.State.INVITED, Assignment.State.ACCEPTED]
    ) & ~Q(assignments__review__state=Review.State.SUBMITTED)
    return (
        reviewer_pool(programme)
        .annotate(workload=Count("assignments", filter=unfinished, distinct=True))
        .order_by("full_name")
    )


@transaction.atomic
def save_criteria(formset) -> None:
    """Save the call's scoring grid (a ``CriterionFormSet``) and recompute, after commit,
    the standings that read it. The criteria page freezes the grid once a score exists, so
    this matters for reviews submitted on an empty grid, whose standings a new threshold
    changes."""
    formset.save()
    ranking.refresh_call_after_commit(formset.instance)


@transaction.atomic
def assign(applications, reviewers, *, by: User, due_at=None) -> list[Assignment]:
    """Invite each reviewer on each dossier (once), with the assignment's first history row;
    reviewers must be in the programme's pool and the dossiers admissible or in review."""
    created = []
    for application in applications:
        if application.state not in (Application.State.ADMISSIBLE, Application.State.IN_REVIEW):
            raise TransitionRefused(
                [_("%(reference)s is not open to review.") % {"reference": application.reference}]
            )
        pool = set(reviewer_pool(application.call.programme_id).values_list("pk", flat=True))
        members = set(members_of(application).values_list("pk", flat=True))
        # The reviewers of an evaluation set aside by an upheld complaint (review.redress).
        earlier = set(
            application.assignments.filter(state=Assignment.State.SUPERSEDED).values_list(
                "reviewer_id", flat=True
            )
        )
        for reviewer in reviewers:
            if reviewer.pk not in pool:
                raise TransitionRefused(
                    [_("%(name)s is not a reviewer of this programme.") % {"name": reviewer}]
                )
            if reviewer.pk in members:
                raise TransitionRefused(
                    [_("%(name)s belongs to the applicant organisation.") % {"name": reviewer}]
                )
            if reviewer.pk in earlier:
                raise TransitionRefused(
                    [
                        _("%(name)s reviewed this application before the complaint.")
                        % {"name": reviewer}
                    ]
                )
            assignment, new = Assignment.objects.get_or_create(
                application=application,
                reviewer=reviewer,
                defaults={"assigned_by": by, "due_at": due_at},
            )
            if new:
                record_creation(assignment, by=by)
                created.append(assignment)
                send_to_user(reviewer, "review/emails/invited", {"assignment": assignment})
    return created


OPEN_TO_REVIEW = (Application.State.ADMISSIBLE, Application.State.IN_REVIEW)


def _review_still_open(assignment: Assignment) -> list[str]:
    state = Application.objects.filter(pk=assignment.application_id).values_list(
        "state", flat=True
    )[0]
    return [] if state in OPEN_TO_REVIEW else [_("The review of this application is closed.")]


def accept(assignment: Assignment, *, by: User, declaration: str) -> None:
    """The reviewer accepts, declaring no conflict; with enough acceptances the review starts."""
    with transaction.atomic():
        perform(
            assignment,
            "accept",
            by=by,
            comment=declaration,
            check=lambda: _review_still_open(assignment),
        )
        application = Application.objects.select_for_update().get(pk=assignment.application_id)
        accepted = application.assignments.filter(state=Assignment.State.ACCEPTED).count()
        if (
            application.state == Application.State.ADMISSIBLE
            and accepted >= application.call.reviews_per_dossier
        ):
            perform(application, "start_review", by=None, system=True)


def decline(assignment: Assignment, *, by: User | None, reason: str = "") -> None:
    """The reviewer declines (``by`` is None when the portal declines for them, as when they
    delete their account); the officers are asked to assign someone else."""
    with transaction.atomic():
        perform(assignment, "decline", by=by, comment=reason, system=by is None)
        for officer in officers_of(assignment.application):
            send_to_user(officer, "review/emails/reassign", {"assignment": assignment})


def declare_conflict(assignment: Assignment, *, by: User, reason: str) -> None:
    """The reviewer declares a conflict of interest; they lose access to the dossier."""
    with transaction.atomic():
        perform(
            assignment,
            "declare_conflict",
            by=by,
            comment=reason,
            check=lambda: [] if reason.strip() else [_("Describe the conflict of interest.")],
        )
        for officer in officers_of(assignment.application):
            send_to_user(officer, "review/emails/reassign", {"assignment": assignment})


def score_problems(assignment: Assignment, values: dict, *, final: bool) -> list[Problem]:
    """What is wrong with these scores: out of range, half points, missing, no comment
    under a threshold (the last two only when submitting), each on its field of the
    ``ReviewForm``."""
    return grid_problems(assignment.application.call, values, final=final)


def grid_problems(call, values: dict, *, final: bool) -> list[Problem]:
    """:func:`score_problems` against the call's grid, for a review or a consensus
    (``values``: criterion id -> (score, comment)); fields ``score_<id>``, ``comment_<id>``."""
    problems = []
    half_points = call.half_points
    for criterion in call.criteria.all():
        value, comment = values.get(criterion.pk, (None, ""))
        if value is None:
            if final:
                problems.append(
                    Problem(
                        _("Score “%(criterion)s”.") % {"criterion": criterion.title},
                        f"score_{criterion.pk}",
                    )
                )
            continue
        step = Decimal("0.5") if half_points else Decimal("1")
        if not (0 <= value <= criterion.max_score) or value % step:
            problems.append(
                Problem(
                    _("“%(criterion)s”: give a score from 0 to %(max)s in steps of %(step)s.")
                    % {
                        "criterion": criterion.title,
                        "max": floatformat(criterion.max_score, -1),
                        "step": floatformat(step, -1),
                    },
                    f"score_{criterion.pk}",
                )
            )
        elif (
            final
            and criterion.threshold is not None
            and value < criterion.threshold
            and not comment.strip()
        ):
            problems.append(
                Problem(
                    _("“%(criterion)s”: explain a score under the threshold of %(threshold)s.")
                    % {
                        "criterion": criterion.title,
                        "threshold": floatformat(criterion.threshold, -1),
                    },
                    f"comment_{criterion.pk}",
                )
            )
    return problems


@transaction.atomic
def save_review(
    assignment: Assignment,
    values: dict,
    *,
    overall_comment: str,
    recommendation: str,
    by: User,
) -> Review:
    """Save the reviewer's draft scores; ``values`` maps criterion ids to (score, comment)."""
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.state != Assignment.State.ACCEPTED or locked.reviewer_id != by.pk:
        raise TransitionRefused([_("This assignment cannot be scored.")])
    closed = _review_still_open(locked)
    if closed:
        raise TransitionRefused(closed)
    review, _created = Review.objects.get_or_create(assignment=locked)
    if review.state != Review.State.DRAFT:
        raise TransitionRefused([_("This review is submitted and can no longer be changed.")])
    problems = score_problems(locked, values, final=False)
    if problems:
        raise TransitionRefused(problems)
    for criterion_pk, (value, comment) in values.items():
        Score.objects.update_or_create(
            review=review, criterion_id=criterion_pk, defaults={"value": value, "comment": comment}
        )
    review.overall_comment = overall_comment
    review.recommendation = recommendation
    review.save(update_fields=["overall_comment", "recommendation"])
    return review


def submit_review(review: Review, *, by: User) -> None:
    """Lock the review; once every accepted reviewer has submitted, the dossier is reviewed."""
    values = {s.criterion_id: (s.value, s.comment) for s in review.scores.all()}

    def check():
        problems = _review_still_open(review.assignment)
        problems += score_problems(review.assignment, values, final=True)
        if not review.recommendation:
            problems.append(Problem(_("Give your recommendation."), "recommendation"))
        return problems

    with transaction.atomic():
        perform(review, "submit", by=by, check=check)
        application = Application.objects.select_for_update().get(
            pk=review.assignment.application_id
        )
        accepted = application.assignments.filter(state=Assignment.State.ACCEPTED)
        pending = accepted.exclude(review__state=Review.State.SUBMITTED)
        if application.state == Application.State.IN_REVIEW and not pending.exists():
            perform(application, "complete_review", by=None, system=True)
            # Imported here: the consensus module builds on this one.
            from review import consensus

            consensus.name_automatically(application)
        ranking.refresh_after_commit([application.pk])


def closed_jury(call) -> JurySession | None:
    """The call's jury once it is closed (when, by whom, its minutes); None while open."""
    return (
        JurySession.objects.filter(call=call, state=JurySession.State.CLOSED)
        .select_related("closed_by")
        .first()
    )


def jury_of(call) -> JurySession | None:
    """The call's jury, open or closed, with who closed it; None before it sat."""
    return JurySession.objects.filter(call=call).select_related("closed_by").first()


def earlier_sittings(jury: JurySession | None) -> list[dict]:
    """The jury's sittings before an upheld complaint reconvened it, oldest first: their
    number (``n``), when (``closed_at``) and by whom (``closed_by``) each was closed."""
    if jury is None:
        return []
    return [
        {
            "n": n,
            "closed_at": parse_datetime(sitting["closed_at"]) if sitting["closed_at"] else None,
            "closed_by": sitting["closed_by"],
        }
        for n, sitting in enumerate(jury.earlier_minutes, start=1)
    ]


def jury_is_closed(call) -> bool:
    return closed_jury(call) is not None


def proposal_counts(call) -> dict[str, int]:
    """How many proposals the jury has made on the call (``made``), and how many of them
    for funding (``proposed``), in one query."""
    return Proposal.objects.filter(application__call=call).aggregate(
        made=Count("pk"), proposed=Count("pk", filter=Q(proposed=True))
    )


def proposal_problems(
    call, row: dict | None, *, by: User, proposed: bool, rationale: str
) -> list[Problem]:
    """Why the jury may not make this proposal: the jury already closed, no rationale, or a
    dossier proposed that is under a threshold or without a score (``row``: its line of the
    ranking; None when it is not ranked)."""
    problems = []
    if not jury_is_open(by, call):
        problems.append(Problem(_("The jury of this call is closed: its proposals are final.")))
    if not rationale.strip():
        problems.append(Problem(_("Give the jury's rationale."), "rationale"))
    if proposed and (row is None or row["unscored"]):
        problems.append(
            Problem(
                _("An application without a score in the ranking cannot be proposed."),
                "proposed",
            )
        )
    elif proposed and row["below_threshold"]:
        problems.append(
            Problem(
                _("An application under a criterion's threshold cannot be proposed."), "proposed"
            )
        )
    return problems


def stage_problems(application: Application) -> list[Problem]:
    """Why the jury may not make its final proposal on this dossier yet: on a call with a
    shortlist, it is made among the shortlisted dossiers whose hearing is recorded (held or
    missed); a reviewed dossier is first shortlisted or left off (``review.shortlist``). On
    other calls, nothing."""
    if not application.call.shortlist_with_hearings:
        return []
    if application.state == Application.State.REVIEWED:
        return [
            Problem(
                _("On this call, the jury first shortlists the application or leaves it off."),
                "proposed",
            )
        ]
    held = Hearing.objects.filter(application=application, state__in=Hearing.DONE).exists()
    if application.state == Application.State.SHORTLISTED and not held:
        return [
            Problem(
                _("The jury makes its proposal once the applicant's hearing is recorded."),
                "proposed",
            )
        ]
    return []


def propose(application: Application, *, by: User, proposed: bool, rationale: str) -> Proposal:
    """Record the jury's proposal with the ranking as it stands now; on a call with a
    shortlist, among the shortlisted whose hearing is recorded (:func:`stage_problems`)."""
    call = application.call
    taken = {}

    def check():
        # Read once perform has locked the dossier, so that its line of the ranking and
        # the transition see the same state; with the standings this transaction changed.
        ranking.refresh_pending()
        taken["snapshot"] = ranking.snapshot(call)
        row = next((r for r in taken["snapshot"] if r["reference"] == application.reference), None)
        return stage_problems(application) + proposal_problems(
            call, row, by=by, proposed=proposed, rationale=rationale
        )

    with transaction.atomic():
        perform(
            application,
            "propose" if proposed else "not_propose",
            by=by,
            comment=rationale,
            check=check,
        )
        return Proposal.objects.create(
            application=application,
            proposed=proposed,
            rationale=rationale,
            ranking_snapshot=taken["snapshot"],
            decided_by=by,
        )


def _announce_grant(application: Application, by: User) -> None:
    """Tell the listeners (the labels app) about a committed grant; a failing listener is
    logged and never undoes the decision."""
    decided_at = Decision.objects.get(application=application).decided_at
    for receiver, error in application_granted.send_robust(
        sender=Application,
        application=application,
        decided_by=by,
        granted_on=timezone.localdate(decided_at),
    ):
        if isinstance(error, Exception):
            logger.error("application_granted receiver %r failed", receiver, exc_info=error)


def granted_total(call) -> Decimal:
    return Decision.objects.filter(application__call=call, granted=True).aggregate(
        total=Sum("amount")
    )["total"] or Decimal(0)


def decision_problems(
    application: Application, *, granted: bool, amount=None, reason: str = ""
) -> list[Problem]:
    """Why this decision may not be recorded: a refusal without its reason, a grant
    without an amount or above the amount requested or the call's maximum."""
    if not granted:
        return [] if reason.strip() else [Problem(_("Give the reason for the refusal."), "reason")]
    if amount is None or amount <= 0:
        return [Problem(_("Give the amount granted."), "amount")]
    problems = []
    if application.requested_amount is not None and amount > application.requested_amount:
        problems.append(Problem(_("The amount granted exceeds the amount requested."), "amount"))
    if amount > application.call.max_amount:
        problems.append(
            Problem(_("The amount granted exceeds the call's maximum per application."), "amount")
        )
    return problems


def decide(
    application: Application, *, by: User, granted: bool, amount=None, reason: str = ""
) -> Decision:
    """The ministerial decision, its letter and emails; a grant sends ``application_granted``
    after commit (the labels app issues the label)."""

    def check():
        return decision_problems(application, granted=granted, amount=amount, reason=reason)

    with transaction.atomic():
        perform(application, "grant" if granted else "refuse", by=by, comment=reason, check=check)
        decision = Decision.objects.create(
            application=application,
            granted=granted,
            amount=amount if granted else None,
            reason=reason,
            decided_by=by,
        )
        if granted:
            # The grant letter names the label and its first report, which the labels and
            # reporting apps issue when told of the committed grant.
            transaction.on_commit(lambda: _announce_grant(application, by))
            transaction.on_commit(lambda: _write_decision_letter(application, decision))
        else:
            _write_decision_letter(application, decision)
        # The call's decisions are announced together: staff send its mailing.
        message = "review/emails/decision_" + ("granted" if granted else "refused")
        for member in members_of(application):
            mailings.add(
                application.call,
                Mailing.Kind.DECISIONS,
                member,
                application,
                message,
                {"decision": decision},
            )
    return decision


def _write_decision_letter(application: Application, decision: Decision) -> Letter:
    """Draw the decision letter in the applicant's language and keep it on the dossier,
    issued at the moment of the decision. Read afresh: after commit, the decision may have
    been dated since (the demo dates its decisions as they happened)."""
    decision = Decision.objects.get(pk=decision.pk)
    with translation.override(recipient_language(application)):
        content = pdf.decision_letter(application, decision)
    letter = Letter(
        application=application, kind=Letter.Kind.DECISION, issued_at=decision.decided_at
    )
    letter.file.save(f"{application.reference}-decision.pdf", ContentFile(content), save=False)
    letter.save()
    return letter


def jury_awaiting(call):
    """The call's applications the jury has not yet dealt with: still in review, or
    reviewed without a proposal."""
    return call.applications.filter(
        state__in=[
            Application.State.ADMISSIBLE,
            Application.State.IN_REVIEW,
            Application.State.REVIEWED,
            Application.State.SHORTLISTED,
        ]
    )


def close_jury(call, *, by: User, members_present: str) -> JurySession:
    """Close the call's jury for good with the members present, and issue its minutes
    (members, the ranking at closing, each proposal and its rationale)."""

    def check():
        problems = []
        if not members_present.strip():
            problems.append(Problem(_("Name the members present."), "members_present"))
        awaiting = jury_awaiting(call).count()
        if awaiting:
            problems.append(
                Problem(
                    ngettext(
                        "%(count)s application still awaits its review or the jury's proposal.",
                        "%(count)s applications still await their review or the jury's proposal.",
                        awaiting,
                    )
                    % {"count": awaiting}
                )
            )
        elif not Proposal.objects.filter(application__call=call).exists():
            problems.append(Problem(_("The jury has made no proposal yet.")))
        return problems

    with transaction.atomic():
        ranking.refresh_pending()
        session, created = JurySession.objects.get_or_create(call=call)
        if created:
            record_creation(session, by=by)
        perform(session, "close", by=by, check=check, members_present=members_present.strip())
        content = pdf.jury_minutes(session)
        session.minutes.save(f"{call.slug}-jury.pdf", ContentFile(content), save=False)
        session.save(update_fields=["minutes"])
    return session
