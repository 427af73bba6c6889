"""People and the organisations they act for."""

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import bce, postcodes
from portal.roles import Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.update(is_staff=True, is_superuser=True, is_active=True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username: str) -> "User":
        # Email addresses are stored lower-case, so sign-in ignores case.
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the pages and of the emails you receive."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Unconfirmed sign-ups stay inactive until they follow their email link."),
    )
    is_staff = models.BooleanField(_("may use the administration"), default=False)
    date_joined = models.DateTimeField(_("joined on"), default=timezone.now)
    erased_at = models.DateTimeField(
        _("account deleted on"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The person deleted their account: their name and address are erased."),
    )

    # Only a keyed hash of the Belgian national number a sign-in service sent (portal/oidc.py),
    # so that the next sign-in finds the account; never the number itself.
    national_number_hash = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )

    # The categories of notification (``portal.notifications.CATEGORIES``) the person reads
    # in the portal only, without an email.
    email_opt_out = models.JSONField(_("categories not sent by email"), default=list, blank=True)
    # Kept with the row, which every signed-in page loads anyway, so that the header's
    # "Inbox (3)" costs no query; ``portal.notifications`` keeps it in step.
    unread_notifications = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        if self.erased_at:
            return str(_("deleted account"))
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def roles(self) -> list[Role]:
        """The roles this person holds, the most senior first."""
        from portal.roles import roles_of

        return roles_of(self)


class ExternalIdentity(models.Model):
    """A person's identity at an OpenID Connect provider, linked to their account: the
    provider's name and a keyed hash of its subject identifier (portal/oidc.py)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="external_identities", verbose_name=_("user")
    )
    provider = models.CharField(_("sign-in service"), max_length=50)
    subject_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("linked on"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used on"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in service link")
        verbose_name_plural = _("sign-in service links")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "subject_hash"], name="one_account_per_external_identity"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider}: {self.user}"


class LegalForm(models.TextChoices):
    ASBL = "ASBL", _("Non-profit association (ASBL)")
    SRL = "SRL", _("Private limited company (SRL)")
    SA = "SA", _("Public limited company (SA)")
    SC = "SC", _("Cooperative company (SC)")
    SNC = "SNC", _("General partnership (SNC)")
    SCOMM = "SCOMM", _("Limited partnership (SComm)")
    FOUNDATION = "FOND", _("Foundation")
    SOLE_TRADER = "PP", _("Sole trader")
    MUNICIPALITY = "COMM", _("Municipality")
    PROVINCE = "PROV", _("Province")
    INTERMUNICIPAL = "INTER", _("Intermunicipal body")
    CPAS = "CPAS", _("Public social welfare centre (CPAS)")
    PUBLIC_BODY = "OIP", _("Other public body")
    OTHER = "AUTRE", _("Other")


class OrganisationQuerySet(models.QuerySet):
    def of_member(self, user) -> "OrganisationQuerySet":
        """The organisations ``user`` belongs to."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            models.Exists(Membership.objects.filter(organisation=models.OuterRef("pk"), user=user))
        )

    def visible_to(self, user) -> "OrganisationQuerySet":
        """The organisations ``user`` may see: those they belong to (administrators see all).

        The queryset twin of the ``portal.view_organisation`` rule.
        """
        if user.is_authenticated and user.is_superuser:
            return self
        return self.of_member(user)

    def count_by_province(self) -> list[tuple[str, int]]:
        """(province name, number of organisations), most numerous first."""
        rows = self.values_list("province").annotate(count=models.Count("pk"))
        return [
            (postcodes.Province(code).label, count)
            for code, count in rows.order_by("-count", "province")
        ]


class Organisation(models.Model):
    """The legal entity that carries dossiers and holds labels (structure porteuse)."""

    legal_name = models.CharField(_("legal name"), max_length=200)
    trade_name = models.CharField(_("trade name"), max_length=200, blank=True)
    legal_form = models.CharField(_("legal form"), max_length=8, choices=LegalForm.choices)
    enterprise_number = models.CharField(
        _("enterprise number (BCE)"),
        max_length=10,
        unique=True,
        validators=[bce.validate_enterprise_number],
        help_text=_("Ten digits, as in the Crossroads Bank for Enterprises: 0566.988.259."),
    )
    street = models.CharField(_("street and number"), max_length=200)
    postcode = models.CharField(
        _("postcode"), max_length=4, validators=[postcodes.validate_postcode]
    )
    municipality = models.CharField(_("municipality"), max_length=100)
    province = models.CharField(
        _("province"), max_length=3, choices=postcodes.Province.choices, editable=False
    )
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    contact_email = models.EmailField(_("contact email"))
    activity_codes = models.CharField(
        _("activity codes (NACE-BEL)"),
        max_length=200,
        blank=True,
        help_text=_("The main activities, as in the register: 62.010, 70.220."),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Membership",
        related_name="organisations",
        verbose_name=_("members"),
    )
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["legal_name"]
        indexes = [models.Index(fields=["province"])]

    def __str__(self) -> str:
        return self.trade_name or self.legal_name

    def save(self, *args, **kwargs):
        self.enterprise_number = bce.normalise(self.enterprise_number)
        self.province = postcodes.province_for(self.postcode)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("portal:organisation_detail", args=[self.pk])

    @property
    def enterprise_number_display(self) -> str:
        return bce.display(self.enterprise_number)

    @property
    def province_label(self) -> str:
        return postcodes.Province(self.province).label if self.province else ""


class Membership(models.Model):
    """A person's place in an organisation; owners manage its members."""

    class Role(models.TextChoices):
        OWNER = "owner", _("manager")
        MEMBER = "member", _("member")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("joined on"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"


class InvitationQuerySet(models.QuerySet):
    def pending(self) -> "InvitationQuerySet":
        cutoff = timezone.now() - settings.INVITATION_VALIDITY
        return self.filter(accepted_at__isnull=True, created_at__gte=cutoff)

    def for_email(self, email: str) -> "InvitationQuerySet":
        return self.filter(email__iexact=email)


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An email invitation to join an organisation, accepted by the person it names."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    email = models.EmailField(_("email address"))
    token = models.CharField(
        _("secret link code"), max_length=64, unique=True, default=new_invitation_token
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent on"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted on"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        indexes = [models.Index(Lower("email"), name="invitation_email_ci")]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("portal:invitation", args=[self.token])

    @property
    def expires_at(self):
        return self.created_at + settings.INVITATION_VALIDITY

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and timezone.now() < self.expires_at

    def problem_for(self, user) -> str | None:
        """Why ``user`` cannot accept this invitation ("expired", "other_address"), if so."""
        if not self.is_pending:
            return "expired"
        if self.email.lower() != user.email.lower():
            return "other_address"
        return None


class StateChange(models.Model):
    """One transition of a state machine: who moved which object from what to what, and why.

    Shared by every machine (dossiers, labels, activity reports). Rows are written in the
    transaction of the change and never edited, by four functions only:
    ``portal.transitions.perform`` (a transition), ``portal.transitions.record_creation`` (an
    object created in its first state) and ``portal.imports.record_imported`` (an imported
    row in a later state, transition ``"import"``) and ``portal.transitions.note`` (a step that
    keeps the state, such as a label's non-conformity opened).
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    transition = models.CharField(_("transition"), max_length=64)
    source = models.CharField(_("from"), max_length=32)
    target = models.CharField(_("to"), max_length=32)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise PermissionError("The history is written once and never edited.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The history is never deleted.")


class Counter(models.Model):
    """Gap-free sequences (dossier references, label numbers), one row per key."""

    key = models.CharField(max_length=64, unique=True)
    value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")

    def __str__(self) -> str:
        return f"{self.key} = {self.value}"

    @classmethod
    def next(cls, key: str) -> int:
        """The next number of ``key``; call inside the transaction that uses it."""
        cls.objects.get_or_create(key=key)
        counter = cls.objects.select_for_update().get(key=key)
        counter.value = models.F("value") + 1
        counter.save(update_fields=["value"])
        counter.refresh_from_db(fields=["value"])
        return counter.value

    @classmethod
    def reach(cls, key: str, value: int) -> None:
        """Make sure the next number of ``key`` comes after ``value`` (a number taken
        outside the sequence, e.g. by an import of legacy records)."""
        cls.objects.get_or_create(key=key)
        cls.objects.filter(key=key, value__lt=value).update(value=value)


class OutgoingEmailQuerySet(models.QuerySet):
    def due(self, now=None):
        """Waiting emails whose next attempt has come."""
        return self.filter(
            state=OutgoingEmail.State.QUEUED, next_attempt_at__lte=now or timezone.now()
        )

    def failed(self):
        return self.filter(state=OutgoingEmail.State.FAILED)

    def purgeable(self, days: int, now=None):
        """Sent more than ``days`` days ago. Waiting and failed emails are never purged: a
        failed one stays until an administrator sends it again (or deletes it)."""
        cutoff = (now or timezone.now()) - timedelta(days=days)
        return self.filter(state=OutgoingEmail.State.SENT, sent_at__lt=cutoff)


class OutgoingEmail(models.Model):
    """The outbox: every email, rendered, waits here until the ``deliver_email`` task sends it.
    When the mail server refuses, the attempt is retried after each of ``RETRY_DELAYS``;
    once they are spent the email is "failed", shown to administrators, who may send it again
    (tasks do not retry by themselves, SPEC §10)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    # The first attempt, then one after each delay: about fifteen hours of outage bridged.
    RETRY_DELAYS = (
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=30),
        timedelta(hours=2),
        timedelta(hours=12),
    )
    MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
    # An attempt whose worker died before noting the outcome may be made again after this.
    LEASE = timedelta(minutes=10)

    recipient = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=998)
    body = models.TextField(_("body"))
    # (file name, base64 content, MIME type) of each attachment.
    attachments = models.JSONField(default=list, blank=True, editable=False)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created on"), default=timezone.now)
    next_attempt_at = models.DateTimeField(
        _("next attempt"), null=True, blank=True, default=timezone.now
    )
    sent_at = models.DateTimeField(_("sent on"), null=True, blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.subject} → {self.recipient}"

    @classmethod
    def claim(cls, pk: int) -> "OutgoingEmail | None":
        """Take the email's next attempt if it is due and nobody else took it (``None``
        otherwise): a task enqueued twice (by itself and by ``send_queued_emails``) sends once."""
        now = timezone.now()
        taken = (
            cls.objects.due(now)
            .filter(pk=pk)
            .update(attempts=models.F("attempts") + 1, next_attempt_at=now + cls.LEASE)
        )
        return cls.objects.get(pk=pk) if taken else None

    def mark_sent(self) -> None:
        self.state, self.sent_at, self.next_attempt_at = self.State.SENT, timezone.now(), None
        self.save(update_fields=["state", "sent_at", "next_attempt_at"])

    def mark_failed_attempt(self, error: str) -> None:
        """Note the error; wait for the next attempt, or give up after the last."""
        self.last_error = error
        if self.attempts < self.MAX_ATTEMPTS:
            self.next_attempt_at = timezone.now() + self.RETRY_DELAYS[self.attempts - 1]
        else:
            self.state, self.next_attempt_at = self.State.FAILED, None
        self.save(update_fields=["last_error", "state", "next_attempt_at"])

    def queue_again(self) -> None:
        """A new round of attempts, from now (an administrator's "send again")."""
        self.state, self.attempts, self.next_attempt_at = self.State.QUEUED, 0, timezone.now()
        self.save(update_fields=["state", "attempts", "next_attempt_at"])


def export_path(export: "BackgroundExport", filename: str) -> str:
    return f"exports/{export.pk}/{filename}"


class BackgroundExport(models.Model):
    """A large export written by a background task and downloaded by the person who asked
    for it (SPEC §8). ``kind``, ``scope`` and ``query`` rebuild the filtered list through
    ``portal.exports.KINDS``; ``state`` is a job's progress, not a domain state machine."""

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("being written")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="background_exports",
        verbose_name=_("owner"),
    )
    kind = models.CharField(_("kind"), max_length=32)
    scope = models.CharField(
        _("scope"), max_length=100, blank=True, help_text=_("The call, for a call's lists.")
    )
    format = models.CharField(_("format"), max_length=16)
    query = models.TextField(_("filter"), blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    file = models.FileField(upload_to=export_path, max_length=200, blank=True)
    error = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(_("asked on"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished on"), null=True, blank=True)

    class Meta:
        verbose_name = _("background export")
        verbose_name_plural = _("background exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind}.{self.format} — {self.owner}"

    def get_absolute_url(self) -> str:
        return reverse("portal:export_detail", args=[self.pk])

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return min(99, self.rows_done * 100 // self.rows_total) if self.rows_total else 0

    @property
    def is_running(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)


def import_path(job: "BackgroundImport", filename: str) -> str:
    return f"imports/{job.pk}/{filename}"


class BackgroundImport(models.Model):
    """A large file imported in the admin by background tasks: first checked (every row
    validated, nothing written), then, once its owner confirms a valid file, imported in
    one transaction. ``model`` names the admin's model (``app_label.model_name``) whose
    import resource reads the file; ``state`` is a job's progress, not a domain state."""

    class State(models.TextChoices):
        CHECKING = "checking", _("being checked")
        INVALID = "invalid", _("has errors")
        CHECKED = "checked", _("ready to import")
        IMPORTING = "importing", _("being imported")
        DONE = "done", _("imported")
        FAILED = "failed", _("failed")

    RUNNING_STATES = (State.CHECKING, State.IMPORTING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="background_imports",
        verbose_name=_("owner"),
    )
    model = models.CharField(_("records"), max_length=64)
    format = models.CharField(_("format"), max_length=16)
    file = models.FileField(upload_to=import_path, max_length=200)
    file_name = models.CharField(_("file"), max_length=200)
    language = models.CharField(_("language"), max_length=8, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.CHECKING
    )
    rows_done = models.PositiveIntegerField(_("rows read"), default=0)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    new_rows = models.PositiveIntegerField(_("new records"), default=0)
    updated_rows = models.PositiveIntegerField(_("updated records"), default=0)
    invalid_rows = models.PositiveIntegerField(_("rows with errors"), default=0)
    row_errors = models.JSONField(default=list, blank=True, editable=False)
    error = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(_("asked on"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished on"), null=True, blank=True)

    class Meta:
        verbose_name = _("background import")
        verbose_name_plural = _("background imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} — {self.owner}"

    def get_absolute_url(self) -> str:
        return reverse("portal:import_detail", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.state in self.RUNNING_STATES

    @property
    def progress_key(self) -> str:
        return f"import-progress:{self.pk}"

    def progress(self) -> int:
        """Rows read so far. A running task holds its rows inside one transaction, so it
        publishes its progress through the cache (shared by every process when
        ``CACHE_URL`` is set); the row keeps the figure of the last finished step."""
        from django.core.cache import cache

        if not self.is_running:
            return self.rows_done
        return min(cache.get(self.progress_key, self.rows_done), self.rows_total)

    @property
    def percent(self) -> int:
        if not self.is_running:
            return 100
        return min(99, self.progress() * 100 // self.rows_total) if self.rows_total else 0


class Notification(models.Model):
    """A message of the portal to a person, kept in their inbox whether or not it was also
    emailed: what happened to their dossiers, reviews, labels and reports."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    # The email's template name, e.g. "review/emails/invited".
    kind = models.CharField(_("kind"), max_length=100)
    subject = models.CharField(_("subject"), max_length=998)
    body = models.TextField(_("message"), blank=True)
    # The main link of the message: a path on the portal, or empty.
    link = models.CharField(_("link"), max_length=500, blank=True)
    emailed = models.BooleanField(_("also sent by email"), default=True)
    created_at = models.DateTimeField(_("received on"), default=timezone.now)
    read_at = models.DateTimeField(_("read on"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("portal:notification", args=[self.pk])

    @property
    def excerpt(self) -> str:
        """The body without its greeting ("Hello Anne,") nor its links, on one line."""
        paragraphs = [p.strip() for p in self.body.split("\n\n") if p.strip()]
        if len(paragraphs) > 1 and "\n" not in paragraphs[0] and paragraphs[0].endswith(","):
            paragraphs = paragraphs[1:]
        lines = [
            line.strip()
            for paragraph in paragraphs
            for line in paragraph.splitlines()
            if line.strip() and not line.strip().startswith(("http://", "https://"))
        ]
        return " ".join(lines)


from portal.registermodels import (  # noqa: E402, F401
    Activity,
    Denomination,
    Enterprise,
    EnterpriseAddress,
    RegisterCode,
    RegisterExtract,
)
