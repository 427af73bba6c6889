"""The programme report (SPEC §6): key figures, the funnel, amounts, labels by province,
the programme's indicators (trends, per period, per province) and time in states for a
period, with the charts of the statistics page."""

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Table

from portal import dates, pdf
from reporting.presentation import Table as FigureTable
from reporting.presentation import statistics_charts, statistics_tables
from reporting.statistics import ProgrammeStatistics

PAGE_WIDTH_MM = 170
PERIODS_PER_TABLE = 4


def period_description(statistics: ProgrammeStatistics) -> str:
    """What the report covers, in words: the call, the year and the province chosen."""
    selection = statistics.selection
    parts = [
        _("Call: %(call)s") % {"call": selection.call.title} if selection.call else _("All calls"),
        _("Year %(year)s") % {"year": selection.year} if selection.year else _("All years"),
        selection.province_name or _("All provinces"),
    ]
    return " — ".join(parts)


def _widths(table: FigureTable, first_mm: float) -> list[float]:
    others = len(table.header) - 1
    return [first_mm] + [(PAGE_WIDTH_MM - first_mm) / others] * others if others else [first_mm]


def _grid(table: FigureTable, first_mm: float = 50) -> Table:
    """A table of the statistics as a PDF grid: numbers on the right, a bold total row."""
    return pdf.grid_table(
        table.header,
        table.rows,
        _widths(table, first_mm),
        numeric=table.numeric,
        footer=table.footer,
        small=len(table.header) > 4,
    )


def _section(title: str, *flowables) -> list:
    """A section on a new page if little room is left, its heading kept with what follows."""
    first, rest = list(flowables[:1]), list(flowables[1:])
    return [CondPageBreak(60 * mm), KeepTogether([pdf.text(title, "heading"), *first]), *rest]


def _column_grids(table: FigureTable) -> list:
    """A table of indicators (per period, per province), a few columns side by side at a
    time to fit the page."""
    periods = len(table.header) - 1
    if not periods or not table.rows:
        return [pdf.text(_("No activity report counted for these filters."))]
    grids = []
    for start in range(1, periods + 1, PERIODS_PER_TABLE):
        columns = [0, *range(start, min(start + PERIODS_PER_TABLE, periods + 1))]
        part = FigureTable(
            caption=table.caption,
            header=[table.header[index] for index in columns],
            rows=[[row[index] for index in columns] for row in table.rows],
        )
        grids += [_grid(part, 62), pdf.spacer(3)]
    return grids


def programme_report(statistics: ProgrammeStatistics) -> bytes:
    """The report as PDF bytes (byte-stable for the same data: reportlab's invariant mode)."""
    programme = statistics.selection.programme
    tables = statistics_tables(statistics)
    charts = statistics_charts(statistics)
    has_reports = bool(statistics.periods)
    story = [
        pdf.text(programme.managing_agency, "small"),
        pdf.text(_("Programme report"), "title"),
        pdf.text(programme.name, "heading"),
        pdf.text(period_description(statistics)),
        pdf.text(
            _("Figures as of %(date)s.") % {"date": dates.long_date(timezone.localdate())},
            "small",
        ),
        pdf.spacer(4),
        pdf.text(_("Key figures"), "heading"),
        pdf.facts_table(statistics.key_figures),
        *_section(
            _("Application funnel"),
            charts["funnel"],
            pdf.spacer(2),
            _grid(tables["funnel"], 40),
        ),
        *_section(
            _("Amounts requested and granted"),
            _grid(tables["amounts"], 62),
            pdf.spacer(2),
            charts["amounts"],
        ),
        *_section(
            _("Labels by province and state"),
            _grid(tables["labels"], 40),
            pdf.spacer(2),
            charts["labels"],
        ),
        *_section(
            _("Activity of the labelled spaces"),
            *([_grid(tables["trends"], 62), pdf.spacer(2)] if has_reports else []),
            *charts["activity"],
            *_column_grids(tables["periods"]),
        ),
        *(
            _section(
                _("Indicators per province"),
                pdf.text(tables["provinces"].caption, "small"),
                *_column_grids(tables["provinces"]),
            )
            if has_reports
            else []
        ),
        *_section(
            _("Time spent in each state"),
            _grid(tables["states"], 80),
            pdf.text(
                _(
                    "From the applications' history: each stay lasts from the change that entered "
                    "the state to the next change; stays not over yet are not counted."
                ),
                "small",
            ),
        ),
    ]
    return pdf.build(
        story,
        title=_("Programme report — %(programme)s") % {"programme": programme.name},
        author=programme.managing_agency,
        footer=f"{programme.name} — {period_description(statistics)}",
    )
