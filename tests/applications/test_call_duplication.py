"""Creating the next call from a call: its form, documents, eligibility questions and
scoring criteria come along; its title, address, dates and amounts are asked again."""

from decimal import Decimal

import pytest
from django.urls import reverse

from applications import formbuilder, formlibrary
from applications.models import Call
from review.models import Criterion
from tests.pages import text_of

pytestmark = pytest.mark.django_db

NEXT = {
    "title_fr": "Ruralité 2018",
    "slug": "ruralite-2018",
    "opens_at": "2027-01-15T09:00:00",
    "closes_at": "2027-04-30T23:59:59",
    "budget": "800 000",
    "max_amount": "120 000",
}


@pytest.fixture
def source(call):
    formbuilder.install(call, formlibrary.RURAL_2017)
    Criterion.objects.create(
        call=call,
        code="ancrage",
        title="Ancrage local",
        guidance="Partenaires du territoire",
        weight=Decimal("2"),
        threshold=Decimal("5"),
        position=1,
    )
    call.half_points = True
    call.legal_basis = "Arrêté ministériel du 1er mars 2017."
    call.save()
    return call


def test_the_next_call_copies_form_documents_questions_and_criteria(client, source, officer):
    client.force_login(officer)
    page = client.get(reverse("applications:staff_call_duplicate", args=[source.slug]))
    form = page.context["form"]
    assert form["title_fr"].value() == source.title
    assert not form["slug"].value() and not form["opens_at"].value()
    assert not form["budget"].value()

    response = client.post(
        reverse("applications:staff_call_duplicate", args=[source.slug]), NEXT, follow=True
    )
    call = Call.objects.get(slug="ruralite-2018")
    assert response.redirect_chain[-1][0] == reverse(
        "applications:staff_call_edit", args=[call.slug]
    )
    assert "est créé à partir de" in text_of(response)
    assert call.programme == source.programme
    assert call.budget == Decimal("800000") and call.max_amount == Decimal("120000")
    assert call.closes_at.isoformat() == "2027-04-30T21:59:59+00:00"
    assert call.half_points and not call.is_published
    assert call.legal_basis == "Arrêté ministériel du 1er mars 2017."
    assert list(call.document_types.values_list("name", flat=True)) == list(
        source.document_types.values_list("name", flat=True)
    )
    assert list(call.eligibility_questions.values_list("text", flat=True)) == list(
        source.eligibility_questions.values_list("text", flat=True)
    )
    assert formbuilder.definition(call) == formbuilder.definition(source)
    assert call.form_changes.get().summary == f"Copié de «\u00a0{source.title}\u00a0»."
    assert list(call.criteria.values_list("code", "title", "weight", "threshold")) == [
        ("ancrage", "Ancrage local", Decimal("2"), Decimal("5"))
    ]
    # The source keeps its own.
    assert source.criteria.count() == 1
    assert source.questions.count() == call.questions.count()


def test_dates_amounts_and_address_are_checked(client, source, officer):
    client.force_login(officer)
    url = reverse("applications:staff_call_duplicate", args=[source.slug])
    response = client.post(
        url,
        {**NEXT, "slug": source.slug, "closes_at": "2027-01-01T09:00:00", "max_amount": "900000"},
    )
    page = text_of(response)
    assert "Un autre appel utilise déjà ce nom court." in page
    assert "La date limite doit suivre l'ouverture." in page
    assert "Le montant maximum par dossier ne peut dépasser le budget." in page
    assert Call.objects.count() == 1


def test_a_call_without_form_is_copied_without_one(client, call, officer):
    client.force_login(officer)
    client.post(reverse("applications:staff_call_duplicate", args=[call.slug]), NEXT)
    copy = Call.objects.get(slug="ruralite-2018")
    assert formbuilder.current_version(copy) == 0
    assert copy.document_types.count() == 1


def test_others_cannot_copy_a_call(client, source, other_officer, ministry, applicant):
    url = reverse("applications:staff_call_duplicate", args=[source.slug])
    for user in (other_officer, ministry, applicant):
        client.force_login(user)
        assert client.post(url, NEXT).status_code == 404
    assert not Call.objects.filter(slug="ruralite-2018").exists()
    assert Call.objects.count() == 2  # the source and the other officer's programme's
