"""The applications' messages (``applications.messages``): every email and the
inadmissibility letter render from their default wording in both languages, from a dossier
at any point of its course, and a programme's own wording is the one its applicants read."""

import io

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from applications import messages as applications_messages
from applications import services, wordings
from applications.pdf import inadmissibility_letter
from portal import messages
from tests.factories import complete

pytestmark = pytest.mark.django_db

KEYS = [message.key for message in applications_messages.MESSAGES]
LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.fixture
def inadmissible(draft, applicant, officer):
    services.submit(complete(draft, by=applicant), by=applicant)
    services.declare_inadmissible(draft, by=officer, reason="Le plan financier manque.")
    return draft


def test_every_email_and_letter_of_the_dossier_is_registered():
    assert set(KEYS) == {
        "applications/emails/submitted",
        "applications/emails/resubmitted",
        "applications/emails/submitted_officer",
        "applications/emails/resubmitted_officer",
        "applications/emails/changes_requested",
        "applications/emails/changes_deadline_extended",
        "applications/emails/change_request_closed",
        "applications/emails/withdrawn",
        "applications/emails/admissible",
        "applications/emails/inadmissible",
        "applications/letters/inadmissibility",
    }
    assert all(messages.get(key) is not None for key in KEYS)
    assert messages.get("applications/letters/inadmissibility").kind == messages.LETTER


@pytest.mark.parametrize("key", KEYS)
def test_the_message_renders_from_a_draft_and_from_a_dossier_further_on(
    key, draft, inadmissible, applicant
):
    message = messages.get(key)
    for language in LANGUAGES:
        for application in (draft, inadmissible):
            context = message.example(application)
            subject, body = messages.render(key, {"user": applicant, **context}, language)

            assert subject and body.strip()
            assert "{{" not in subject + body and "{%" not in subject + body
        assert inadmissible.reference in subject + body


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("key", KEYS)
def test_the_default_wording_holds_the_required_placeholders_and_no_other(key, language):
    message = messages.get(key)
    subject, body = messages.default_wording(key, language)

    assert messages.problems(message, subject, body) == []
    assert set(message.required) <= messages.used(subject) | messages.used(body)


def test_the_default_wordings_are_those_of_the_portal_in_both_languages():
    for key in KEYS:
        french = messages.default_wording(key, "fr-be")
        english = messages.default_wording(key, "en")
        assert french != english
        assert messages.used(french[0] + french[1]) == messages.used(english[0] + english[1])


def test_a_first_and_a_later_submission_are_two_messages(
    draft, applicant, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(complete(draft, by=applicant), by=applicant)

    to_applicant = [m for m in mail.outbox if m.to == [applicant.email]]
    assert [m.subject for m in to_applicant] == [f"Dossier {draft.reference} reçu"]
    assert "L'accusé de réception n°\u00a01" in to_applicant[0].body
    assert applicant.notifications.get().kind == "applications/emails/submitted"
    assert officer.notifications.get().kind == "applications/emails/submitted_officer"


def test_the_officers_email_links_to_the_agencys_page_of_the_dossier(
    draft, applicant, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(complete(draft, by=applicant), by=applicant)

    (email,) = [m for m in mail.outbox if m.to == [officer.email]]
    assert reverse("applications:staff_application", args=[draft.pk]) in email.body


def test_a_withdrawal_without_a_reason_leaves_no_placeholder(
    draft, applicant, officer, django_capture_on_commit_callbacks
):
    services.submit(complete(draft, by=applicant), by=applicant)

    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(draft, by=applicant)

    (email,) = mail.outbox
    assert f"a retiré le dossier {draft.reference}." in email.body
    assert "{{" not in email.body


def test_the_programmes_wording_is_the_one_its_applicants_read(
    draft, applicant, officer, programme, django_capture_on_commit_callbacks
):
    message = messages.get("applications/emails/submitted")
    wordings.save(
        message,
        programme,
        {"fr-be": ("Bien reçu : {{ reference }}", "Merci {{ name }}, reçu le {{ received_at }}.")},
        by=officer,
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.submit(complete(draft, by=applicant), by=applicant)

    (email,) = [m for m in mail.outbox if m.to == [applicant.email]]
    assert email.subject == f"Bien reçu : {draft.reference}"
    assert email.body.startswith(f"Merci {applicant.full_name}, reçu le ")


def letter_text(application) -> str:
    pages = PdfReader(io.BytesIO(inadmissibility_letter(application))).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_the_letter_opens_with_the_default_wording_then_the_reason(inadmissible):
    text = letter_text(inadmissible)

    assert f"Objet : Votre dossier {inadmissible.reference} est irrecevable" in text
    opening = text.index("Nous avons examiné la recevabilité de votre dossier")
    assert opening < text.index("Le plan financier manque.")


def test_the_letter_opens_with_the_programmes_wording(inadmissible, officer, programme):
    message = messages.get("applications/letters/inadmissibility")
    wordings.save(
        message,
        programme,
        {
            "fr-be": (
                "Irrecevabilité du dossier {{ reference }}",
                "Votre dossier {{ title }} a été examiné.\n\nIl ne peut être retenu :",
            )
        },
        by=officer,
    )

    text = letter_text(inadmissible)

    assert f"Irrecevabilité du dossier {inadmissible.reference}" in text
    assert f"Votre dossier {inadmissible.project_title} a été examiné." in text
    assert "Il ne peut être retenu" in text
    assert "Nous avons examiné la recevabilité" not in text
    assert "Le plan financier manque." in text


def test_a_job_reads_each_wording_once_and_the_next_sees_a_new_one(
    officer, programme, django_assert_num_queries
):
    """``wordings_kept``: a job sending hundreds of emails reads a programme's wording once
    per message and language; outside the block, an officer's new wording applies at once."""
    message = messages.get("applications/emails/submitted")
    body = "Merci {{ name }}, reçu le {{ received_at }}."

    wordings.save(message, programme, {"fr-be": ("Reçu", body)}, by=officer)
    with messages.wordings_kept():
        with django_assert_num_queries(1):
            for _ in range(3):
                assert messages.wording(message, programme, "fr-be")[0] == "Reçu"
        with django_assert_num_queries(1):
            messages.wording(message, programme, "en")

    wordings.save(message, programme, {"fr-be": ("Bien reçu", body)}, by=officer)
    assert messages.wording(message, programme, "fr-be")[0] == "Bien reçu"
