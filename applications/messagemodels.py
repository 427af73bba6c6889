"""What the portal says, as a programme words it, and the mailings that say it to many at
once (docs/messages.md). Registered in ``applications.models``."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from portal.models import OutgoingEmail
from portal.rules import rule


class MessageTemplate(models.Model):
    """A programme's own wording of a message (``portal.messages``), for the languages it
    rewords: ``texts`` maps a language code to its ``{"subject": …, "body": …}``; a language
    left out reads the default. Without a programme: the portal-wide wording of the account
    emails, which administrators keep."""

    programme = models.ForeignKey(
        "applications.Programme",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="message_templates",
    )
    key = models.CharField(_("message"), max_length=100)
    texts = models.JSONField(default=dict)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "key"], name="one_wording_per_programme_and_message"
            ),
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(programme__isnull=True),
                name="one_portal_wide_wording_per_message",
            ),
        ]

    def __str__(self) -> str:
        return self.key


class MessageTemplateChange(models.Model):
    """One change of a message's wording, as it stood after it (a reset keeps no text):
    the history an officer reads beside the editor. Kept when the wording is reset."""

    class Action(models.TextChoices):
        SAVED = "saved", _("reworded")
        RESET = "reset", _("reset to the default")

    programme = models.ForeignKey(
        "applications.Programme",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    key = models.CharField(_("message"), max_length=100)
    action = models.CharField(_("change"), max_length=10, choices=Action.choices)
    texts = models.JSONField(default=dict)
    changed_at = models.DateTimeField(_("changed on"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("change of a message template")
        verbose_name_plural = _("changes of message templates")
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["programme", "key", "-changed_at"])]

    def __str__(self) -> str:
        return f"{self.key} — {self.get_action_display()}"


class Mailing(models.Model):
    """Messages to many people about one call, prepared together (each rendered in its
    recipient's language and kept as rendered), previewed, then sent in the background:
    the decisions of a call, its hearing invitations. Failed emails are shown, and sent
    again on request."""

    class Kind(models.TextChoices):
        DECISIONS = "decisions", _("decisions")
        HEARINGS = "hearings", _("hearing invitations")

    class State(models.TextChoices):
        PREPARED = "prepared", _("prepared")
        SENT = "sent", _("sent")

    call = models.ForeignKey("applications.Call", on_delete=models.CASCADE, related_name="mailings")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    state = FSMField(_("state"), default=State.PREPARED, choices=State.choices, protected=True)
    created_at = models.DateTimeField(_("prepared on"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent on"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "kind"],
                condition=models.Q(state="prepared"),
                name="one_prepared_mailing_per_call_and_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.call}"

    def get_absolute_url(self) -> str:
        return reverse("applications:staff_mailing", args=[self.pk])

    @property
    def programme(self):
        return self.call.programme

    @transition(
        field=state,
        source=State.PREPARED,
        target=State.SENT,
        permission=rule("applications.send_mailing"),
    )
    def send(self, by=None, comment=""):
        self.sent_at = timezone.now()
        self.sent_by = by


class MailingEntry(models.Model):
    """One recipient's message in a mailing, as rendered when prepared; once the mailing
    is sent, the email that carries it (``None``: the person reads it in the portal only)."""

    class Delivery(models.TextChoices):
        PREPARED = "prepared", _("by email")
        PORTAL_ONLY = "portal_only", _("in the portal only")
        WAITING = "waiting", _("waiting")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="entries")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=100)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    attachments = models.JSONField(default=list)
    by_email = models.BooleanField(default=True)
    email = models.ForeignKey(
        "portal.OutgoingEmail", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("mailing recipient")
        verbose_name_plural = _("mailing recipients")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.recipient} — {self.subject}"

    @property
    def delivery(self) -> "MailingEntry.Delivery":
        """Where the message stands: still to send, read in the portal only, or its email
        waiting, sent or failed (an email gone from the outbox was sent: only those are
        purged)."""
        if not self.by_email:
            return self.Delivery.PORTAL_ONLY
        if self.mailing.state == Mailing.State.PREPARED:
            return self.Delivery.PREPARED
        if self.email is None:
            return self.Delivery.SENT
        return {
            OutgoingEmail.State.QUEUED: self.Delivery.WAITING,
            OutgoingEmail.State.FAILED: self.Delivery.FAILED,
        }.get(self.email.state, self.Delivery.SENT)
