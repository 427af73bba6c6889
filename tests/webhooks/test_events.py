"""Events fire from the real state changes (a dossier submitted, a decision recorded, a
label issued, suspended, revoked or expired, a report filed), only to the endpoints of the
programme that subscribed to them, and never for a change that rolls back."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse

from applications.models import Application
from labels import services as label_services
from labels.models import Label
from reporting import services as report_services
from review import services as review_services
from review.models import Proposal
from tests.factories import ApplicationFactory, complete
from tests.labels.conftest import granted
from tests.reporting.conftest import FILLED, make_report
from webhooks import signing
from webhooks.models import Delivery, Endpoint, Event

pytestmark = pytest.mark.django_db


def kinds(receiver) -> list[str]:
    return [request.json["type"] for request in receiver.requests]


def test_a_submitted_dossier_is_announced_without_personal_data(
    client, draft, applicant, endpoint, receiver
):
    complete(draft, by=applicant)
    client.force_login(applicant)

    client.post(reverse("applications:submit", args=[draft.pk]), {"declaration": "on"})

    draft.refresh_from_db()
    (request,) = receiver.requests
    signing.verify(endpoint.secret, request.headers["Guichet-Signature"], request.body)
    assert request.json["type"] == "application.submitted"
    assert request.json["data"] == {
        "reference": draft.reference,
        "state": "submitted",
        "programme": draft.call.programme.slug,
        "call": {"slug": draft.call.slug, "title": draft.call.title},
    }
    body = request.body.decode()
    assert applicant.email not in body and applicant.full_name not in body
    assert draft.organisation.legal_name not in body


def test_a_recorded_grant_is_announced_then_the_label_it_issues(
    call, ministry, endpoint, receiver, private_storage, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(
        call=call, state=Application.State.PROPOSED, reference="CW-2026-0042"
    )
    Proposal.objects.create(application=application, proposed=True, rationale="Solide")

    with django_capture_on_commit_callbacks(execute=True):
        review_services.decide(application, by=ministry, granted=True, amount=Decimal("50000"))

    assert kinds(receiver) == ["decision.recorded", "label.issued"]
    decision, issued = (request.json["data"] for request in receiver.requests)
    assert decision["reference"] == "CW-2026-0042"
    assert decision["outcome"] == "granted"
    label = application.label
    assert issued["number"] == label.number
    assert issued["state"] == "active"
    assert issued["verification_url"] == label.verification_url()


def test_a_label_suspended_revoked_and_expired_is_announced(
    call, officer, endpoint, receiver, django_capture_on_commit_callbacks
):
    suspended = label_services.issue_label(granted(call))
    revoked = label_services.issue_label(granted(call))
    expiring = label_services.issue_label(granted(call))
    # Only one of them lapses.
    Label.objects.filter(pk=suspended.pk).update(
        valid_until=expiring.valid_until + dt.timedelta(days=365)
    )
    receiver.requests.clear()

    with django_capture_on_commit_callbacks(execute=True):
        label_services.suspend(suspended, by=officer, reason="Contrôle")
    with django_capture_on_commit_callbacks(execute=True):
        label_services.revoke(revoked, by=officer, reason="Fermeture")
    with (
        time_machine.travel(expiring.valid_until + dt.timedelta(days=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        label_services.expire_due()

    assert kinds(receiver) == ["label.suspended", "label.revoked", "label.expired"]
    numbers = [request.json["data"]["number"] for request in receiver.requests]
    assert numbers == [suspended.number, revoked.number, expiring.number]
    assert [request.json["data"]["state"] for request in receiver.requests] == [
        "suspended",
        "revoked",
        "expired",
    ]


def test_a_reinstated_label_is_announced_and_a_sole_traders_own_name_is_not_sent(
    call, officer, endpoint, receiver, django_capture_on_commit_callbacks
):
    label = label_services.issue_label(granted(call))
    organisation = label.organisation
    organisation.legal_form = "PP"  # a sole trader: the space bears the person's name
    organisation.save()
    Label.objects.filter(pk=label.pk).update(space_name=organisation.legal_name)
    label.refresh_from_db()
    receiver.requests.clear()

    with django_capture_on_commit_callbacks(execute=True):
        label_services.suspend(label, by=officer, reason="Contrôle")
    with django_capture_on_commit_callbacks(execute=True):
        label_services.reinstate(label, by=officer)

    assert kinds(receiver) == ["label.suspended", "label.reinstated"]
    assert {request.json["data"]["space_name"] for request in receiver.requests} == {""}
    assert organisation.legal_name not in str([r.body for r in receiver.requests])


def test_a_filed_report_is_announced(
    call, officer, endpoint, receiver, django_capture_on_commit_callbacks
):
    label = label_services.issue_label(granted(call))
    holder = label.organisation.memberships.get().user
    report = make_report(label, dt.date(2026, 1, 1), **FILLED)
    receiver.requests.clear()

    with django_capture_on_commit_callbacks(execute=True):
        report_services.submit(report, by=holder)

    (request,) = receiver.requests
    assert request.json["type"] == "report.filed"
    assert request.json["data"] == {
        "label": label.number,
        "programme": call.programme.slug,
        "period_start": "2026-01-01",
        "period_end": "2026-03-31",
        "state": "submitted",
    }


def test_only_the_subscribed_events_of_the_programme_are_sent(
    call, officer, other_officer, endpoint, receiver, django_capture_on_commit_callbacks
):
    Endpoint.objects.filter(pk=endpoint.pk).update(events=[Event.LABEL_REVOKED])
    other_programme = other_officer.programme_roles.get().programme
    Endpoint.objects.create(programme=other_programme, url=receiver.url, events=Event.values)
    label = label_services.issue_label(granted(call))

    with django_capture_on_commit_callbacks(execute=True):
        label_services.suspend(label, by=officer, reason="Contrôle")
    with django_capture_on_commit_callbacks(execute=True):
        label_services.revoke(label, by=officer, reason="Fermeture")

    assert kinds(receiver) == ["label.revoked"]
    assert Delivery.objects.get().endpoint == endpoint


def test_a_change_that_rolls_back_announces_nothing(
    call, officer, endpoint, receiver, django_capture_on_commit_callbacks
):
    label = label_services.issue_label(granted(call))
    receiver.requests.clear()
    Delivery.objects.all().delete()

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        label_services.suspend(label, by=officer, reason="Contrôle")
        raise RuntimeError("something after the suspension failed")

    assert receiver.requests == []
    assert not Delivery.objects.exists()
