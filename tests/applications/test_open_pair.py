"""Whether a call is open is written in Python (``Call.is_open``: submission's guard, the
call page) and in SQL (``Call.objects.open_at``: the home page's list of open calls). Both
must say the same of the same calls at every moment, the first and the last second too."""

import datetime as dt

import pytest

from applications.models import Call
from tests.factories import CallFactory

pytestmark = pytest.mark.django_db

BRUSSELS = dt.timezone(dt.timedelta(hours=1))  # winter time, as on 1 February
OPENS = dt.datetime(2026, 2, 1, 9, 0, tzinfo=BRUSSELS)
CLOSES = dt.datetime(2026, 2, 27, 23, 59, 59, tzinfo=BRUSSELS)
SECOND = dt.timedelta(seconds=1)
MOMENTS = {
    "before": OPENS - SECOND,
    "opening": OPENS,
    "between": OPENS + dt.timedelta(days=3),
    "last second": CLOSES,
    "last microsecond": CLOSES + dt.timedelta(microseconds=999_999),
    "after": CLOSES + SECOND,
}


def test_sql_and_python_say_alike_which_calls_are_open():
    published = CallFactory(opens_at=OPENS, closes_at=CLOSES)
    unpublished = CallFactory(opens_at=OPENS, closes_at=CLOSES, is_published=False)
    calls = [published, unpublished]

    python = {when: {c.pk for c in calls if c.is_open(moment)} for when, moment in MOMENTS.items()}
    sql = {
        when: set(Call.objects.open_at(moment).values_list("pk", flat=True))
        for when, moment in MOMENTS.items()
    }

    open_ = {published.pk}
    assert python == sql
    # Within the last second the answer is the deadline rule's (tested with submission);
    # the two versions must only agree on it.
    del python["last microsecond"]
    assert python == {
        "before": set(),
        "opening": open_,
        "between": open_,
        "last second": open_,
        "after": set(),
    }
