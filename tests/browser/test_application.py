from playwright.sync_api import expect

from applications import formlibrary
from applications.models import Application
from tests.factories import (
    PASSWORD,
    CallFactory,
    DocumentTypeFactory,
    EligibilityQuestionFactory,
    MembershipFactory,
    UserFactory,
    pdf_upload,
)


def sign_in(page, user):
    page.goto("/accounts/sign-in/")
    page.get_by_label("Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_a_founder_submits_a_dossier_and_an_officer_declares_it_admissible(
    page, tmp_path, private_storage
):
    call = CallFactory(title="Espaces de coworking 2027", form=formlibrary.COWORKING)
    DocumentTypeFactory(call=call, name="Plan financier sur trois ans")
    EligibilityQuestionFactory(call=call, text="Le consortium compte-t-il un partenaire public ?")
    officer = UserFactory(roles=["officer"])
    call.programme.staff.create(user=officer, role="officer")
    founder = MembershipFactory(organisation__legal_name="Cœur de Ville ASBL").user
    plan = tmp_path / "plan-financier.pdf"
    plan.write_bytes(pdf_upload().read())

    sign_in(page, founder)
    page.goto(call.get_absolute_url())
    page.get_by_role("link", name="Déposer un dossier").click()
    page.get_by_role("button", name="Créer le brouillon").click()

    page.get_by_role("link", name="Modifier Le projet").click()
    page.get_by_label("Titre du projet").fill("Un tiers-lieu au cœur de Namur")
    page.get_by_label("Résumé du projet").fill("Un espace ouvert et animé.")
    page.get_by_role("button", name="Enregistrer cette section").click()
    expect(page.get_by_text("Section enregistrée et complète.")).to_be_visible()

    page.get_by_role("link", name="Modifier L'adresse de l'espace").click()
    for label, value in [("Rue et numéro", "Rue de Fer 1"), ("Code postal", "5000")]:
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_label("Commune", exact=True).fill("Namur")
    page.get_by_role("button", name="Enregistrer cette section").click()

    page.get_by_role("link", name="Modifier Coût et montant demandé").click()
    page.get_by_label("Coût total du projet (EUR)").fill("240000")
    page.get_by_label("Montant demandé (EUR)").fill("80000")
    page.get_by_role("button", name="Enregistrer cette section").click()

    page.get_by_role("link", name="Modifier L'espace", exact=True).click()
    for label, value in [
        ("Surface (m²)", "400"),
        ("Postes de travail individuels", "30"),
        ("Heures d'ouverture", "Du lundi au vendredi"),
    ]:
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("spinbutton", name="Salles de réunion").fill("3")
    page.get_by_label("Connexion internet à haut débit").check()
    page.get_by_role("button", name="Enregistrer cette section").click()

    page.get_by_role("link", name="Modifier Communauté et partenaires").click()
    page.get_by_label("Public cible").fill("Indépendants")
    page.get_by_label("Partenaires").fill("Ville de Namur")
    page.get_by_role("button", name="Enregistrer cette section").click()

    page.get_by_role("link", name="Modifier Modèle économique").click()
    page.get_by_label("Modèle économique").fill("Abonnements")
    page.get_by_label("Plan budgétaire").fill("Aménagement")
    page.get_by_role("button", name="Enregistrer cette section").click()

    page.get_by_role("link", name="Répondre").click()
    page.get_by_label("Oui").check()
    page.get_by_role("button", name="Enregistrer mes réponses").click()

    page.get_by_role("link", name="Joindre Plan financier sur trois ans").click()
    page.get_by_label("Fichier").set_input_files(str(plan))
    page.get_by_role("button", name="Joindre ce fichier").click()
    expect(page.get_by_role("link", name="plan-financier.pdf")).to_be_visible()

    page.get_by_role("link", name="Relire et déposer le dossier").click()
    page.get_by_label("Je déclare sur l'honneur").check()
    page.get_by_role("button", name="Déposer le dossier").click()
    expect(page.get_by_text("Votre dossier est déposé sous la référence")).to_be_visible()
    application = Application.objects.get()
    assert application.state == "submitted"

    page.context.clear_cookies()
    sign_in(page, officer)
    page.goto(f"/staff/calls/{call.slug}/")
    page.get_by_role("link", name=application.reference).click()
    for label in [
        "Les pièces justificatives sont complètes et lisibles",
        "Le candidat est éligible à cet appel",
        "Les réponses d'éligibilité sont confirmées",
        "Le montant demandé respecte les limites de l'appel",
    ]:
        page.get_by_label(label).check()
    page.get_by_role("button", name="Déclarer recevable").click()

    expect(page.get_by_text("Fait : le dossier est maintenant « recevable ».")).to_be_visible()
    application.refresh_from_db()
    assert application.state == "admissible"
