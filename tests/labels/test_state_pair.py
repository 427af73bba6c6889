"""A label's state as a visitor reads it is written in Python (``effective_state``, the
verification page and the directory's cards; ``expires_soon``, the holder's list) and in
SQL (``public()``, the directory and the dashboards; ``lapsed()``, the daily job;
``expiring_within()``, the staff filter and the expiry notices). Each pair must say the same
of the same rows, by the Brussels calendar."""

import datetime as dt
import itertools

import pytest
import time_machine

from labels import services
from labels.models import Label
from tests.labels.conftest import granted

pytestmark = pytest.mark.django_db

# 00:30 on 1 April in Brussels (summer time) while it is still 31 March in UTC.
NOW = dt.datetime(2026, 3, 31, 22, 30, tzinfo=dt.UTC)
TODAY = dt.date(2026, 4, 1)
LAST_DAYS = {
    "passed": TODAY - dt.timedelta(days=1),
    "today": TODAY,
    "tomorrow": TODAY + dt.timedelta(days=1),
    "in 90 days": TODAY + dt.timedelta(days=90),
    "in 91 days": TODAY + dt.timedelta(days=91),
}


@pytest.fixture
def labels(call):
    """A label in every stored state for each last valid day."""
    made = {}
    for state, (when, valid_until) in itertools.product(Label.State, LAST_DAYS.items()):
        label = services.issue_label(granted(call), today=dt.date(2025, 1, 1))
        Label.objects.filter(pk=label.pk).update(state=state, valid_until=valid_until)
        made[label.pk] = (state, when)
    return made


def pks(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def test_sql_and_python_read_the_same_state_of_every_label(labels):
    with time_machine.travel(NOW, tick=False):
        rows = list(Label.objects.all())
        reads = {label.pk: label.effective_state for label in rows}
        soon = {label.pk for label in rows if label.expires_soon}
        public, lapsed = pks(Label.objects.public()), pks(Label.objects.lapsed())
        expiring = pks(Label.objects.expiring_within(90))

    live = {"active", "suspended"}
    expected = {
        pk: "expired" if state in live and when == "passed" else state
        for pk, (state, when) in labels.items()
    }
    assert reads == expected
    assert public == {pk for pk, state in reads.items() if state == "active"}
    assert lapsed == {pk for pk, state in reads.items() if state != labels[pk][0]}
    assert soon == {
        pk
        for pk, (state, when) in labels.items()
        if state == "active" and when != "passed" and when != "in 91 days"
    }
    assert expiring == soon
