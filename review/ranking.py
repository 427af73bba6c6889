"""The ranking of a call, computed in the database.

Per dossier and criterion: the mean and the spread (max - min) of submitted scores, as
aggregates over the dossier's scores read in one pass; the total sum of weight * mean;
threshold failures and disagreements as boolean expressions (:func:`results`). These are
kept per dossier in its :class:`~review.models.Standing`: reading every score of a call of
twenty thousand dossiers takes a second. Standings are refreshed explicitly, never by save
signals, by the operations that change what they read: a review submitted, the call's
criteria or disagreement tolerance changed, a consensus approved (:func:`refresh_after_commit`:
once per dossier per transaction, after it commits). A draft score changes nothing here. A
dossier whose consensus is approved is ranked on the consensus's scores instead of the means
(:func:`consensus_results`): its total and threshold failures come from them, its
disagreement flag stays the reviews' (it says why a consensus was written). The rank and the
running sum of requested amounts are window functions over the standings for the whole
ranking (:func:`ranked`); a page of it (:class:`Pages`) and a dossier's line (:func:`line`)
count the dossiers above them instead, without ranking the whole call. A constant number of
queries whatever the number of dossiers or reviews, on SQLite and PostgreSQL alike.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    Q,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RowRange
from django.db.models.functions import Coalesce, Round, RowNumber

from applications.models import Application, Call
from review.models import Consensus, ConsensusScore, Criterion, Review, Standing

RANKED_STATES = (
    Application.State.REVIEWED,
    Application.State.SHORTLISTED,
    Application.State.PROPOSED,
    Application.State.NOT_PROPOSED,
    Application.State.GRANTED,
    Application.State.REFUSED,
)
SCORE = DecimalField(max_digits=12, decimal_places=4)


@dataclass
class CriterionColumn:
    criterion: Criterion
    mean: str
    spread: str


def columns(call: Call) -> list[CriterionColumn]:
    return [
        CriterionColumn(criterion, f"mean_{criterion.pk}", f"spread_{criterion.pk}")
        for criterion in call.criteria.all()
    ]


def results(call: Call, cols: list[CriterionColumn] | None = None):
    """The call's dossiers annotated from their submitted scores: ``mean_<criterion id>``,
    ``spread_<criterion id>``, ``total``, ``below_threshold`` and ``disagreement``. Every
    score is read once, in one pass grouped by dossier."""
    cols = columns(call) if cols is None else cols
    score = "assignments__review__scores__value"
    annotations = {}
    for col in cols:
        submitted = Q(
            assignments__review__state="submitted",
            assignments__review__scores__criterion=col.criterion,
            **{f"{score}__isnull": False},
        )
        annotations[col.mean] = Avg(score, filter=submitted, output_field=SCORE)
        annotations[col.spread] = ExpressionWrapper(
            Max(score, filter=submitted) - Min(score, filter=submitted), output_field=SCORE
        )
    total = sum(
        (
            ExpressionWrapper(
                Value(col.criterion.weight) * Coalesce(F(col.mean), Value(Decimal(0))),
                output_field=SCORE,
            )
            for col in cols
        ),
        Value(Decimal(0), output_field=SCORE),
    )
    below = Q(pk__in=[])
    disagreement = Q(pk__in=[])
    for col in cols:
        if col.criterion.threshold is not None:
            below |= Q(**{f"{col.mean}__lt": col.criterion.threshold}) | Q(
                **{f"{col.mean}__isnull": True}
            )
        disagreement |= Q(**{f"{col.spread}__gt": call.disagreement_tolerance})
    return (
        call.applications.annotate(**annotations)
        .annotate(
            # Rounded in SQL so that PostgreSQL's long decimal means (3.9999…) tie with
            # exact ones.
            total=Round(ExpressionWrapper(total, output_field=SCORE), 4, output_field=SCORE),
            below_threshold=Case(
                When(below, then=True), default=False, output_field=BooleanField()
            ),
            disagreement=Case(
                When(disagreement, then=True), default=False, output_field=BooleanField()
            ),
        )
        .order_by()
    )


def disagree(application: Application) -> bool:
    """Whether the dossier's reviewers disagree, read from its submitted scores now (not
    from its standing, refreshed only after commit): the ranking's own flag."""
    row = results(application.call).filter(pk=application.pk).values("disagreement").first()
    return bool(row and row["disagreement"])


def consensus_results(call: Call, cols: list[CriterionColumn] | None = None):
    """The call's approved consensuses, annotated like :func:`results` from the consensus's
    scores: ``total`` (the sum of weight * score) and ``below_threshold`` (a score under a
    threshold, or missing where there is one). One row per consensus, in one query."""
    cols = columns(call) if cols is None else cols
    annotations = {}
    for col in cols:
        annotations[col.mean] = Max(
            "scores__value", filter=Q(scores__criterion=col.criterion), output_field=SCORE
        )
    total = sum(
        (
            ExpressionWrapper(
                Value(col.criterion.weight) * Coalesce(F(col.mean), Value(Decimal(0))),
                output_field=SCORE,
            )
            for col in cols
        ),
        Value(Decimal(0), output_field=SCORE),
    )
    below = Q(pk__in=[])
    for col in cols:
        if col.criterion.threshold is not None:
            below |= Q(**{f"{col.mean}__lt": col.criterion.threshold}) | Q(
                **{f"{col.mean}__isnull": True}
            )
    return (
        Consensus.objects.filter(application__call=call, state=Consensus.State.APPROVED)
        .annotate(**annotations)
        .annotate(
            total=Round(ExpressionWrapper(total, output_field=SCORE), 4, output_field=SCORE),
            below_threshold=Case(
                When(below, then=True), default=False, output_field=BooleanField()
            ),
        )
        .order_by()
    )


def refresh_standings(applications) -> None:
    """Recompute the :class:`~review.models.Standing` of ``applications`` (a queryset or
    ids of dossiers, of any calls) from their submitted scores, or from their approved
    consensus."""
    ids = set(Application.objects.filter(pk__in=applications).values_list("pk", flat=True))
    for call in Call.objects.filter(applications__pk__in=ids).distinct():
        cols = columns(call)
        figures = (
            results(call, cols)
            .filter(pk__in=ids)
            .values_list("pk", "total", "below_threshold", "disagreement")
        )
        agreed = {
            pk: (total, below)
            for pk, total, below in consensus_results(call, cols)
            .filter(application__in=ids)
            .values_list("application", "total", "below_threshold")
        }
        standings = []
        for pk, total, below, apart in figures:
            if pk in agreed:
                total, below = agreed[pk]
            standings.append(
                Standing(
                    application_id=pk,
                    total=total,
                    below_threshold=below,
                    disagreement=apart,
                    consensus=pk in agreed,
                )
            )
        Standing.objects.bulk_create(
            standings,
            batch_size=2_000,
            update_conflicts=True,
            unique_fields=["application"],
            update_fields=["total", "below_threshold", "disagreement", "consensus"],
        )


@dataclass
class _PendingRefresh:
    """The dossiers whose standings the current transaction will refresh when it commits:
    registered once per transaction with ``on_commit``, it lives and dies with it (a
    rolled-back transaction drops it, and with it the dossiers it named)."""

    ids: set[int] = field(default_factory=set)
    committed: bool = False

    def run(self) -> None:
        ids, self.ids = self.ids, set()
        if ids:
            refresh_standings(ids)

    def on_commit(self) -> None:
        self.committed = True
        self.run()


def _pending() -> _PendingRefresh | None:
    """This transaction's refresh, if it has one still to run."""
    for _savepoints, func, _robust in transaction.get_connection().run_on_commit:
        pending = getattr(func, "__self__", None)
        if isinstance(pending, _PendingRefresh) and not pending.committed:
            return pending
    return None


def refresh_after_commit(application_ids: Iterable[int]) -> None:
    """Refresh the standings of these dossiers once the current transaction commits (at once
    outside a transaction). Dossiers named several times in one transaction are refreshed
    once, together: one query per call. A failed refresh is logged and undoes nothing."""
    ids = set(application_ids)
    if not ids:
        return
    pending = _pending() if transaction.get_connection().in_atomic_block else None
    if pending is None:
        # Outside a transaction, on_commit runs it at once.
        transaction.on_commit(_PendingRefresh(ids).on_commit, robust=True)
    else:
        pending.ids |= ids


def refresh_pending() -> None:
    """Refresh now the standings this transaction would refresh when it commits: for an
    operation that reads the ranking after changing it in the same transaction (the jury's
    proposal and minutes, the demo)."""
    pending = _pending()
    if pending is not None:
        pending.run()


def refresh_call_after_commit(call: Call) -> None:
    """The call's grid or tolerance changed: refresh, after commit, the standing of every
    dossier that has one or has a submitted review (the others have none to refresh; the
    ranking reads them as unscored)."""
    refresh_after_commit(
        call.applications.filter(
            Q(standing__isnull=False)
            | Q(
                pk__in=Review.objects.filter(state=Review.State.SUBMITTED).values(
                    "assignment__application"
                )
            )
        ).values_list("pk", flat=True)
    )


def tolerance_changed(sender, *, call: Call, **kwargs) -> None:
    """Receiver of ``applications.signals.call_tolerance_changed``: disagreements are
    flagged against the call's tolerance."""
    refresh_call_after_commit(call)


# A ranked dossier's total: its standing's, or 0 when no score was submitted.
STANDING_TOTAL = Coalesce(F("standing__total"), Value(Decimal(0)), output_field=SCORE)


# Best first; ties go to the earlier submission (a dossier never submitted, imported, after
# the others on every database), then to the older dossier: one order, never two rows equal.
ORDER = (F("total").desc(), F("submitted_at").asc(nulls_last=True), F("pk").asc())
# What a dossier takes from the call's budget: nothing under a threshold (it cannot be
# funded), else its requested amount.
COUNTED_REQUESTED = Case(
    When(below_threshold=True, then=Value(Decimal(0))),
    default=Coalesce(F("requested_amount"), Value(Decimal(0))),
    output_field=DecimalField(max_digits=14, decimal_places=2),
)


def standings(call: Call, cols: list[CriterionColumn] | None = None):
    """The call's reviewed dossiers, best first, annotated with ``total``,
    ``below_threshold``, ``disagreement``, ``unscored``, ``from_consensus`` (the total is an
    approved consensus's) and ``counted`` (what it takes from the budget) from their
    standings: the ranking without its rank and running sum."""
    cols = columns(call) if cols is None else cols
    # A dossier without a standing has no submitted score: each threshold fails.
    unscored_below = any(col.criterion.threshold is not None for col in cols)
    return (
        call.applications.filter(state__in=RANKED_STATES)
        .select_related("organisation")
        .annotate(
            total=STANDING_TOTAL,
            below_threshold=Coalesce(
                F("standing__below_threshold"), Value(unscored_below), output_field=BooleanField()
            ),
            disagreement=Coalesce(
                F("standing__disagreement"), Value(False), output_field=BooleanField()
            ),
            from_consensus=Coalesce(
                F("standing__consensus"), Value(False), output_field=BooleanField()
            ),
            # No standing: no submitted score ever counted; it cannot be proposed.
            unscored=ExpressionWrapper(Q(standing__isnull=True), output_field=BooleanField()),
        )
        .annotate(counted=COUNTED_REQUESTED)
        .order_by(*ORDER)
    )


def ranked(call: Call, cols: list[CriterionColumn] | None = None):
    """:func:`standings` with ``rank`` and ``running_requested`` (the sum of what the
    dossiers take from the budget, from the top down to this one), as window functions over
    the whole call: for the whole ranking (the jury's snapshot, the export). A page of it
    reads :class:`Pages`, a dossier's line :func:`line` (``laid_out`` adds the means and
    spreads per criterion and ``within_budget``)."""
    return standings(call, cols).annotate(
        rank=Window(RowNumber(), order_by=ORDER),
        running_requested=Window(Sum("counted"), order_by=ORDER, frame=RowRange(start=None, end=0)),
    )


def ranked_count(call: Call) -> int:
    """How many dossiers :func:`ranked` lists."""
    return call.applications.filter(state__in=RANKED_STATES).count()


# What the ranking gives each dossier, read alone (``figures``, ``Pages``, ``line``): the
# rows are sorted narrow, and ``laid_out`` reads the dossiers of the rows it lays out.
FIGURES = (
    "pk",
    "rank",
    "total",
    "below_threshold",
    "disagreement",
    "unscored",
    "running_requested",
    "from_consensus",
)


def figures(call: Call, cols: list[CriterionColumn] | None = None):
    """:func:`ranked` as dictionaries of :data:`FIGURES`, best first."""
    return ranked(call, cols).values(*FIGURES)


# FIGURES without the two that rank the whole call.
OWN_FIGURES = tuple(name for name in FIGURES if name not in ("rank", "running_requested"))


def _numbered(rows: list[dict], first_rank: int, running: Decimal) -> list[dict]:
    """``rows`` of :func:`standings` (with ``counted``) given their ``rank`` from
    ``first_rank`` and their ``running_requested`` from ``running``, the sum of what the
    dossiers ranked above them take."""
    for rank, row in enumerate(rows, start=first_rank):
        running += row.pop("counted")
        row["rank"], row["running_requested"] = rank, running
    return rows


class Pages:
    """:func:`figures` for a paginator, read a slice at a time without the window functions,
    which rank every dossier of the call for each page (half a second at 200,000 dossiers).
    In a single order, a row's rank is its position; its running sum is the sum of the rows
    above the slice, read from them alone, plus the slice's own. The first page (where the
    funding line usually is) reads its fifty rows; a later page, the rows above it. The sum
    above and the page are two statements: a review submitted between them may show in one
    and not yet in the other, until the page is read again."""

    def __init__(self, call: Call, cols: list[CriterionColumn] | None = None):
        self.rows = standings(call, cols).values(*OWN_FIGURES, "counted")
        self.call = call

    def count(self) -> int:
        return ranked_count(self.call)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: slice) -> list[dict]:
        if not isinstance(key, slice) or key.step is not None:
            raise TypeError("The ranking is read a slice at a time.")
        start = key.start or 0
        above = Decimal(0)
        if start:
            above = self.rows[:start].aggregate(sum=Sum("counted"))["sum"] or above
        return _numbered(list(self.rows[start : key.stop]), start + 1, above)


def line(application: Application, cols: list[CriterionColumn] | None = None) -> dict | None:
    """The dossier's line of its call's ranking (:data:`FIGURES`, and ``out_of``: how many
    dossiers the ranking holds), or None when it is not ranked: its rank and running sum
    counted from the dossiers ranked above it, in one aggregate, not from windows over the
    whole call."""
    rows = standings(application.call, cols)
    own = rows.filter(pk=application.pk).values(*OWN_FIGURES, "counted", "submitted_at").first()
    if own is None:
        return None
    total, submitted_at = own["total"], own.pop("submitted_at")
    # Above it in ORDER: a higher total; or the same with an earlier submission (a dossier
    # never submitted comes after every submitted one), or the same moment and a smaller key.
    if submitted_at is None:
        same_total = Q(submitted_at__isnull=False) | Q(submitted_at__isnull=True, pk__lt=own["pk"])
    else:
        same_total = Q(submitted_at__lt=submitted_at) | Q(
            submitted_at=submitted_at, pk__lt=own["pk"]
        )
    above = Q(total__gt=total) | Q(total=total) & same_total
    figures = rows.aggregate(
        above=Count("pk", filter=above), sum=Sum("counted", filter=above), out_of=Count("pk")
    )
    own["out_of"] = figures["out_of"]
    return _numbered([own], figures["above"] + 1, figures["sum"] or Decimal(0))[0]


def laid_out(call: Call, cols: list[CriterionColumn], rows) -> list:
    """The dossiers of ``rows`` (from :func:`figures`, :class:`Pages` or :func:`line`), in
    their order, with the figures and per-row lists for the template: ``cells`` (mean,
    spread, column) and ``within_budget``. Dossiers, means and spreads are read for these
    rows only."""
    rows = list(rows)
    pks = [row["pk"] for row in rows]
    dossiers = call.applications.select_related("organisation", "consensus").in_bulk(pks)
    names = [name for col in cols for name in (col.mean, col.spread)]
    means = {row["pk"]: row for row in results(call, cols).filter(pk__in=pks).values("pk", *names)}
    # A total from an approved consensus is the sum of its scores: its cells show them (the
    # spreads stay the reviews', which say why a consensus was written).
    agreed = {}
    consensus_pks = [row["pk"] for row in rows if row.get("from_consensus")]
    if consensus_pks:
        for application, criterion, value in ConsensusScore.objects.filter(
            consensus__application__in=consensus_pks
        ).values_list("consensus__application", "criterion", "value"):
            agreed[application, criterion] = value
    laid = []
    for row in rows:
        dossier = dossiers[row["pk"]]
        for name in FIGURES[1:]:
            setattr(dossier, name, row[name])
        scores = means.get(dossier.pk, {})
        dossier.cells = [
            (
                agreed.get((dossier.pk, col.criterion.pk), scores.get(col.mean))
                if row.get("from_consensus")
                else scores.get(col.mean),
                scores.get(col.spread),
                col,
            )
            for col in cols
        ]
        dossier.within_budget = (dossier.running_requested or 0) <= call.budget
        laid.append(dossier)
    return laid


def rows(call: Call) -> tuple[list[CriterionColumn], list]:
    """The columns and every ranked dossier, laid out for the template."""
    cols = columns(call)
    return cols, laid_out(call, cols, figures(call, cols))


def snapshot(call: Call) -> list[dict]:
    """The ranking as plain data, frozen into jury proposals."""
    _columns, dossiers = rows(call)
    return [
        {
            "rank": dossier.rank,
            "reference": dossier.reference,
            "organisation": str(dossier.organisation),
            "total": str(round(dossier.total, 2)),
            "means": {
                col.criterion.code: None if mean is None else str(round(mean, 2))
                for mean, _spread, col in dossier.cells
            },
            "below_threshold": dossier.below_threshold,
            "unscored": dossier.unscored,
            "consensus": dossier.from_consensus,
            "requested": str(dossier.requested_amount),
            "running_requested": str(dossier.running_requested),
            "within_budget": dossier.within_budget,
        }
        for dossier in dossiers
    ]
