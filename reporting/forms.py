"""The staff's forms of reporting; the holder's report is ``reporting.indicators.ReportForm``
(its fields are the programme's indicators)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal import textlimits
from reporting import services
from reporting.models import ReportingSchedule


class ReviewForm(forms.Form):
    """An officer's answer to a submitted report: accept, or return with a comment."""

    comment = textlimits.LimitedText(
        limit=textlimits.COMMENT,
        label=_("Comment to the holder"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required to return the report: say what must be corrected."),
    )

    def __init__(self, *args, action: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action

    def clean(self):
        cleaned = super().clean()
        if self.action == "return":
            for problem in services.return_problems(cleaned.get("comment", "")):
                self.add_error("comment", problem)
        return cleaned


class ScheduleForm(forms.ModelForm):
    """A programme's schedule. Once reports were asked, the frequency and the first period
    stay as they are: new periods must not overlap the reports already asked."""

    class Meta:
        model = ReportingSchedule
        fields = ["frequency", "starts_on", "days_allowed", "reminder_days"]
        widgets = {"starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, reports_asked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if reports_asked:
            for name in ("frequency", "starts_on"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "Fixed: reports were already asked on this schedule."
                )
