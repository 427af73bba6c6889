"""The statistics of a programme as people see them: the charts (reportlab Drawings, shown
as SVG on the page and placed in the PDF) and the tables of formatted figures next to them.
The figures themselves come from ``reporting.statistics``."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from portal import charts
from portal.figures import days, euros, number, percent
from reporting.models import INDICATORS
from reporting.statistics import (
    MEAN_ONLY,
    STAGES,
    FunnelRow,
    ProgrammeStatistics,
    cache_key,
)

# Charts -----------------------------------------------------------------------------------------

# Indicators drawn together on one trend chart (counts of people and activity), and in euros.
ACTIVITY_TRENDS = ("active_coworkers", "desks", "events_held", "businesses_hosted")
EURO_TRENDS = ("turnover", "public_funding_used")


def statistics_charts(statistics: ProgrammeStatistics) -> dict[str, charts.Chart]:
    """The charts of the statistics, drawn once for the page (SVG) and the PDF."""
    periods = [period.name for period in statistics.periods]
    names = statistics.indicator_names
    return {
        "funnel": charts.funnel_chart(
            [(name, count) for name, count, _rate in statistics.total.stages()],
            title=_("Application funnel"),
        ),
        "amounts": charts.grouped_bar_chart(
            [row.title for row in statistics.calls],
            [
                (_("Amount requested"), [row.requested_amount for row in statistics.calls]),
                (_("Amount granted"), [row.granted_amount for row in statistics.calls]),
            ],
            title=_("Amounts requested and granted per call"),
            value_format=lambda value: euros(value, decimals=0),
        ),
        "labels": charts.grouped_bar_chart(
            [name for name, _values, _total in statistics.labels.rows],
            [
                (name, [values[index] for _name, values, _total in statistics.labels.rows])
                for index, (_code, name) in enumerate(statistics.labels.states)
                if statistics.labels.totals[index]
            ],
            title=_("Labels by province and state"),
        ),
        # Means per space (one report per space and period): a sum would rise and fall
        # with the number of reports already in, not with the spaces' activity.
        "activity": charts.line_chart(
            periods,
            [
                (names[name], [period.means[name] or 0 for period in statistics.periods])
                for name in ACTIVITY_TRENDS
            ],
            title=_("Activity per period: mean per labelled space"),
        ),
        "euros": charts.line_chart(
            periods,
            [
                (names[name], [period.means[name] or 0 for period in statistics.periods])
                for name in EURO_TRENDS
            ],
            title=_("Turnover and public funding used per period: mean per labelled space"),
            value_format=lambda value: euros(value, decimals=0),
        ),
    }


# Tables -----------------------------------------------------------------------------------------


@dataclass
class Table:
    """A table of formatted cells, the same on the page (next to its chart) and in the PDF.
    ``numeric`` marks the columns aligned right; a cell may hold a line break."""

    caption: str
    header: list[str]
    rows: list[list[str]]
    footer: list[str] | None = None
    numeric: list[bool] = field(default_factory=list)

    def __post_init__(self):
        if not self.numeric:
            self.numeric = [False] + [True] * (len(self.header) - 1)

    @property
    def columns(self) -> list[tuple[str, bool]]:
        return list(zip(self.header, self.numeric, strict=True))


def indicator_value(indicator: str, value) -> str:
    """An indicator's value in its unit: euros, a percentage or a plain number."""
    unit = str(INDICATORS[indicator])
    if unit == "€":
        return euros(value)
    if unit == "%":
        return percent(value)
    return number(value)


def _funnel_cells(row: FunnelRow) -> list[str]:
    return [row.title] + [
        number(count) if key == "submitted" else f"{number(count)} ({percent(share)})"
        for key, (_name, count, share) in zip(STAGES, row.stages(), strict=True)
    ]


def statistics_tables(statistics: ProgrammeStatistics) -> dict[str, Table]:
    """Every table of the statistics, formatted for the active language."""
    names = statistics.indicator_names
    periods = statistics.periods
    mean = _("mean")
    period_rows = [[_("Reports counted")] + [number(period.reports) for period in periods]]
    for name in INDICATORS:
        cells = []
        for period in periods:
            average = f"{mean} {indicator_value(name, period.means[name])}"
            if name in MEAN_ONLY:
                cells.append(average)
            else:
                cells.append(f"{indicator_value(name, period.sums[name])}\n{average}")
        unit = str(INDICATORS[name])
        shown_unit = "" if unit in ("€", "%") or unit in names[name] else f" ({unit})"
        period_rows.append([f"{names[name].capitalize()}{shown_unit}", *cells])
    labels = statistics.labels
    return {
        "funnel": Table(
            caption=_("Application funnel per call (share of the submitted applications)"),
            header=[_("Call for projects")] + [str(name).capitalize() for name in STAGES.values()],
            rows=[_funnel_cells(row) for row in statistics.calls],
            footer=_funnel_cells(statistics.total),
        ),
        "amounts": Table(
            caption=_("Amounts requested and granted per call"),
            header=[
                _("Call for projects"),
                _("Amount requested"),
                _("Amount granted"),
                _("Share granted"),
            ],
            rows=[
                [
                    row.title,
                    euros(row.requested_amount),
                    euros(row.granted_amount),
                    percent(row.granted_share),
                ]
                for row in statistics.calls
            ],
            footer=[
                statistics.total.title,
                euros(statistics.total.requested_amount),
                euros(statistics.total.granted_amount),
                percent(statistics.total.granted_share),
            ],
        ),
        "labels": Table(
            caption=_("Labels by province and state"),
            header=[_("Province")]
            + [name.capitalize() for _code, name in labels.states]
            + [_("Total")],
            rows=[
                [name, *(number(value) for value in values), number(total)]
                for name, values, total in labels.rows
            ],
            footer=[
                _("All provinces"),
                *(number(value) for value in labels.totals),
                number(labels.total),
            ],
        ),
        "trends": Table(
            caption=_("Latest period compared with the previous one (mean per report)"),
            header=[_("Indicator"), _("Previous period"), _("Latest period"), _("Change")],
            rows=[
                [
                    trend.name.capitalize(),
                    indicator_value(trend.indicator, trend.previous),
                    indicator_value(trend.indicator, trend.latest),
                    percent(trend.change),
                ]
                for trend in statistics.trends
            ],
        ),
        "periods": Table(
            caption=_("Indicators per period: sum and mean per report"),
            header=[_("Indicator")] + [period.name for period in periods],
            rows=period_rows,
        ),
        "states": Table(
            caption=_("Median days spent in each state"),
            header=[_("State"), _("Stays counted"), _("Median days")],
            rows=[
                [row.name.capitalize(), number(row.count), days(row.median_days)]
                for row in [*statistics.states, statistics.decision]
            ],
        ),
    }


def chart_svgs(statistics: ProgrammeStatistics) -> dict[str, str]:
    """The statistics' charts drawn as SVG, kept as long as the figures they draw (see
    ``recent_statistics``): drawing them is half the page's time."""
    computed = statistics.computed_at.timestamp() if statistics.computed_at else ""
    key = f"{cache_key(statistics.selection, 'charts')}:{computed}"
    return cache.get_or_set(
        key,
        lambda: {
            name: charts.to_svg(chart) for name, chart in statistics_charts(statistics).items()
        },
        settings.STATISTICS_CACHE_SECONDS,
    )
