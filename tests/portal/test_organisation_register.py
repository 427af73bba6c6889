"""Creating an organisation with the enterprise register loaded: "Look up" prefills the
form from the register (without JavaScript), a stopped enterprise is refused, an unknown
number too once a register is loaded."""

import pytest
from django.urls import reverse

from portal.models import Organisation
from portal.registerimport import import_extract
from tests.factories import UserFactory
from tests.pages import text_of
from tests.portal.test_register_import import FULL, UPDATE

pytestmark = pytest.mark.django_db

FORM = {
    "legal_name": "Le Comptoir des Possibles",
    "trade_name": "Le Comptoir",
    "legal_form": "SRL",
    "enterprise_number": "0712.345.630",
    "street": "Rue Haute 40 bte 2",
    "postcode": "5000",
    "municipality": "Namur",
    "contact_email": "bonjour@comptoir.example.be",
}


@pytest.fixture
def register():
    import_extract(FULL)


def look_up(client, number, **typed):
    return client.post(
        reverse("portal:organisation_create"),
        {"enterprise_number": number, "lookup": "1", **typed},
    )


def field_value(html: str, name: str) -> str:
    import re

    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html)
    return match.group(1) if match else ""


def test_look_up_prefills_name_legal_form_address_and_activities(client, register):
    client.force_login(UserFactory())
    response = look_up(client, "BE 0712 345 630", contact_email="bonjour@comptoir.example.be")
    html = response.content.decode()
    assert response.status_code == 200
    assert field_value(html, "legal_name") == "Le Comptoir des Possibles"
    assert field_value(html, "trade_name") == "Le Comptoir"
    assert '<option value="SRL" selected>' in html
    assert field_value(html, "street") == "Rue Haute 40 bte 2"
    assert field_value(html, "postcode") == "5000"
    assert field_value(html, "municipality") == "Namur"
    assert field_value(html, "activity_codes") == "68.202, 82.110"
    assert field_value(html, "enterprise_number") == "0712.345.630"
    # What the person had typed stays; nothing is saved before they confirm.
    assert field_value(html, "contact_email") == "bonjour@comptoir.example.be"
    assert not Organisation.objects.exists()
    page = text_of(response)
    assert "Rempli depuis la Banque-Carrefour des Entreprises" in page
    assert "82.110 — Services administratifs combinés de bureau" in page
    assert "Veuillez corriger" not in page

    response = client.post(reverse("portal:organisation_create"), FORM)
    organisation = Organisation.objects.get()
    assert response.url == organisation.get_absolute_url()
    assert organisation.legal_form == "SRL"


def test_a_dutch_speaker_gets_the_dutch_name(client, register):
    client.force_login(UserFactory(language="nl"))
    client.cookies["django_language"] = "nl"
    html = look_up(client, "0734.567.835").content.decode()
    assert field_value(html, "legal_name") in ("Ruimte Co-Labo", "Espace Co-Labo")
    assert '<option value="ASBL" selected>' in html


def test_a_stopped_enterprise_is_refused_at_look_up_and_on_saving(client, register):
    client.force_login(UserFactory())
    page = text_of(look_up(client, "0723.456.781"))
    assert "liste l'entreprise 0723.456.781 comme arrêtée (Ouverture de faillite)" in page

    response = client.post(
        reverse("portal:organisation_create"),
        {**FORM, "enterprise_number": "0723.456.781", "legal_name": "Atelier Fermé"},
    )
    assert "Ouverture de faillite" in text_of(response)
    assert not Organisation.objects.exists()


def test_an_enterprise_gone_from_the_register_is_refused(client, register):
    import_extract(UPDATE)
    client.force_login(UserFactory())
    response = client.post(
        reverse("portal:organisation_create"), {**FORM, "enterprise_number": "0723.456.781"}
    )
    assert "ne figure plus au registre depuis le 30/11/2026" in text_of(response)
    assert not Organisation.objects.exists()


def test_an_unknown_number_is_refused_once_a_register_is_loaded(client, register):
    client.force_login(UserFactory())
    response = client.post(
        reverse("portal:organisation_create"), {**FORM, "enterprise_number": "0767.890.107"}
    )
    assert "n'a pas d'entreprise active 0767.890.107" in text_of(response)
    assert not Organisation.objects.exists()


def test_without_a_register_any_valid_number_is_accepted_as_before(client):
    client.force_login(UserFactory())
    page = text_of(look_up(client, "0767.890.107"))
    assert "pas disponible ici" in page
    response = client.post(
        reverse("portal:organisation_create"), {**FORM, "enterprise_number": "0767.890.107"}
    )
    assert response.status_code == 302
    assert Organisation.objects.get().enterprise_number == "0767890107"


def test_editing_an_organisation_whose_enterprise_stopped_still_works(client, register):
    from tests.factories import MembershipFactory, OrganisationFactory

    organisation = OrganisationFactory(enterprise_number="0723456781", postcode="6000")
    member = MembershipFactory(organisation=organisation).user
    client.force_login(member)
    response = client.post(
        reverse("portal:organisation_edit", args=[organisation.pk]),
        {**FORM, "enterprise_number": "0723.456.781", "postcode": "6000", "municipality": ""},
    )
    assert response.status_code == 302


def test_the_demo_loads_a_register_that_knows_its_organisations():
    from portal import demo

    demo.load(stdout=None)
    numbers = {
        entry["enterprise_number"].replace(".", "")
        for entry in demo.read_fixture("organisations.toml")["organisation"]
    }
    assert numbers <= set(Organisation.objects.values_list("enterprise_number", flat=True))
    from portal.registermodels import Enterprise

    assert numbers <= set(Enterprise.objects.values_list("number", flat=True))
    demo.load(stdout=None)  # idempotent
