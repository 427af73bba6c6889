"""The statistics of a programme as people see them: the charts (reportlab Drawings, shown
as SVG on the page and placed in the PDF) and the tables of formatted figures next to them.
The figures themselves come from ``reporting.statistics``."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from portal import charts
from portal.figures import days, euros, exact, number, percent, share
from reporting.models import Indicator
from reporting.statistics import (
    STAGES,
    FunnelRow,
    ProgrammeStatistics,
    cache_key,
)

Kind = Indicator.Kind

# Charts -----------------------------------------------------------------------------------------

# Lines on one chart at most: more and the legend no longer fits nor the lines read apart.
LINES_PER_CHART = 4
# A chart of one line needs no legend: lower, so that a few fit on a page.
SINGLE_LINE_HEIGHT = 170


def _unit_group(indicator: Indicator) -> str:
    """The indicators drawn on one chart share an axis: counts together, amounts together,
    rates and shares of "yes" together, any other unit (days, FTE…) on its own."""
    if indicator.kind == Kind.AMOUNT:
        return "€"
    if indicator.kind in (Kind.PERCENTAGE, Kind.YES_NO):
        return "%"
    return indicator.unit


def _decimal_tick(value: float) -> str:
    return exact(round(value, 2))


def _chart_title(group: str, indicators: list[Indicator]) -> str:
    if len(indicators) == 1 and group:
        return _("%(indicator)s per period: mean per labelled space") % {
            "indicator": capfirst(indicators[0].heading)
        }
    if group == "€":
        return _("Amounts per period: mean per labelled space")
    if group == "%":
        return _("Rates per period: mean per labelled space")
    if group:
        return _("%(unit)s per period: mean per labelled space") % {"unit": capfirst(group)}
    return _("Activity per period: mean per labelled space")


def indicator_charts(statistics: ProgrammeStatistics) -> list[charts.Chart]:
    """One line chart per group of indicators of one unit (``_unit_group``, in the order of
    their first indicator), at most ``LINES_PER_CHART`` lines each, drawing each indicator's
    mean per labelled space (a share of "yes" in percent) in every period."""
    groups: dict[str, list[Indicator]] = {}
    for indicator in statistics.indicators:
        groups.setdefault(_unit_group(indicator), []).append(indicator)
    periods = statistics.periods
    drawn = []
    for group, indicators in groups.items():
        value_format = {
            "€": lambda value: euros(value, decimals=0),
            "%": share,
        }.get(group)
        if value_format is None and any(i.kind == Kind.DECIMAL for i in indicators):
            # Decimals: steps of a fraction on the axis (counts step by whole units).
            value_format = _decimal_tick
        for start in range(0, len(indicators), LINES_PER_CHART):
            part = indicators[start : start + LINES_PER_CHART]
            options = {"value_format": value_format} if value_format else {}
            if len(part) == 1:
                options["height"] = SINGLE_LINE_HEIGHT
            drawn.append(
                charts.line_chart(
                    [period.name for period in periods],
                    [
                        (
                            indicator.label,
                            [period.means[indicator.code] or 0 for period in periods],
                        )
                        for indicator in part
                    ],
                    title=_chart_title(group, indicators),
                    **options,
                )
            )
    return drawn


def statistics_charts(statistics: ProgrammeStatistics) -> dict:
    """The charts of the statistics, drawn once for the page (SVG) and the PDF; under
    "activity", the list of the indicators' charts."""
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
        "activity": indicator_charts(statistics) if statistics.periods else [],
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


def indicator_value(indicator: Indicator, value) -> str:
    """An aggregate of ``indicator`` in its unit: euros, a percentage (a share of "yes"
    too) or a plain number."""
    if indicator.kind == Kind.AMOUNT:
        return euros(value)
    if indicator.kind in (Kind.PERCENTAGE, Kind.YES_NO):
        return percent(value)
    return number(value)


def indicator_heading(indicator: Indicator) -> str:
    """An indicator's name at the head of a row: with its unit unless its figures carry it
    (euros, percentages) or its name says it; a yes/no question says what is counted."""
    if indicator.kind == Kind.YES_NO:
        return _("%(indicator)s (share of “yes”)") % {"indicator": capfirst(indicator.label)}
    if indicator.kind in (Kind.AMOUNT, Kind.PERCENTAGE):
        return capfirst(indicator.label)
    return capfirst(indicator.heading)


def indicator_cell(indicator: Indicator, figures) -> str:
    """An indicator's figures in a group of reports (a period, a province): the sum and
    the mean per report, or only the mean (a rate, a share of "yes"); see
    ``reporting.statistics._figures``."""
    mean = indicator_value(indicator, figures.means[indicator.code])
    if indicator.kind == Kind.YES_NO:
        return mean
    total = figures.sums[indicator.code]
    if total is None:
        return f"{_('mean')} {mean}"
    # A sum of decimals as exact as its terms: "3,5" full-time equivalents, "3" (not "3,0000").
    shown = exact(total) if indicator.kind == Kind.DECIMAL else indicator_value(indicator, total)
    return f"{shown}\n{_('mean')} {mean}"


def indicator_rows(statistics: ProgrammeStatistics, groups: list) -> list[list[str]]:
    """The rows of a table of indicators over ``groups`` (periods or provinces): the reports
    counted, then one row per indicator."""
    rows = [[_("Reports counted")] + [number(group.reports) for group in groups]]
    for indicator in statistics.indicators:
        rows.append(
            [indicator_heading(indicator), *(indicator_cell(indicator, group) for group in groups)]
        )
    return rows


def _funnel_cells(row: FunnelRow) -> list[str]:
    return [row.title] + [
        number(count) if key == "submitted" else f"{number(count)} ({percent(share)})"
        for key, (_name, count, share) in zip(STAGES, row.stages(), strict=True)
    ]


def statistics_tables(statistics: ProgrammeStatistics) -> dict[str, Table]:
    """Every table of the statistics, formatted for the active language."""
    periods = statistics.periods
    provinces = [*statistics.provinces, statistics.province_total]
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
                    capfirst(trend.name),
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
            rows=indicator_rows(statistics, periods),
        ),
        "provinces": Table(
            caption=_(
                "Indicators per province over the periods: sum and mean per report (for a "
                "last value, the spaces' latest values)"
            ),
            header=[_("Indicator")] + [province.name for province in provinces],
            rows=indicator_rows(statistics, provinces) if statistics.provinces else [],
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


def _svg(drawn) -> str | list[str]:
    return (
        [charts.to_svg(chart) for chart in drawn]
        if isinstance(drawn, list)
        else charts.to_svg(drawn)
    )


def chart_svgs(statistics: ProgrammeStatistics) -> dict[str, str | list[str]]:
    """The statistics' charts drawn as SVG (a list of them under "activity"), kept as long
    as the figures they draw (see ``recent_statistics``): drawing them is half the page's
    time."""
    computed = statistics.computed_at.timestamp() if statistics.computed_at else ""
    key = f"{cache_key(statistics.selection, 'charts')}:{computed}"
    return cache.get_or_set(
        key,
        lambda: {name: _svg(drawn) for name, drawn in statistics_charts(statistics).items()},
        settings.STATISTICS_CACHE_SECONDS,
    )
