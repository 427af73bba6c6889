import datetime as dt
from decimal import Decimal

import pytest

from labels import services as label_services
from reporting import indicatorlibrary
from reporting.indicators import to_json
from reporting.models import ActivityReport, Indicator, ReportingSchedule
from tests.applications.conftest import (  # noqa: F401 - shared fixtures
    call,
    ministry,
    officer,
    other_officer,
    private_storage,
    programme,
)
from tests.labels.conftest import granted

# A complete, plausible quarter of a space (SPEC §6 indicators).
FILLED = {
    "active_coworkers": 42,
    "desks": 30,
    "occupancy_rate": Decimal("61.5"),
    "days_open": 64,
    "events_held": 6,
    "event_attendance": 180,
    "businesses_hosted": 25,
    "businesses_created": 2,
    "jobs_created": Decimal("1.5"),
    "turnover": Decimal("18250.00"),
    "public_funding_used": Decimal("12500.00"),
    "partnerships": 4,
    "narrative": "Un trimestre animé : six ateliers et deux nouvelles entreprises.",
}


def with_indicators(programme, definitions=indicatorlibrary.COWORKING):
    """Give ``programme`` the indicators of ``definitions`` (the twelve of SPEC §6 by
    default) unless it has some already; a programme made by a factory has none."""
    if not Indicator.objects.filter(programme=programme).exists():
        indicatorlibrary.install(programme, definitions)
    return programme


def make_report(label, start: dt.date, state=ActivityReport.State.DUE, **values):
    """A report of ``label`` for the quarter starting on ``start``, in ``state`` (set directly:
    tests of other behaviour need reports in every state without walking the machine), with
    ``values`` by indicator code (and ``narrative``). The programme gets the twelve
    indicators of SPEC §6 if it has none; ``values={...}`` gives the stored values as
    they are instead, for a programme with indicators of its own."""
    end = (start.replace(day=28) + dt.timedelta(days=70)).replace(day=1) - dt.timedelta(days=1)
    # The first report asked at issuance gives way to the one the test wants.
    ActivityReport.objects.filter(label=label, period_start=start).delete()
    report = ActivityReport(
        label=label, period_start=start, period_end=end, due_on=end + dt.timedelta(days=30)
    )
    ActivityReport._meta.get_field("state").set_state(report, state)
    if "values" in values:
        # The values as stored, for the programme's own indicators.
        report.values = dict(values.pop("values"))
        report.narrative = values.pop("narrative", "")
        report.save()
        return report
    indicators = {
        i.code: i for i in Indicator.objects.filter(programme=with_indicators(label.programme))
    }
    for name, value in values.items():
        if name in indicators:
            stored = to_json(indicators[name], value)
            if stored is not None:
                report.values[name] = stored
        elif name == "narrative":
            report.narrative = value
    report.save()
    return report


@pytest.fixture
def schedule(programme):
    return ReportingSchedule.objects.create(
        programme=programme, starts_on=dt.date(2026, 1, 1), days_allowed=30, reminder_days=7
    )


@pytest.fixture
def label(call, officer):
    with_indicators(call.programme)
    return label_services.issue_label(
        granted(call, legal_name="Société Liégeoise des Tiers-Lieux ASBL"),
        today=dt.date(2025, 12, 15),
    )


@pytest.fixture
def holder(label):
    return label.organisation.memberships.get().user
