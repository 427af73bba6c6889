"""Which changes of the apps below are announced, and what their deliveries carry.

Every state change goes through ``portal.transitions.perform`` (or ``perform_all``, a daily
job's chunk), which runs a django-fsm transition, and django-fsm sends ``post_transition``
from inside that transaction: the receiver below maps (model, transition) to an event, so
no app below has to know about webhooks. A label's issuance is not a transition:
``labels.signals.label_issued``, also sent inside its transaction. The deliveries are
written in that same transaction (the outbox: nothing is announced for a change that rolls
back) and handed to the task after commit.

A payload is public-safe: numbers, states, dates and names that the portal already
publishes (the labels directory, the open data of grants); never a person's name or email,
an answer of a dossier, an amount not yet public or a reviewer's word.
"""

import uuid

from django.db import transaction
from django.utils import timezone

from webhooks.models import Delivery, Endpoint, Event


def _application(application) -> dict:
    call = application.call
    return {
        "reference": application.reference,
        "state": application.state,
        "programme": call.programme.slug,
        "call": {"slug": call.slug, "title": call.title},
    }


def _label(label) -> dict:
    return {
        "number": label.number,
        "state": label.state,
        "programme": label.programme.slug,
        "space_name": label.public_space_name,
        "municipality": label.municipality,
        "issued_on": label.issued_on.isoformat(),
        "valid_until": label.valid_until.isoformat(),
        "verification_url": label.verification_url(),
    }


def _report(report) -> dict:
    return {
        "label": report.label.number,
        "programme": report.label.programme.slug,
        "period_start": report.period_start.isoformat(),
        "period_end": report.period_end.isoformat(),
        "state": report.state,
    }


def _decision(application) -> dict:
    return {**_application(application), "outcome": application.state}


# (app_label.Model, transition) → event and the payload of the object.
TRANSITIONS = {
    ("applications.application", "submit"): (Event.APPLICATION_SUBMITTED, _application),
    ("applications.application", "resubmit"): (Event.APPLICATION_SUBMITTED, _application),
    ("applications.application", "grant"): (Event.DECISION_RECORDED, _decision),
    ("applications.application", "refuse"): (Event.DECISION_RECORDED, _decision),
    ("labels.label", "suspend"): (Event.LABEL_SUSPENDED, _label),
    ("labels.label", "reinstate"): (Event.LABEL_REINSTATED, _label),
    ("labels.label", "revoke"): (Event.LABEL_REVOKED, _label),
    ("labels.label", "expire"): (Event.LABEL_EXPIRED, _label),
    ("labels.label", "renew"): (Event.LABEL_RENEWED, _label),
    ("reporting.activityreport", "submit"): (Event.REPORT_FILED, _report),
}


def _endpoints(event: Event, programme_id: int) -> list[Endpoint]:
    return [
        endpoint
        for endpoint in Endpoint.objects.filter(programme_id=programme_id)
        if event in endpoint.events
    ]


def record(event: Event, programme_id: int, payload: dict) -> list[Delivery]:
    """One delivery per endpoint of the programme subscribed to ``event``, in the caller's
    transaction; each is handed to the task once it commits. A paused endpoint's deliveries
    wait for it to be resumed."""
    return _record(event, _endpoints(event, programme_id), lambda: payload)


def _record(event: Event, endpoints: list[Endpoint], payload) -> list[Delivery]:
    if not endpoints:
        return []
    event_id, now, data = uuid.uuid4(), timezone.now(), payload()
    deliveries = Delivery.objects.bulk_create(
        Delivery(
            endpoint=endpoint,
            event=event,
            event_id=event_id,
            occurred_at=now,
            payload=data,
            next_attempt_at=now,
        )
        for endpoint in endpoints
    )
    from webhooks.services import enqueue

    for delivery in deliveries:
        if not delivery.endpoint.is_paused:
            transaction.on_commit(lambda delivery=delivery: enqueue(delivery))
    return deliveries


def _programme_id(instance) -> int:
    """The programme of a dossier, a label or a report, read from keys already loaded."""
    if hasattr(instance, "call_id"):
        return instance.call.programme_id
    if hasattr(instance, "programme_id"):
        return instance.programme_id
    return instance.label.programme_id


def on_transition(sender, instance, name, **kwargs) -> None:
    """django-fsm's ``post_transition``: announce the transitions of ``TRANSITIONS`` (one
    query when the programme has no endpoint; the payload is built only when it has)."""
    if kwargs.get("exception") is not None:
        return
    mapped = TRANSITIONS.get((sender._meta.label_lower, name))
    if mapped is None:
        return
    event, payload = mapped
    _record(event, _endpoints(event, _programme_id(instance)), lambda: payload(instance))


def on_label_issued(sender, label, **kwargs) -> None:
    """``labels.signals.label_issued``."""
    _record(
        Event.LABEL_ISSUED,
        _endpoints(Event.LABEL_ISSUED, label.programme_id),
        lambda: _label(label),
    )
