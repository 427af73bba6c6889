"""Deliveries reach the receiving system signed, are retried with exponential backoff until
it answers 2xx, and an endpoint failing for a day is paused and its owner told."""

import datetime as dt
import io
import json

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from portal.models import Notification
from webhooks import events, services, signing
from webhooks.models import Delivery, Endpoint, Event

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def announce(programme, capture, payload=None):
    with capture(execute=True):
        (delivery,) = events.record(
            Event.LABEL_ISSUED, programme.pk, payload or {"number": "CW-LBL-2026-001"}
        )
    delivery.refresh_from_db()
    return delivery


def test_a_delivery_is_signed_and_the_receiver_can_check_it(
    endpoint, programme, receiver, django_capture_on_commit_callbacks
):
    delivery = announce(programme, django_capture_on_commit_callbacks)

    (request,) = receiver.requests
    timestamp = signing.verify(endpoint.secret, request.headers["Guichet-Signature"], request.body)
    assert request.headers["Guichet-Event"] == "label.issued"
    assert request.headers["Guichet-Delivery"] == str(delivery.pk)
    assert request.headers["Content-Type"] == "application/json"
    assert request.json == {
        "id": str(delivery.event_id),
        "type": "label.issued",
        "occurred_at": delivery.occurred_at.isoformat(),
        "data": {"number": "CW-LBL-2026-001"},
    }
    assert abs(timestamp - delivery.last_attempt_at.timestamp()) < 5
    assert delivery.state == Delivery.State.DELIVERED
    assert delivery.last_status_code == 200
    assert delivery.response_excerpt == "answer 200"


def test_a_forged_altered_or_replayed_delivery_is_rejected(
    endpoint, programme, receiver, django_capture_on_commit_callbacks
):
    announce(programme, django_capture_on_commit_callbacks)
    (request,) = receiver.requests
    header = request.headers["Guichet-Signature"]
    timestamp = int(header.split(",")[0].removeprefix("t="))

    with pytest.raises(signing.InvalidSignature):
        signing.verify("whsec_another", header, request.body)
    with pytest.raises(signing.InvalidSignature):
        signing.verify(endpoint.secret, header, request.body.replace(b"001", b"002"))
    with pytest.raises(signing.InvalidSignature, match="tolerance"):
        signing.verify(endpoint.secret, header, request.body, now=timestamp + 301)
    assert signing.verify(endpoint.secret, header, request.body, now=timestamp + 299) == timestamp


def test_a_regenerated_secret_signs_the_next_deliveries(
    endpoint, programme, receiver, django_capture_on_commit_callbacks
):
    former = endpoint.secret
    new = services.regenerate_secret(endpoint)
    announce(programme, django_capture_on_commit_callbacks)

    (request,) = receiver.requests
    assert new != former
    signing.verify(new, request.headers["Guichet-Signature"], request.body)
    with pytest.raises(signing.InvalidSignature):
        signing.verify(former, request.headers["Guichet-Signature"], request.body)


def test_a_500_is_retried_with_growing_delays_until_it_succeeds(
    endpoint, programme, receiver, django_capture_on_commit_callbacks
):
    receiver.answer_with(500, 500, 503)
    with time_machine.travel(START, tick=False) as clock:
        delivery = announce(programme, django_capture_on_commit_callbacks)
        waits = []
        while delivery.state == Delivery.State.QUEUED:
            waits.append(delivery.next_attempt_at - dt.datetime.now(dt.UTC))
            # Nothing is attempted before its time.
            clock.shift(waits[-1] - dt.timedelta(seconds=1))
            assert services.enqueue_due() == 0
            clock.shift(dt.timedelta(seconds=1))
            with django_capture_on_commit_callbacks(execute=True):
                assert services.enqueue_due() == 1
            delivery.refresh_from_db()

    assert waits == [dt.timedelta(minutes=1), dt.timedelta(minutes=2), dt.timedelta(minutes=4)]
    assert len(receiver.requests) == 4
    assert delivery.state == Delivery.State.DELIVERED
    assert delivery.attempts == 4
    assert delivery.last_status_code == 200
    # Every attempt carried the same event: receivers deduplicate on its id.
    assert len({json.loads(r.body)["id"] for r in receiver.requests}) == 1
    endpoint.refresh_from_db()
    assert endpoint.failing_since is None


def test_an_unreachable_endpoint_is_retried_with_the_error_noted(
    endpoint, programme, receiver, django_capture_on_commit_callbacks
):
    Endpoint.objects.filter(pk=endpoint.pk).update(url="http://127.0.0.1:9/nobody")

    delivery = announce(programme, django_capture_on_commit_callbacks)

    assert delivery.state == Delivery.State.QUEUED
    assert delivery.last_status_code is None
    assert "URLError" in delivery.last_error
    assert delivery.next_attempt_at is not None


def test_an_endpoint_failing_for_a_day_is_paused_its_owner_told_and_resumed(
    endpoint, programme, officer, receiver, django_capture_on_commit_callbacks
):
    receiver.answer_with(*[500] * 50)
    with time_machine.travel(START, tick=False) as clock:
        delivery = announce(programme, django_capture_on_commit_callbacks)
        endpoint.refresh_from_db()
        assert endpoint.failing_since == START
        while not endpoint.is_paused:
            clock.move_to(delivery.next_attempt_at)
            with django_capture_on_commit_callbacks(execute=True):
                services.enqueue_due()
            delivery.refresh_from_db()
            endpoint.refresh_from_db()
        paused_at = endpoint.paused_at
        attempts = len(receiver.requests)

        # Paused: nothing more is sent, new events wait.
        clock.shift(dt.timedelta(days=2))
        waiting = announce(programme, django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            assert services.enqueue_due() == 0

    assert paused_at - START >= Endpoint.PAUSE_AFTER
    assert paused_at - START < Endpoint.PAUSE_AFTER + dt.timedelta(hours=4)
    assert len(receiver.requests) == attempts
    assert waiting.state == Delivery.State.QUEUED and waiting.attempts == 0
    (email,) = mail.outbox
    assert email.to == [officer.email]
    assert endpoint.url in email.subject
    assert endpoint.get_absolute_url() in email.body
    assert Notification.objects.filter(recipient=officer, kind="webhooks/emails/paused").exists()

    receiver.answer_with()  # the receiving system is repaired
    with django_capture_on_commit_callbacks(execute=True):
        assert services.resume(endpoint) == 2

    endpoint.refresh_from_db()
    assert not endpoint.is_paused and endpoint.failing_since is None
    states = set(Delivery.objects.values_list("state", flat=True))
    assert states == {Delivery.State.DELIVERED}
    assert len(mail.outbox) == 1


def test_the_last_attempt_spent_leaves_the_delivery_failed_and_send_again_retries_it(
    endpoint, programme, receiver, django_capture_on_commit_callbacks
):
    delivery = announce(programme, django_capture_on_commit_callbacks)
    Delivery.objects.filter(pk=delivery.pk).update(
        state=Delivery.State.FAILED, attempts=Delivery.MAX_ATTEMPTS, next_attempt_at=None
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.send_again(Delivery.objects.get(pk=delivery.pk))

    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.DELIVERED
    assert delivery.attempts == 1
    assert len(receiver.requests) == 2


def test_an_address_moved_inside_is_refused_at_send_time(
    endpoint, programme, receiver, django_capture_on_commit_callbacks
):
    Endpoint.objects.filter(pk=endpoint.pk).update(url="https://10.1.2.3/hooks")

    delivery = announce(programme, django_capture_on_commit_callbacks)

    assert delivery.state == Delivery.State.QUEUED
    assert delivery.last_status_code is None
    assert "réseau privé ou interne" in delivery.last_error
    assert receiver.requests == []


def test_a_redirect_is_a_failure_not_followed(
    endpoint, programme, receiver, django_capture_on_commit_callbacks
):
    receiver.answer_with(302)

    delivery = announce(programme, django_capture_on_commit_callbacks)

    assert delivery.state == Delivery.State.QUEUED
    assert delivery.last_status_code == 302
    assert len(receiver.requests) == 1


def test_the_cron_command_enqueues_what_is_due(
    endpoint, programme, receiver, django_capture_on_commit_callbacks
):
    receiver.answer_with(500)
    with time_machine.travel(START, tick=False) as clock:
        delivery = announce(programme, django_capture_on_commit_callbacks)
        clock.shift(dt.timedelta(minutes=1))
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_webhooks", stdout=out)

    delivery.refresh_from_db()
    assert out.getvalue().strip() == "1 webhook deliveries enqueued."
    assert delivery.state == Delivery.State.DELIVERED
