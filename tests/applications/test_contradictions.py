"""A dossier that contradicts itself is refused where the contradicting field is saved, with
the amounts written for the reader."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from applications import formlibrary
from applications.models import Application
from tests.factories import (
    COWORKING_ANSWERS,
    CallFactory,
    DocumentTypeFactory,
    EligibilityQuestionFactory,
)
from tests.pages import text_of

pytestmark = pytest.mark.django_db

FUNDING = {"total_cost": "240000", "requested_amount": "80000"}


@pytest.fixture
def call(db):
    """A call that asks the coworking form."""
    call = CallFactory(form=formlibrary.COWORKING)
    DocumentTypeFactory(call=call, name="Plan financier sur trois ans")
    EligibilityQuestionFactory(call=call)
    return call


@pytest.fixture
def desks_question(call):
    return EligibilityQuestionFactory(
        call=call,
        text="L'espace offre-t-il au moins 20 postes de travail individuels ?",
        figure="desks",
        minimum=20,
    )


def save_section(client, draft, section, data):
    return client.post(reverse("applications:section", args=[draft.pk, section]), data)


def save_space(client, draft, data):
    """Save the coworking form's section "The space"."""
    section = draft.call.form_sections.get(position=0)
    return client.post(reverse("applications:answers", args=[draft.pk, section.pk]), data)


def test_a_requested_amount_above_the_total_cost_is_refused_in_its_section(
    client, draft, applicant
):
    client.force_login(applicant)

    response = save_section(
        client, draft, "funding", {"total_cost": "50000", "requested_amount": "60000"}
    )

    assert response.status_code == 200
    assert (
        "Le montant demandé (60 000,00 €) dépasse le coût total du projet (50 000,00 €)."
        in text_of(response)
    )
    draft.refresh_from_db()
    assert draft.requested_amount == Decimal("80000")


def test_the_call_maximum_is_checked_in_the_section_with_a_localised_amount(
    client, draft, applicant
):
    client.force_login(applicant)

    response = save_section(client, draft, "funding", {**FUNDING, "requested_amount": "120000"})

    page = text_of(response)
    assert "dépasse le maximum de 100 000,00 € fixé par l'appel" in page
    assert "100000.00" not in page
    draft.refresh_from_db()
    assert draft.requested_amount == Decimal("80000")


def test_the_call_maximum_is_written_the_english_way_in_english(draft):
    draft.requested_amount = Decimal("120000")
    with translation.override("en"):
        (inconsistency,) = draft.inconsistencies()
        assert "€120,000.00" in inconsistency.message
        assert "€100,000.00" in inconsistency.message


def test_a_yes_that_the_number_of_desks_denies_is_refused_where_it_is_answered(
    client, draft, applicant, desks_question
):
    Application.objects.filter(pk=draft.pk).update(answers={**COWORKING_ANSWERS, "desks": 12})
    client.force_login(applicant)

    response = client.post(
        reverse("applications:eligibility", args=[draft.pk]),
        {f"question_{desks_question.pk}": "yes"},
    )

    assert response.status_code == 200
    assert (
        "Vous avez répondu « Oui » à « L'espace offre-t-il au moins 20 postes de travail "
        "individuels ? », mais le dossier indique 12 pour « Postes de travail individuels »."
        in text_of(response)
    )
    assert not draft.eligibility_answers.filter(question=desks_question).exists()


def test_lowering_the_desks_below_a_yes_answer_is_refused_in_the_space_section(
    client, draft, applicant, desks_question
):
    draft.eligibility_answers.create(question=desks_question, answer=True)
    client.force_login(applicant)

    response = save_space(client, draft, {**COWORKING_ANSWERS, "desks": "12"})

    assert "mais le dossier indique 12 pour « Postes de travail individuels »" in text_of(response)
    draft.refresh_from_db()
    assert draft.answers["desks"] == 30


def test_a_consistent_answer_is_saved(client, draft, applicant, desks_question):
    client.force_login(applicant)

    client.post(
        reverse("applications:eligibility", args=[draft.pk]),
        {f"question_{desks_question.pk}": "yes"},
    )

    assert draft.eligibility_answers.get(question=desks_question).answer is True


def test_a_contradiction_already_stored_still_stops_the_submission(draft, desks_question):
    draft.eligibility_answers.create(question=desks_question, answer=True)
    Application.objects.filter(pk=draft.pk).update(answers={**COWORKING_ANSWERS, "desks": 12})
    draft.refresh_from_db()

    problems = [" ".join(str(p).split()) for p in draft.submission_problems()]
    assert any("12 pour « Postes de travail" in p for p in problems)


def test_the_address_section_checks_the_municipality_against_the_postcode(client, draft, applicant):
    client.force_login(applicant)

    response = save_section(
        client,
        draft,
        "address",
        {"street": "Rue de Fer 1", "postcode": "9999", "municipality": "Gand"},
    )

    assert "Le code postal 9999 n'existe pas en Belgique" in text_of(response)
    draft.refresh_from_db()
    assert draft.postcode == "5000"
