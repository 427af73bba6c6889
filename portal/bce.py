"""Belgian enterprise numbers (BCE/KBO): normalising, validating and formatting.

A number has ten digits after normalising; the first is 0 or 1 and the last two are
97 - (the first eight mod 97). Old nine-digit numbers get a leading 0.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Concat, Length, Substr
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[\s./-]")


def normalise(value: str) -> str:
    """Strip separators and a leading ``BE``; pad an old nine-digit number with a 0."""
    digits = _SEPARATORS.sub("", value or "").upper()
    if digits.startswith("BE"):
        digits = digits[2:]
    if len(digits) == 9 and digits.isdigit():
        digits = "0" + digits
    return digits


def check_digits(first_eight: str) -> str:
    """The two check digits that follow ``first_eight``."""
    return f"{97 - int(first_eight) % 97:02d}"


def is_valid(value: str) -> bool:
    number = normalise(value)
    return (
        len(number) == 10
        and number.isdigit()
        and number[0] in "01"
        and number[8:] == check_digits(number[:8])
    )


def validate_enterprise_number(value: str) -> None:
    """Model and form validator: raise a translated error for an invalid number."""
    number = normalise(value)
    if len(number) != 10 or not number.isdigit():
        raise ValidationError(
            _("An enterprise number has 10 digits, for example 0566.988.259."),
            code="bce_length",
        )
    if number[0] not in "01":
        raise ValidationError(_("An enterprise number starts with 0 or 1."), code="bce_first_digit")
    if number[8:] != check_digits(number[:8]):
        raise ValidationError(
            _("This enterprise number is not valid: its check digits do not match."),
            code="bce_check_digits",
        )


def display(number: str) -> str:
    """Format a normalised number the way the BCE prints it: ``0566.988.259``."""
    return f"{number[:4]}.{number[4:7]}.{number[7:]}" if len(number) == 10 else number


def display_sql(path: str) -> models.Case:
    """:func:`display` as an SQL expression of the field at ``path``, for exports."""
    number = models.F(path)
    dotted = Concat(
        Substr(number, 1, 4),
        models.Value("."),
        Substr(number, 5, 3),
        models.Value("."),
        Substr(number, 8),
        output_field=models.CharField(),
    )
    return models.Case(
        models.When(Exact(Length(number), 10), then=dotted),
        default=number,
        output_field=models.CharField(),
    )
