"""Operations on endpoints and deliveries: creating an endpoint and regenerating its secret,
each attempt of a delivery (signed POST, outcome noted, next attempt scheduled with backoff),
pausing an endpoint that has failed for a day (its owner told) and resuming it, sending a
delivery again. docs/webhooks.md says why each choice."""

import http.client
import json
import logging
import socket
import time
import urllib.error
import urllib.request

from django.db import transaction
from django.utils import timezone

from portal.emails import send_to_user
from webhooks import addresses, signing
from webhooks.models import Delivery, Endpoint, new_secret
from webhooks.tasks import deliver_webhook

logger = logging.getLogger(__name__)

TIMEOUT = 10  # seconds an endpoint has to answer
USER_AGENT = "Guichet-Webhooks/1"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a new address to post to (it could lead inside)."""

    def redirect_request(self, *args, **kwargs):
        return None


def _checked(host: str):
    """``socket.create_connection`` that refuses, before any byte is sent, a connection
    that reached an address the portal may not post to (``addresses.check_peer``)."""

    def create_connection(address, *args, **kwargs):
        sock = socket.create_connection(address, *args, **kwargs)
        try:
            addresses.check_peer(host, sock.getpeername()[0])
        except addresses.RefusedAddress:
            sock.close()
            raise
        return sock

    return create_connection


class _CheckedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _checked(self.host)


class _CheckedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _checked(self.host)


class _CheckedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_CheckedHTTPConnection, req)


class _CheckedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_CheckedHTTPSConnection, req, context=self._context)


_opener = urllib.request.build_opener(_NoRedirect, _CheckedHTTPHandler, _CheckedHTTPSHandler)


def create_endpoint(endpoint: Endpoint, *, by) -> Endpoint:
    """Save a new endpoint, owned by ``by``, with a fresh secret (shown to them once)."""
    endpoint.owner = by
    endpoint.secret = new_secret()
    endpoint.save()
    return endpoint


def regenerate_secret(endpoint: Endpoint) -> str:
    """A new secret for ``endpoint``; deliveries are signed with it from now on."""
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret"])
    return endpoint.secret


def delete_endpoint(endpoint: Endpoint) -> None:
    """Remove ``endpoint`` and its deliveries; a task already enqueued finds nothing."""
    endpoint.delete()


def enqueue(delivery: Delivery) -> None:
    """Hand the delivery's next attempt to the task backend: deferred where the backend
    can, else at once if due; otherwise ``manage.py send_webhooks`` (cron) finds it."""
    task = deliver_webhook
    if delivery.next_attempt_at and delivery.next_attempt_at > timezone.now():
        if not task.get_backend().supports_defer:
            return
        task = task.using(run_after=delivery.next_attempt_at)
    try:
        task.enqueue(str(delivery.pk))
    except Exception:  # the queue is down: the cron job will enqueue it
        logger.exception("Could not enqueue webhook delivery %s", delivery.pk)


def enqueue_due(now=None) -> int:
    """Enqueue every delivery whose attempt has come; the number enqueued."""
    due = list(Delivery.objects.due(now).order_by("next_attempt_at"))
    for delivery in due:
        enqueue(delivery)
    return len(due)


def _post(delivery: Delivery) -> tuple[int | None, str, str]:
    """Post the signed body; (status code or None, response excerpt, error)."""
    endpoint = delivery.endpoint
    try:
        addresses.check(endpoint.url)
    except addresses.RefusedAddress as refusal:
        return None, "", str(refusal)
    body = json.dumps(delivery.body(), ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = int(time.time())
    request = urllib.request.Request(
        endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "Guichet-Event": delivery.event,
            "Guichet-Delivery": str(delivery.pk),
            "Guichet-Signature": signing.header(endpoint.secret, timestamp, body),
        },
    )
    try:
        with _opener.open(request, timeout=TIMEOUT) as response:
            return response.status, _excerpt(response), ""
    except urllib.error.HTTPError as error:
        return error.code, _excerpt(error), ""
    except addresses.RefusedAddress as refusal:
        return None, "", str(refusal)
    except Exception as error:  # refused, unreachable, timed out, TLS: all worth a retry
        return None, "", f"{type(error).__name__}: {error}"[:500]


def _excerpt(response) -> str:
    raw = response.read(Delivery.EXCERPT + 1)
    return raw[: Delivery.EXCERPT].decode("utf-8", errors="replace")


def deliver(delivery_id) -> str | None:
    """Make the delivery's next attempt, if due and not taken by another worker; its state
    afterwards (``None`` if no attempt was made)."""
    delivery = Delivery.claim(delivery_id)
    if delivery is None:
        return None
    status, excerpt, error = _post(delivery)
    now = timezone.now()
    delivery.last_status_code, delivery.response_excerpt = status, excerpt
    delivery.last_error, delivery.last_attempt_at = error, now
    endpoint = delivery.endpoint
    with transaction.atomic():
        if status is not None and 200 <= status < 300:
            delivery.state, delivery.next_attempt_at = Delivery.State.DELIVERED, None
            Endpoint.objects.filter(pk=endpoint.pk).update(failing_since=None)
        else:
            if delivery.attempts < Delivery.MAX_ATTEMPTS:
                delivery.next_attempt_at = now + Delivery.RETRY_DELAYS[delivery.attempts - 1]
            else:
                delivery.state, delivery.next_attempt_at = Delivery.State.FAILED, None
            endpoint = delivery.endpoint = _note_failure(endpoint, now)
        delivery.save()
    if delivery.state == Delivery.State.QUEUED and not endpoint.is_paused:
        transaction.on_commit(lambda: enqueue(delivery))
    logger.log(
        logging.INFO if delivery.state == Delivery.State.DELIVERED else logging.WARNING,
        "Webhook delivery %s, attempt %s: %s %s",
        delivery.pk,
        delivery.attempts,
        status,
        error,
    )
    return delivery.state


def _note_failure(endpoint: Endpoint, now) -> Endpoint:
    """Start the endpoint's failing period, or pause it once it has lasted a day; the
    endpoint as it now stands."""
    endpoint = (
        Endpoint.objects.select_for_update(of=("self",)).select_related("owner").get(pk=endpoint.pk)
    )
    if endpoint.failing_since is None:
        endpoint.failing_since = now
        endpoint.save(update_fields=["failing_since"])
    elif not endpoint.is_paused and now - endpoint.failing_since >= Endpoint.PAUSE_AFTER:
        pause(endpoint, at=now)
    return endpoint


def pause(endpoint: Endpoint, *, at=None) -> None:
    """Stop posting to ``endpoint`` (its deliveries wait) and tell its owner."""
    endpoint.paused_at = at or timezone.now()
    endpoint.save(update_fields=["paused_at"])
    if endpoint.owner is not None and endpoint.owner.is_active:
        send_to_user(endpoint.owner, "webhooks/emails/paused", {"endpoint": endpoint})


@transaction.atomic
def resume(endpoint: Endpoint) -> int:
    """Post to ``endpoint`` again: its waiting deliveries are attempted now; their number."""
    endpoint.paused_at = endpoint.failing_since = None
    endpoint.save(update_fields=["paused_at", "failing_since"])
    waiting = list(endpoint.deliveries.filter(state=Delivery.State.QUEUED))
    endpoint.deliveries.filter(state=Delivery.State.QUEUED).update(next_attempt_at=timezone.now())
    for delivery in waiting:
        transaction.on_commit(lambda pk=delivery.pk: enqueue(Delivery.objects.get(pk=pk)))
    return len(waiting)


def send_again(delivery: Delivery) -> None:
    """A new round of attempts for a delivery, whatever its outcome (staff's "send
    again"), once this commits."""
    delivery.queue_again()
    if not delivery.endpoint.is_paused:
        transaction.on_commit(lambda: enqueue(delivery))
