from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Call, Programme
from tests.factories import CallFactory, UserFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def test_an_officer_creates_a_programme_and_a_call_with_documents_and_questions(client):
    officer = UserFactory(roles=["officer"])
    client.force_login(officer)

    client.post(
        reverse("applications:staff_programme_create"),
        {
            "name_fr": "Creative Wallonia — Espaces de coworking",
            "slug": "cw",
            "reference_prefix": "CW",
            "managing_agency": "AWT",
            "funding_body": "Gouvernement wallon",
            "label_name_fr": "Espace labellisé",
        },
    )
    programme = Programme.objects.get()
    assert programme.staff.get().user == officer
    response = client.post(
        reverse("applications:staff_call_create", args=["cw"]),
        {
            "title_fr": "Coworking 2027",
            "slug": "coworking-2027",
            "rules_fr": "Au moins un partenaire public.",
            "opens_at": "2026-12-01T09:00:00",
            "closes_at": "2027-03-31T23:59:59",
            "budget": "600000",
            "max_amount": "100000",
            "reviews_per_dossier": "3",
            "disagreement_tolerance": "2",
            "label_validity_months": "36",
            "is_published": "on",
            "documents-TOTAL_FORMS": "1",
            "documents-INITIAL_FORMS": "0",
            "documents-0-name_fr": "Plan financier",
            "documents-0-required": "on",
            "documents-0-position": "0",
            "questions-TOTAL_FORMS": "1",
            "questions-INITIAL_FORMS": "0",
            "questions-0-text_fr": "Un partenaire public ?",
            "questions-0-position": "0",
        },
    )

    call = Call.objects.get()
    assert response.status_code == 302
    assert call.closes_at.isoformat() == "2027-03-31T21:59:59+00:00"
    assert list(call.document_types.values_list("name", flat=True)) == ["Plan financier"]
    assert call.eligibility_questions.get().text == "Un partenaire public ?"


def test_a_call_whose_deadline_precedes_its_opening_is_refused(client, officer, programme):
    client.force_login(officer)

    response = client.post(
        reverse("applications:staff_call_create", args=[programme.slug]),
        {
            "title_fr": "x",
            "slug": "x",
            "rules_fr": "x",
            "opens_at": "2027-01-01T09:00:00",
            "closes_at": "2026-01-01T09:00:00",
            "budget": "10",
            "max_amount": "100",
            "reviews_per_dossier": "3",
            "disagreement_tolerance": "2",
            "label_validity_months": "36",
            "documents-TOTAL_FORMS": "0",
            "documents-INITIAL_FORMS": "0",
            "questions-TOTAL_FORMS": "0",
            "questions-INITIAL_FORMS": "0",
        },
    )

    page = text_of(response)
    assert "La date limite doit suivre l'ouverture." in page
    assert "Le montant maximum par dossier ne peut dépasser le budget." in page


def test_visitors_read_open_calls_on_the_home_page_and_the_call_page(client, call):
    CallFactory(
        title="Appel fermé",
        closes_at=timezone.now() - timedelta(days=1),
        opens_at=timezone.now() - timedelta(days=9),
    )
    CallFactory(title="Appel non publié", is_published=False)

    home = text_of(client.get("/"))
    page = text_of(client.get(call.get_absolute_url()))

    assert call.title in home
    assert "Appel fermé" not in home and "Appel non publié" not in home
    assert "Ouvert aux structures wallonnes." in page
    assert "il reste" in page
    assert "Plan financier sur trois ans" in page


def test_an_unpublished_call_is_a_404_for_visitors(client):
    call = CallFactory(is_published=False)

    assert client.get(call.get_absolute_url()).status_code == 404


def test_the_deadline_is_shown_in_brussels_time(client):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    call = CallFactory(closes_at=datetime(2099, 7, 15, 21, 59, 59, tzinfo=ZoneInfo("UTC")))

    assert "15 juillet 2099 23:59" in text_of(client.get(call.get_absolute_url()))


def test_an_officer_of_one_programme_sees_nothing_of_another(client, other_officer, call):
    client.force_login(other_officer)

    assert (
        client.get(reverse("applications:staff_programme", args=[call.programme.slug])).status_code
        == 404
    )
    assert call.programme.name not in text_of(client.get(reverse("applications:staff_programmes")))
    dashboard = text_of(client.get(reverse("portal:role_dashboard", args=["officer"])))
    assert call.title not in dashboard


def test_a_document_type_in_use_cannot_be_removed_from_the_call(client, draft, applicant, officer):
    from tests.factories import complete

    complete(draft, by=applicant)
    call = draft.call
    document_type = call.document_types.get()
    question = call.eligibility_questions.get()
    client.force_login(officer)

    response = client.post(
        reverse("applications:staff_call_edit", args=[call.slug]),
        {
            "title_fr": call.title,
            "slug": call.slug,
            "rules_fr": call.rules,
            "opens_at": timezone.localtime(call.opens_at).strftime("%Y-%m-%dT%H:%M:%S"),
            "closes_at": timezone.localtime(call.closes_at).strftime("%Y-%m-%dT%H:%M:%S"),
            "budget": "600000",
            "max_amount": "100000",
            "reviews_per_dossier": "3",
            "disagreement_tolerance": "2",
            "label_validity_months": "36",
            "is_published": "on",
            "documents-TOTAL_FORMS": "1",
            "documents-INITIAL_FORMS": "1",
            "documents-0-id": document_type.pk,
            "documents-0-name_fr": document_type.name,
            "documents-0-position": "0",
            "documents-0-DELETE": "on",
            "questions-TOTAL_FORMS": "1",
            "questions-INITIAL_FORMS": "1",
            "questions-0-id": question.pk,
            "questions-0-text_fr": question.text,
            "questions-0-position": "0",
            "questions-0-DELETE": "on",
        },
    )

    assert response.status_code == 200
    assert "déjà utilisé" in text_of(response)
    assert call.document_types.exists() and call.eligibility_questions.exists()


def test_listed_programmes_and_calls_are_exactly_those_the_rule_allows(
    call, officer, other_officer, ministry, reviewer, admin_user
):
    from applications.models import ProgrammeStaff
    from portal.rules import rules

    ProgrammeStaff.objects.create(programme=call.programme, user=reviewer, role="reviewer")
    for person in (officer, other_officer, ministry, reviewer, admin_user):
        programmes = set(Programme.objects.staff_visible_to(person))
        allowed = {
            p
            for p in Programme.objects.all()
            if rules.has_perm("applications.view_programme", person, p)
        }
        assert programmes == allowed, person
        calls = set(Call.objects.staff_visible_to(person))
        assert calls == {c for c in Call.objects.all() if c.programme in allowed}, person


def test_an_eligibility_question_checks_a_number_question_of_the_form(client, officer):
    from applications import formlibrary
    from tests.factories import CallFactory

    call = CallFactory(
        programme=officer.programme_roles.get().programme, form=formlibrary.COWORKING
    )
    client.force_login(officer)
    url = reverse("applications:staff_call_edit", args=[call.slug])
    page = client.get(url).content.decode()
    assert '<option value="desks">Postes de travail individuels</option>' in page
    assert 'value="opening_hours"' not in page

    data = {
        "title_fr": call.title,
        "slug": call.slug,
        "rules_fr": call.rules,
        "opens_at": timezone.localtime(call.opens_at).strftime("%Y-%m-%dT%H:%M:%S"),
        "closes_at": timezone.localtime(call.closes_at).strftime("%Y-%m-%dT%H:%M:%S"),
        "budget": "600000",
        "max_amount": "100000",
        "reviews_per_dossier": "3",
        "disagreement_tolerance": "2",
        "label_validity_months": "36",
        "is_published": "on",
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
        "questions-TOTAL_FORMS": "1",
        "questions-INITIAL_FORMS": "0",
        "questions-0-text_fr": "Au moins 20 postes de travail ?",
        "questions-0-figure": "opening_hours",
        "questions-0-minimum": "20",
        "questions-0-position": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert not call.eligibility_questions.exists()

    response = client.post(url, {**data, "questions-0-figure": "desks"})
    assert response.status_code == 302
    assert call.eligibility_questions.get().figure == "desks"
