"""A call whose form an officer builds in the staff pages only, in French: one question of
each kind and a budget table with its rules, previewed in both languages; a founder meets the
table's rule, mends the budget, submits and reads the answers in the receipt; the officer
filters the list on a choice question and exports it to XLSX, one column per question."""

import datetime as dt
import io

import openpyxl
import pypdf
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import Application, Call
from tests.browser.test_application import sign_in
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory

# code, type, French label, English label, extra fields (label → value)
QUESTIONS = [
    (
        "nom_espace",
        "short_text",
        "Nom de l'espace",
        "Name of the space",
        {"Longueur maximale (caractères)": "80"},
    ),
    (
        "projet",
        "long_text",
        "Le projet en quelques mots",
        "The project in a few words",
        {"Longueur maximale (mots)": "50"},
    ),
    ("postes", "integer", "Postes de travail", "Workstations", {"Minimum": "1"}),
    ("surface", "decimal", "Surface (m²)", "Surface (m²)", {}),
    ("apport", "amount", "Apport propre (EUR)", "Own contribution (EUR)", {"Maximum": "500000"}),
    ("occupation", "percentage", "Taux d'occupation visé", "Target occupancy", {}),
    ("ouverture", "date", "Date d'ouverture", "Opening date", {}),
    ("rural", "yes_no", "Commune rurale ?", "Rural municipality?", {}),
    (
        "statut",
        "choice",
        "Statut",
        "Legal status",
        {"Options": "asbl | ASBL | Non-profit\nsrl | SRL | Company"},
    ),
    (
        "services",
        "choices",
        "Services",
        "Services",
        {"Options": "wifi | Wifi | Wifi\ncafe | Café | Coffee"},
    ),
    ("contact", "email", "Adresse de contact", "Contact address", {}),
    ("site", "url", "Site web", "Website", {}),
    ("cp_atelier", "postcode", "Code postal de l'atelier", "Workshop postcode", {}),
    ("budget", "table", "Budget", "Budget", {}),
]
COLUMNS = [
    ("poste", "text", "Poste", "Item", False, ""),
    (
        "categorie",
        "choice",
        "Catégorie",
        "Category",
        False,
        "equipement | Équipement | Equipment\ntravaux | Travaux | Works",
    ),
    ("montant", "amount", "Montant", "Amount", True, ""),
]


def local_input(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M:%S")


@pytest.mark.django_db(transaction=True)
def test_an_officer_builds_a_call_form_a_founder_answers_it_and_the_officer_exports_it(
    page, browser, live_server, private_storage, screenshot
):
    programme = ProgrammeFactory(name="Tiers-lieux ruraux", slug="tiers-lieux")
    officer = UserFactory(roles=["officer"])
    programme.staff.create(user=officer, role="officer")
    founder = MembershipFactory(organisation__legal_name="Tiers-lieu de Gesves ASBL").user

    # The officer creates the call through the staff pages.
    sign_in(page, officer)
    page.goto(f"/staff/programmes/{programme.slug}/calls/new/")
    now = timezone.now().replace(microsecond=0)
    for label, value in [
        ("Titre (français)", "Tiers-lieux ruraux 2027"),
        ("Nom court (adresses web)", "tiers-lieux-2027"),
        ("Règlement (français)", "Ouvert aux communes rurales."),
        ("Ouverture", local_input(now - dt.timedelta(days=1))),
        ("Date limite de dépôt", local_input(now + dt.timedelta(days=30))),
        ("Budget", "500000"),
        ("Montant maximum par dossier", "100000"),
    ]:
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Enregistrer").click()
    call = Call.objects.get(slug="tiers-lieux-2027")
    assert not call.is_published

    # A section and one question of each kind.
    page.goto(f"/staff/calls/{call.slug}/form/")
    page.get_by_role("link", name="Ajouter une section").click()
    page.get_by_label("Titre (français)").fill("Le tiers-lieu")
    page.get_by_label("Titre (anglais)").fill("The third place")
    page.get_by_role("button", name="Enregistrer").click()
    for code, kind, label_fr, label_en, extra in QUESTIONS:
        page.get_by_role("link", name="Ajouter une question").first.click()
        page.get_by_label("Code", exact=True).fill(code)
        page.get_by_label("Type", exact=True).select_option(kind)
        page.get_by_label("Question (français)").fill(label_fr)
        page.get_by_label("Question (anglais)").fill(label_en)
        if kind in ("url", "postcode"):
            page.get_by_label("Obligatoire").uncheck()
        for label, value in extra.items():
            page.get_by_label(label, exact=True).fill(value)
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Formulaire de candidature")
    budget = call.questions.get(code="budget")
    for code, kind, label_fr, label_en, summed, options in COLUMNS:
        page.goto(f"/staff/calls/{call.slug}/form/questions/{budget.pk}/columns/new/")
        page.get_by_label("Code", exact=True).fill(code)
        page.get_by_label("Type", exact=True).select_option(kind)
        page.get_by_label("Intitulé (français)").fill(label_fr)
        page.get_by_label("Intitulé (anglais)").fill(label_en)
        if summed:
            page.get_by_label("Donne le total").check()
        if options:
            page.get_by_label("Options").fill(options)
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Formulaire de candidature")

    # The rules: the total equals the project's cost; equipment at most a third.
    page.get_by_role("link", name="Ajouter une règle").click()
    page.get_by_label("Règle", exact=True).select_option("total_equals")
    page.get_by_label("Question", exact=True).select_option(label="Budget")
    page.get_by_label("Montant du dossier").select_option("total_cost")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("link", name="Ajouter une règle").click()
    page.get_by_label("Règle", exact=True).select_option("share_at_most")
    page.get_by_label("Question", exact=True).select_option(label="Budget")
    page.get_by_label("Colonne de catégorie").select_option(label="Budget — Catégorie")
    page.get_by_label("Catégorie", exact=True).fill("equipement")
    page.get_by_label("Au plus (%)").fill("33,33")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Formulaire de candidature")
    assert call.form_rules.count() == 2
    screenshot(page, "form-overview")

    # The preview, in both languages.
    page.get_by_role("link", name="Aperçu", exact=True).click()
    expect(page.get_by_text("Commune rurale ?")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Catégorie")).to_be_visible()
    screenshot(page, "preview-fr")
    page.get_by_role("link", name="English").last.click()
    expect(page.get_by_text("Rural municipality?")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Category")).to_be_visible()

    # The officer opens the call.
    page.goto(f"/staff/calls/{call.slug}/edit/")
    page.get_by_label("Publié").check()
    page.get_by_role("button", name="Enregistrer").first.click()
    call.refresh_from_db()
    assert call.is_published and call.is_open()

    # The founder applies.
    context = browser.new_context(base_url=live_server.url, locale="fr-BE")
    context.set_default_timeout(10_000)
    applicant = context.new_page()
    sign_in(applicant, founder)
    applicant.goto(call.get_absolute_url())
    applicant.get_by_role("link", name="Déposer un dossier").click()
    applicant.get_by_role("button", name="Créer le brouillon").click()
    applicant.get_by_role("link", name="Modifier Le projet").click()
    applicant.get_by_label("Titre du projet").fill("Un tiers-lieu à Gesves")
    applicant.get_by_label("Résumé du projet").fill("Un lieu de travail partagé au village.")
    applicant.get_by_role("button", name="Enregistrer cette section").click()
    applicant.get_by_role("link", name="Modifier L'adresse de l'espace").click()
    applicant.get_by_label("Rue et numéro").fill("Chaussée de Gramptinne 112")
    applicant.get_by_label("Code postal", exact=True).fill("5340")
    applicant.get_by_label("Commune", exact=True).fill("Gesves")
    applicant.get_by_role("button", name="Enregistrer cette section").click()
    applicant.get_by_role("link", name="Modifier Coût et montant demandé").click()
    applicant.get_by_label("Coût total du projet (EUR)").fill("90 000")
    applicant.get_by_label("Montant demandé (EUR)").fill("60 000")
    applicant.get_by_role("button", name="Enregistrer cette section").click()

    applicant.get_by_role("link", name="Modifier Le tiers-lieu").click()
    for label, value in [
        ("Nom de l'espace", "La Grange"),
        ("Le projet en quelques mots", "Un espace de travail partagé dans une ancienne grange."),
        ("Postes de travail", "14"),
        ("Surface (m²)", "180,5"),
        ("Apport propre (EUR)", "30 000"),
        ("Taux d'occupation visé", "60"),
        ("Date d'ouverture", "2027-09-01"),
        ("Adresse de contact", "contact@grange.example.be"),
    ]:
        applicant.get_by_label(label, exact=True).fill(value)
    applicant.get_by_role("group", name="Commune rurale ?").get_by_label("Oui").check()
    applicant.get_by_role("group", name="Statut").get_by_label("ASBL").check()
    applicant.get_by_role("group", name="Services").get_by_label("Wifi").check()
    rows = applicant.locator("table.answer-table tbody tr")
    for index, (item, category, amount) in enumerate(
        [("Ordinateurs", "equipement", "45 000"), ("Isolation", "travaux", "45 000")]
    ):
        cells = rows.nth(index)
        cells.locator("input").nth(0).fill(item)
        cells.locator("select").select_option(category)
        cells.locator("input").nth(1).fill(amount)
    applicant.get_by_role("button", name="Enregistrer cette section").click()
    expect(applicant.locator("#id_budget_error")).to_contain_text("ne peut dépasser 33,33")
    screenshot(applicant, "table-rule-error")
    assert Application.objects.get().answers == {}

    rows.nth(0).locator("input").nth(1).fill("30 000")
    rows.nth(1).locator("input").nth(1).fill("60 000")
    applicant.get_by_role("button", name="Enregistrer cette section").click()
    expect(applicant.get_by_text("Section enregistrée et complète.")).to_be_visible()
    application = Application.objects.get()
    assert application.answers["budget"]["total"] == "90000.00"
    assert application.answers["statut"] == "asbl"

    applicant.get_by_role("link", name="Relire et déposer le dossier").click()
    applicant.get_by_label("Je déclare sur l'honneur").check()
    applicant.get_by_role("button", name="Déposer le dossier").click()
    expect(applicant.get_by_text("Votre dossier est déposé sous la référence")).to_be_visible()
    application.refresh_from_db()
    with applicant.expect_download() as download:
        applicant.get_by_role("link", name="Accusé de réception").first.click()
    receipt = "\n".join(
        page_.extract_text() for page_ in pypdf.PdfReader(download.value.path()).pages
    )
    for text in ("Nom de l'espace", "La Grange", "Commune rurale ?", "Ordinateurs", "90 000,00"):
        assert text in receipt, text
    context.close()

    # The officer filters on the choice question and exports the list to XLSX.
    page.goto(f"/staff/calls/{call.slug}/")
    page.get_by_label("Statut", exact=True).select_option("srl")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_text(application.reference)).to_have_count(0)
    page.get_by_label("Statut", exact=True).select_option("asbl")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("link", name=application.reference)).to_be_visible()
    screenshot(page, "filtered-list")
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").click()
    sheet = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    headers = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    for _code, _kind, label_fr, _label_en, _extra in QUESTIONS:
        assert any(header and header.startswith(label_fr) for header in headers), label_fr
    row = [cell.value for cell in next(sheet.iter_rows(min_row=2))]
    values = dict(zip(headers, row, strict=True))
    assert values["Nom de l'espace"] == "La Grange"
    assert values["Statut"] == "ASBL"
