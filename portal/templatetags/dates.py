"""The long date filters of :mod:`portal.dates`, available in every template (a builtin,
see ``TEMPLATES`` in the settings): ``{{ value|long_date }}``, ``{{ value|long_datetime }}``.
Table cells use ``{{ value|date:"SHORT_DATE_FORMAT" }}``."""

from django import template

from portal import dates

register = template.Library()

register.filter("long_date", dates.long_date, expects_localtime=True)
register.filter("long_datetime", dates.long_datetime, expects_localtime=True)
