"""The activity indicators became data with nothing lost: the statistics tables and the
programme report of the demo read as they did when the twelve indicators were columns of the
report (files in ``data/``, computed by the portal before the change).

The demo's reports cover the eight quarters before the day it is loaded: the reports are
loaded again here as of a fixed day, so that the periods and their figures are those of the
files whatever the day the tests run.

To record the files again (only ever from code known to be right):
``RECORD_STATISTICS=1 pytest tests/demo/test_statistics_migration.py``.
"""

import datetime as dt
import io
import json
import os
import re
from collections import Counter
from pathlib import Path

import pypdf
import pytest
import time_machine
from django.utils import translation

from applications.models import Application, Programme
from reporting import demo as reporting_demo
from reporting.models import ActivityReport
from reporting.pdf import programme_report
from reporting.presentation import statistics_tables
from reporting.statistics import StatisticsFilter, programme_statistics

pytestmark = pytest.mark.xdist_group("demo")

DATA = Path(__file__).parent / "data"
RECORD = bool(os.environ.get("RECORD_STATISTICS"))
# A Wednesday of the second quarter: the reports cover Q2 2024 to Q1 2026.
LOADED_ON = dt.datetime(2026, 5, 20, 8, 0, tzinfo=dt.UTC)
# (file name, programme, filter): every programme with reports, then a year and a province.
CASES = [
    ("coworking", "creative-wallonia-coworking", {}),
    ("rural", "coworking-milieu-rural", {}),
    ("coworking-2025", "creative-wallonia-coworking", {"year": 2025}),
    ("rural-liege", "coworking-milieu-rural", {"province": "LIE"}),
]
LANGUAGES = ("fr-be", "en")
# The tables of the statistics before the indicators became data; tables added since are
# not in the files.
TABLES_BEFORE = ("funnel", "amounts", "labels", "trends", "periods", "states")
INDICATOR_TABLES = ("trends", "periods")
SHORTLIST_CHANGED = (
    Application.State.ADMISSIBLE,
    Application.State.IN_REVIEW,
    Application.State.SHORTLISTED,
    Application.State.REVIEWED,
    Application.State.NOT_PROPOSED,
)
# The programmes whose reports ask the twelve indicators of SPEC §6, all of them (the
# others may ask some of them and their own).
TWELVE = ("creative-wallonia-coworking", "coworking-milieu-rural")


@pytest.fixture
def reports_of_a_fixed_day(demo):
    """The demo's activity reports loaded again as of ``LOADED_ON`` (rolled back after)."""
    with time_machine.travel(LOADED_ON, tick=False):
        ActivityReport.objects.all().delete()
        reporting_demo.load(io.StringIO())
        yield


def tables_of(slug: str, filters: dict) -> dict:
    selection = StatisticsFilter(Programme.objects.get(slug=slug), **filters)
    found = {}
    for language in LANGUAGES:
        with translation.override(language):
            tables = statistics_tables(programme_statistics(selection))
        found[language] = {
            key: {
                "caption": str(table.caption),
                "header": [str(cell) for cell in table.header],
                "rows": [[str(cell) for cell in row] for row in table.rows],
                "footer": [str(cell) for cell in table.footer] if table.footer else None,
            }
            for key, table in tables.items()
        }
    return found


def report_text(slug: str) -> str:
    with translation.override("fr-be"):
        content = programme_report(
            programme_statistics(StatisticsFilter(Programme.objects.get(slug=slug)))
        )
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize(("name", "slug", "filters"), CASES)
def test_the_statistics_tables_read_as_before(reports_of_a_fixed_day, name, slug, filters):
    path = DATA / f"statistics-{name}-before-indicators.json"
    after = tables_of(slug, filters)
    if RECORD:
        path.write_text(json.dumps(after, ensure_ascii=False, indent=1) + "\n", "utf-8")
    before = json.loads(path.read_text("utf-8"))
    assert after["fr-be"]["periods"]["rows"], "the demo's reports count"
    for language in LANGUAGES:
        for key in TABLES_BEFORE:
            new, old = after[language][key], before[language][key]
            if key in INDICATOR_TABLES:
                new, old = _common_indicators(new, old, complete=slug in TWELVE)
            if key == "states":
                new, old = _before_the_shortlist(new, old)
            changed = [(a, b) for a, b in zip(new["rows"], old["rows"], strict=False) if a != b]
            assert new == old, (language, key, changed)


def _before_the_shortlist(new: dict, old: dict) -> tuple[dict, dict]:
    """The time in each state without the stages the shortlist changed since the files were
    recorded. The 2011 call now runs on its real dates: reviewed by 15 September 2011 (the
    files had the reviews from late October to 30 November), 9 dossiers shortlisted on 16
    September and waiting, shortlisted, for the jury of 13 December, the 9 others left off
    (not proposed) that day. So "admissible", "in review", "reviewed", "shortlisted" (new)
    and "not proposed" changed; the other rows read as before."""
    changed = set()
    for language in LANGUAGES:
        with translation.override(language):
            changed |= {str(state.label).capitalize() for state in SHORTLIST_CHANGED}
    return (
        {**new, "rows": [row for row in new["rows"] if row[0] not in changed]},
        {**old, "rows": [row for row in old["rows"] if row[0] not in changed]},
    )


def _common_indicators(new: dict, old: dict, *, complete: bool) -> tuple[dict, dict]:
    """The rows of the indicators both tables show (each row is named by its first cell):
    a programme given its own indicators by the demo may have left some of the twelve."""
    names = {row[0] for row in new["rows"]} & {row[0] for row in old["rows"]}
    if complete:
        assert names == {row[0] for row in old["rows"]}
    assert len(names) >= 4
    return (
        {**new, "rows": [row for row in new["rows"] if row[0] in names]},
        {**old, "rows": [row for row in old["rows"] if row[0] in names]},
    )


HEADINGS = (
    "Chiffres clés",
    "Entonnoir des dossiers",
    "Montants demandés et octroyés",
    "Labels par province et par état",
    "Activité des espaces labellisés",
    "Temps passé dans chaque état",
)
ACTIVITY = "Activité des espaces labellisés"
TIME_IN_STATES = "Temps passé dans chaque état"


def _sections(text: str) -> dict[str, list[str]]:
    """The report's lines by section (the first line that reads as each heading, in
    order), blanks made plain, without the page footers (pages may break elsewhere)."""
    lines = [re.sub(r"[ \xa0\u202f]+", " ", line).strip() for line in text.splitlines()]
    lines = [
        line
        for line in lines
        if line
        and not re.fullmatch(r"Page \d+ / \d+", line)
        and " — Tous les appels — " not in line
    ]
    starts, index = [], 0
    for heading in HEADINGS:
        index = lines.index(heading, index)
        starts.append(index)
    ends = [*starts[1:], len(lines)]
    return {
        heading: lines[start + 1 : end]
        for heading, start, end in zip(HEADINGS, starts, ends, strict=True)
    }


def _unchanged_states(lines: list[str]) -> list[str]:
    """The time-in-state table's lines (a state, its stays, its median: a line each)
    without the states the shortlist changed (see ``_before_the_shortlist``)."""
    with translation.override("fr-be"):
        changed = {str(state.label).capitalize() for state in SHORTLIST_CHANGED}
    kept, skip = [], 0
    for line in lines:
        if line in changed:
            skip = 3
        if skip:
            skip -= 1
        else:
            kept.append(line)
    return kept


def _tables_only(lines: list[str]) -> list[str]:
    """The lines of a section without its charts (a chart's title, ending with "moyenne
    par espace labellisé", up to the next table)."""
    kept, in_chart = [], False
    for line in lines:
        if line.endswith("moyenne par espace labellisé"):
            in_chart = True
        elif line == "Indicateur":
            in_chart = False
        if not in_chart:
            kept.append(line)
    return kept


def test_the_programme_report_reads_as_before(reports_of_a_fixed_day):
    path = DATA / "programme-report-coworking-before-indicators.txt"
    with time_machine.travel(LOADED_ON, tick=False):
        after = report_text("creative-wallonia-coworking")
    if RECORD:
        path.write_text(after, "utf-8")
    before = _sections(path.read_text("utf-8"))
    after = _sections(after)
    for heading in HEADINGS:
        if heading == TIME_IN_STATES:
            assert _unchanged_states(after[heading]) == _unchanged_states(before[heading])
        elif heading != ACTIVITY:
            assert after[heading] == before[heading], heading
    # The activity: every line of its tables is still there (the charts and the tables
    # added around them follow the programme's indicators now).
    missing = Counter(_tables_only(before[ACTIVITY])) - Counter(after[ACTIVITY])
    assert not missing
