"""Programme statistics (SPEC §6): the dossier funnel, amounts, labels by province, the
programme's activity indicators per period and per province, and the time dossiers spend in
each state.

Every figure is an SQL aggregate, and each function runs a fixed number of queries whatever
the amount of data: the statistics page and the programme report stay fast at scale (§8).
The funnel, the indicators and the time in each state are read from summaries the
transitions keep (``reporting.tallies``: a few thousand rows in place of every dossier with
its proposal and decision, every report's JSON values and the whole history), which give the
same figures; the labels are counted from their table, which is small enough.

What the filter means:

- **dossiers** are those *submitted* (``submitted_at`` set) to the programme's calls; the
  year is the year of their first submission (Brussels time); the province is the one of the
  space the dossier describes (``Application.province``, from its postcode) — the address
  its label later carries, so dossiers, labels and reports are counted in the same place;
- **labels**: the year they were issued, the province of the space;
- **activity reports**: only *submitted* and *accepted* ones count (a report due or returned
  holds no figures anyone vouches for yet); the year of the period's start; the province of
  the label. With a call chosen, labels and reports are those coming from its dossiers.

The indicators are the programme's own (``Indicator``), read from the reports' ``values`` in
SQL (through the tallies); each is combined as its ``aggregation`` says (see ``_figures``).
Numbers and yes/no answers are aggregated; a choice or a short text is not (the reports show them).
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Avg,
    Count,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from applications.models import Application, Call, Programme
from labels.models import Label
from portal.figures import days, euros, number, percent
from portal.postcodes import Province
from reporting.indicators import value_expression
from reporting.models import (
    ActivityReport,
    DossierDuration,
    DossierTally,
    Indicator,
    ReportTally,
)
from reporting.tallies import COUNTED_REPORTS, TIMED_STATES, aggregated

State = Application.State

STAGES = {
    "submitted": gettext_lazy("submitted"),
    "admissible": gettext_lazy("admissible"),
    "reviewed": gettext_lazy("reviewed"),
    "proposed": gettext_lazy("proposed by the jury"),
    "granted": gettext_lazy("granted"),
}
Kind = Indicator.Kind


@dataclass(frozen=True)
class StatisticsFilter:
    """What the statistics are about: one programme, optionally narrowed to a call, a year
    and a province (see the module's docstring for what each means)."""

    programme: Programme
    call: Call | None = None
    year: int | None = None
    province: str = ""

    def applications(self) -> QuerySet[Application]:
        """The submitted dossiers of the filter (year, province)."""
        dossiers = Application.objects.filter(
            submitted_at__isnull=False, call__programme=self.programme
        )
        if self.call:
            dossiers = dossiers.filter(call=self.call)
        if self.year:
            dossiers = dossiers.filter(submitted_at__year=self.year)
        if self.province:
            dossiers = dossiers.filter(province=self.province)
        return dossiers

    def labels(self) -> QuerySet[Label]:
        labels = Label.objects.filter(programme=self.programme)
        if self.call:
            labels = labels.filter(application__call=self.call)
        if self.year:
            labels = labels.filter(issued_on__year=self.year)
        if self.province:
            labels = labels.filter(province=self.province)
        return labels

    def reports(self) -> QuerySet[ActivityReport]:
        """The submitted and accepted activity reports of the filter."""
        reports = ActivityReport.objects.filter(
            label__programme=self.programme, state__in=COUNTED_REPORTS
        )
        if self.call:
            reports = reports.filter(label__application__call=self.call)
        if self.year:
            reports = reports.filter(period_start__year=self.year)
        if self.province:
            reports = reports.filter(label__province=self.province)
        return reports

    def tallies(self) -> QuerySet[ReportTally]:
        """The tallies of the filter's reports (``reporting.tallies``)."""
        tallies = ReportTally.objects.filter(programme=self.programme)
        if self.call:
            tallies = tallies.filter(call=self.call)
        if self.year:
            tallies = tallies.filter(period_start__year=self.year)
        if self.province:
            tallies = tallies.filter(province=self.province)
        return tallies

    def dossier_tallies(self) -> QuerySet[DossierTally]:
        """The tallies of the filter's submitted dossiers (``reporting.tallies``)."""
        tallies = DossierTally.objects.filter(programme=self.programme)
        if self.call:
            tallies = tallies.filter(call=self.call)
        if self.year:
            tallies = tallies.filter(year=self.year)
        if self.province:
            tallies = tallies.filter(province=self.province)
        return tallies

    def durations(self) -> QuerySet[DossierDuration]:
        """The durations of the filter's submitted dossiers (``reporting.tallies``)."""
        durations = DossierDuration.objects.filter(programme=self.programme)
        if self.call:
            durations = durations.filter(call=self.call)
        if self.year:
            durations = durations.filter(year=self.year)
        if self.province:
            durations = durations.filter(province=self.province)
        return durations

    @property
    def province_name(self) -> str:
        return str(Province(self.province).label) if self.province else ""


def rate(part: int, whole: int) -> Decimal | None:
    """``part`` as a percentage of ``whole``, to one decimal (None when ``whole`` is 0)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


# Funnel and amounts -------------------------------------------------------------------------


@dataclass
class FunnelRow:
    """The funnel and the amounts of one call (or of all calls, for the total row)."""

    title: str
    submitted: int = 0
    admissible: int = 0
    reviewed: int = 0
    proposed: int = 0
    granted: int = 0
    requested_amount: Decimal = Decimal(0)
    granted_amount: Decimal = Decimal(0)

    def stages(self) -> list[tuple[str, int, Decimal | None]]:
        """Each stage's name, count and rate relative to the submitted dossiers."""
        return [
            (str(name), getattr(self, key), rate(getattr(self, key), self.submitted))
            for key, name in STAGES.items()
        ]

    @property
    def granted_share(self) -> Decimal | None:
        """The granted amount as a percentage of the requested amount."""
        if not self.requested_amount:
            return None
        return (self.granted_amount * 100 / self.requested_amount).quantize(Decimal("0.1"))


def funnel(selection: StatisticsFilter) -> tuple[list[FunnelRow], FunnelRow]:
    """One row per call of the programme (with the filter's dossiers) and the total row.

    A dossier counts as *proposed* if the jury proposed it, even when the minister later
    refused it. Requested amounts are those of every submitted dossier; granted amounts come
    from the ministerial decisions. The figures are the sums of the groups' tallies
    (``reporting.tallies.FUNNEL``), the calls' titles read apart.
    """
    calls = Call.objects.filter(programme=selection.programme)
    if selection.call:
        calls = calls.filter(pk=selection.call.pk)
    figures = {
        row.pop("call"): row
        for row in selection.dossier_tallies()
        .filter(stage="")
        .values("call")
        .annotate(**{key: Sum(key) for key in (*STAGES, "requested_amount", "granted_amount")})
        .order_by()
    }
    # A call without dossiers of the filter keeps its row, with FunnelRow's zeros.
    result = [
        FunnelRow(title=call.title, **figures.get(call.pk, {}))
        for call in calls.order_by("opens_at", "pk")
    ]
    total = FunnelRow(title=_("All calls"))
    for row in result:
        for key in (*STAGES, "requested_amount", "granted_amount"):
            setattr(total, key, getattr(total, key) + getattr(row, key))
    return result, total


# Labels ---------------------------------------------------------------------------------------


@dataclass
class LabelTable:
    """Labels counted by province (rows) and state (columns)."""

    states: list[tuple[str, str]]
    rows: list[tuple[str, list[int], int]]
    totals: list[int]
    total: int


def labels_by_province(selection: StatisticsFilter) -> LabelTable:
    """The filter's labels by province and state: one GROUP BY; provinces without a label
    are left out, every state is a column."""
    counts = {
        (row["province"], row["state"]): row["n"]
        for row in selection.labels().values("province", "state").annotate(n=Count("pk")).order_by()
    }
    states = list(Label.State.choices)
    rows = []
    for code, name in Province.choices:
        values = [counts.get((code, state), 0) for state, _label in states]
        if any(values):
            rows.append((str(name), values, sum(values)))
    totals = [sum(row[1][index] for row in rows) for index in range(len(states))]
    return LabelTable(
        states=[(code, str(name)) for code, name in states],
        rows=rows,
        totals=totals,
        total=sum(totals),
    )


# Indicators -----------------------------------------------------------------------------------


def programme_indicators(programme: Programme) -> list[Indicator]:
    """The programme's indicators that statistics aggregate, in their order: one query."""
    return aggregated(Indicator.objects.filter(programme=programme))


def _mean(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.1"))


def _share(value) -> Decimal | None:
    """A mean of 1 and 0 as a percentage of "yes", to one decimal."""
    return None if value is None else (Decimal(str(value)) * 100).quantize(Decimal("0.1"))


def _total(indicator: Indicator, value):
    """A sum as the indicator's type reads it: whole numbers stay whole."""
    if value is None:
        return None
    if indicator.kind == Indicator.Kind.INTEGER:
        return int(value)
    return Decimal(str(value))


def _aggregates(indicators: list[Indicator]) -> dict:
    """The SQL aggregates of each indicator over a group of reports: the sum, the mean and
    the number of reports that answered."""
    aggregates = {}
    for index, indicator in enumerate(indicators):
        value = value_expression(indicator)
        aggregates[f"sum_{index}"] = Sum(value)
        aggregates[f"avg_{index}"] = Avg(value)
        aggregates[f"n_{index}"] = Count(value)
    return aggregates


def _figures(indicators: list[Indicator], row: dict) -> tuple[dict, dict, dict]:
    """The sums, means and answer counts of a row of ``_aggregates``, by indicator code.

    What each aggregation shows: *sum* and *last* the sum and the mean per report, *mean*
    only the mean, *share of "yes"* the share of "yes" among the reports that answered (as
    the mean). A percentage is never summed, whatever its aggregation: a sum of rates means
    nothing. No sum (``None``) means the mean alone is shown."""
    sums, means, answered = {}, {}, {}
    for index, indicator in enumerate(indicators):
        code, aggregation = indicator.code, indicator.aggregation
        answered[code] = row[f"n_{index}"]
        if aggregation == Indicator.Aggregation.SHARE_YES or indicator.kind == Kind.YES_NO:
            sums[code] = None
            means[code] = _share(row[f"avg_{index}"])
        else:
            summed = indicator.kind != Kind.PERCENTAGE and aggregation in (
                Indicator.Aggregation.SUM,
                Indicator.Aggregation.LAST,
            )
            sums[code] = _total(indicator, row[f"sum_{index}"]) if summed else None
            means[code] = _mean(row[f"avg_{index}"])
    return sums, means, answered


@dataclass
class IndicatorPeriod:
    """The reports of one period: how many, and each indicator's sum and mean (see
    ``_figures``), by code."""

    start: dt.date
    end: dt.date
    reports: int
    sums: dict[str, Decimal | int | None]
    means: dict[str, Decimal | None]
    answered: dict[str, int] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """ "Q3 2026", "H1 2026" or "2026", as the reports themselves name their period."""
        return ActivityReport(period_start=self.start, period_end=self.end).period_name


def _tally_sums(indicators: list[Indicator]) -> dict:
    """The aggregates over tallies (``reporting.tallies``) that give, for each indicator,
    what ``_aggregates`` gives over reports: its sum and its answers (the mean follows,
    ``_with_means``), and the reports of the group."""
    sums = {"n": Sum("reports", filter=Q(indicator=None))}
    for index, indicator in enumerate(indicators):
        own = Q(indicator_id=indicator.pk)
        sums[f"sum_{index}"] = Sum("total", filter=own)
        sums[f"n_{index}"] = Sum("answered", filter=own)
    return sums


def _with_means(row: dict, indicators: list[Indicator]) -> dict:
    """``row`` of ``_tally_sums`` with each indicator's mean over its answers, as SQL's AVG
    over the reports would give it (exact here: sums of decimals over counts)."""
    row["n"] = row["n"] or 0
    for index in range(len(indicators)):
        answered, total = row[f"n_{index}"] or 0, row[f"sum_{index}"]
        row[f"n_{index}"] = answered
        row[f"avg_{index}"] = (
            Decimal(str(total)) / answered if answered and total is not None else None
        )
    return row


def indicators_by_period(
    selection: StatisticsFilter, indicators: list[Indicator] | None = None
) -> list[IndicatorPeriod]:
    """Sum and mean of every indicator of the programme per period, oldest first, from the
    tallies of the reports' values: one GROUP BY period (and the indicators' query when they
    are not given). Within a period each space gives one report, so an indicator aggregated
    by its last value is summed there like a count."""
    if indicators is None:
        indicators = programme_indicators(selection.programme)
    rows = (
        selection.tallies()
        .values("period_start", "period_end")
        .annotate(**_tally_sums(indicators))
        .order_by("period_start", "period_end")
    )
    periods = []
    for row in rows:
        sums, means, answered = _figures(indicators, _with_means(row, indicators))
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


@dataclass
class ProvinceIndicators:
    """Every indicator aggregated over the filter's reports of one province (or of all,
    for the total): over all periods, an indicator aggregated by its last value sums each
    space's latest value."""

    province: str
    name: str
    reports: int
    sums: dict[str, Decimal | int | None]
    means: dict[str, Decimal | None]
    answered: dict[str, int] = field(default_factory=dict)


def _latest_values(selection: StatisticsFilter, indicators: list[Indicator]) -> dict:
    """Per province, the aggregates (``_aggregates``) of ``indicators`` over each space's
    latest report of the filter: one query, which reads one report per label."""
    latest = (
        selection.reports().filter(label=OuterRef("pk")).order_by("-period_start").values("pk")[:1]
    )
    labels = Label.objects.filter(programme=selection.programme)
    if selection.call:
        labels = labels.filter(application__call=selection.call)
    if selection.province:
        labels = labels.filter(province=selection.province)
    reports = ActivityReport.objects.filter(
        pk__in=labels.annotate(latest=Subquery(latest)).values("latest")
    )
    rows = reports.values("label__province").annotate(**_aggregates(indicators)).order_by()
    return {row["label__province"]: row for row in rows}


def indicators_by_province(
    selection: StatisticsFilter, indicators: list[Indicator] | None = None
) -> tuple[list[ProvinceIndicators], ProvinceIndicators]:
    """Each indicator aggregated per province of the spaces, and over all provinces: one
    GROUP BY province over the tallies, and one over each space's latest report for the
    indicators aggregated by their last value (the total is combined from the provinces'
    sums and counts, not from the reports)."""
    if indicators is None:
        indicators = programme_indicators(selection.programme)
    last = [i for i in indicators if i.aggregation == Indicator.Aggregation.LAST]
    latest = _latest_values(selection, last) if last else {}
    rows = [
        _with_means(row, indicators)
        for row in selection.tallies()
        .values("province")
        .annotate(**_tally_sums(indicators))
        .order_by("province")
    ]
    for row in rows:  # the last values in place of the sums of every report
        found = latest.get(row["province"], {})
        for index, indicator in enumerate(indicators):
            if indicator in last:
                position = last.index(indicator)
                row[f"sum_{index}"] = found.get(f"sum_{position}")
                row[f"avg_{index}"] = found.get(f"avg_{position}")
                row[f"n_{index}"] = found.get(f"n_{position}", 0)
    names = dict(Province.choices)
    found = {row["province"]: row for row in rows}
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


@dataclass
class Trend:
    """An indicator's mean per report in the last two periods, and the change between them
    in percent (means, so that a period whose reports are not all in yet compares fairly
    with a complete one)."""

    indicator: Indicator
    previous: Decimal | int | None
    latest: Decimal | int | None

    @property
    def name(self) -> str:
        return self.indicator.label

    @property
    def change(self) -> Decimal | None:
        if self.previous in (None, 0) or self.latest is None:
            return None
        return (
            (Decimal(self.latest) - Decimal(self.previous)) * 100 / Decimal(self.previous)
        ).quantize(Decimal("0.1"))


def trends(periods: list[IndicatorPeriod], indicators: list[Indicator]) -> list[Trend]:
    """The change of each number indicator from the second-to-last period to the last one."""
    if not periods:
        return []
    latest = periods[-1]
    previous = periods[-2] if len(periods) > 1 else None
    return [
        Trend(
            indicator=indicator,
            previous=previous.means[indicator.code] if previous else None,
            latest=latest.means[indicator.code],
        )
        for indicator in indicators
        if indicator.kind in Indicator.NUMBERS
    ]


# Time in each state -------------------------------------------------------------------------


@dataclass
class StateDuration:
    state: str
    name: str
    count: int
    median_days: Decimal | None


def _days(duration: dt.timedelta) -> Decimal:
    return Decimal(duration.total_seconds() / 86400)


DURATION_STAGES = (*TIMED_STATES, DossierDuration.DECISION)


def stage_medians(selection: StatisticsFilter) -> dict[str, dict]:
    """The number of durations of the filter's dossiers in each stage (the timed states and
    the decision) and their median in days, in two queries whatever the data: the counts
    summed from the groups' tallies, then each stage's one or two middle values, read in
    the order of the index on (programme, stage, duration) at their offset, all stages in
    one UNION ALL (Django composes no sliced queries on SQLite). No other row leaves the
    database."""
    durations = selection.durations()
    counts = dict(
        selection.dossier_tallies()
        .filter(stage__in=DURATION_STAGES)
        .values_list("stage")
        .annotate(n=Sum("stays"))
        .order_by()
    )
    parts, params = [], []
    for index, stage in enumerate(DURATION_STAGES):
        count = counts.get(stage, 0)
        middle = max((count - 1) // 2, 0)
        middles = (
            durations.filter(stage=stage)
            .order_by("duration")
            .values_list("stage", "duration")[middle : middle + 2 - count % 2]
        )
        sql, part_params = middles.query.sql_with_params()
        parts.append(f"SELECT * FROM ({sql}) AS middle_{index}")
        params += part_params
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    values: dict[str, list[Decimal]] = {}
    for stage, duration in rows:
        if not isinstance(duration, dt.timedelta):  # SQLite stores microseconds
            duration = dt.timedelta(microseconds=duration)
        values.setdefault(stage, []).append(_days(duration))
    # A stage the tallies count no stay in has none (the tallies and the durations are
    # refreshed together; values read for it would be another moment's).
    return {
        stage: {
            "count": counts[stage],
            "median": (sum(found) / len(found)).quantize(Decimal("0.1")),
        }
        for stage, found in values.items()
        if counts.get(stage)
    }


def time_in_states(selection: StatisticsFilter, medians: dict | None = None) -> list[StateDuration]:
    """Median days the filter's dossiers stayed in each state: from the change that entered
    the state to the next change of the same dossier (``reporting.tallies`` keeps these
    durations). Stays not over yet are not counted. ``medians``: :func:`stage_medians`,
    computed when not given."""
    medians = stage_medians(selection) if medians is None else medians
    return [
        StateDuration(
            state=state,
            name=str(state.label),
            count=medians.get(state, {}).get("count", 0),
            median_days=medians.get(state, {}).get("median"),
        )
        for state in TIMED_STATES
    ]


def submission_to_decision(
    selection: StatisticsFilter, medians: dict | None = None
) -> StateDuration:
    """Median days from a dossier's first submission to the minister's decision (granted or
    refused), both read from the transition history (``reporting.tallies``). ``medians``:
    :func:`stage_medians`, computed when not given."""
    medians = stage_medians(selection) if medians is None else medians
    found = medians.get(DossierDuration.DECISION, {})
    return StateDuration(
        state="decision",
        name=_("from submission to decision"),
        count=found.get("count", 0),
        median_days=found.get("median"),
    )


# Everything together ------------------------------------------------------------------------


@dataclass
class ProgrammeStatistics:
    """All the statistics of a filter, as plain data for the page, the charts and the PDF."""

    selection: StatisticsFilter
    calls: list[FunnelRow]
    total: FunnelRow
    labels: LabelTable
    indicators: list[Indicator]
    periods: list[IndicatorPeriod]
    trends: list[Trend]
    provinces: list[ProvinceIndicators]
    province_total: ProvinceIndicators
    states: list[StateDuration]
    decision: StateDuration
    computed_at: dt.datetime | None = None

    @property
    def key_figures(self) -> list[tuple[str, str]]:
        """The figures a reader looks for first, already formatted."""
        figures = [
            (_("Applications submitted"), number(self.total.submitted)),
            (_("Applications granted"), number(self.total.granted)),
            (_("Success rate"), percent(rate(self.total.granted, self.total.submitted))),
            (_("Amount requested"), euros(self.total.requested_amount)),
            (_("Amount granted"), euros(self.total.granted_amount)),
            (_("Labels"), number(self.labels.total)),
        ]
        if self.decision.median_days is not None:
            figures.append(
                (_("Median days from submission to decision"), days(self.decision.median_days))
            )
        return figures


def cache_key(selection: StatisticsFilter, part: str = "figures") -> str:
    """The cache key of ``part`` of the statistics of ``selection`` in the active language
    (names of states and indicators are translated in the statistics)."""
    call = selection.call.pk if selection.call else ""
    return ":".join(
        str(value)
        for value in (
            "statistics",
            part,
            selection.programme.pk,
            call,
            selection.year or "",
            selection.province,
            get_language(),
        )
    )


def recent_statistics(selection: StatisticsFilter) -> ProgrammeStatistics:
    """:func:`programme_statistics`, kept ``STATISTICS_CACHE_SECONDS`` for pages asked
    again and again (they are computed in a tenth of a second at a large programme's size,
    from the summaries); the page says when they were computed, and the page and its PDF
    show the same figures."""
    key = cache_key(selection)
    statistics = cache.get(key)
    if statistics is None:
        statistics = programme_statistics(selection)
        statistics.computed_at = timezone.now()
        cache.set(key, statistics, settings.STATISTICS_CACHE_SECONDS)
    return statistics


def programme_statistics(selection: StatisticsFilter) -> ProgrammeStatistics:
    """Every statistic of ``selection``, in a fixed number of queries (eight, nine with
    indicators aggregated by their last value) whatever the number of indicators, reports
    and dossiers."""
    calls, total = funnel(selection)
    indicators = programme_indicators(selection.programme)
    periods = indicators_by_period(selection, indicators)
    provinces, province_total = indicators_by_province(selection, indicators)
    medians = stage_medians(selection)
    return ProgrammeStatistics(
        selection=selection,
        calls=calls,
        total=total,
        labels=labels_by_province(selection),
        indicators=indicators,
        periods=periods,
        trends=trends(periods, indicators),
        provinces=provinces,
        province_total=province_total,
        states=time_in_states(selection, medians),
        decision=submission_to_decision(selection, medians),
    )
