"""When a decision counts as notified, and until when it can be contested: pure date
arithmetic, in Brussels dates, shared by the decision letters and any later redress
feature.

The rule, as docs/decisions.md and the letters state it:

- **Deemed notification.** A decision is notified on the Brussels date on which the
  applicant first opened it in the portal, but no later than the tenth day after the
  Brussels date on which it was sent: a decision sent on 3 March and never opened is
  notified on 13 March; one opened on 5 March is notified on 5 March. A moment is read in
  Brussels time, whatever the offset of the day (23:30 on the night of a daylight-saving
  change is still that Brussels day, not the UTC one).
- **Counting.** As the Belgian Judicial Code counts (art. 52 to 54): the day of notification
  is not counted, the period runs from the next day, and its last day is included. A
  period of 30 days from a notification on 31 January 2028 ends on 1 March 2028.
- **Working days.** When the last day is a Saturday, a Sunday or a Belgian legal holiday,
  the period ends on the next working day (art. 53 of the Judicial Code, which governs the
  appeal to the Council of State). The programme's internal redress follows the same rule,
  so that an applicant never has to act on a day its offices are closed.

The Belgian legal holidays (law of 4 January 1974): 1 January, Easter Monday, 1 May,
Ascension Day, Whit Monday, 21 July, 15 August, 1 November, 11 November and 25 December.
"""

import datetime as dt
from functools import cache
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")

DEEMED_NOTIFIED_AFTER_DAYS = 10
REDRESS_DAYS = 30
COUNCIL_OF_STATE_DAYS = 60


def brussels_date(moment: dt.datetime) -> dt.date:
    """The Brussels calendar date of an aware ``moment``."""
    if moment.tzinfo is None:
        raise ValueError("a moment without a time zone has no Brussels date")
    return moment.astimezone(BRUSSELS).date()


def easter(year: int) -> dt.date:
    """Easter Sunday of ``year`` in the Gregorian calendar (the anonymous Gregorian
    algorithm, also known as Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


@cache
def legal_holidays(year: int) -> frozenset[dt.date]:
    """The ten Belgian legal holidays of ``year``."""
    sunday = easter(year)
    return frozenset(
        {
            dt.date(year, 1, 1),
            sunday + dt.timedelta(days=1),  # Easter Monday
            dt.date(year, 5, 1),
            sunday + dt.timedelta(days=39),  # Ascension Day
            sunday + dt.timedelta(days=50),  # Whit Monday
            dt.date(year, 7, 21),
            dt.date(year, 8, 15),
            dt.date(year, 11, 1),
            dt.date(year, 11, 11),
            dt.date(year, 12, 25),
        }
    )


def is_working_day(day: dt.date) -> bool:
    """Neither a Saturday, a Sunday nor a Belgian legal holiday."""
    return day.weekday() < 5 and day not in legal_holidays(day.year)


def next_working_day(day: dt.date) -> dt.date:
    """``day`` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def period_ends(notified: dt.date, days: int) -> dt.date:
    """The last day of a period of ``days`` days running from ``notified``: that day not
    counted, the last day included, moved to the next working day when it is not one."""
    return next_working_day(notified + dt.timedelta(days=days))


def deemed_notified(sent_at: dt.datetime, opened_at: dt.datetime | None = None) -> dt.date:
    """The Brussels date on which a decision sent at ``sent_at`` counts as notified: the day
    it was first opened (``opened_at``), but no later than the tenth day after the day it
    was sent. An opening before the sending (a clock skew) counts as the day it was sent."""
    sent = brussels_date(sent_at)
    latest = sent + dt.timedelta(days=DEEMED_NOTIFIED_AFTER_DAYS)
    if opened_at is None:
        return latest
    return min(max(brussels_date(opened_at), sent), latest)


def redress_ends(notified: dt.date) -> dt.date:
    """The last day to lodge an internal complaint with the programme: 30 days."""
    return period_ends(notified, REDRESS_DAYS)


def council_of_state_ends(notified: dt.date) -> dt.date:
    """The last day to lodge an appeal for annulment with the Council of State: 60 days."""
    return period_ends(notified, COUNCIL_OF_STATE_DAYS)
