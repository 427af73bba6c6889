"""Belgian enterprise numbers (BCE/KBO): normalising, validating and formatting.

A number has ten digits; the first is 0 or 1 and the last two are 97 - (the first eight mod
97), from 01 to 97. Old nine-digit numbers get a leading 0. The format and checksum are
python-stdnum's (``stdnum.be.vat``), whose sum also lets 00, 98 and 99 through: we refuse
those, and the numbers the register has never issued: the
0-series continues the old nine-digit numbers, which started with 2 to 9, so no number starts
with 00 or 01 — among them the body of zeros 0000.000.097, whose check digits are right.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Concat, Length, Substr
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.be import vat
from stdnum.util import clean


def normalise(value: str) -> str:
    """Strip separators and a leading ``BE``; pad an old nine-digit number with a 0."""
    return vat.compact(value or "")


def is_short_form(value: str) -> bool:
    """Whether ``value`` was written the old way, with nine digits (no leading 0)."""
    digits = clean(value or "", " -./").upper().strip().removeprefix("BE")
    return len(digits) == 9 and digits.isdigit()


def check_digits(first_eight: str) -> str:
    """The two check digits that follow ``first_eight`` (to invent valid numbers)."""
    return f"{97 - int(first_eight) % 97:02d}"


def is_valid(value: str) -> bool:
    try:
        validate_enterprise_number(value)
    except ValidationError:
        return False
    return True


def validate_enterprise_number(value: str) -> None:
    """Model and form validator: raise a translated error for an invalid number."""
    try:
        number = vat.validate(value or "")
    except (stdnum_errors.InvalidFormat, stdnum_errors.InvalidLength):
        raise ValidationError(
            _("An enterprise number has 10 digits, for example 0566.988.259."),
            code="bce_length",
        ) from None
    except stdnum_errors.InvalidComponent:
        raise ValidationError(
            _("An enterprise number starts with 0 or 1."), code="bce_first_digit"
        ) from None
    except stdnum_errors.ValidationError:
        raise ValidationError(
            _("This enterprise number is not valid: its check digits do not match."),
            code="bce_check_digits",
        ) from None
    # stdnum asks (first eight + last two) % 97 == 0, which 00, 98 and 99 also meet; the
    # register's check number runs from 01 to 97 (97, never 00, after a multiple of 97).
    if not 1 <= int(number[8:]) <= 97:
        raise ValidationError(
            _("This enterprise number is not valid: its check digits do not match."),
            code="bce_check_digits",
        )
    if number[:2] in ("00", "01"):
        raise ValidationError(
            _(
                "The register has never issued this enterprise number: check it on your "
                "extract of the Crossroads Bank for Enterprises."
            ),
            code="bce_unissued",
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
