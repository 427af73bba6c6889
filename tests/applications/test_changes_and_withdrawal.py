from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import Application
from portal.transitions import TransitionRefused, history
from tests.factories import complete, pdf_upload
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


# The response deadline of a change request: locked once passed, until the officer extends
# it or closes the request.


@pytest.fixture
def overdue(client, submitted, officer):
    """A dossier whose change request is one second past its response deadline."""
    request_changes(client, officer, submitted)
    submitted.refresh_from_db()
    mail.outbox.clear()
    client.logout()
    return submitted


def past_deadline(application):
    return time_machine.travel(application.changes_due_at + timedelta(seconds=1), tick=False)


def test_after_the_response_deadline_the_applicant_is_refused_and_nothing_is_saved(
    client, overdue, applicant
):
    document = overdue.documents.get()
    with past_deadline(overdue):
        client.force_login(applicant)
        edited = client.post(
            reverse("applications:section", args=[overdue.pk, "project"]),
            {"project_title": "Trop tard", "summary": "Trop tard"},
            follow=True,
        )
        uploaded = client.post(
            reverse("applications:upload", args=[overdue.pk, document.document_type_id]),
            {"file": pdf_upload("tard.pdf")},
            follow=True,
        )
        resubmitted = client.post(
            reverse("applications:submit", args=[overdue.pk]),
            {"declaration": "on", "response": "Voici."},
            follow=True,
        )
        dossier_page = text_of(client.get(overdue.get_absolute_url()))

    for response in (edited, uploaded, resubmitted):
        assert response.redirect_chain[-1][0] == overdue.get_absolute_url()
        assert "Le délai de réponse aux compléments demandés est dépassé" in text_of(response)
    overdue.refresh_from_db()
    assert overdue.project_title != "Trop tard"
    assert overdue.documents.get().original_name == document.original_name
    assert overdue.state == Application.State.CHANGES_REQUESTED
    assert overdue.receipts.count() == 1
    assert "Modifier" not in dossier_page
    assert "ne peut plus être modifié" in dossier_page


def test_the_lock_also_holds_in_the_service_when_the_deadline_passes_while_typing(
    overdue, applicant
):
    with past_deadline(overdue), pytest.raises(services.ApplicationLocked) as locked:
        services.answer_eligibility(overdue, {})

    assert "délai de réponse" in str(locked.value)


def test_the_officer_extends_the_deadline_and_the_applicant_may_edit_again(
    client, overdue, officer, applicant
):
    with past_deadline(overdue):
        client.force_login(officer)
        page = text_of(client.get(reverse("applications:staff_application", args=[overdue.pk])))
        assert "Le délai de réponse est dépassé" in page
        new_deadline = timezone.localtime() + timedelta(days=7)
        client.post(
            reverse("applications:staff_extend_deadline", args=[overdue.pk]),
            {"extend-due_at": new_deadline.strftime("%Y-%m-%dT%H:%M:%S"), "extend-note": "Ok."},
        )
        client.force_login(applicant)
        client.post(
            reverse("applications:section", args=[overdue.pk, "project"]),
            {"project_title": "Titre complété", "summary": "Résumé complété"},
        )
        page = text_of(client.get(overdue.get_absolute_url()))

    overdue.refresh_from_db()
    assert overdue.state == Application.State.CHANGES_REQUESTED
    assert overdue.changes_due_at == new_deadline.replace(microsecond=0)
    assert overdue.project_title == "Titre complété"
    extension = history(overdue)[-1]
    assert (extension.transition, extension.by) == ("extend_changes_deadline", officer)
    assert "Nouveau délai de réponse" in extension.comment
    assert "Délai de réponse prolongé" in page
    (email,) = mail.outbox
    assert email.to == [applicant.email]
    assert "Plus de temps" in email.subject


def test_a_new_deadline_must_be_in_the_future_and_only_the_officer_gives_it(
    client, overdue, officer, ministry, applicant
):
    url = reverse("applications:staff_extend_deadline", args=[overdue.pk])
    for person in (ministry, applicant):
        client.force_login(person)
        assert client.post(url, {"extend-due_at": "2099-01-01T10:00:00"}).status_code == 404
    client.force_login(officer)

    response = client.post(url, {"extend-due_at": "2020-01-01T10:00:00"})

    assert response.status_code == 400
    assert "doit se situer dans le futur" in text_of(response)
    assert [c.transition for c in history(overdue)][-1] == "request_changes"


def test_the_officer_closes_the_request_and_the_dossier_continues_as_it_stands(
    client, overdue, officer, applicant
):
    with past_deadline(overdue):
        client.force_login(officer)
        refused = client.post(
            reverse("applications:staff_close_change_request", args=[overdue.pk]),
            {"close-reason": ""},
        )
        assert refused.status_code == 400
        client.post(
            reverse("applications:staff_close_change_request", args=[overdue.pk]),
            {"close-reason": "Sans réponse, nous examinons le dossier tel quel."},
        )

    overdue.refresh_from_db()
    assert overdue.state == Application.State.SUBMITTED
    assert overdue.changes_due_at is None
    assert overdue.receipts.count() == 1
    closing = history(overdue)[-1]
    assert (closing.transition, closing.by, closing.target) == (
        "close_change_request",
        officer,
        "submitted",
    )
    assert closing.comment == "Sans réponse, nous examinons le dossier tel quel."
    (email,) = mail.outbox
    assert email.to == [applicant.email]
    assert "Sans réponse, nous examinons le dossier tel quel." in email.body
    client.force_login(applicant)
    page = text_of(client.get(overdue.get_absolute_url()))
    assert "Demande de compléments clôturée par l'agence" in page
    edit = reverse("applications:section", args=[overdue.pk, "project"])
    assert client.get(edit).status_code == 404
    # The dossier goes on: the officer may now decide on its admissibility.
    client.force_login(officer)
    page = text_of(client.get(reverse("applications:staff_application", args=[overdue.pk])))
    assert "Déclarer recevable" in page
