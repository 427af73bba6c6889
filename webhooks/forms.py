from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import https_by_default
from webhooks import addresses
from webhooks.models import Endpoint, Event


class EndpointForm(forms.ModelForm):
    """An endpoint's address, what it is for and the events it receives."""

    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=Event.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The endpoint receives these events of the programme only."),
    )

    class Meta:
        model = Endpoint
        formfield_callback = https_by_default
        fields = ["url", "description", "events"]
        help_texts = {
            "url": _(
                "An https address of the receiving system, reachable from the internet. "
                "Addresses of private or internal networks are refused."
            ),
            "description": _("What this endpoint feeds, for the other officers."),
        }

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            addresses.check(url)
        except addresses.RefusedAddress as refusal:
            raise forms.ValidationError(str(refusal)) from None
        return url

    def clean_events(self):
        # In the order of ``Event``, whatever the order posted.
        chosen = set(self.cleaned_data["events"])
        return [code for code in Event.values if code in chosen]
