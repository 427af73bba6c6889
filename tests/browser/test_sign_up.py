import re

from django.core import mail
from playwright.sync_api import expect

from portal.models import Organisation


def test_a_founder_signs_up_confirms_registers_an_organisation_and_sees_it(page):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "fr-BE")
    page.get_by_role("link", name="Créer un compte").first.click()

    page.get_by_label("Nom et prénom").fill("Émilie Dubois")
    page.get_by_label("Adresse e-mail").fill("emilie@coworking.example.be")
    page.get_by_label("Mot de passe", exact=True).fill("un-espace-pour-tous-2026")
    page.get_by_label("Mot de passe (confirmation)").fill("un-espace-pour-tous-2026")
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultez votre boîte de réception")

    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    page.goto(re.sub(r"^https?://[^/]+", "", link))
    page.get_by_role("button", name="Confirmer mon adresse").click()
    expect(page.get_by_text("Votre adresse e-mail est confirmée.")).to_be_visible()
    expect(page.get_by_label("Adresse e-mail")).to_have_value("emilie@coworking.example.be")
    page.get_by_label("Mot de passe").fill("un-espace-pour-tous-2026")
    page.get_by_role("button", name="Se connecter").click()

    page.get_by_role("link", name="Enregistrer une organisation").click()
    page.get_by_label("Dénomination").fill("Espace Cœur de Ville ASBL")
    page.get_by_label("Nom commercial").fill("Cœur de Ville")
    page.get_by_label("Forme juridique").select_option("ASBL")
    page.get_by_label("Numéro d'entreprise (BCE)").fill("0566.988.258")
    page.get_by_label("Rue et numéro").fill("Place d'Armes 1")
    page.get_by_label("Code postal").fill("5000")
    page.get_by_label("Commune").fill("Namur")
    page.get_by_label("E-mail de contact").fill("bonjour@coeur.example.be")
    page.get_by_role("button", name="Enregistrer l'organisation").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("chiffres de contrôle")
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Numéro d'entreprise (BCE)")).to_be_focused()
    page.get_by_label("Numéro d'entreprise (BCE)").fill("0566.988.259")
    page.get_by_role("button", name="Enregistrer l'organisation").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Cœur de Ville")
    expect(page.get_by_text("Namur").first).to_be_visible()
    page.get_by_role("link", name="Tableau de bord").click()
    expect(page.get_by_role("link", name="Cœur de Ville")).to_be_visible()
    assert Organisation.objects.get().province == "NAM"
