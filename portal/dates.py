"""Dates and times as a person reads them, one format per context across the site (see
:mod:`portal.formats`): a long date in prose, letters and emails ("4 décembre 2026",
"1er mars 2027" — French writes the first day of a month as an ordinal), with the time on
a 24-hour clock when it matters ("4 mars 2027 23:59"), in Brussels time."""

import datetime as dt
import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import formats, timezone
from django.utils.translation import get_language


def _first_as_ordinal(text: str, day: int) -> str:
    """ "1 mars 2027" → "1er mars 2027" in French; other languages as they are."""
    if day == 1 and (get_language() or "").startswith("fr") and text.startswith("1 "):
        return "1er" + text[1:]
    return text


def long_date(value: dt.date | None) -> str:
    """``4 décembre 2026`` / ``1er mars 2027`` / ``4 December 2026``; empty when missing.
    A moment is read in Brussels time first (23:30 UTC on 31 December is already 1er
    janvier there)."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return _long_day(dt.date(value.year, value.month, value.day), get_language())


@functools.lru_cache(maxsize=4096)
def _long_day(day: dt.date, language: str | None) -> str:
    """:func:`long_date` of ``day`` in ``language`` (the active one), kept: a job writing
    thousands of messages prints the same few deadlines again and again."""
    return _first_as_ordinal(formats.date_format(day, "DATE_FORMAT"), day.day)


@receiver(setting_changed)
def _forget_days(**kwargs) -> None:
    """A test changing the formats or languages sees them at once."""
    _long_day.cache_clear()


def long_datetime(value: dt.datetime | None) -> str:
    """``4 mars 2027 23:59`` / ``1er mars 2027 09:00`` / ``4 March 2027 23:59``, in
    Brussels time; empty when missing."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return _first_as_ordinal(formats.date_format(value, "DATETIME_FORMAT"), value.day)
