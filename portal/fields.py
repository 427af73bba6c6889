"""The one form field for amounts and other decimal numbers, typed as people in Belgium
type them: "41 250,50", "41.250,50", "41 250,50" (narrow no-break space), "41250.50",
"41 250,50 €" — and shown back as the reader's language writes them ("41 250,50" in
French, "41,250.50" in English), by :func:`portal.figures.number` as everywhere else.

Every form of the portal gets it for its decimal model fields through :func:`formfield`
(a ``formfield_callback``); hand-written form fields use :class:`DecimalField`. Its input
is a text box with a decimal keypad: a number input would refuse the spaces and the comma
in the browser, before the server could read them.
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from portal.figures import number

# Spaces that separate thousands: space, no-break space, narrow no-break space, thin space.
_SPACES = re.compile("[ \u00a0\u202f\u2009]")
# Runs of digits joined by single separators: "41 250,50", "1.250.000", "41250.50".
_WRITTEN = re.compile(r"[0-9]+(?:[ .,][0-9]+)*")


def parse_decimal(text: str, decimal_places: int | None = None) -> Decimal:
    """The number ``text`` stands for, in either language's writing.

    Spaces group thousands. With both a comma and a point, the last one is the decimal
    separator and the other groups thousands ("41.250,50", "41,250.50"); one of them
    repeated groups thousands ("1.250.000"). A single one is the decimal separator, unless
    it is not the language's and three digits follow it in a field with fewer decimal
    places: "41.250" for an amount in cents is 41 250 in French (it cannot be 41,25), and
    "41,250" is 41 250 in English. Groups must have three digits: "41 25" is refused rather
    than read as 4125. A euro sign is ignored. Raises ``ValueError``.
    """
    text = str(text).strip().removesuffix("€").removeprefix("€").strip()
    sign = ""
    if text[:1] in ("+", "-"):
        sign, text = text[0], text[1:].lstrip()
    text = _SPACES.sub(" ", text)
    if not _WRITTEN.fullmatch(text):
        raise ValueError(text)
    runs = re.split("[ .,]", text)
    separators = re.findall("[ .,]", text)
    marks = [separator for separator in separators if separator != " "]
    decimal = False
    if marks and separators[-1] != " " and marks.count(separators[-1]) == 1:
        if len(set(marks)) == 2:
            decimal = True
        else:
            # One comma or one point, at the end: "41,25", "41250.50" — or "41.250".
            decimal = not (
                separators[-1] != formats.get_format("DECIMAL_SEPARATOR")
                and len(runs[-1]) == 3
                and decimal_places is not None
                and decimal_places < 3
            )
    whole, fraction = (runs[:-1], runs[-1]) if decimal else (runs, "")
    if len(set(separators[: len(whole) - 1]) - {" "}) > 1:
        raise ValueError(text)
    if len(whole) > 1 and not (len(whole[0]) <= 3 and all(len(group) == 3 for group in whole[1:])):
        raise ValueError(text)
    try:
        return Decimal(f"{sign}{''.join(whole)}{'.' if fraction else ''}{fraction}")
    except InvalidOperation as error:
        raise ValueError(text) from error


class DecimalInput(forms.TextInput):
    """A text box with a decimal keypad on phones, its value shown for the reader."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            return number(value)
        return super().format_value(value)


class DecimalField(forms.DecimalField):
    """A decimal number typed the Belgian or the English way (see :func:`parse_decimal`),
    then checked as Django's ``DecimalField`` checks it (digits, places, bounds, step)."""

    widget = DecimalInput
    default_error_messages = {
        "invalid": _("Enter a number, for example %(example)s."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return parse_decimal(str(value), self.decimal_places)
        except ValueError:
            raise ValidationError(
                self.error_messages["invalid"],
                code="invalid",
                params={"example": number(Decimal("41250.50"))},
            ) from None

    def widget_attrs(self, widget):
        # No min, max or step: they belong to number inputs, which this is not.
        return forms.Field.widget_attrs(self, widget)


def formfield(db_field: models.Field, **kwargs) -> forms.Field | None:
    """A ``formfield_callback``: decimal model fields get :class:`DecimalField`, the others
    their usual form field."""
    if isinstance(db_field, models.DecimalField):
        kwargs.setdefault("form_class", DecimalField)
        if kwargs.get("widget") is None:
            kwargs.pop("widget", None)
    return db_field.formfield(**kwargs)
