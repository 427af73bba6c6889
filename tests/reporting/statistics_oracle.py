"""The statistics as they were computed before the summaries (``reporting.tallies``):
straight from every report's JSON values and from the whole history, in SQL. Kept here, and
only here, as the oracle the summaries are checked against on random data
(``test_statistics_summaries.py``); too slow at a programme's scale (seconds at 100,000
reports), which is why the portal reads the summaries."""

from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Avg,
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils.translation import gettext as _

from applications.models import Application, Call
from portal.models import StateChange
from portal.postcodes import Province
from reporting.indicators import value_expression
from reporting.models import Indicator
from reporting.statistics import (
    STAGES,
    FunnelRow,
    IndicatorPeriod,
    ProvinceIndicators,
    StateDuration,
    StatisticsFilter,
    _days,
    _figures,
    programme_indicators,
)
from reporting.tallies import DECIDED, TIMED_STATES

State = Application.State
# Spelled out here rather than read from the code under test.
REACHED_REVIEWED = ("reviewed", "shortlisted", "proposed", "not_proposed", "granted", "refused")
REACHED_ADMISSIBLE = ("admissible", "in_review", *REACHED_REVIEWED)


def funnel(selection: StatisticsFilter) -> tuple[list[FunnelRow], FunnelRow]:
    """The funnel counted from the dossiers, their proposals and their decisions."""
    calls = Call.objects.filter(programme=selection.programme)
    if selection.call:
        calls = calls.filter(pk=selection.call.pk)
    figures = {
        row.pop("call"): row
        for row in selection.applications()
        .values("call")
        .annotate(
            submitted=Count("pk"),
            admissible=Count("pk", filter=Q(state__in=REACHED_ADMISSIBLE)),
            reviewed=Count("pk", filter=Q(state__in=REACHED_REVIEWED)),
            proposed=Count(
                "pk",
                filter=Q(proposal__proposed=True) | Q(state__in=(State.PROPOSED, State.GRANTED)),
            ),
            granted=Count("pk", filter=Q(state=State.GRANTED)),
            requested_amount=Coalesce(Sum("requested_amount"), Value(Decimal(0))),
            granted_amount=Coalesce(
                Sum("decision__amount", filter=Q(decision__granted=True)), Value(Decimal(0))
            ),
        )
        .order_by()
    }
    result = [
        FunnelRow(title=call.title, **figures.get(call.pk, {}))
        for call in calls.order_by("opens_at", "pk")
    ]
    total = FunnelRow(title=_("All calls"))
    for row in result:
        for key in (*STAGES, "requested_amount", "granted_amount"):
            setattr(total, key, getattr(total, key) + getattr(row, key))
    return result, total


def _aggregates(indicators: list[Indicator], latest: Q | None = None) -> dict:
    """The SQL aggregates of each indicator over a group of reports: the sum, the mean and
    the number of reports that answered. With ``latest`` (the condition of each space's
    latest report), an indicator aggregated by its last value sums the latest values."""
    aggregates = {}
    for index, indicator in enumerate(indicators):
        value = value_expression(indicator)
        if latest is not None and indicator.aggregation == Indicator.Aggregation.LAST:
            value = Case(When(latest, then=value), default=Value(None))
        aggregates[f"sum_{index}"] = Sum(value)
        aggregates[f"avg_{index}"] = Avg(value)
        aggregates[f"n_{index}"] = Count(value)
    return aggregates


def indicators_by_period(
    selection: StatisticsFilter, indicators: list[Indicator] | None = None
) -> list[IndicatorPeriod]:
    """Sum and mean of every indicator of the programme per period, oldest first, read
    from the reports' values: one GROUP BY period (and the indicators' query when they are
    not given). Within a period each space gives one report, so an indicator aggregated by
    its last value is summed there like a count."""
    if indicators is None:
        indicators = programme_indicators(selection.programme)
    rows = (
        selection.reports()
        .values("period_start", "period_end")
        .annotate(n=Count("pk"), **_aggregates(indicators))
        .order_by("period_start", "period_end")
    )
    periods = []
    for row in rows:
        sums, means, answered = _figures(indicators, row)
        periods.append(
            IndicatorPeriod(
                start=row["period_start"],
                end=row["period_end"],
                reports=row["n"],
                sums=sums,
                means=means,
                answered=answered,
            )
        )
    return periods


def indicators_by_province(
    selection: StatisticsFilter, indicators: list[Indicator] | None = None
) -> tuple[list[ProvinceIndicators], ProvinceIndicators]:
    """Each indicator aggregated per province of the spaces, and over all provinces: one
    GROUP BY province (the total is combined from its sums and counts, not from the
    reports)."""
    if indicators is None:
        indicators = programme_indicators(selection.programme)
    latest = Q(
        period_start=Subquery(
            selection.reports()
            .filter(label=OuterRef("label"))
            .order_by("-period_start")
            .values("period_start")[:1]
        )
    )
    rows = list(
        selection.reports()
        .values("label__province")
        .annotate(n=Count("pk"), **_aggregates(indicators, latest))
        .order_by("label__province")
    )
    names = dict(Province.choices)
    found = {row["label__province"]: row for row in rows}
    provinces = []
    for code, name in names.items():
        if code in found:
            sums, means, answered = _figures(indicators, found[code])
            provinces.append(
                ProvinceIndicators(code, str(name), found[code]["n"], sums, means, answered)
            )
    for code, row in found.items():  # a province no longer known, kept under its code
        if code not in names:
            sums, means, answered = _figures(indicators, row)
            provinces.append(ProvinceIndicators(code, code or "—", row["n"], sums, means, answered))
    total = {"n": sum(row["n"] for row in rows)}
    for index in range(len(indicators)):
        counts = sum(row[f"n_{index}"] for row in rows)
        sums = [row[f"sum_{index}"] for row in rows if row[f"sum_{index}"] is not None]
        total[f"n_{index}"] = counts
        total[f"sum_{index}"] = sum(Decimal(str(value)) for value in sums) if sums else None
        # Over the answers (for a last value: over the spaces' latest answers), as SQL's AVG.
        total[f"avg_{index}"] = total[f"sum_{index}"] / counts if counts and sums else None
    sums, means, answered = _figures(indicators, total)
    return provinces, ProvinceIndicators("", _("All provinces"), total["n"], sums, means, answered)


def _median_rows(queryset: QuerySet, value: str, partition: str | None = None) -> QuerySet:
    """The middle row(s) of ``queryset`` ordered by ``value`` (per ``partition``): one row
    when the count is odd, two when it is even. Window functions (SQLite ≥ 3.25 and
    PostgreSQL), filtered by the database: no Python loop over the rows.

    A row is in the middle when twice its rank lies between the count and the count + 2.
    """
    over = {"partition_by": [F(partition)]} if partition else {}
    return (
        queryset.annotate(
            position=Window(RowNumber(), order_by=[F(value).asc(), F("pk").asc()], **over),
            total=Window(Count("pk"), **over),
        )
        .annotate(double=F("position") * 2)
        .filter(double__gte=F("total"), double__lte=F("total") + 2)
    )


def _medians(rows, key: str | None) -> dict:
    """Average the one or two middle values of each group into its median (in days)."""
    found: dict = {}
    for row in rows:
        group = row[key] if key else None
        found.setdefault(group, {"total": row["total"], "values": []})["values"].append(
            _days(row["duration"])
        )
    return {
        group: {
            "count": entry["total"],
            "median": (sum(entry["values"]) / len(entry["values"])).quantize(Decimal("0.1")),
        }
        for group, entry in found.items()
    }


def _next_change(ref: str = "pk") -> QuerySet:
    """The object's next state change after the one at ``ref`` (its history is ordered by
    ``at`` then by id)."""
    return StateChange.objects.filter(
        content_type=OuterRef("content_type"),
        object_id=OuterRef("object_id"),
    ).filter(Q(at__gt=OuterRef("at")) | Q(at=OuterRef("at"), pk__gt=OuterRef(ref)))


def time_in_states(selection: StatisticsFilter) -> list[StateDuration]:
    """Median days the filter's dossiers stayed in each state: from the change that entered
    the state to the next change of the same dossier. Stays not over yet are not counted.
    One query."""
    application_type = ContentType.objects.get_for_model(Application)
    leaving = _next_change().order_by("at", "pk").values("at")[:1]
    stays = (
        StateChange.objects.filter(
            content_type=application_type,
            object_id__in=selection.applications().values("pk"),
            target__in=TIMED_STATES,
        )
        .annotate(left_at=Subquery(leaving))
        .filter(left_at__isnull=False)
        .annotate(duration=ExpressionWrapper(F("left_at") - F("at"), output_field=DurationField()))
    )
    medians = _medians(
        _median_rows(stays, "duration", "target").values("target", "total", "duration"), "target"
    )
    return [
        StateDuration(
            state=state,
            name=str(state.label),
            count=medians.get(state, {}).get("count", 0),
            median_days=medians.get(state, {}).get("median"),
        )
        for state in TIMED_STATES
    ]


def submission_to_decision(selection: StatisticsFilter) -> StateDuration:
    """Median days from a dossier's first submission to the minister's decision (granted or
    refused), both read from the transition history. One query."""
    history = StateChange.objects.filter(
        content_type=ContentType.objects.get_for_model(Application), object_id=OuterRef("pk")
    ).order_by("at", "pk")
    decided = (
        selection.applications()
        .annotate(
            first_submitted=Subquery(history.filter(target=State.SUBMITTED).values("at")[:1]),
            decided_at=Subquery(history.filter(target__in=DECIDED).values("at")[:1]),
        )
        .filter(first_submitted__isnull=False, decided_at__isnull=False)
        .annotate(
            duration=ExpressionWrapper(
                F("decided_at") - F("first_submitted"), output_field=DurationField()
            )
        )
        .order_by()
    )
    medians = _medians(_median_rows(decided, "duration").values("total", "duration"), None)
    found = medians.get(None, {})
    return StateDuration(
        state="decision",
        name=_("from submission to decision"),
        count=found.get("count", 0),
        median_days=found.get("median"),
    )
