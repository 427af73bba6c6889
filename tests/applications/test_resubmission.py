"""A dossier submitted again after a change request: the founder answers the officer, the
officer is told it is a resubmission and sees what changed, receipts are numbered."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from applications import services
from applications.models import Application
from tests.factories import complete
from tests.pages import text_of

pytestmark = pytest.mark.django_db

ANSWER = "Le plan financier est joint et le titre précisé."


@pytest.fixture
def changes_requested(draft, applicant, officer):
    services.submit(complete(draft, by=applicant), by=applicant)
    services.request_changes(
        draft,
        by=officer,
        message="Précisez le titre.",
        due_at=timezone.now() + timedelta(days=10),
    )
    mail.outbox.clear()
    return draft


def resubmit(client, applicant, application, **data):
    client.force_login(applicant)
    client.post(
        reverse("applications:section", args=[application.pk, "project"]),
        {"project_title": "Un espace partagé à Namur", "summary": application.summary},
    )
    return client.post(
        reverse("applications:submit", args=[application.pk]),
        {"declaration": "on", "response": ANSWER, **data},
        follow=True,
    )


def test_the_founder_answers_the_officer_when_submitting_again(
    client, changes_requested, applicant
):
    client.force_login(applicant)
    page = text_of(client.get(reverse("applications:submit", args=[changes_requested.pk])))
    assert "Précisez le titre." in page
    assert "Votre réponse à l'agence" in page

    response = resubmit(client, applicant, changes_requested, response="")

    changes_requested.refresh_from_db()
    assert changes_requested.state == Application.State.CHANGES_REQUESTED
    assert "Ce champ est obligatoire" in text_of(response)

    resubmit(client, applicant, changes_requested)

    changes_requested.refresh_from_db()
    assert changes_requested.state == Application.State.SUBMITTED
    assert changes_requested.changes_response == ANSWER


def test_the_officer_is_told_of_a_resubmission_with_the_answer(
    client, changes_requested, applicant, officer
):
    resubmit(client, applicant, changes_requested)

    *_first, email = [m for m in mail.outbox if m.to == [officer.email]]
    assert email.subject == f"Dossier {changes_requested.reference} redéposé"
    assert "a redéposé le dossier" in email.body
    assert ANSWER in email.body


def test_the_history_says_resubmitted_the_second_time(
    client, changes_requested, applicant, officer
):
    resubmit(client, applicant, changes_requested)

    for person, url in (
        (applicant, "applications:detail"),
        (officer, "applications:staff_application"),
    ):
        client.force_login(person)
        page = text_of(client.get(reverse(url, args=[changes_requested.pk])))
        history_part = page.partition("Historique")[2]
        assert history_part.count("Déposé") == 1
        assert history_part.count("Redéposé") == 1
        assert ANSWER in history_part


def test_receipts_are_numbered_and_dated_by_their_submission(client, changes_requested, applicant):
    resubmit(client, applicant, changes_requested)

    first, second = changes_requested.receipts.order_by("issued_at")
    assert (first.number, second.number) == (1, 2)
    with second.file.open("rb") as handle:
        text = " ".join(
            " ".join(page.extract_text().split())
            for page in PdfReader(io.BytesIO(handle.read())).pages
        )
    assert "Accusé de réception n° 2" in text
    assert "déposé à nouveau après les compléments demandés" in text
    page = text_of(client.get(reverse("applications:detail", args=[changes_requested.pk])))
    assert "Accusé de réception n° 1 du" in page
    assert "Accusé de réception n° 2 du" in page


def test_the_officer_sees_which_answers_changed_since_the_request(
    client, changes_requested, applicant, officer
):
    resubmit(client, applicant, changes_requested)
    client.force_login(officer)

    response = client.get(reverse("applications:staff_application", args=[changes_requested.pk]))

    page = text_of(response)
    section = page.partition("Modifié depuis la demande de compléments")[2]
    section = section.partition("Le projet")[0]
    assert "La réponse du demandeur " + ANSWER in section
    assert (
        "Titre du projet Un espace partagé au cœur de la ville Un espace partagé à Namur" in section
    )
    assert "Résumé du projet" not in section
    assert "Montant demandé" not in section


def test_the_applicant_does_not_see_the_officers_comparison(client, changes_requested, applicant):
    resubmit(client, applicant, changes_requested)

    page = text_of(client.get(reverse("applications:detail", args=[changes_requested.pk])))

    assert "Modifié depuis la demande de compléments" not in page
