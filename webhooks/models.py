"""A programme's webhook endpoints and the deliveries of the events they subscribe to.

A ``Delivery`` is an outbox row, written in the transaction of the change it announces (a
rolled-back change announces nothing) and sent by the ``deliver_webhook`` task after commit,
again and again with exponential backoff until the endpoint answers 2xx
(docs/webhooks.md)."""

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Programme


class Event(models.TextChoices):
    """What an endpoint may subscribe to; the value is the ``type`` of the JSON body."""

    APPLICATION_SUBMITTED = "application.submitted", _("Dossier submitted")
    DECISION_RECORDED = "decision.recorded", _("Decision recorded")
    LABEL_ISSUED = "label.issued", _("Label issued")
    LABEL_SUSPENDED = "label.suspended", _("Label suspended")
    LABEL_REINSTATED = "label.reinstated", _("Label reinstated")
    LABEL_REVOKED = "label.revoked", _("Label revoked")
    LABEL_EXPIRED = "label.expired", _("Label expired")
    LABEL_RENEWED = "label.renewed", _("Label renewed")
    REPORT_FILED = "report.filed", _("Activity report filed")


def new_secret() -> str:
    """A signing secret: 32 random bytes, written so that it reads as one (``whsec_…``)."""
    return "whsec_" + secrets.token_urlsafe(32)


class EndpointQuerySet(models.QuerySet):
    def managed_by(self, user) -> "EndpointQuerySet":
        """The endpoints of the programmes ``user`` is officer of (every one for an
        administrator): the queryset twin of the ``webhooks.manage_endpoint`` rule."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(programme__staff__user=user, programme__staff__role="officer")


class Endpoint(models.Model):
    """An address of another system to which the programme's events are posted."""

    # An endpoint whose deliveries have all failed for this long is paused (and its owner told).
    PAUSE_AFTER = timedelta(days=1)

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(_("address"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list)
    # Kept as it is: the portal signs with it. Shown once, when created or regenerated.
    secret = models.CharField(max_length=100, default=new_secret, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    created_at = models.DateTimeField(_("created on"), default=timezone.now)
    # The first failed attempt since the last success (None while it answers).
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    paused_at = models.DateTimeField(_("paused on"), null=True, blank=True)

    objects = EndpointQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["programme", "url", "pk"]

    def __str__(self) -> str:
        return self.url

    def get_absolute_url(self) -> str:
        return reverse("webhooks:deliveries", args=[self.programme.slug, self.pk])

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    def event_labels(self) -> list[str]:
        return [Event(code).label for code in self.events if code in Event.values]


class DeliveryQuerySet(models.QuerySet):
    def due(self, now=None) -> "DeliveryQuerySet":
        """Waiting deliveries whose attempt has come, to endpoints that are not paused."""
        return self.filter(
            state=Delivery.State.QUEUED,
            next_attempt_at__lte=now or timezone.now(),
            endpoint__paused_at__isnull=True,
        )


class Delivery(models.Model):
    """One event posted to one endpoint, with the outcome of its last attempt."""

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    # The first attempt, then one after each delay: doubling from a minute up to four hours,
    # then every four hours, about 28 hours in all. An endpoint still failing after a day
    # (Endpoint.PAUSE_AFTER) is paused before the last attempts are spent.
    RETRY_DELAYS = tuple(timedelta(minutes=min(2**n, 240)) for n in range(14))
    MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
    # An attempt whose worker died before noting the outcome may be made again after this.
    LEASE = timedelta(minutes=5)
    EXCERPT = 500

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(_("event"), max_length=32, choices=Event.choices)
    # The same for every endpoint the event goes to: receivers deduplicate on it.
    event_id = models.UUIDField(_("event id"))
    occurred_at = models.DateTimeField(_("occurred on"))
    payload = models.JSONField(_("payload"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="queued")
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_status_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    last_error = models.CharField(_("error"), max_length=500, blank=True)
    response_excerpt = models.TextField(_("response"), blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(
        _("next attempt"), null=True, blank=True, default=timezone.now
    )
    created_at = models.DateTimeField(_("created on"), default=timezone.now)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "pk"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id}"

    def body(self) -> dict:
        """The JSON body posted: what receivers read (docs/webhooks.md)."""
        return {
            "id": str(self.event_id),
            "type": self.event,
            "occurred_at": self.occurred_at.isoformat(),
            "data": self.payload,
        }

    @classmethod
    def claim(cls, pk) -> "Delivery | None":
        """Take the delivery's next attempt if it is due and nobody else took it."""
        now = timezone.now()
        taken = (
            cls.objects.due(now)
            .filter(pk=pk)
            .update(attempts=F("attempts") + 1, next_attempt_at=now + cls.LEASE)
        )
        return cls.objects.select_related("endpoint").get(pk=pk) if taken else None

    def queue_again(self) -> None:
        """A new round of attempts, from now (staff's "send again")."""
        self.state, self.attempts, self.next_attempt_at = self.State.QUEUED, 0, timezone.now()
        self.save(update_fields=["state", "attempts", "next_attempt_at"])
