import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api import scopes

LONGEST = 366  # days a token may live


class TokenForm(forms.Form):
    """A new API token: a name, its scopes (among those its maker may grant), its last
    valid day (a year at most)."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the accounting system."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    expires_on = forms.DateField(
        label=_("Valid until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("A year from today at most."),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = [
            (
                scope,
                _("Public data")
                if scope == scopes.PUBLIC
                else _("Programme: %(name)s") % {"name": name},
            )
            for scope, name in scopes.grantable(user)
        ]
        self.fields["expires_on"].initial = timezone.localdate() + dt.timedelta(days=90)

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if day < today:
            raise forms.ValidationError(_("Choose a day from today on."))
        if day > today + dt.timedelta(days=LONGEST):
            raise forms.ValidationError(_("A token is valid for a year at most."))
        return day
