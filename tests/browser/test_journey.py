"""The whole life of a dossier, through the pages only (SPEC §3 to §6): a founder signs up,
applies and answers a change request; the agency checks, three experts score, the jury
proposes, the ministry grants; the founder downloads the certificate and reports; the agency
accepts the report; the ministry exports and prints; a visitor verifies the label.

Only the agency's configuration (programme, call, grid, staff and their grants, reporting
schedule) is made with factories, and the daily reporting job is run as cron would run it.
Every other step is a click or a form. ``screenshot`` keeps a picture of each step.
"""

import datetime as dt
import io
import re
from decimal import Decimal
from types import SimpleNamespace

import openpyxl
import pypdf
import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation
from playwright.sync_api import expect

from applications import formlibrary
from applications.models import Application
from labels.models import Label
from portal.dates import long_date
from reporting import indicatorlibrary
from reporting.models import ActivityReport, ReportingSchedule
from review.models import Criterion
from tests.browser.test_application import sign_in
from tests.factories import (
    PASSWORD,
    CallFactory,
    DocumentTypeFactory,
    EligibilityQuestionFactory,
    ProgrammeFactory,
    UserFactory,
    pdf_upload,
)

FOUNDER_PASSWORD = "un-espace-pour-tous-2026"
PUBLIC_PARTNER = "Le consortium compte-t-il un partenaire public ou para-public ?"
DESKS = "L'espace offre-t-il au moins 20 postes de travail individuels ?"
CRITERIA = [
    # code, title, weight, threshold
    ("innovation", "Caractère innovant du projet", Decimal(2), Decimal(5)),
    ("community", "Dynamique d'animation et communauté", Decimal(1), None),
    ("viability", "Viabilité économique", Decimal(1), Decimal(4)),
]
# Each expert's scores, in the order of CRITERIA.
SCORES = [("8", "7", "6"), ("9", "8", "7"), ("7", "6", "8")]
INDICATORS = {
    "Coworkers actifs": "38",
    "Postes de travail": "24",
    "Taux d'occupation (%)": "58,5",
    "Jours d'ouverture": "62",
    "Événements organisés": "5",
    "Participants": "140",
    "Entreprises hébergées": "21",
    "Entreprises créées": "3",
    "Emplois créés (ETP)": "2,5",
    "Chiffre d'affaires (€)": "16400",
    "Subsides utilisés (€)": "11000",
    "Partenariats": "3",
    "Rapport narratif": "Un premier trimestre labellisé : cinq ateliers et trois entreprises nées.",
}
DASHBOARD = re.compile(r"/dashboard/\w+/$")


@pytest.fixture
def open_page(reference_data, browser, live_server):
    """``open_page(locale)``: a tab in a browser of its own (its own cookies), one per person
    of the journey, so that nobody has to sign out for another to act."""
    contexts = []

    def open_page(locale="fr-BE"):
        context = browser.new_context(base_url=live_server.url, locale=locale)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def agency_set_up():
    """The agency's configuration, made before anybody applies: a programme with its
    indicators and a quarterly reporting schedule, its open call with documents,
    eligibility questions and a scoring grid, and the programme's officer, ministry
    official and three experts."""
    programme = ProgrammeFactory(
        name="Creative Wallonia — Espaces de coworking",
        slug="creative-wallonia",
        label_name="Espace de coworking labellisé Creative Wallonia",
    )
    call = CallFactory(
        programme=programme,
        title="Creative Wallonia / Coworking 2027",
        slug="coworking-2027",
        budget=Decimal("600000"),
        max_amount=Decimal("100000"),
        reviews_per_dossier=3,
        form=formlibrary.COWORKING,
    )
    DocumentTypeFactory(call=call, name="Plan financier sur trois ans", position=1)
    DocumentTypeFactory(call=call, name="Lettre d'engagement du partenaire public", position=2)
    EligibilityQuestionFactory(call=call, text=PUBLIC_PARTNER, position=1)
    EligibilityQuestionFactory(call=call, text=DESKS, position=2)
    for position, (code, title, weight, threshold) in enumerate(CRITERIA):
        Criterion.objects.create(
            call=call,
            code=code,
            title=title,
            weight=weight,
            threshold=threshold,
            position=position,
        )
    indicatorlibrary.install(programme, indicatorlibrary.COWORKING)
    today = timezone.localdate()
    ReportingSchedule.objects.create(
        programme=programme,
        starts_on=today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1),
        days_allowed=30,
        reminder_days=7,
    )

    def staff(role, full_name, email):
        user = UserFactory(roles=[role], full_name=full_name, email=email)
        programme.staff.create(user=user, role=role)
        return user

    return SimpleNamespace(
        programme=programme,
        call=call,
        officer=staff("officer", "Olivier Lambert", "olivier.lambert@agence.example.be"),
        ministry=staff("ministry", "Marie Dupont", "marie.dupont@gouvernement.example.be"),
        experts=[
            staff("reviewer", "Claire Martin", "claire.martin@expert.example.be"),
            staff("reviewer", "Jan Peeters", "jan.peeters@expert.example.eu"),
            staff("reviewer", "Sofia Rossi", "sofia.rossi@expert.example.it"),
        ],
    )


def signed_in(page, user):
    """Sign ``user`` in (a staff account of the set-up) and wait for their dashboard."""
    sign_in(page, user)
    expect(page).to_have_url(DASHBOARD)
    return page


def sign_in_again(page, email, password=PASSWORD):
    """Weeks later the session has expired: the next click leads to the sign-in page, and
    signing in leads on to the dashboard."""
    page.get_by_role("link", name="Tableau de bord").click()
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/\?next="))
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(DASHBOARD)


def subjects(email: str) -> list[str]:
    """The subjects of the messages sent to ``email`` so far."""
    return [message.subject for message in mail.outbox if email in message.to]


def end_of_quarter(day: dt.date) -> dt.date:
    last_month = (day.month - 1) // 3 * 3 + 3
    next_quarter = dt.date(day.year + last_month // 12, last_month % 12 + 1, 1)
    return next_quarter - dt.timedelta(days=1)


def pdf_text(path) -> str:
    with open(path, "rb") as file:
        content = file.read()
    assert content.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_a_space_applies_is_reviewed_granted_labelled_reports_and_is_verified(
    page, open_page, tmp_path, private_storage, screenshot, time_machine
):
    agency = agency_set_up()
    call = agency.call
    plan, letter = tmp_path / "plan-financier.pdf", tmp_path / "engagement-ville.pdf"
    plan.write_bytes(pdf_upload().read())
    letter.write_bytes(pdf_upload().read())
    founder = page

    # 1. The founder signs up, confirms the address, signs in, registers the organisation.
    founder.goto("/")
    expect(founder.locator("html")).to_have_attribute("lang", "fr-BE")
    founder.get_by_role("link", name="Créer un compte").first.click()
    founder.get_by_label("Nom et prénom").fill("Émilie Dubois")
    founder.get_by_label("Adresse e-mail").fill("emilie@coeur.example.be")
    founder.get_by_label("Mot de passe", exact=True).fill(FOUNDER_PASSWORD)
    founder.get_by_label("Mot de passe (confirmation)").fill(FOUNDER_PASSWORD)
    screenshot(founder, "sign-up-form")
    founder.get_by_role("button", name="Créer mon compte").click()
    expect(founder.get_by_role("heading", level=1)).to_have_text(
        "Consultez votre boîte de réception"
    )
    screenshot(founder, "sign-up-done")

    (message,) = [m for m in mail.outbox if m.to == ["emilie@coeur.example.be"]]
    link = re.search(r"https?://\S+", message.body).group(0)
    founder.goto(re.sub(r"^https?://[^/]+", "", link))
    screenshot(founder, "confirm-email")
    founder.get_by_role("button", name="Confirmer mon adresse").click()
    expect(founder.get_by_text("Votre adresse e-mail est confirmée.")).to_be_visible()
    founder.get_by_label("Mot de passe").fill(FOUNDER_PASSWORD)
    founder.get_by_role("button", name="Se connecter").click()
    expect(founder.get_by_role("heading", level=1)).to_have_text("Bienvenue, Émilie")
    screenshot(founder, "founder-dashboard")

    founder.get_by_role("link", name="Enregistrer une organisation").click()
    founder.get_by_label("Dénomination").fill("Espace Cœur de Ville ASBL")
    founder.get_by_label("Nom commercial").fill("Cœur de Ville")
    founder.get_by_label("Forme juridique").select_option("ASBL")
    founder.get_by_label("Numéro d'entreprise (BCE)").fill("BE 0566.988.259")
    founder.get_by_label("Rue et numéro").fill("Place d'Armes 1")
    founder.get_by_label("Code postal").fill("5000")
    founder.get_by_label("Commune").fill("Namur")
    founder.get_by_label("E-mail de contact").fill("bonjour@coeur.example.be")
    founder.get_by_role("button", name="Enregistrer l'organisation").click()
    expect(founder.get_by_role("heading", level=1)).to_have_text("Cœur de Ville")
    expect(founder.get_by_text("0566.988.259")).to_be_visible()
    screenshot(founder, "organisation")

    # 2. The founder fills the dossier, answers the eligibility questions, attaches the
    # documents and submits.
    founder.get_by_role("link", name="Appels à projets", exact=True).click()
    founder.get_by_role("link", name=call.title).click()
    expect(founder.get_by_role("heading", level=1)).to_have_text(call.title)
    expect(founder.get_by_role("rowheader", name="Viabilité économique")).to_be_visible()
    screenshot(founder, "call")
    founder.get_by_role("link", name="Déposer un dossier").click()
    expect(founder.get_by_label("Organisation candidate")).to_have_text(re.compile("Cœur de Ville"))
    founder.get_by_role("button", name="Créer le brouillon").click()
    expect(founder.get_by_role("heading", level=1)).to_have_text("Nouveau dossier")

    founder.get_by_role("link", name="Modifier Le projet").click()
    founder.get_by_label("Titre du projet").fill("Un tiers-lieu au cœur de Namur")
    founder.get_by_label("Résumé du projet").fill("Un espace de coworking ouvert et animé.")
    founder.get_by_role("button", name="Enregistrer cette section").click()
    expect(founder.get_by_text("Section enregistrée et complète.")).to_be_visible()

    founder.get_by_role("link", name="Modifier L'adresse de l'espace").click()
    for label, value in [("Rue et numéro", "Rue de Fer 1"), ("Code postal", "5000")]:
        founder.get_by_label(label, exact=True).fill(value)
    founder.get_by_label("Commune", exact=True).fill("Namur")
    founder.get_by_role("button", name="Enregistrer cette section").click()
    expect(founder.get_by_text("Section enregistrée et complète.")).to_be_visible()

    founder.get_by_role("link", name="Modifier Coût et montant demandé").click()
    founder.get_by_label("Coût total du projet (EUR)").fill("240000")
    founder.get_by_label("Montant demandé (EUR)").fill("80000")
    founder.get_by_role("button", name="Enregistrer cette section").click()
    expect(founder.get_by_text("Section enregistrée et complète.")).to_be_visible()

    founder.get_by_role("link", name="Modifier L'espace", exact=True).click()
    for label, value in [
        ("Surface (m²)", "420"),
        ("Postes de travail individuels", "24"),
        ("Heures d'ouverture", "Du lundi au vendredi, de 8 h à 19 h"),
    ]:
        founder.get_by_label(label, exact=True).fill(value)
    founder.get_by_role("spinbutton", name="Salles de réunion").fill("3")
    founder.get_by_label("Connexion internet à haut débit").check()
    founder.get_by_role("button", name="Enregistrer cette section").click()
    expect(founder.get_by_text("Section enregistrée et complète.")).to_be_visible()

    founder.get_by_role("link", name="Modifier Communauté et partenaires").click()
    founder.get_by_label("Public cible").fill("Indépendants et jeunes entreprises")
    founder.get_by_label("Partenaires").fill("Université de Namur")
    founder.get_by_role("button", name="Enregistrer cette section").click()
    expect(founder.get_by_text("Section enregistrée et complète.")).to_be_visible()

    founder.get_by_role("link", name="Modifier Modèle économique").click()
    founder.get_by_label("Modèle économique").fill("Abonnements, salles louées, événements")
    founder.get_by_label("Plan budgétaire").fill("Aménagement et animation")
    founder.get_by_role("button", name="Enregistrer cette section").click()
    expect(founder.get_by_text("Section enregistrée et complète.")).to_be_visible()

    founder.get_by_role("link", name="Répondre").click()
    for question in (PUBLIC_PARTNER, DESKS):
        founder.get_by_role("group", name=question).get_by_label("Oui").check()
    screenshot(founder, "eligibility")
    founder.get_by_role("button", name="Enregistrer mes réponses").click()
    expect(founder.get_by_text("Vos réponses sont enregistrées.")).to_be_visible()

    for name, file in [
        ("Plan financier sur trois ans", plan),
        ("Lettre d'engagement du partenaire public", letter),
    ]:
        founder.get_by_role("link", name=f"Joindre {name}").click()
        founder.get_by_label("Fichier").set_input_files(str(file))
        founder.get_by_role("button", name="Joindre ce fichier").click()
        expect(founder.get_by_role("link", name=file.name)).to_be_visible()
    screenshot(founder, "dossier-complete")

    founder.get_by_role("link", name="Relire et déposer le dossier").click()
    founder.get_by_label("Je déclare sur l'honneur").check()
    screenshot(founder, "summary")
    founder.get_by_role("button", name="Déposer le dossier").click()
    expect(founder.get_by_text("Votre dossier est déposé sous la référence")).to_be_visible()
    application = Application.objects.get()
    assert application.state == Application.State.SUBMITTED
    reference = application.reference
    expect(founder.get_by_role("heading", level=1)).to_have_text("Un tiers-lieu au cœur de Namur")
    screenshot(founder, "submitted")

    # 3. The officer asks for a change; the founder edits and submits again; the officer
    # declares the dossier admissible and invites three experts.
    officer = signed_in(open_page(), agency.officer)
    officer.get_by_role("link", name=call.title).first.click()
    officer.get_by_role("link", name=reference).click()
    expect(officer.get_by_role("heading", level=1)).to_contain_text(reference)
    due_at = timezone.localtime() + dt.timedelta(days=10)
    officer.get_by_label("Que doit modifier ou compléter le candidat ?").fill(
        "Nommez le partenaire public du consortium parmi vos partenaires."
    )
    officer.get_by_label("Délai de réponse").fill(due_at.strftime("%Y-%m-%dT%H:%M"))
    screenshot(officer, "officer-dossier")
    officer.get_by_role("button", name="Demander des compléments").click()
    expect(officer.get_by_role("status")).to_have_text(
        "Fait : le dossier est maintenant « compléments demandés »."
    )
    assert f"Compléments demandés pour le dossier {reference}" in subjects(
        "emilie@coeur.example.be"
    )

    founder.get_by_role("link", name="Tableau de bord").click()
    founder.get_by_role("link", name=reference).click()
    changes = founder.get_by_role("region", name="Compléments demandés par l'agence")
    expect(changes).to_contain_text("Nommez le partenaire public")
    screenshot(founder, "changes-requested")
    founder.get_by_role("link", name="Modifier Communauté et partenaires").click()
    founder.get_by_label("Partenaires").fill(
        "Université de Namur, Ville de Namur (partenaire public)"
    )
    founder.get_by_role("button", name="Enregistrer cette section").click()
    expect(founder.get_by_text("Section enregistrée et complète.")).to_be_visible()
    founder.get_by_role("link", name="Relire et déposer le dossier").click()
    founder.get_by_label("Votre réponse à l'agence").fill("La Ville de Namur est partenaire.")
    founder.get_by_label("Je déclare sur l'honneur").check()
    founder.get_by_role("button", name="Déposer le dossier").click()
    expect(founder.get_by_text("Votre dossier est déposé sous la référence")).to_be_visible()
    screenshot(founder, "submitted-again")

    officer.reload()
    changed = officer.get_by_role("region", name="Modifié depuis la demande de compléments")
    expect(changed).to_contain_text("La Ville de Namur est partenaire.")
    expect(changed.get_by_role("row", name="Partenaires")).to_contain_text(
        "Ville de Namur (partenaire public)"
    )
    for label in [
        "Les pièces justificatives sont complètes et lisibles",
        "Le candidat est éligible à cet appel",
        "Les réponses d'éligibilité sont confirmées",
        "Le montant demandé respecte les limites de l'appel",
    ]:
        officer.get_by_label(label).check()
    officer.get_by_role("button", name="Déclarer recevable").click()
    expect(officer.get_by_role("status")).to_have_text(
        "Fait : le dossier est maintenant « recevable »."
    )

    officer.get_by_role("link", name="Tableau de bord").click()
    officer.get_by_role("region", name="Évaluations et jury").get_by_role(
        "link", name="Experts"
    ).click()
    officer.get_by_role("group", name="Dossiers").get_by_label(reference).check()
    reviewers = officer.get_by_role("group", name="Experts")
    for expert in agency.experts:
        reviewers.get_by_label(expert.full_name).check()
    screenshot(officer, "assign-experts")
    officer.get_by_role("button", name="Inviter les experts").click()
    expect(officer.get_by_role("status")).to_have_text("Les experts sont invités.")
    row = officer.get_by_role("row").filter(has_text=reference)
    for expert in agency.experts:
        expect(row).to_contain_text(expert.full_name)
        assert f"Demande d'évaluation : dossier {reference}" in subjects(expert.email)

    # 4. Each expert accepts, declaring no conflict of interest, scores and submits.
    for expert, scores in zip(agency.experts, SCORES, strict=True):
        reviewer = signed_in(open_page(), expert)
        reviewer.get_by_role("link", name=reference).click()
        reviewer.get_by_label("J'accepte et je déclare n'avoir aucun conflit d'intérêts").check()
        if expert == agency.experts[0]:
            screenshot(reviewer, "expert-declaration")
        reviewer.get_by_role("button", name="Envoyer ma réponse").click()
        expect(reviewer.get_by_role("status")).to_have_text("Votre réponse est enregistrée.")
        for (_code, title, _weight, _threshold), score in zip(CRITERIA, scores, strict=True):
            reviewer.get_by_role("textbox", name=title, exact=True).fill(score)
        reviewer.get_by_label("Recommandation").select_option(label="financer")
        reviewer.get_by_label("Appréciation générale").fill("Un projet ancré dans sa ville.")
        if expert == agency.experts[0]:
            screenshot(reviewer, "expert-scores")
        reviewer.get_by_role("button", name="Remettre mon évaluation").click()
        expect(reviewer.get_by_role("status")).to_have_text("Votre évaluation est remise.")
    screenshot(reviewer, "expert-submitted")
    application.refresh_from_db()
    assert application.state == Application.State.REVIEWED

    # 5. The jury proposes the dossier from the ranking; the ministry grants it.
    officer.get_by_role("link", name="Classement et jury").click()
    row = officer.get_by_role("row").filter(has_text=reference)
    # Means 8, 7 and 7, weighted 2, 1 and 1.
    expect(row).to_contain_text("30,00")
    row.get_by_label("Proposé", exact=True).check()
    row.get_by_label("Motivation").fill("Projet solide, partenaire public engagé.")
    screenshot(officer, "ranking")
    row.get_by_role("button", name="Enregistrer").click()
    officer.get_by_role("button", name="Enregistrer la proposition").click()
    expect(officer.get_by_role("status")).to_have_text(
        f"La proposition du jury sur {reference} est enregistrée."
    )

    ministry = signed_in(open_page(), agency.ministry)
    ministry.get_by_role("region", name="Décisions à prendre").get_by_role(
        "link", name=call.title
    ).click()
    row = ministry.get_by_role("row").filter(has_text=reference)
    row.get_by_label("Octroyer").check()
    row.get_by_label("Montant octroyé (EUR)").fill("75000")
    screenshot(ministry, "decision")
    row.get_by_role("button", name="Enregistrer la décision").click()
    ministry.get_by_role("button", name="Enregistrer la décision").click()
    expect(ministry.get_by_role("status")).to_contain_text(
        f"La décision sur {reference} est enregistrée"
    )
    expect(ministry.get_by_role("listitem").filter(has_text=reference)).to_contain_text(
        "75 000,00 €"
    )
    label = Label.objects.get(application=application)
    assert f"Label {label.number} attribué" in subjects("emilie@coeur.example.be")

    # The decision email waits in the call's decisions mailing: the ministry reads it as the
    # founder will, then sends the mailing.
    decision_subject = f"Décision relative à votre dossier {reference}"
    assert decision_subject not in subjects("emilie@coeur.example.be")
    ministry.goto(f"/staff/calls/{call.slug}/")
    ministry.get_by_role("link", name="Envois groupés").click()
    ministry.get_by_role("row").filter(has_text="Préparé").get_by_role("link").click()
    message = ministry.get_by_role("group").filter(has_text=decision_subject)
    message.get_by_text(decision_subject).click()
    expect(message).to_contain_text("75 000,00 €")
    screenshot(ministry, "mailing-preview")
    ministry.get_by_role("button", name="Lancer l'envoi groupé").click()
    ministry.get_by_role("button", name="Lancer l'envoi groupé").click()
    expect(ministry.get_by_role("status")).to_contain_text("L'envoi groupé est lancé")
    expect(ministry.get_by_role("row").filter(has_text=decision_subject)).to_contain_text("Envoyé")
    assert decision_subject in subjects("emilie@coeur.example.be")

    # 6. The founder downloads the certificate. The quarter ends; the daily job asks for
    # its report; the founder signs in again, fills the report and submits it.
    founder.get_by_role("link", name="Tableau de bord").click()
    labels = founder.get_by_role("region", name="Mes labels")
    expect(labels).to_contain_text(label.number)
    screenshot(founder, "founder-labelled")
    with founder.expect_download() as download:
        labels.get_by_role("link", name="Certificat de labellisation (PDF)").click()
    certificate = pdf_text(download.value.path())
    assert label.number in certificate
    assert "Espace Cœur de Ville ASBL" in certificate

    # Two mornings after the quarter's end (so at least a day later: sessions have
    # expired), cron runs the daily job.
    morning = end_of_quarter(label.issued_on) + dt.timedelta(days=2)
    time_machine.move_to(dt.datetime.combine(morning, dt.time(6), tzinfo=dt.UTC))
    call_command("report_jobs", stdout=io.StringIO())
    report = ActivityReport.objects.get(label=label)

    sign_in_again(founder, "emilie@coeur.example.be", FOUNDER_PASSWORD)
    reports = founder.get_by_role("region", name="Rapports d'activité à remettre")
    reports.get_by_role("link", name=report.period_name).click()
    for name, value in INDICATORS.items():
        founder.get_by_label(name, exact=True).fill(value)
    screenshot(founder, "activity-report")
    founder.get_by_role("button", name="Remettre le rapport").click()
    expect(founder.get_by_text("Rapport remis.")).to_be_visible()
    screenshot(founder, "activity-report-submitted")

    # 7. The officer accepts the report; the ministry exports the reports and prints the
    # programme report.
    sign_in_again(officer, agency.officer.email)
    officer.get_by_role("link", name="Rapports à examiner").click()
    officer.get_by_role("link", name=label.number).click()
    officer.get_by_role("button", name="Accepter le rapport").click()
    expect(officer.get_by_role("status")).to_have_text("Le rapport est maintenant « accepté ».")
    screenshot(officer, "report-accepted")

    sign_in_again(ministry, agency.ministry.email)
    ministry.get_by_role("region", name="Rapports d'activité").get_by_role(
        "link", name="Rapports à examiner"
    ).click()
    ministry.get_by_label("État").select_option(label="accepté")
    ministry.get_by_role("button", name="Filtrer").click()
    expect(ministry.get_by_role("link", name=label.number)).to_be_visible()
    screenshot(ministry, "reports")
    with ministry.expect_download() as download:
        ministry.get_by_role("link", name="XLSX").click()
    with open(download.value.path(), "rb") as file:
        rows = list(openpyxl.load_workbook(file).active.iter_rows(values_only=True))
    assert len(rows) == 2
    assert label.number in rows[1]
    assert "Espace Cœur de Ville ASBL" in rows[1]

    ministry.get_by_role("link", name="Statistiques").click()
    screenshot(ministry, "statistics")
    with ministry.expect_download() as download:
        ministry.get_by_role("link", name="Télécharger le rapport de programme (PDF)").click()
    programme_report = pdf_text(download.value.path())
    assert agency.programme.name in programme_report
    assert "Chiffres clés" in programme_report
    for figure in ("Dossiers déposés 1", "Dossiers octroyés 1", "Montant octroyé 75 000"):
        assert figure in re.sub(r"\s+", " ", programme_report), figure

    # 8. A visitor verifies the label by its number.
    visitor = open_page()
    visitor.goto("/")
    visitor.get_by_role("link", name="Vérifier un label").click()
    visitor.get_by_label("Numéro du label").fill(label.number)
    visitor.get_by_role("button", name="Vérifier").click()
    expect(visitor).to_have_url(re.compile(f"/labels/verify/{label.number}/$"))
    expect(visitor.get_by_role("status")).to_contain_text("Label valide")
    expect(visitor.get_by_role("status")).to_contain_text(
        f"au {french_date(label.valid_until)}", use_inner_text=True
    )
    expect(visitor.get_by_text("Espace Cœur de Ville ASBL")).to_be_visible()
    screenshot(visitor, "verified")


def french_date(value):
    with translation.override("fr"):
        return long_date(value)


def test_a_founder_signs_up_registers_and_starts_a_dossier_in_english(
    page, private_storage, screenshot
):
    call = CallFactory(title="Creative Wallonia / Coworking 2027")
    DocumentTypeFactory(call=call, name="Plan financier sur trois ans")

    page.goto("/")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("link", name="Create an account").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    page.get_by_label("Full name").fill("Emily Smith")
    page.get_by_label("Email address").fill("emily@hub.example.be")
    page.get_by_label("Password", exact=True).fill(FOUNDER_PASSWORD)
    page.get_by_label("Password (again)").fill(FOUNDER_PASSWORD)
    screenshot(page, "sign-up")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")

    (message,) = mail.outbox
    assert message.subject == "Confirm your email address for Guichet"
    link = re.search(r"https?://\S+", message.body).group(0)
    page.goto(re.sub(r"^https?://[^/]+", "", link))
    page.get_by_role("button", name="Confirm my address").click()
    expect(page.get_by_role("status")).to_have_text(
        "Your email address is confirmed. Sign in to start using Guichet."
    )
    page.get_by_label("Password").fill(FOUNDER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Emily")
    screenshot(page, "dashboard")

    page.get_by_role("link", name="Register an organisation").click()
    page.get_by_label("Legal name").fill("Brussels Hub ASBL")
    page.get_by_label("Trade name").fill("Brussels Hub")
    page.get_by_label("Legal form").select_option("ASBL")
    page.get_by_label("Enterprise number (BCE)").fill("0566.988.259")
    page.get_by_label("Street and number").fill("Rue Neuve 1")
    page.get_by_label("Postcode").fill("1000")
    page.get_by_label("Municipality").fill("Bruxelles")
    page.get_by_label("Contact email").fill("hello@hub.example.be")
    page.get_by_role("button", name="Register the organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Brussels Hub")
    screenshot(page, "organisation")

    page.get_by_role("link", name="Calls for projects", exact=True).click()
    page.get_by_role("link", name=call.title).click()
    expect(page.get_by_role("heading", name="Rules of the call")).to_be_visible()
    page.get_by_role("link", name="Apply to this call").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start an application")
    page.get_by_role("button", name="Create the draft").click()
    expect(page.get_by_role("status")).to_have_text(
        "Your draft application is created. Save each section as you go."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("New application")
    for text in ("Supporting documents", "Before you can submit:", "Read the summary and submit"):
        expect(page.get_by_text(text, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Edit The project")).to_be_visible()
    screenshot(page, "draft")
