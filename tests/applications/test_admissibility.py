import pytest
from django.urls import reverse
from pypdf import PdfReader

from applications import services
from applications.models import Application
from applications.pdf import inadmissibility_letter
from portal.transitions import ConcurrentTransition, history
from tests.factories import complete
from tests.pages import text_of

pytestmark = pytest.mark.django_db

CHECKLIST = {
    "documents_complete": "on",
    "applicant_eligible": "on",
    "eligibility_confirmed": "on",
    "budget_within_limits": "on",
    "note": "Dossier complet.",
}


@pytest.fixture
def submitted(draft, applicant):
    services.submit(complete(draft, by=applicant), by=applicant)
    return draft


def test_an_officer_declares_a_dossier_admissible_with_the_checklist(client, submitted, officer):
    client.force_login(officer)

    response = client.post(
        reverse("applications:staff_admissible", args=[submitted.pk]), CHECKLIST, follow=True
    )

    submitted.refresh_from_db()
    assert submitted.state == Application.State.ADMISSIBLE
    assert submitted.admissibility_check.checked_by == officer
    assert submitted.admissibility_check.note == "Dossier complet."
    assert history(submitted)[-1].by == officer
    assert "Recevable" in text_of(response)
    assert "Dossier complet." not in [change.comment for change in history(submitted)]


def test_the_services_refuse_an_incomplete_checklist_or_an_empty_reason(submitted, officer):
    from portal.transitions import TransitionRefused

    with pytest.raises(TransitionRefused):
        services.declare_admissible(submitted, by=officer, checklist={"documents_complete": True})
    with pytest.raises(TransitionRefused):
        services.declare_inadmissible(submitted, by=officer, reason="  ")
    with pytest.raises(TransitionRefused):
        services.request_changes(submitted, by=officer, message="", due_at=None)
    submitted.refresh_from_db()
    assert submitted.state == Application.State.SUBMITTED


def test_an_incomplete_checklist_is_refused_and_kept_on_the_page(client, submitted, officer):
    client.force_login(officer)

    response = client.post(
        reverse("applications:staff_admissible", args=[submitted.pk]),
        {**CHECKLIST, "budget_within_limits": ""},
    )

    submitted.refresh_from_db()
    assert response.status_code == 400
    assert submitted.state == Application.State.SUBMITTED
    page = text_of(response)
    assert "Chaque point de la liste de contrôle doit être vérifié." in page
    assert "Dossier complet." in page


def test_inadmissibility_needs_a_reason_and_produces_a_letter(
    client, submitted, officer, applicant
):
    client.force_login(officer)
    url = reverse("applications:staff_inadmissible", args=[submitted.pk])
    assert client.post(url, {"reason": ""}).status_code == 400

    client.post(url, {"reason": "Aucun partenaire public & para-public."})

    submitted.refresh_from_db()
    assert submitted.state == Application.State.INADMISSIBLE
    client.force_login(applicant)
    letter = submitted.letters.get()
    response = client.get(reverse("applications:letter", args=[submitted.pk, letter.pk]))
    text = "".join(page.extract_text() for page in PdfReader(_bytes(response)).pages)
    assert "Aucun partenaire public & para-public." in text
    assert submitted.reference in text


def _bytes(response):
    from io import BytesIO

    return BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)


def test_officers_of_another_programme_and_founders_cannot_decide(
    client, submitted, other_officer, applicant
):
    for person in (other_officer, applicant):
        client.force_login(person)
        response = client.post(
            reverse("applications:staff_admissible", args=[submitted.pk]), CHECKLIST
        )
        assert response.status_code == 404
    submitted.refresh_from_db()
    assert submitted.state == Application.State.SUBMITTED


def test_ministry_staff_read_but_do_not_decide_admissibility(client, submitted, ministry):
    client.force_login(ministry)

    page = client.get(reverse("applications:staff_application", args=[submitted.pk]))
    response = client.post(reverse("applications:staff_admissible", args=[submitted.pk]), CHECKLIST)

    assert page.status_code == 200
    assert "Déclarer recevable" not in text_of(page)
    assert response.status_code == 404


def test_a_concurrent_decision_is_caught_and_nothing_is_lost(submitted, officer):
    first = Application.objects.get(pk=submitted.pk)
    second = Application.objects.get(pk=submitted.pk)
    services.declare_admissible(
        first,
        by=officer,
        checklist={k: True for k in CHECKLIST if k != "note"} | {"note": ""},
    )

    with pytest.raises(ConcurrentTransition):
        services.declare_inadmissible(second, by=officer, reason="Trop tard")

    submitted.refresh_from_db()
    assert submitted.state == Application.State.ADMISSIBLE
    assert [c.target for c in history(submitted)] == ["submitted", "admissible"]


def test_a_concurrent_decision_is_shown_to_the_officer_as_a_message(
    client, submitted, officer, monkeypatch
):
    def concurrent(*args, **kwargs):
        raise ConcurrentTransition("changed")

    monkeypatch.setattr(services, "declare_inadmissible", concurrent)
    client.force_login(officer)

    response = client.post(
        reverse("applications:staff_inadmissible", args=[submitted.pk]),
        {"reason": "x"},
        follow=True,
    )

    assert "Quelqu'un d'autre a modifié ce dossier entre-temps" in text_of(response)


def test_the_letter_reads_the_organisation_with_its_accents(submitted, officer):
    services.declare_inadmissible(submitted, by=officer, reason="Hors délai")

    from io import BytesIO

    text = PdfReader(BytesIO(inadmissibility_letter(submitted))).pages[0].extract_text()
    assert submitted.organisation.legal_name in text


def test_the_internal_note_is_shown_to_staff_on_the_dossier_and_in_its_history(
    client, submitted, officer
):
    client.force_login(officer)
    client.post(reverse("applications:staff_admissible", args=[submitted.pk]), CHECKLIST)

    page = text_of(client.get(reverse("applications:staff_application", args=[submitted.pk])))

    facts, _, history_part = page.partition("Historique")
    assert "Note interne (agence uniquement) : Dossier complet." in facts
    assert "Recevable" in history_part
    assert "Note interne (agence uniquement) : Dossier complet." in history_part


def test_the_applicant_never_sees_the_internal_note(client, submitted, officer, applicant):
    client.force_login(officer)
    client.post(reverse("applications:staff_admissible", args=[submitted.pk]), CHECKLIST)
    client.force_login(applicant)

    page = text_of(client.get(reverse("applications:detail", args=[submitted.pk])))

    assert "Recevable" in page
    assert "Dossier complet." not in page
    assert "Note interne" not in page
