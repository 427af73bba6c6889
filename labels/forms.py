from django import forms
from django.utils.translation import gettext_lazy as _

from labels.models import Label
from portal import textlimits
from portal.forms import https_by_default


class ProfileForm(forms.ModelForm):
    """The public profile the holder keeps up to date."""

    class Meta:
        model = Label
        fields = [
            "space_name",
            "description",
            "services",
            "capacity",
            "opening_hours",
            "contact_email",
            "phone",
            "website",
            "latitude",
            "longitude",
        ]
        widgets = {"services": forms.CheckboxSelectMultiple}
        formfield_callback = https_by_default


class ReasonForm(forms.Form):
    reason = textlimits.LimitedText(
        limit=textlimits.COMMENT, label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3})
    )
