from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import Application
from portal.transitions import TransitionRefused, history
from tests.factories import complete
from tests.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(draft, applicant):
    services.submit(complete(draft, by=applicant), by=applicant)
    mail.outbox.clear()
    return draft


def request_changes(client, officer, application, **data):
    client.force_login(officer)
    due = (timezone.localtime() + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M:%S")
    return client.post(
        reverse("applications:staff_request_changes", args=[application.pk]),
        {"message": "Joignez la lettre signée.", "due_at": due, **data},
        follow=True,
    )


def test_an_officer_requests_changes_with_a_message_and_deadline(
    client, submitted, officer, applicant
):
    response = request_changes(client, officer, submitted)

    submitted.refresh_from_db()
    assert submitted.state == Application.State.CHANGES_REQUESTED
    assert submitted.changes_message == "Joignez la lettre signée."
    assert "Compléments demandés" in text_of(response)
    (email,) = [m for m in mail.outbox if m.subject.startswith("Compléments demandés")]
    assert email.to == [applicant.email]
    assert "Joignez la lettre signée." in email.body


def test_a_change_request_needs_a_message_and_a_future_deadline(client, submitted, officer):
    response = request_changes(client, officer, submitted, message="", due_at="2020-01-01T10:00:00")

    submitted.refresh_from_db()
    assert submitted.state == Application.State.SUBMITTED
    page = text_of(response)
    assert "Ce champ est obligatoire" in page
    assert "doit se situer dans le futur" in page


def test_the_founder_answers_by_editing_and_resubmitting(client, submitted, officer, applicant):
    request_changes(client, officer, submitted)
    client.force_login(applicant)
    client.post(
        reverse("applications:section", args=[submitted.pk, "project"]),
        {"project_title": "Titre complété", "summary": "Résumé complété"},
    )

    client.post(
        reverse("applications:submit", args=[submitted.pk]),
        {"declaration": "on", "response": "Titre et résumé complétés."},
    )

    submitted.refresh_from_db()
    assert submitted.state == Application.State.SUBMITTED
    assert submitted.project_title == "Titre complété"
    assert submitted.receipts.count() == 2
    assert [c.target for c in history(submitted)] == [
        "submitted",
        "changes_requested",
        "submitted",
    ]


def test_resubmission_one_second_before_the_response_deadline_is_accepted(
    client, submitted, officer, applicant
):
    request_changes(client, officer, submitted)
    submitted.refresh_from_db()

    with time_machine.travel(submitted.changes_due_at - timedelta(seconds=1)):
        receipt = services.submit(submitted, by=applicant, response="Lettre jointe.")

    assert submitted.state == Application.State.SUBMITTED
    assert receipt.issued_at > submitted.submitted_at


def test_only_officers_request_changes_and_only_members_withdraw_or_resubmit(
    client, submitted, officer, applicant, other_applicant, ministry
):
    client.force_login(ministry)
    assert request_changes(client, ministry, submitted).status_code == 404
    for person in (officer, other_applicant):
        client.force_login(person)
        response = client.post(
            reverse("applications:withdraw", args=[submitted.pk]), {"confirm": "on"}
        )
        assert response.status_code == 404
    submitted.refresh_from_db()
    assert submitted.state == Application.State.SUBMITTED


def test_resubmission_after_the_response_deadline_is_refused(client, submitted, officer, applicant):
    request_changes(client, officer, submitted)
    submitted.refresh_from_db()

    after_deadline = submitted.changes_due_at + timedelta(seconds=1)
    with time_machine.travel(after_deadline), pytest.raises(TransitionRefused) as refused:
        services.submit(submitted, by=applicant)

    assert "délai de réponse" in str(refused.value)


def test_a_submitted_dossier_cannot_be_edited(client, submitted, applicant):
    client.force_login(applicant)

    response = client.get(reverse("applications:section", args=[submitted.pk, "project"]))

    assert response.status_code == 404


@pytest.mark.parametrize("state", ["draft", "submitted", "changes_requested"])
def test_the_founder_withdraws_from_each_early_state(client, draft, applicant, officer, state):
    if state != "draft":
        services.submit(complete(draft, by=applicant), by=applicant)
    if state == "changes_requested":
        services.request_changes(
            draft, by=officer, message="x", due_at=timezone.now() + timedelta(days=3)
        )
    client.force_login(applicant)

    client.post(
        reverse("applications:withdraw", args=[draft.pk]),
        {"reason": "Projet reporté", "confirm": "on"},
    )

    draft.refresh_from_db()
    assert draft.state == Application.State.WITHDRAWN
    assert draft.withdrawal_reason == "Projet reporté"


def test_withdrawal_is_final(client, draft, applicant):
    services.withdraw(draft, by=applicant)
    client.force_login(applicant)

    assert client.get(reverse("applications:withdraw", args=[draft.pk])).status_code == 404
    assert client.get(reverse("applications:submit", args=[draft.pk])).status_code == 404


def test_the_timeline_shows_every_state_change(client, submitted, officer, applicant):
    request_changes(client, officer, submitted)
    client.force_login(applicant)

    page = text_of(client.get(submitted.get_absolute_url()))

    assert "Déposé" in page
    assert "Compléments demandés" in page
    assert "Sophie Mertens" in page
