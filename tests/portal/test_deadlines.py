"""Deemed notification and the appeal periods, in Brussels dates: month ends, leap years,
daylight-saving nights, week-ends and Belgian legal holidays."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.deadlines import (
    council_of_state_ends,
    deemed_notified,
    easter,
    is_working_day,
    legal_holidays,
    redress_ends,
)

BRUSSELS = ZoneInfo("Europe/Brussels")
UTC = dt.UTC


def brussels(*args, fold=0) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BRUSSELS, fold=fold)


@pytest.mark.parametrize(
    ("year", "sunday"),
    [(2011, dt.date(2011, 4, 24)), (2027, dt.date(2027, 3, 28)), (2028, dt.date(2028, 4, 16))],
)
def test_easter_and_the_holidays_that_follow_it(year, sunday):
    assert easter(year) == sunday
    holidays = legal_holidays(year)
    assert len(holidays) == 10
    assert {
        sunday + dt.timedelta(days=1),
        sunday + dt.timedelta(days=39),
        sunday + dt.timedelta(days=50),
    } <= holidays


@pytest.mark.parametrize(
    ("notified", "redress", "council"),
    [
        # Month ends: 31 January + 30 days is 1 March in a leap year, 2 March otherwise.
        (dt.date(2028, 1, 31), dt.date(2028, 3, 1), dt.date(2028, 3, 31)),
        (dt.date(2027, 1, 31), dt.date(2027, 3, 2), dt.date(2027, 4, 1)),
        # 29 February 2028 + 60 is Saturday 29 April; Monday 1 May is a holiday.
        (dt.date(2028, 2, 29), dt.date(2028, 3, 30), dt.date(2028, 5, 2)),
        # + 60 falls on the national holiday, Wednesday 21 July 2027.
        (dt.date(2027, 5, 22), dt.date(2027, 6, 21), dt.date(2027, 7, 22)),
        # + 30 falls on Sunday 25 October 2026, the night of the change to winter time.
        (dt.date(2026, 9, 25), dt.date(2026, 10, 26), dt.date(2026, 11, 24)),
        # + 30 falls on Easter Monday 29 March 2027.
        (dt.date(2027, 2, 27), dt.date(2027, 3, 30), dt.date(2027, 4, 28)),
    ],
)
def test_the_periods_end_on_a_working_day(notified, redress, council):
    assert redress_ends(notified) == redress
    assert council_of_state_ends(notified) == council


def test_a_decision_never_opened_is_notified_on_the_tenth_day():
    assert deemed_notified(brussels(2027, 3, 3, 10)) == dt.date(2027, 3, 13)
    assert deemed_notified(brussels(2028, 2, 25, 10)) == dt.date(2028, 3, 6)


def test_a_decision_opened_early_is_notified_the_day_it_is_opened():
    sent = brussels(2027, 3, 3, 10)
    assert deemed_notified(sent, brussels(2027, 3, 5, 8)) == dt.date(2027, 3, 5)
    assert deemed_notified(sent, brussels(2027, 3, 3, 11)) == dt.date(2027, 3, 3)
    # Opened after the tenth day: the tenth day counts.
    assert deemed_notified(sent, brussels(2027, 3, 20, 8)) == dt.date(2027, 3, 13)


@pytest.mark.parametrize(
    ("sent_at", "day"),
    [
        # The night summer time begins (last Sunday of March 2027): 23:30 in Brussels is
        # 21:30 UTC; 00:30 on Monday is still Sunday 22:30 UTC.
        (brussels(2027, 3, 28, 23, 30), dt.date(2027, 3, 28)),
        (dt.datetime(2027, 3, 28, 22, 30, tzinfo=UTC), dt.date(2027, 3, 29)),
        # The night winter time begins (last Sunday of October 2026).
        (brussels(2026, 10, 25, 23, 30), dt.date(2026, 10, 25)),
        (dt.datetime(2026, 10, 25, 23, 30, tzinfo=UTC), dt.date(2026, 10, 26)),
        # 02:30 on 25 October 2026 happens twice in Brussels; both are that day.
        (brussels(2026, 10, 25, 2, 30, fold=1), dt.date(2026, 10, 25)),
        # New Year's Eve, 23:30 UTC, is already 1 January in Brussels.
        (dt.datetime(2027, 12, 31, 23, 30, tzinfo=UTC), dt.date(2028, 1, 1)),
    ],
)
def test_the_brussels_date_counts_not_the_utc_one(sent_at, day):
    assert deemed_notified(sent_at) == day + dt.timedelta(days=10)
    assert deemed_notified(sent_at, sent_at + dt.timedelta(minutes=20)) == day


def test_a_moment_without_a_time_zone_is_refused():
    with pytest.raises(ValueError):
        deemed_notified(dt.datetime(2027, 3, 3, 10))


days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 1))
moments = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(UTC)
)


@given(days)
def test_a_period_ends_on_the_first_working_day_from_its_calendar_end(notified):
    for days_, ends in ((30, redress_ends), (60, council_of_state_ends)):
        calendar_end = notified + dt.timedelta(days=days_)
        end = ends(notified)
        assert is_working_day(end)
        assert calendar_end <= end <= calendar_end + dt.timedelta(days=4)
        skipped = (calendar_end + dt.timedelta(days=n) for n in range((end - calendar_end).days))
        assert not any(is_working_day(day) for day in skipped)
    assert redress_ends(notified) < council_of_state_ends(notified)


@given(
    moments,
    st.none() | st.timedeltas(min_value=-dt.timedelta(days=2), max_value=dt.timedelta(days=20)),
)
def test_notification_falls_within_ten_days_of_the_brussels_day_it_was_sent(sent_at, delay):
    sent = sent_at.astimezone(BRUSSELS).date()
    opened_at = None if delay is None else sent_at + delay
    notified = deemed_notified(sent_at, opened_at)
    assert sent <= notified <= sent + dt.timedelta(days=10)
    if opened_at is None:
        assert notified == sent + dt.timedelta(days=10)
    elif sent <= opened_at.astimezone(BRUSSELS).date() <= sent + dt.timedelta(days=10):
        assert notified == opened_at.astimezone(BRUSSELS).date()
