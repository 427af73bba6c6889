from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from applications import formbuilder, formlibrary, services
from applications.models import Application
from portal.transitions import TransitionRefused
from tests.factories import COWORKING_ANSWERS, ApplicationFactory, CallFactory, complete
from tests.pages import text_of

pytestmark = pytest.mark.django_db
BRUSSELS = ZoneInfo("Europe/Brussels")


def submit_url(application):
    return reverse("applications:submit", args=[application.pk])


def test_a_complete_dossier_is_submitted_with_reference_receipt_and_emails(
    client, draft, applicant, officer
):
    complete(draft, by=applicant)
    client.force_login(applicant)

    response = client.post(submit_url(draft), {"declaration": "on"}, follow=True)

    draft.refresh_from_db()
    year = draft.submitted_at.astimezone(BRUSSELS).year
    assert draft.state == Application.State.SUBMITTED
    assert draft.reference == f"CW-{year}-0001"
    assert draft.receipts.count() == 1
    assert f"déposé sous la référence CW-{year}-0001" in text_of(response)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([applicant.email, officer.email])
    assert draft.declaration_confirmed_at is not None


def test_references_follow_each_other_per_programme_and_year(call, organisation, applicant):
    first = complete(ApplicationFactory(call=call, organisation=organisation))
    second = complete(ApplicationFactory(call=call, organisation=organisation))
    services.submit(first, by=applicant)
    services.submit(second, by=applicant)

    numbers = [first.reference[-4:], second.reference[-4:]]
    assert numbers == ["0001", "0002"]


def test_the_declaration_must_be_confirmed(client, draft, applicant):
    complete(draft, by=applicant)
    client.force_login(applicant)

    response = client.post(submit_url(draft), {})

    draft.refresh_from_db()
    assert draft.state == Application.State.DRAFT
    assert "Ce champ est obligatoire" in text_of(response)


def test_what_is_missing_is_named_and_submission_refused(client, call, organisation, applicant):
    formbuilder.install(call, formlibrary.COWORKING)
    answers = {k: v for k, v in COWORKING_ANSWERS.items() if k not in ("desks", "partners")}
    application = ApplicationFactory(
        call=call, organisation=organisation, content={"summary": ""}, answers=answers
    )
    client.force_login(applicant)

    response = client.post(submit_url(application), {"declaration": "on"})

    page = text_of(response)
    application.refresh_from_db()
    assert application.state == Application.State.DRAFT
    assert "Le projet : il manque résumé du projet." in page
    assert "L'espace : il manque Postes de travail individuels." in page
    assert "Communauté et partenaires : il manque Partenaires." in page
    assert "Pièce manquante : Plan financier sur trois ans." in page
    assert "Répondez à chaque question d'éligibilité." in page


def test_an_eligibility_answer_no_blocks_submission(draft, applicant):
    complete(draft, by=applicant)
    question = draft.call.eligibility_questions.get()
    services.answer_eligibility(draft, {question: False})

    with pytest.raises(TransitionRefused) as refused:
        services.submit(draft, by=applicant)

    assert any("Condition d'éligibilité non remplie" in str(r) for r in refused.value.reasons)


def test_the_requested_amount_is_capped_by_the_call(draft, applicant):
    complete(draft, by=applicant)
    draft.requested_amount = draft.call.max_amount + 1
    draft.save()

    with pytest.raises(TransitionRefused):
        services.submit(draft, by=applicant)


@pytest.mark.parametrize(
    ("closes_local", "now_utc", "accepted"),
    [
        # Winter time (CET, UTC+1): 23:59:59 local is 22:59:59 UTC.
        ("2026-01-15 23:59:59", "2026-01-15 22:59:58", True),
        ("2026-01-15 23:59:59", "2026-01-15 23:00:00", False),
        # Summer time (CEST, UTC+2): 23:59:59 local is 21:59:59 UTC.
        ("2026-07-15 23:59:59", "2026-07-15 21:59:58", True),
        ("2026-07-15 23:59:59", "2026-07-15 22:00:00", False),
        # The night clocks go forward (29 March 2026): 23:59:59 CEST is 21:59:59 UTC.
        ("2026-03-29 23:59:59", "2026-03-29 21:59:58", True),
        ("2026-03-29 23:59:59", "2026-03-29 22:00:00", False),
        # The night clocks go back (25 October 2026): the deadline is still 23:59:59 CET.
        ("2026-10-25 23:59:59", "2026-10-25 22:59:58", True),
        ("2026-10-25 23:59:59", "2026-10-25 23:00:00", False),
    ],
)
def test_the_deadline_is_kept_to_the_second_in_brussels_time(
    organisation, applicant, closes_local, now_utc, accepted
):
    closes_at = datetime.fromisoformat(closes_local).replace(tzinfo=BRUSSELS)
    call = CallFactory(opens_at=datetime(2025, 1, 1, tzinfo=BRUSSELS), closes_at=closes_at)
    application = complete(ApplicationFactory(call=call, organisation=organisation))

    with time_machine.travel(datetime.fromisoformat(now_utc + "+00:00"), tick=False):
        if accepted:
            services.submit(application, by=applicant)
            assert application.state == Application.State.SUBMITTED
        else:
            with pytest.raises(TransitionRefused) as refused:
                services.submit(application, by=applicant)
            assert "date limite" in str(refused.value)
            application.refresh_from_db()
            assert application.state == Application.State.DRAFT


def test_a_deadline_typed_by_an_officer_is_read_in_brussels_time():
    from applications.forms import CallForm

    form = CallForm(
        data={
            "title_fr": "Appel",
            "slug": "appel",
            "rules_fr": "Règles",
            "opens_at": "2026-09-01T09:00:00",
            "closes_at": "2026-10-25T23:59:59",
            "budget": "1000",
            "max_amount": "100",
            "reviews_per_dossier": "3",
            "disagreement_tolerance": "2",
            "label_validity_months": "36",
        }
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["closes_at"].isoformat() == "2026-10-25T23:59:59+01:00"


def test_colleagues_share_the_dossier(client, draft, colleague):
    client.force_login(colleague)

    assert client.get(draft.get_absolute_url()).status_code == 200
    response = client.post(
        reverse("applications:section", args=[draft.pk, "project"]),
        {"project_title": "Titre revu par une collègue", "summary": "Résumé"},
    )
    draft.refresh_from_db()
    assert response.status_code == 302
    assert draft.project_title == "Titre revu par une collègue"


def test_a_draft_saves_incomplete_sections_and_says_what_is_missing(
    client, call, organisation, applicant
):
    client.force_login(applicant)
    client.post(reverse("applications:start", args=[call.slug]), {"organisation": organisation.pk})
    application = Application.objects.get()

    response = client.post(
        reverse("applications:section", args=[application.pk, "address"]),
        {"street": "Rue Neuve 2", "postcode": "4000"},
        follow=True,
    )

    application.refresh_from_db()
    assert (application.street, application.province) == ("Rue Neuve 2", "LIE")
    assert "Section enregistrée. Il manque encore : commune." in text_of(response)


def test_values_are_still_validated_in_a_draft(client, draft, applicant):
    formbuilder.install(draft.call, formlibrary.COWORKING)
    client.force_login(applicant)

    response = client.post(
        reverse("applications:section", args=[draft.pk, "address"]), {"postcode": "75001"}
    )
    assert response.status_code == 200
    space = draft.call.form_sections.get(position=0)
    response = client.post(
        reverse("applications:answers", args=[draft.pk, space.pk]), {"desks": "-3"}
    )
    assert response.status_code == 200

    draft.refresh_from_db()
    assert draft.postcode == "5000"
    assert "desks" not in draft.answers


def test_nobody_but_the_members_may_submit(client, draft, applicant, other_applicant, officer):
    complete(draft, by=applicant)
    for person in (other_applicant, officer):
        client.force_login(person)
        assert client.post(submit_url(draft), {"declaration": "on"}).status_code == 404
    draft.refresh_from_db()
    assert draft.state == Application.State.DRAFT


def test_a_closed_call_accepts_no_new_draft(client, organisation, applicant):
    call = CallFactory(
        closes_at=datetime(2020, 1, 1, tzinfo=BRUSSELS),
        opens_at=datetime(2019, 1, 1, tzinfo=BRUSSELS),
    )
    client.force_login(applicant)

    response = client.post(
        reverse("applications:start", args=[call.slug]),
        {"organisation": organisation.pk},
        follow=True,
    )

    assert not Application.objects.exists()
    assert "Cet appel est clôturé" in text_of(response)
