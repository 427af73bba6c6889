"""Date, time and number formats of the portal (``FORMAT_MODULE_PATH``), one module per
language: a Brussels portal writes day-month-year and a 24-hour clock in every language.

Named formats are used by context, the same across the site (see :mod:`portal.dates`):
``DATE_FORMAT`` / ``DATETIME_FORMAT`` in prose, letters and emails (through the
``long_date`` / ``long_datetime`` filters, which write "1er mars" in French),
``SHORT_DATE_FORMAT`` / ``SHORT_DATETIME_FORMAT`` in table cells only.
"""
