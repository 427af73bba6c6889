"""A programme's indicators at work: the form field that asks each one, the form of a
period's report, what each type stores in ``ActivityReport.values``, the value in words, and
the value as an SQL expression for statistics, exports and label conditions.

What each type stores under the indicator's code (nothing when not answered):

- whole number: a JSON integer;
- decimal number: a string, exact ("1.5");
- percentage and amount: a string with two decimals ("61.50", "1250.00");
- yes or no: JSON ``true`` / ``false``;
- one choice: the option's code; short text: the text.

Strings for decimals keep them exact in Python; SQL reads every number through a cast of the
key's text, the same on SQLite and PostgreSQL.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import textlimits
from portal.expressions import KeyNumber
from portal.fields import DecimalField
from portal.figures import euros, exact, number, share
from reporting.models import ActivityReport, Indicator

Kind = Indicator.Kind
CENT = Decimal("0.01")
YES_NO = [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]
# The largest whole number a report may give (a JSON integer every database reads exactly).
LARGEST_WHOLE = 10**15
# Numbers in SQL: wide enough for any amount, exact to the stored decimals.
SQL_DECIMAL = models.DecimalField(max_digits=20, decimal_places=4)


def form_field(indicator: Indicator, period_days: int | None = None) -> forms.Field:
    """The field asking ``indicator``; never required (a draft may be incomplete: filing
    checks what is missing). ``period_days`` bounds an indicator of days."""
    common = {
        "label": capfirst(indicator.heading),
        "help_text": indicator.help,
        "required": False,
    }
    low, high = indicator.minimum, indicator.maximum
    if indicator.at_most_period_days and period_days is not None:
        high = period_days if high is None else min(high, Decimal(period_days))
    kind = indicator.kind
    if kind == Kind.INTEGER:
        field = forms.IntegerField(
            min_value=-LARGEST_WHOLE + 1 if low is None else int(low),
            max_value=LARGEST_WHOLE - 1 if high is None else int(high),
            **common,
        )
        field.widget.attrs["inputmode"] = "numeric"
        if indicator.at_most_period_days and period_days is not None:
            field.error_messages["max_value"] = _(
                "The period has %(days)s days: no more than that."
            ) % {"days": period_days}
        return field
    if kind in (Kind.DECIMAL, Kind.PERCENTAGE, Kind.AMOUNT):
        validators = []
        if low is not None:
            validators.append(MinValueValidator(low))
        if high is not None:
            validators.append(MaxValueValidator(high))
        if kind == Kind.PERCENTAGE:
            # Within 0-100 whatever the bounds; a bound of 0 is a bound, not "none".
            low = Decimal(0) if low is None else max(low, Decimal(0))
            high = Decimal(100) if high is None else min(high, Decimal(100))
            validators = [
                MinValueValidator(low, message=PERCENTAGE),
                MaxValueValidator(high, message=PERCENTAGE),
            ]
        field = DecimalField(
            max_digits=17,
            decimal_places=4 if kind == Kind.DECIMAL else 2,
            validators=validators,
            **common,
        )
        field.widget.attrs["inputmode"] = "decimal"
        return field
    if kind == Kind.YES_NO:
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
    if kind == Kind.CHOICE:
        return forms.ChoiceField(
            choices=[("", "—")]
            + [(o["code"], indicator.option_label(o["code"])) for o in indicator.options],
            **common,
        )
    return forms.CharField(max_length=textlimits.SHORT, **common)


PERCENTAGE = gettext_lazy("A rate is a percentage between 0 and 100.")


def to_json(indicator: Indicator, value):
    """The stored form of a cleaned form value (None: no value)."""
    if value in (None, ""):
        return None
    kind = indicator.kind
    if kind in (Kind.PERCENTAGE, Kind.AMOUNT):
        return str(Decimal(value).quantize(CENT))
    if kind == Kind.DECIMAL:
        # Positional: ``normalize`` alone writes 100 as "1E+2".
        return format(Decimal(value).normalize(), "f") if Decimal(value) else "0"
    if kind == Kind.INTEGER:
        return int(value)
    if kind == Kind.YES_NO:
        return value in ("yes", True)
    return str(value)


def to_initial(indicator: Indicator, value):
    """A stored value as its form field shows it."""
    if value is None:
        return None
    kind = indicator.kind
    if kind in (Kind.DECIMAL, Kind.PERCENTAGE, Kind.AMOUNT):
        return Decimal(value)
    if kind == Kind.YES_NO:
        return "yes" if value else "no"
    return value


def shown(indicator: Indicator, value) -> str:
    """A value in words, in the reader's language ("—" when empty)."""
    if value in (None, ""):
        return "—"
    kind = indicator.kind
    if kind == Kind.AMOUNT:
        return euros(Decimal(value))
    if kind == Kind.PERCENTAGE:
        return share(value)
    if kind == Kind.INTEGER:
        return number(value)
    if kind == Kind.DECIMAL:
        return exact(value)
    if kind == Kind.YES_NO:
        return _("Yes") if value else _("No")
    if kind == Kind.CHOICE:
        return indicator.option_label(value)
    return str(value)


def value_expression(indicator: Indicator, prefix: str = ""):
    """The value of ``indicator`` as an SQL expression on reports (or on a model that reaches
    reports at ``prefix``, e.g. ``"reports__"``): numbers cast to decimal, yes/no to 1 and 0
    (so that a mean is the share of "yes"), other types as text."""
    field = f"{prefix}values"
    if indicator.kind in Indicator.NUMBERS:
        return Cast(KeyNumber(indicator.code, field), SQL_DECIMAL)
    if indicator.kind == Kind.YES_NO:
        # JSON true and false read alike on both databases through the key lookup;
        # "__exact": a code that is also a lookup's name stays a key.
        path = f"{field}__{indicator.code}__exact"
        return models.Case(
            models.When(**{path: True}, then=models.Value(1)),
            models.When(**{path: False}, then=models.Value(0)),
            output_field=models.IntegerField(null=True),
        )
    return Cast(KeyTextTransform(indicator.code, field), models.TextField())


def is_asked(indicator: Indicator, period_start) -> bool:
    """``IndicatorQuerySet.asked_for`` in Python, for indicators already read."""
    return (indicator.from_period is None or indicator.from_period <= period_start) and (
        indicator.retired_from is None or indicator.retired_from > period_start
    )


def missing(report: ActivityReport, indicators: list[Indicator] | None = None) -> list[str]:
    """The names of what must still be given before ``report`` can be filed: its required
    indicators without a value, and the narrative."""
    if indicators is None:
        indicators = report.asked_indicators()
    names = [
        str(capfirst(indicator.label))
        for indicator in indicators
        if indicator.required and report.values.get(indicator.code) in (None, "")
    ]
    if not report.narrative.strip():
        names.append(str(capfirst(ActivityReport._meta.get_field("narrative").verbose_name)))
    return names


def readable(
    report: ActivityReport, indicators: list[Indicator] | None = None
) -> list[tuple[Indicator, str]]:
    """Each indicator the report asks or gave a value for (a retired one it answered), with
    its value in words."""
    if indicators is None:
        indicators = list(Indicator.objects.filter(programme=report.label.programme_id))
    return [
        (indicator, shown(indicator, report.values.get(indicator.code)))
        for indicator in indicators
        if is_asked(indicator, report.period_start) or indicator.code in report.values
    ]


class ReportForm(forms.Form):
    """The holder's report of one period: the indicators it asks and the narrative. Every
    value is checked when saved, even in a draft; only filing requires all of them."""

    def __init__(self, *args, report: ActivityReport, indicators: list[Indicator], **kwargs):
        self.report = report
        self.indicators = indicators
        initial = {
            indicator.code: to_initial(indicator, report.values.get(indicator.code))
            for indicator in indicators
        }
        initial["narrative"] = report.narrative
        super().__init__(*args, initial=initial, **kwargs)
        for indicator in indicators:
            field = form_field(indicator, report.period_days)
            if not indicator.required:
                field.label = _("%(indicator)s (optional)") % {"indicator": field.label}
            self.fields[indicator.code] = field
        self.fields["narrative"] = textlimits.LimitedText(
            limit=textlimits.LONG,
            label=capfirst(ActivityReport._meta.get_field("narrative").verbose_name),
            help_text=ActivityReport._meta.get_field("narrative").help_text,
            required=False,
            widget=forms.Textarea(attrs={"rows": 8}),
        )

    def values(self) -> dict:
        """The report's values as stored: those of the indicators asked, without the empty
        ones; values of indicators not asked (retired since) are kept."""
        asked = {indicator.code for indicator in self.indicators}
        kept = {code: value for code, value in self.report.values.items() if code not in asked}
        for indicator in self.indicators:
            value = to_json(indicator, self.cleaned_data.get(indicator.code))
            if value is not None:
                kept[indicator.code] = value
        return kept


def check_values(
    indicators: list[Indicator], values: dict, period_days: int
) -> dict[str, list[str]]:
    """The errors of stored ``values`` (an import's row, an API call) against the fields of
    ``indicators``, by code: the same checks as the holder's form."""
    errors = {}
    for indicator in indicators:
        value = values.get(indicator.code)
        if value in (None, ""):
            continue
        field = form_field(indicator, period_days)
        try:
            field.clean(to_initial(indicator, value))
        except ValidationError as error:
            errors[indicator.code] = list(error.messages)
    return errors


def from_cell(indicator: Indicator, value, period_days: int, field: forms.Field | None = None):
    """The stored form of a cell of an imported file (text, or a number from a
    spreadsheet), checked as the holder's form checks it (``field``: its form field, when
    the caller keeps them): yes/no and options by their code or their words in any case,
    numbers with a point or a decimal comma. Raises ``ValidationError``; None for a blank
    cell."""
    if isinstance(value, str):
        value = value.strip()
    if value in (None, ""):
        return None
    kind = indicator.kind
    if kind == Kind.YES_NO:
        text = str(value).casefold()
        if value is True or text in ("yes", "true", "1", _("Yes").casefold()):
            value = "yes"
        elif value is False or text in ("no", "false", "0", _("No").casefold()):
            value = "no"
    elif kind == Kind.CHOICE:
        text = str(value).casefold()
        for option in indicator.options:
            if text in (
                option["code"].casefold(),
                indicator.option_label(option["code"]).casefold(),
            ):
                value = option["code"]
                break
    elif (
        kind in Indicator.NUMBERS and isinstance(value, float | int) and not isinstance(value, bool)
    ):
        value = str(value)
    field = field or form_field(indicator, period_days)
    return to_json(indicator, field.clean(value))
