"""Labels awarded to granted dossiers, their public profile and their life (SPEC §3, §5)."""

import datetime as dt
import re
from datetime import timedelta

from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from applications.models import Application, Programme, Service, programme_staff
from portal import links, postcodes, textlimits
from portal.folding import fold
from portal.models import LegalForm, Organisation, StateChange
from portal.rules import rule
from portal.transitions import SYSTEM

# A label number is an identifier printed on certificates and read in exports: it starts
# with a letter or a digit (never with what a spreadsheet would run as a formula).
label_number_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9./_-]*\Z",
    _(
        "A label number starts with a letter or a digit and holds only letters, digits, "
        "dots, slashes, hyphens and underscores."
    ),
)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` months, on the month's last day when it has no such day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def last_valid_day(issued_on: dt.date, months: int) -> dt.date:
    """The last day of a label issued on ``issued_on`` for ``months`` months: 36 months
    from 31 March 2026 end on 30 March 2029."""
    return add_months(issued_on, months) - timedelta(days=1)


def label_counter(programme_id: int, year: int) -> str:
    """The key of the ``Counter`` numbering a programme's labels issued in ``year``."""
    return f"label:{programme_id}:{year}"


def label_number(prefix: str, year: int, sequence: int) -> str:
    """A label's number, ``CW-LBL-2012-002``: the programme's reference prefix, ``LBL``,
    the year of issue and the label's number in that year, on three digits at least. The
    one format of label numbers: issuance, imports and the benchmark use it."""
    return f"{prefix}-LBL-{year}-{sequence:03d}"


def parse_label_number(number: str, prefix: str) -> tuple[int, int] | None:
    """The year and sequence of ``number`` when it belongs to the series of the programme
    whose reference prefix is ``prefix`` (see :func:`label_number`); else ``None`` (a
    legacy number of another form)."""
    match = re.fullmatch(rf"{re.escape(prefix)}-LBL-([0-9]{{4}})-([0-9]+)", number or "")
    return (int(match[1]), int(match[2])) if match else None


class LabelQuerySet(models.QuerySet):
    def public(self) -> "LabelQuerySet":
        """Labels shown in the public directory: active and within their validity (even
        before the daily job has marked a passed one expired)."""
        return self.filter(state=Label.State.ACTIVE, valid_until__gte=timezone.localdate())

    def lapsed(self, today=None) -> "LabelQuerySet":
        """Labels still active or suspended whose validity has passed: a visitor already
        reads them as expired (``Label.effective_state``), the daily job expires them."""
        return self.filter(
            state__in=[Label.State.ACTIVE, Label.State.SUSPENDED],
            valid_until__lt=today or timezone.localdate(),
        )

    def expiring_within(self, days: int, today=None) -> "LabelQuerySet":
        today = today or timezone.localdate()
        return self.public().filter(valid_until__lte=today + timedelta(days=days))

    def held_by(self, user) -> "LabelQuerySet":
        """Labels of the organisations ``user`` is a member of, whatever their state: the
        holder's list (twin of ``labels.rules.is_holder``)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(organisation__memberships__user=user)

    def staff_visible_to(self, user) -> "LabelQuerySet":
        """Labels of the programmes where ``user`` is officer or ministry."""
        if user.is_superuser:
            return self
        return self.filter(programme_staff(user, "programme"))


class Label(ConcurrentTransitionMixin, models.Model):
    """A programme's label held by an organisation, issued when its dossier was granted."""

    class State(models.TextChoices):
        ACTIVE = "active", _("valid")
        SUSPENDED = "suspended", _("suspended")
        REVOKED = "revoked", _("revoked")
        EXPIRED = "expired", _("expired")
        RENEWED = "renewed", _("renewed")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="labels")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="labels")
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="label")
    number = models.CharField(
        _("label number"), max_length=24, unique=True, validators=[label_number_validator]
    )
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"), db_index=True)
    state = FSMField(
        _("state"), default=State.ACTIVE, choices=State.choices, protected=True, db_index=True
    )
    superseded_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="supersedes"
    )
    expiry_notice_sent_on = models.DateField(null=True, blank=True, editable=False)
    # The site address the last certificate drawn for this label points to, so that
    # ``manage.py regenerate_certificates`` finds those printed with a wrong one.
    certificate_site_url = models.CharField(max_length=200, blank=True, editable=False)
    # The signed statement (compact JWS, ``labels.verification``) its certificate's QR code
    # carries: signed once, so that every copy of the certificate carries the same.
    statement = models.TextField(blank=True, editable=False)
    # Where the space is (copied from the dossier) and its public profile (kept by the holder)
    street = models.CharField(_("street and number"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=4)
    municipality = models.CharField(_("municipality"), max_length=100, db_index=True)
    province = models.CharField(
        _("province"), max_length=3, choices=postcodes.Province.choices, db_index=True
    )
    space_name = models.CharField(_("name of the space"), max_length=200)
    description = textlimits.LimitedTextField(
        _("description"), blank=True, max_length=textlimits.SUMMARY
    )
    services = models.ManyToManyField(
        Service, blank=True, related_name="labels", verbose_name=_("services")
    )
    capacity = models.PositiveIntegerField(_("workstations"), null=True, blank=True)
    opening_hours = textlimits.LimitedTextField(
        _("opening hours"), blank=True, max_length=textlimits.SHORT
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    website = models.URLField(_("website"), blank=True)
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)

    objects = LabelQuerySet.as_manager()

    class Meta:
        verbose_name = _("label")
        verbose_name_plural = _("labels")
        ordering = ["number"]
        indexes = [models.Index(fields=["state", "province"])]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs):
        self.province = postcodes.province_for(self.postcode)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("labels:space", args=[self.number])

    @property
    def public_space_name(self) -> str:
        """The space's name as the portal publishes it to other systems: empty when the
        holder is a sole trader and the space still bears their own name (a person's name,
        as the open data of the labels directory leaves it out too)."""
        organisation = self.organisation
        if organisation.legal_form == LegalForm.SOLE_TRADER and fold(self.space_name) == fold(
            organisation.legal_name
        ):
            return ""
        return self.space_name

    @property
    def effective_state(self) -> str:
        """The state a visitor must read: a label past its validity is expired, whether or
        not the daily job has run yet. SQL twins: ``public()`` (reads "valid") and
        ``lapsed()`` (reads "expired" before the job), tested together."""
        if self.state in (self.State.ACTIVE, self.State.SUSPENDED) and self._validity_passed():
            return self.State.EXPIRED
        return self.state

    def status_since(self) -> dt.date | None:
        """The day the label entered the state a visitor reads: suspended since, revoked or
        renewed on, expired on (the day after its last valid day); none while valid."""
        state = self.effective_state
        if state == self.State.ACTIVE:
            return None
        if state == self.State.EXPIRED:
            return self.valid_until + timedelta(days=1)
        if state == self.State.RENEWED and self.superseded_by_id:
            # Renewed the day its successor was issued, which a grant may date in the past.
            return self.superseded_by.issued_on
        change = (
            StateChange.objects.filter(
                content_type__app_label="labels",
                content_type__model="label",
                object_id=self.pk,
                target=state,
            )
            # An import says when the file was read, not when a legacy label changed.
            .exclude(transition="import")
            .order_by("-at")
            .first()
        )
        return timezone.localdate(change.at) if change else None

    @property
    def expires_soon(self) -> bool:
        """Valid, and ending within 90 days."""
        today = timezone.localdate()
        return self.state == self.State.ACTIVE and today <= self.valid_until <= today + timedelta(
            days=90
        )

    def verification_url(self, request=None) -> str:
        """The public verification page, as printed and encoded on the certificate."""
        return links.absolute_url(reverse("labels:verify", args=[self.number]), request)

    def _validity_passed(self) -> bool:
        """``valid_until`` is the last valid day (Brussels)."""
        return self.valid_until < timezone.localdate()

    @transition(
        field=state,
        source=State.ACTIVE,
        target=State.SUSPENDED,
        permission=rule("labels.manage_label"),
    )
    def suspend(self, by=None, comment=""):
        """An officer suspends the label, with a reason."""

    @transition(
        field=state,
        source=State.SUSPENDED,
        target=State.ACTIVE,
        permission=rule("labels.manage_label"),
    )
    def reinstate(self, by=None, comment=""):
        """An officer reinstates a suspended label."""

    @transition(
        field=state,
        source=[State.ACTIVE, State.SUSPENDED],
        target=State.REVOKED,
        permission=rule("labels.manage_label"),
    )
    def revoke(self, by=None, comment=""):
        """An officer revokes the label, with a reason; this is final."""

    @transition(
        field=state,
        source=[State.ACTIVE, State.SUSPENDED],
        target=State.EXPIRED,
        conditions=[_validity_passed],
        custom=SYSTEM,
    )
    def expire(self, by=None, comment=""):
        """The daily job expires a label whose validity has passed (suspended ones too)."""

    @transition(
        field=state, source=[State.ACTIVE, State.EXPIRED], target=State.RENEWED, custom=SYSTEM
    )
    def renew(self, by=None, comment="", successor=None):
        """A granted renewal dossier of the same holder supersedes this label."""
        self.superseded_by = successor


class SigningKey(models.Model):
    """A key the agency signs label statements and the status list with (Ed25519,
    ``labels.signing``). Its private half is kept encrypted and never leaves the server; a
    retired key signs nothing more but stays published, so that the certificates it
    signed still verify."""

    kid = models.CharField(_("key identifier"), max_length=64, unique=True)
    public_jwk = models.JSONField(_("public key"))
    # The private key (PKCS#8 PEM) encrypted with LABEL_SIGNING_SECRET (Fernet).
    encrypted_private_key = models.TextField(editable=False)
    created_at = models.DateTimeField(_("created on"), default=timezone.now)
    retired_at = models.DateTimeField(_("retired on"), null=True, blank=True)

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.kid


class StatusList(models.Model):
    """The signed list of labels whose certificates must no longer be trusted (suspended,
    revoked, renewed), as last published (``labels.verification``); older ones are
    deleted."""

    issued_at = models.DateTimeField(db_index=True)
    token = models.TextField()
    content = models.JSONField()

    class Meta:
        ordering = ["-issued_at", "-pk"]

    def __str__(self) -> str:
        return self.issued_at.isoformat()
