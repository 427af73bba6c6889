"""German, as the German-speaking Community writes it: "4. Dezember 2026",
"4. März 2027 23:59", "04.12.2026", "41.250,50"."""

DATE_FORMAT = "j. F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j. F Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j. F"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

# Day first, with dots, slashes or dashes; ISO dates (what a date picker sends) are always
# accepted too (Django adds them).
DATE_INPUT_FORMATS = [
    "%d.%m.%Y",  # 25.10.2026
    "%d/%m/%Y",  # 25/10/2026
    "%d-%m-%Y",  # 25-10-2026
    "%d.%m.%y",  # 25.10.26
]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d-%m-%Y %H:%M",
    "%Y-%m-%dT%H:%M:%S",  # a datetime-local picker
    "%Y-%m-%dT%H:%M",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
