from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.db import models
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from portal import bce
from portal.models import Invitation, Organisation, User


class SignUpForm(forms.Form):
    """Sign-up by email. Uniqueness is not checked here, so the form says nothing of who
    already has an account: the service emails the address either way."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We will send a confirmation link to this address."),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            candidate = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class SignInForm(AuthenticationForm):
    """Sign-in by email; an unconfirmed account is told how to confirm it."""

    error_messages = {
        "invalid_login": _("The email address or the password is not correct."),
        "inactive": _(
            "Your email address is not confirmed yet. We have sent you a new confirmation link."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Email address")
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autocomplete": "email", "autofocus": True}
        )

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError as error:
            unconfirmed = error.code == "invalid_login" and self._unconfirmed_account()
            if not unconfirmed:
                raise
            from portal.services import send_confirmation

            send_confirmation(unconfirmed)
            raise forms.ValidationError(self.error_messages["inactive"], code="inactive") from None

    def _unconfirmed_account(self) -> User | None:
        """The unconfirmed account these credentials open, if any (sessions never do)."""
        email, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        user = User.objects.filter(email__iexact=email or "", is_active=False).first()
        return user if user is not None and password and user.check_password(password) else None


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "phone", "language"]


class AccountDeletionForm(forms.Form):
    """Deleting an account asks for the password, so that an open session is not enough."""

    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(render_value=False)
    )

    def __init__(self, user: User, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."), code="password")
        return password


def https_by_default(field: models.Field, **kwargs) -> forms.Field | None:
    """Form fields for model fields, where a web address typed without scheme means https."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class OrganisationForm(forms.ModelForm):
    # Wider than the stored ten digits: people type dots, spaces or a leading "BE".
    enterprise_number = forms.CharField(
        label=capfirst(Organisation._meta.get_field("enterprise_number").verbose_name),
        help_text=Organisation._meta.get_field("enterprise_number").help_text,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    class Meta:
        model = Organisation
        formfield_callback = https_by_default
        fields = [
            "legal_name",
            "trade_name",
            "legal_form",
            "enterprise_number",
            "street",
            "postcode",
            "municipality",
            "website",
            "phone",
            "contact_email",
        ]
        widgets = {
            "postcode": forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "postal-code"}
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["enterprise_number"] = self.instance.enterprise_number_display

    def clean_enterprise_number(self) -> str:
        value = self.cleaned_data["enterprise_number"]
        bce.validate_enterprise_number(value)
        number = bce.normalise(value)
        others = Organisation.objects.exclude(pk=self.instance.pk)
        if others.filter(enterprise_number=number).exists():
            raise forms.ValidationError(
                _(
                    "An organisation with this enterprise number is already registered. "
                    "Ask one of its members to invite you."
                ),
                code="bce_taken",
            )
        return number


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email"]
        help_texts = {"email": _("We will email an invitation link to this address.")}

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if self.organisation.memberships.filter(user__email__iexact=email).exists():
            raise forms.ValidationError(
                _("This person is already a member of the organisation."), code="member"
            )
        if self.organisation.invitations.pending().for_email(email).exists():
            raise forms.ValidationError(
                _("An invitation to this address is already pending."), code="pending"
            )
        return email


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Sends the reset link through the task queue, in the account's language."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        from portal import throttle
        from portal.services import absolute_url, send_to_user

        if not throttle.allow("password-reset-email", context["user"].email, limit=3):
            return
        path = reverse("portal:password_reset_confirm", args=[context["uid"], context["token"]])
        send_to_user(context["user"], "portal/emails/password_reset", {"link": absolute_url(path)})
