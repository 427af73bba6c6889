"""The evaluation summary of a dossier that reached review: what the applicant is told of
its evaluation, without the reviewers' names.

Per criterion of the call's grid, in its order: the score and its comments, the threshold
and whether it is met. The score is the approved consensus's (``ConsensusScore``) when the
dossier has one; otherwise the mean of the submitted reviews' scores, as the ranking computes
it (``ranking.results``, in SQL), with each reviewer's comment signed « Expert 1, 2… » in the
order they were assigned — never a name or an email. The overall score is the sum of weight * score,
the ranking's formula, out of the sum of weight * maximum.

The rank band is the quarter of the call's ranking the dossier's rank falls in
(:func:`band_of`): the ranks 1..count cut into four consecutive groups as equal as possible
(sizes differ by one at most), so that « first quarter: ranks 1 to 5 of 18 » says where the
dossier stands without giving away the order of the others. With fewer than four ranked
dossiers some quarters are empty, and the report gives the rank alone. The funding line is
the ranking page's: the dossier is above it when the running sum of the amounts requested,
from the top of the ranking down to it, stays within the call's budget (dossiers under a
threshold use up none of it).
"""

from dataclasses import dataclass
from decimal import Decimal

from applications.models import Application
from review import ranking
from review.models import Assignment, Consensus, Decision, Proposal, Review, Score

QUARTERS = 4


@dataclass(frozen=True)
class Band:
    """The ``quarter`` (1 to 4) of a ranking of ``count`` dossiers, holding the ranks
    ``first`` to ``last``."""

    quarter: int
    first: int
    last: int
    count: int


def band_of(rank: int, count: int) -> Band:
    """The quarter of a ranking of ``count`` dossiers that ``rank`` (1 = best) falls in.
    Quarter q holds the ranks r with (q - 1) * count / 4 < r <= q * count / 4 rounded up:
    18 dossiers give 1 to 5, 6 to 9, 10 to 14, 15 to 18."""
    if not 1 <= rank <= count:
        raise ValueError(f"rank {rank} is not within 1..{count}")
    quarter = QUARTERS * (rank - 1) // count + 1

    def last_of(q: int) -> int:
        return -(-q * count // QUARTERS)  # ceil(q * count / 4), in integers

    return Band(quarter=quarter, first=last_of(quarter - 1) + 1, last=last_of(quarter), count=count)


@dataclass(frozen=True)
class Comment:
    """A comment on the dossier: by the expert numbered ``expert`` (1, 2…), or the
    consensus's when ``expert`` is None."""

    expert: int | None
    text: str


@dataclass(frozen=True)
class CriterionResult:
    code: str
    title: str
    max_score: Decimal
    weight: Decimal
    threshold: Decimal | None
    score: Decimal | None  # None: no score was given on this criterion
    met: bool | None  # None: the criterion has no threshold
    comments: tuple[Comment, ...]


@dataclass(frozen=True)
class EvaluationSummary:
    """What :func:`summary_of` tells of a dossier's evaluation (see the module docstring)."""

    application: Application
    criteria: tuple[CriterionResult, ...]
    from_consensus: bool
    overall_comment: str  # the consensus's; empty without one
    overall: Decimal | None  # None: not a single score
    overall_max: Decimal
    reviews: int  # submitted reviews
    rank: int | None  # None: not in the ranking (not reviewed yet)
    ranked: int  # dossiers in the call's ranking
    band: Band | None
    below_threshold: bool
    budget: Decimal
    running_requested: Decimal | None
    within_budget: bool | None  # above the funding line; None when not ranked
    proposed: bool | None  # the jury's proposal; None while it has made none
    granted: bool | None  # the ministerial decision; None before it

    @property
    def thresholds_met(self) -> bool:
        return not any(result.met is False for result in self.criteria)


def _consensus_scores(application: Application) -> tuple[Consensus | None, dict]:
    consensus = (
        Consensus.objects.filter(application=application, state=Consensus.State.APPROVED)
        .prefetch_related("scores")
        .first()
    )
    if consensus is None:
        return None, {}
    return consensus, {score.criterion_id: score for score in consensus.scores.all()}


def _expert_comments(application: Application) -> tuple[int, dict]:
    """How many reviews are submitted, and per criterion id the comments of their
    reviewers, numbered by the order of their assignments (the same number on every
    criterion); only the comments and that order are read, never who wrote them."""
    order = list(
        Assignment.objects.filter(application=application, review__state=Review.State.SUBMITTED)
        .order_by("assigned_at", "pk")
        .values_list("pk", flat=True)
    )
    number = {pk: n for n, pk in enumerate(order, start=1)}
    comments: dict[int, list[Comment]] = {}
    scores = (
        Score.objects.filter(review__assignment__in=order, review__state=Review.State.SUBMITTED)
        .exclude(comment="")
        .values_list("criterion_id", "review__assignment_id", "comment")
    )
    for criterion_id, assignment_id, comment in scores:
        comments.setdefault(criterion_id, []).append(Comment(number[assignment_id], comment))
    for listed in comments.values():
        listed.sort(key=lambda c: c.expert)
    return len(order), comments


def summary_of(application: Application) -> EvaluationSummary:
    """The evaluation summary of ``application``, in a bounded number of queries whatever
    the size of the call or the number of reviews."""
    call = application.call
    cols = ranking.columns(call)
    line = ranking.line(application, cols)
    # The ranking page's own layout of the line: the means per criterion and the funding
    # line, read as the ranking reads them.
    laid = ranking.laid_out(call, cols, [line])[0] if line else None
    means = {col.criterion.pk: mean for mean, _spread, col in laid.cells} if laid else {}
    consensus, agreed = _consensus_scores(application)
    reviews, expert_comments = _expert_comments(application)
    results = []
    for col in cols:
        criterion = col.criterion
        if consensus:
            agreed_score = agreed.get(criterion.pk)
            score = agreed_score.value if agreed_score else None
            text = agreed_score.comment.strip() if agreed_score else ""
            comments = (Comment(None, text),) if text else ()
        else:
            score = means.get(criterion.pk)
            comments = tuple(expert_comments.get(criterion.pk, ()))
        met = None
        if criterion.threshold is not None:
            met = score is not None and score >= criterion.threshold
        results.append(
            CriterionResult(
                code=criterion.code,
                title=criterion.title,
                max_score=criterion.max_score,
                weight=criterion.weight,
                threshold=criterion.threshold,
                score=score,
                met=met,
                comments=comments,
            )
        )
    scored = [r for r in results if r.score is not None]
    overall = sum((r.weight * r.score for r in scored), Decimal(0)) if scored else None
    count = line["out_of"] if line else 0
    proposal = Proposal.objects.filter(application=application).first()
    decision = Decision.objects.filter(application=application).first()
    return EvaluationSummary(
        application=application,
        criteria=tuple(results),
        from_consensus=consensus is not None,
        overall_comment=consensus.overall_comment.strip() if consensus else "",
        overall=overall,
        overall_max=sum((r.weight * r.max_score for r in results), Decimal(0)),
        reviews=reviews,
        rank=laid.rank if laid else None,
        ranked=count,
        band=band_of(laid.rank, count) if laid else None,
        below_threshold=any(r.met is False for r in results),
        budget=call.budget,
        running_requested=laid.running_requested if laid else None,
        within_budget=laid.within_budget if laid else None,
        proposed=None if proposal is None else proposal.proposed,
        granted=None if decision is None else decision.granted,
    )
