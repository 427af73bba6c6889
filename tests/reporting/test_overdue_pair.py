""" "Overdue" is written twice: in SQL (``overdue_condition``, the staff filter, the
dashboard counts and the overdue notices) and in Python (``ActivityReport.is_overdue``, the
badge of the lists). Both must say the same of the same rows, by the Brussels calendar."""

import datetime as dt
import itertools

import pytest
import time_machine

from reporting.models import ActivityReport, overdue_condition

pytestmark = pytest.mark.django_db

# 00:30 on 1 April in Brussels (summer time) while it is still 31 March in UTC: a due date
# of 31 March has passed in Brussels and not yet in UTC.
NOW = dt.datetime(2026, 3, 31, 22, 30, tzinfo=dt.UTC)
TODAY = dt.date(2026, 4, 1)
DUE_DATES = {"before": TODAY - dt.timedelta(days=1), "at": TODAY, "after": TODAY + dt.timedelta(1)}


@pytest.fixture
def reports(label):
    """A report in every state for a due date before, at and after today (Brussels)."""
    ActivityReport.objects.filter(label=label).delete()
    made = []
    cases = itertools.product(ActivityReport.State, DUE_DATES.items())
    for quarter, (state, (when, due_on)) in enumerate(cases):
        start = dt.date(2020 + quarter // 4, 1 + 3 * (quarter % 4), 1)
        report = ActivityReport(
            label=label,
            period_start=start,
            period_end=start + dt.timedelta(days=80),
            due_on=due_on,
        )
        ActivityReport._meta.get_field("state").set_state(report, state)
        report.save()
        made.append((report, state, when))
    return made


def test_sql_and_python_overdue_agree_on_every_state_and_due_date(reports):
    with time_machine.travel(NOW, tick=False):
        python = {report.pk for report in ActivityReport.objects.all() if report.is_overdue}
        sql = set(ActivityReport.objects.overdue().values_list("pk", flat=True))
        condition = set(
            ActivityReport.objects.filter(overdue_condition()).values_list("pk", flat=True)
        )

    expected = {report.pk for report, state, when in reports if (state, when) == ("due", "before")}
    assert python == expected
    assert sql == expected
    assert condition == expected
