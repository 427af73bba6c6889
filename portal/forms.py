from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_credentials
from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.db import models
from django.forms.utils import ErrorDict
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from portal import bce, notifications, postcodes, register, textlimits
from portal.fields import formfield as decimal_formfield
from portal.models import Enterprise, Invitation, Organisation, User
from portal.textlimits import LimitedText


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
        # The right password of an account whose address is not confirmed yet is not a failed
        # attempt: it is answered before authenticating, so the lockout never counts it. A
        # locked-out sign-in goes through authentication, which refuses it as any other.
        unconfirmed = self._unconfirmed_account()
        if unconfirmed is not None and AxesProxyHandler.is_allowed(
            self.request, get_credentials(username=self.cleaned_data.get("username"))
        ):
            from portal.services import send_confirmation

            send_confirmation(unconfirmed)
            raise forms.ValidationError(self.error_messages["inactive"], code="inactive")
        return super().clean()

    def _unconfirmed_account(self) -> User | None:
        """The unconfirmed account these credentials open, if any (sessions never do)."""
        email, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        user = User.objects.filter(email__iexact=email or "", is_active=False).first()
        return user if user is not None and password and user.check_password(password) else None


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "phone", "language"]

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        if commit:
            # Not the whole row: its unread count is kept by the notifications themselves.
            user.save(update_fields=self.Meta.fields)
        return user


class NotificationChoicesForm(forms.Form):
    """For each category of notification, whether it comes by email too or stays in the
    portal's inbox (``portal.notifications``); on the profile page, with ``ProfileForm``."""

    BY_EMAIL, PORTAL_ONLY = "email", "portal"

    def __init__(self, user: User, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        opted_out = set(user.email_opt_out or [])
        choices = [
            (self.BY_EMAIL, _("By email and in the portal")),
            (self.PORTAL_ONLY, _("In the portal only")),
        ]
        for code, label in notifications.optional_categories().items():
            self.fields[code] = forms.ChoiceField(
                label=label,
                choices=choices,
                widget=forms.RadioSelect,
                required=False,  # no choice: by email, as before
                initial=self.PORTAL_ONLY if code in opted_out else self.BY_EMAIL,
            )

    def save(self) -> None:
        notifications.set_email_opt_out(
            self.user,
            [code for code, choice in self.cleaned_data.items() if choice == self.PORTAL_ONLY],
        )


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
    """Form fields for model fields, where a web address typed without scheme means https
    (and an amount may be typed the Belgian way, see ``portal.fields``)."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return decimal_formfield(field, **kwargs)


class LocalityInput(forms.TextInput):
    """A text input that offers the localities of the postcode typed (a ``<datalist>``
    filled on the server, so it needs no script); the form checks the choice."""

    localities: tuple[str, ...] = ()

    def render(self, name, value, attrs=None, renderer=None):
        if not self.localities:
            return super().render(name, value, attrs, renderer)
        list_id = f"{(attrs or {}).get('id') or name}-localities"
        html = super().render(name, value, {**(attrs or {}), "list": list_id}, renderer)
        options = format_html_join(
            "", '<option value="{}"></option>', ((n,) for n in self.localities)
        )
        return html + format_html('<datalist id="{}">{}</datalist>', list_id, options)


def _either(names) -> str:
    """ "A, B or C" in the active language."""
    names = list(names)
    if len(names) == 1:
        return names[0]
    return format_lazy(_("{names} or {last}"), names=", ".join(names[:-1]), last=names[-1])


class LocalityFormMixin:
    """For forms with a postcode and a municipality: the municipality must be one of the
    localities bpost serves under the postcode (stored in bpost's spelling). It is offered
    as a list once the postcode is known, and filled in when the postcode serves only one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("municipality")
        if field is None:
            return
        field.widget = LocalityInput(attrs={"autocomplete": "address-level2"})
        field.help_text = _("A locality the postcode serves, as the post office writes it.")
        postcode = self["postcode"].value() if "postcode" in self.fields else None
        field.widget.localities = postcodes.localities(str(postcode or ""))

    def clean_locality(self, required: bool = False) -> None:
        """Check (and spell) the municipality against the postcode; ``required``: an empty
        municipality is an error unless the postcode serves a single locality."""
        postcode = self.cleaned_data.get("postcode")
        typed = (self.cleaned_data.get("municipality") or "").strip()
        served = postcodes.localities(postcode or "")
        if "municipality" not in self.fields or not served:
            return
        self.fields["municipality"].widget.localities = served
        if not typed and len(served) == 1:
            self.cleaned_data["municipality"] = served[0]
        elif not typed and required:
            self.add_error(
                "municipality",
                _("The postcode %(postcode)s serves %(names)s: choose one.")
                % {"postcode": postcode, "names": _either(served)},
            )
        elif typed:
            named = postcodes.locality_named(postcode, typed)
            if named is None:
                self.add_error(
                    "municipality",
                    _(
                        "“%(typed)s” is not served by the postcode %(postcode)s, which serves "
                        "%(names)s."
                    )
                    % {"typed": typed, "postcode": postcode, "names": _either(served)},
                )
            else:
                self.cleaned_data["municipality"] = named


class OrganisationForm(LocalityFormMixin, forms.ModelForm):
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
            "enterprise_number",
            "legal_name",
            "trade_name",
            "legal_form",
            "street",
            "postcode",
            "municipality",
            "website",
            "phone",
            "contact_email",
            "activity_codes",
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
        # Filled in from the postcode when it serves a single locality.
        self.fields["municipality"].required = False

    def clean_enterprise_number(self) -> str:
        value = self.cleaned_data["enterprise_number"]
        bce.validate_enterprise_number(value)
        number = bce.normalise(value)
        if bce.is_short_form(value):
            # Show the ten-digit number before saving it: the person confirms what we read.
            self.data = self.data.copy()
            self.data[self.add_prefix("enterprise_number")] = bce.display(number)
            raise forms.ValidationError(
                _(
                    "Enterprise numbers have ten digits: we added the leading 0 and read "
                    "%(number)s. Check it against your extract of the register, then save again."
                ),
                code="bce_short_form",
                params={"number": bce.display(number)},
            )
        self.check_number(number)
        return number

    def check_number(self, number: str) -> None:
        """A number no other organisation has and, when it is new here, one the enterprise
        register knows as active (``check_in_register``)."""
        others = Organisation.objects.exclude(pk=self.instance.pk)
        if others.filter(enterprise_number=number).exists():
            raise forms.ValidationError(
                _(
                    "An organisation with this enterprise number is already registered. "
                    "Ask one of its members to invite you."
                ),
                code="bce_taken",
            )
        if self.instance.pk is None or number != self.instance.enterprise_number:
            check_in_register(number)

    @classmethod
    def looked_up(cls, data) -> tuple["OrganisationForm", register.Details | None]:
        """The form as the person filled it, completed from the enterprise register for the
        number typed ("Look up"), for them to check and save; the register's details, or
        None (the number's problem is then on its field, or no register is loaded)."""
        initial = {name: data.get(name, "") for name in cls.Meta.fields}
        typed = data.get("enterprise_number", "")
        try:
            bce.validate_enterprise_number(typed)
            number = bce.normalise(typed)
            cls().check_number(number)
        except forms.ValidationError as error:
            form = cls(initial=initial)
            # An unbound form keeps the values typed; only the number's problem shows.
            form._errors = ErrorDict({"enterprise_number": form.error_class(error.messages)})
            return form, None
        initial["enterprise_number"] = bce.display(number)
        details = register.lookup(number)
        if details is not None:
            initial.update(details.initial())
        return cls(initial=initial), details

    def clean(self):
        cleaned = super().clean()
        self.clean_locality(required=True)
        if not cleaned.get("municipality") and "municipality" not in self.errors:
            self.add_error("municipality", forms.Field.default_error_messages["required"])
        return cleaned


def check_in_register(number: str) -> None:
    """Refuse a number the enterprise register lists as stopped (bankrupt, dissolved, gone),
    and one it does not list at all, once a register is loaded (without one, any valid
    number is accepted, as before the register)."""
    enterprise = Enterprise.objects.filter(number=number).first()
    if enterprise is None:
        if register.is_loaded():
            raise forms.ValidationError(
                _(
                    "The Crossroads Bank for Enterprises has no active enterprise %(number)s. "
                    "Check the number on your extract of the register."
                ),
                code="bce_unknown",
                params={"number": bce.display(number)},
            )
        return
    reason = register.stop_reason(enterprise)
    if reason is not None:
        raise forms.ValidationError(
            _(
                "The Crossroads Bank for Enterprises lists the enterprise %(number)s as stopped "
                "(%(reason)s): only an active enterprise can register an organisation."
            ),
            code="bce_stopped",
            params={"number": bce.display(number), "reason": reason},
        )


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


class AccessibilityComplaintForm(forms.Form):
    """A report of an accessibility problem, for the administrators (``portal.accessibility``)."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(
        label=_("Your email address"), help_text=_("The administrators answer you at this address.")
    )
    page = forms.CharField(
        label=_("Page concerned"),
        max_length=500,
        required=False,
        help_text=_("Its address or its title, if the problem is on one page."),
    )
    description = LimitedText(
        label=_("Description of the problem"),
        limit=textlimits.COMMENT,
        help_text=_(
            "What you tried to do, what went wrong, and the browser or assistive technology "
            "you use, if you know it."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
