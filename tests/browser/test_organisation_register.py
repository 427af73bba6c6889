"""Looking an enterprise up in the register fills the organisation form, without
JavaScript, and the page it gives has no serious accessibility violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from portal.registerimport import import_extract
from tests.portal.test_register_import import FULL

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def register(transactional_db):
    import_extract(FULL)


def look_up(page, number):
    page.goto("/organisations/new/")
    page.get_by_label("Numéro d'entreprise (BCE)").fill(number)
    page.get_by_role("button", name="Chercher dans le registre").click()


def test_look_up_fills_the_form_without_javascript(
    browser, live_server, sign_in_as, applicant, register
):
    context = browser.new_context(
        base_url=live_server.url, locale="fr-BE", java_script_enabled=False
    )
    page = sign_in_as(context.new_page(), applicant)
    look_up(page, "0712 345 630")
    expect(page.get_by_label("Dénomination")).to_have_value("Le Comptoir des Possibles")
    expect(page.get_by_label("Rue et numéro")).to_have_value("Rue Haute 40 bte 2")
    expect(page.get_by_label("Code postal")).to_have_value("5000")
    expect(page.get_by_label("Forme juridique")).to_have_value("SRL")
    page.get_by_label("E-mail de contact").fill("bonjour@comptoir.example.be")
    page.get_by_role("button", name="Enregistrer l'organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Le Comptoir")
    context.close()


def test_the_looked_up_form_and_its_refusal_are_accessible(page, sign_in_as, applicant, register):
    sign_in_as(page, applicant)
    found = []
    for number in ("0712.345.630", "0723.456.781"):  # found; bankrupt
        look_up(page, number)
        results = Axe().run(page, options={**WCAG, "resultTypes": ["violations"]})
        found += [
            f"{number}: {violation['id']}"
            for violation in results.response["violations"]
            if violation["impact"] in {"serious", "critical"}
        ]
    expect(page.get_by_text("Ouverture de faillite").first).to_be_visible()
    assert found == []
