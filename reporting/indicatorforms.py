"""The officer's forms for a programme's indicators (``views.indicators``): one indicator,
and the period it is retired from. Each refuses what cannot make sense for the indicator's
type (bounds of a text, a sum of yes/no); whether a change is still allowed once reports
give values is ``indicatorbuilder``'s decision, not theirs.
"""

import datetime as dt
from decimal import Decimal

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from applications.builderforms import OPTION_LANGUAGES, option_line, parse_options, textareas
from portal import translations
from portal.dates import long_date
from portal.fields import formfield as decimal_formfield
from reporting.models import Indicator, ReportingSchedule

Kind = Indicator.Kind
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

OPTIONS_HELP = _(
    "For a choice only, one per line: code | French | English | German | Dutch (the "
    "translations may be left out), e.g. “students | étudiants | students | Studierende | "
    "studenten”. The code is the value kept in the reports."
)


def options_text(options: list[dict]) -> str:
    """A choice's options as the officer types them, one per line."""
    return "\n".join(option_line(o["code"], o) for o in options)


def as_typed(value: Decimal | None) -> Decimal | None:
    """A stored bound as the officer typed it: 0, not 0,0000."""
    if value is None:
        return None
    return value.to_integral() if value == value.to_integral() else value.normalize()


def next_period_start(schedule: ReportingSchedule | None, today) -> str:
    """The first day of the period after today's, in words ("" without a schedule)."""
    if schedule is None:
        return ""
    return long_date(schedule.period_containing(today)[1] + dt.timedelta(days=1))


class IndicatorForm(forms.ModelForm):
    """An indicator with every field; the bounds, unit and options that do not apply to its
    type are refused rather than ignored, and the aggregation must suit the type."""

    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=OPTIONS_HELP,
    )

    class Meta:
        model = Indicator
        formfield_callback = decimal_formfield
        fields = [
            "code",
            *translations.columns("label"),
            *translations.columns("help"),
            "kind",
            *translations.columns("unit"),
            "minimum",
            "maximum",
            "at_most_period_days",
            "required",
            "aggregation",
            "from_period",
        ]
        widgets = {**textareas("help", rows=2), "from_period": DATE}

    field_order = [
        "code",
        *translations.columns("label"),
        *translations.columns("help"),
        "kind",
        "options",
    ]

    def __init__(self, *args, next_period: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        translations.label_fields(self)
        if self.instance.pk:
            self.initial.setdefault("options", options_text(self.instance.options))
            for name in ("minimum", "maximum"):
                self.initial[name] = as_typed(self.initial.get(name))
        if next_period:
            self.fields["from_period"].help_text = format_lazy(
                "{} {}",
                _("Empty: asked in every report. Otherwise the first day of a period, e.g."),
                next_period,
            )

    def clean_code(self):
        code = self.cleaned_data["code"]
        programme = self.instance.programme
        others = Indicator.objects.filter(programme=programme, code=code)
        if others.exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("Another indicator of this programme already uses this code."))
        return code

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        try:
            # The French and what is translated: an option's key per written language.
            self.instance.options = [
                {
                    "code": o.code,
                    **{
                        f"label_{code}": getattr(o, f"label_{code}")
                        for code in OPTION_LANGUAGES
                        if code == "fr" or getattr(o, f"label_{code}")
                    },
                }
                for o in parse_options(cleaned.get("options", ""))
            ]
        except ValidationError as error:
            self.add_error("options", error)
            self.instance.options = []
        if not kind:
            return cleaned
        label = Kind(kind).label
        if kind == Kind.CHOICE and not self.instance.options and "options" not in self.errors:
            self.add_error("options", _("A choice needs its options, one per line."))
        if kind != Kind.CHOICE and self.instance.options:
            self.add_error("options", _("Only a choice indicator has options."))
        if kind not in Indicator.NUMBERS:
            for name in ("minimum", "maximum", *translations.columns("unit")):
                if cleaned.get(name) not in (None, ""):
                    self.add_error(
                        name,
                        _("Only a number has a unit and bounds, not a “%(kind)s” indicator.")
                        % {"kind": label},
                    )
            if cleaned.get("at_most_period_days"):
                self.add_error("at_most_period_days", _("Only a number can count days."))
        if kind == Kind.PERCENTAGE:
            for name in ("minimum", "maximum"):
                value = cleaned.get(name)
                if value is not None and not 0 <= value <= 100 and name not in self.errors:
                    self.add_error(name, _("A percentage lies between 0 and 100."))
        aggregation = cleaned.get("aggregation")
        allowed = Indicator.AGGREGATIONS[kind]
        if aggregation and aggregation not in allowed:
            self.add_error(
                "aggregation",
                _("A “%(kind)s” indicator is combined by: %(allowed)s.")
                % {"kind": label, "allowed": ", ".join(str(a.label) for a in allowed)},
            )
        return cleaned

    def _update_errors(self, errors):
        """The model's checks repeat the form's about the same fields: the form's words
        stand. A check on a field the form does not show comes at the top."""
        if hasattr(errors, "error_dict"):
            error_dict = errors.error_dict
        else:
            error_dict = {NON_FIELD_ERRORS: errors.error_list}
        kept = {}
        for field, messages in error_dict.items():
            if field in self._errors:
                continue
            key = field if field in self.fields or field == NON_FIELD_ERRORS else NON_FIELD_ERRORS
            kept.setdefault(key, []).extend(messages)
        if kept:
            super()._update_errors(ValidationError(kept))


class RetireForm(forms.Form):
    retired_from = forms.DateField(
        label=_("Retired from the period starting on"),
        widget=DATE,
        help_text=_("Reports of earlier periods keep their values and still show it."),
    )

    def __init__(self, *args, next_period: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if next_period:
            self.fields["retired_from"].help_text = format_lazy(
                "{} {}",
                _("The first day of a period, e.g."),
                format_lazy("{}.", next_period),
            )
