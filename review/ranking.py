"""The ranking of a call, computed in the database.

Per dossier and criterion: the mean and the spread (max - min) of submitted scores, as
subqueries; the total sum of weight * mean; threshold failures and disagreements as boolean
expressions; the rank and the running sum of requested amounts as window functions. One
query, whatever the number of dossiers or reviews, on SQLite and PostgreSQL alike.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Avg,
    BooleanField,
    Case,
    DecimalField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RowRange
from django.db.models.functions import Coalesce, Round, RowNumber

from applications.models import Application, Call
from review.models import Criterion, Score

RANKED_STATES = (
    Application.State.REVIEWED,
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


def ranked(call: Call, cols: list[CriterionColumn] | None = None):
    """The call's reviewed dossiers, best first, annotated with ``rank``, ``total``,
    ``mean_<criterion id>``, ``spread_<criterion id>``, ``below_threshold``,
    ``disagreement`` and ``running_requested`` (``rows`` adds ``within_budget``)."""
    cols = columns(call) if cols is None else cols
    submitted = Score.objects.filter(
        review__state="submitted",
        review__assignment__application=OuterRef("pk"),
        value__isnull=False,
    )
    annotations = {}
    for col in cols:
        per_criterion = submitted.filter(criterion=col.criterion).values("criterion")
        annotations[col.mean] = Subquery(
            per_criterion.annotate(v=Avg("value", output_field=SCORE)).values("v"),
            output_field=SCORE,
        )
        annotations[col.spread] = Subquery(
            per_criterion.annotate(v=Max("value") - Min("value")).values("v"),
            output_field=SCORE,
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
    # Totals are rounded in SQL so that PostgreSQL's long decimal means (3.9999…) tie
    # with exact ones; ties go to the earlier submission.
    order = [F("total").desc(), F("submitted_at").asc(), F("pk").asc()]
    return (
        call.applications.filter(state__in=RANKED_STATES)
        .select_related("organisation")
        .annotate(**annotations)
        .annotate(
            total=Round(ExpressionWrapper(total, output_field=SCORE), 4, output_field=SCORE),
            below_threshold=Case(
                When(below, then=True), default=False, output_field=BooleanField()
            ),
            disagreement=Case(
                When(disagreement, then=True), default=False, output_field=BooleanField()
            ),
        )
        .annotate(
            rank=Window(RowNumber(), order_by=order),
            # Dossiers under a threshold cannot be funded: they do not use up the budget.
            running_requested=Window(
                Sum(
                    Case(
                        When(below, then=Value(Decimal(0))),
                        default=Coalesce(F("requested_amount"), Value(Decimal(0))),
                        output_field=DecimalField(max_digits=14, decimal_places=2),
                    )
                ),
                order_by=order,
                frame=RowRange(start=None, end=0),
            ),
        )
        .order_by(*order)
    )


def laid_out(call: Call, cols: list[CriterionColumn], dossiers) -> list:
    """``dossiers`` of ``ranked`` with per-row lists for the template: ``cells`` (mean,
    spread, column) and ``within_budget``."""
    dossiers = list(dossiers)
    for dossier in dossiers:
        dossier.cells = [
            (getattr(dossier, col.mean), getattr(dossier, col.spread), col) for col in cols
        ]
        dossier.within_budget = (dossier.running_requested or 0) <= call.budget
    return dossiers


def rows(call: Call) -> tuple[list[CriterionColumn], list]:
    """The columns and every ranked dossier, laid out for the template."""
    cols = columns(call)
    return cols, laid_out(call, cols, ranked(call, cols))


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
            "requested": str(dossier.requested_amount),
            "running_requested": str(dossier.running_requested),
            "within_budget": dossier.within_budget,
        }
        for dossier in dossiers
    ]
