"""The filter form of the statistics page and the programme report (same query string)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.models import Call, Programme
from portal.postcodes import Province
from reporting.statistics import StatisticsFilter


class CallChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, call: Call) -> str:
        return f"{call.title} ({call.programme.name})"


class StatisticsForm(forms.Form):
    """Programme (among those the user may see), then optionally a call of it, a year and a
    province. The programme itself is checked by the view (404 for a stranger)."""

    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.none(), empty_label=None
    )
    call = CallChoiceField(
        label=_("Call for projects"),
        queryset=Call.objects.none(),
        required=False,
        empty_label=_("All calls"),
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    province = forms.ChoiceField(
        label=_("Province"),
        required=False,
        choices=[("", _("All provinces")), *Province.choices],
    )

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["call"].queryset = (
            Call.objects.filter(programme__in=programmes)
            .select_related("programme")
            .order_by("programme__name", "opens_at", "pk")
        )

    def clean(self):
        cleaned = super().clean()
        call, programme = cleaned.get("call"), cleaned.get("programme")
        if call and programme and call.programme_id != programme.pk:
            self.add_error("call", _("This call is not one of the programme's calls."))
        return cleaned

    def selection(self) -> StatisticsFilter:
        """The filter the valid form describes."""
        data = self.cleaned_data
        return StatisticsFilter(
            programme=data["programme"],
            call=data["call"],
            year=data["year"],
            province=data["province"],
        )
