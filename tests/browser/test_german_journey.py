"""One dossier in German, from the founder's application to the agency's admissibility
check: the founder switches the portal to German and meets the call's German texts (the
French where staff have not translated them yet, marked for screen readers), the German
form, a German receipt email and PDF; the officer works in German and sees what remains to
be translated."""

import io
import re
from decimal import Decimal

import pypdf
from django.core import mail
from playwright.sync_api import expect

from applications import formbuilder
from applications.models import Application
from tests.browser.test_application import sign_in
from tests.factories import (
    CallFactory,
    DocumentTypeFactory,
    EligibilityQuestionFactory,
    MembershipFactory,
    UserFactory,
    pdf_upload,
)

FORM = {
    "sections": [
        {
            "title_fr": "Le projet en bref",
            "title_de": "Das Projekt in Kürze",
            "questions": [
                {
                    "code": "desks",
                    "kind": "integer",
                    "label_fr": "Combien de postes de travail l'espace offre-t-il ?",
                    "label_de": "Wie viele Arbeitsplätze bietet der Raum?",
                    "required": True,
                },
                {
                    "code": "partners",
                    "kind": "long_text",
                    "label_fr": "Partenaires",
                    "label_de": "Partner",
                    "required": False,
                },
            ],
        }
    ],
    "rules": [],
}
ELIGIBILITY_DE = "Bietet der Raum mindestens 20 Einzelarbeitsplätze?"


def to_german(page):
    page.get_by_role("button", name="Deutsch").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_a_founder_applies_in_german_and_the_officer_checks_the_dossier_in_german(
    page, browser, live_server, tmp_path, private_storage
):
    officer = UserFactory(roles=["officer"], full_name="Olivier Lambert")
    call = CallFactory(
        title="Espaces de coworking 2027",
        title_de="Coworking-Räume 2027",
        summary="Un appel pour ouvrir des espaces de coworking en Wallonie.",
        rules="Les structures établies en Wallonie peuvent déposer un dossier.",
        rules_de="Antragsberechtigt sind in der Wallonie niedergelassene Organisationen.",
    )
    call.programme.staff.create(user=officer, role="officer")
    formbuilder.install(call, FORM, by=officer, summary="Formulaire en allemand")
    DocumentTypeFactory(
        call=call, name="Plan financier sur trois ans", name_de="Finanzplan über drei Jahre"
    )
    EligibilityQuestionFactory(
        call=call,
        text="L'espace offre-t-il au moins 20 postes de travail individuels ?",
        text_de=ELIGIBILITY_DE,
    )
    founder = MembershipFactory(organisation__legal_name="Raum Eupen VoG").user
    plan = tmp_path / "finanzplan.pdf"
    plan.write_bytes(pdf_upload().read())

    # The founder signs in and switches the portal to German, for good (their account keeps it).
    sign_in(page, founder)
    to_german(page)
    founder.refresh_from_db()
    assert founder.language == "de"
    expect(page.get_by_role("heading", name="Meine Anträge")).to_be_visible()

    # The call in German; its summary is not translated yet: French, said to be French.
    page.goto(call.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Coworking-Räume 2027")
    expect(page.get_by_text("Antragsberechtigt sind in der Wallonie")).to_be_visible()
    summary = page.get_by_text("Un appel pour ouvrir des espaces de coworking")
    expect(summary).to_have_attribute("lang", "fr")
    expect(page.get_by_text("noch nicht übersetzt")).to_have_count(0)  # staff only
    expect(page.get_by_text("Finanzplan über drei Jahre")).to_be_visible()

    page.get_by_role("link", name="Antrag zu diesem Aufruf stellen").click()
    page.get_by_role("button", name="Entwurf erstellen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Neuer Antrag")
    application = Application.objects.get()

    page.get_by_role("link", name="Bearbeiten Das Projekt", exact=True).click()
    page.get_by_label("Titel des Projekts").fill("Ein Dritter Ort in Eupen")
    page.get_by_label("Zusammenfassung des Projekts").fill("Ein offener, belebter Raum.")
    page.get_by_role("button", name="Diese Rubrik speichern").click()
    expect(page.get_by_text("Rubrik gespeichert und vollständig.")).to_be_visible()

    page.get_by_role("link", name="Bearbeiten Die Adresse des Raums").click()
    page.get_by_label("Straße und Hausnummer", exact=True).fill("Klötzerbahn 32")
    page.get_by_label("Postleitzahl", exact=True).fill("4700")
    page.get_by_label("Gemeinde", exact=True).fill("Eupen")
    page.get_by_role("button", name="Diese Rubrik speichern").click()
    expect(page.get_by_text("Rubrik gespeichert und vollständig.")).to_be_visible()
    # The amounts were filled in an earlier session.
    Application.objects.filter(pk=application.pk).update(
        total_cost=Decimal("240000"), requested_amount=Decimal("80000")
    )

    page.get_by_role("link", name="Bearbeiten Das Projekt in Kürze").click()
    page.get_by_label("Wie viele Arbeitsplätze bietet der Raum?").fill("24.5")
    page.get_by_role("button", name="Diese Rubrik speichern").click()
    # A mistake is explained in German, where it was made.
    expect(page.get_by_text("Geben Sie eine ganze Zahl ein.", exact=True)).to_be_visible()
    page.get_by_label("Wie viele Arbeitsplätze bietet der Raum?").fill("24")
    page.get_by_role("button", name="Diese Rubrik speichern").click()
    expect(page.get_by_text("Rubrik gespeichert und vollständig.")).to_be_visible()

    page.get_by_role("link", name="Beantworten", exact=True).click()
    page.get_by_role("group", name=ELIGIBILITY_DE).get_by_label("Ja").check()
    page.get_by_role("button", name="Meine Antworten speichern").click()
    expect(page.get_by_text("Ihre Antworten wurden gespeichert.")).to_be_visible()

    page.get_by_role("link", name="Beifügen Finanzplan über drei Jahre").click()
    page.get_by_label("Datei").set_input_files(str(plan))
    page.get_by_role("button", name="Diese Datei beifügen").click()
    expect(page.get_by_role("link", name="finanzplan.pdf")).to_be_visible()

    page.get_by_role("link", name="Zusammenfassung lesen und einreichen").click()
    page.get_by_label("Ich erkläre auf Ehre").check()
    page.get_by_role("button", name="Antrag einreichen").click()
    expect(page.get_by_text("Ihr Antrag wurde unter dem Aktenzeichen")).to_be_visible()
    application.refresh_from_db()
    assert application.state == "submitted"

    # The receipt: a German email and a German PDF.
    (receipt_email,) = [m for m in mail.outbox if m.to == [founder.email]]
    assert receipt_email.subject == f"Antrag {application.reference} eingegangen"
    assert "Guten Tag" in receipt_email.body
    link = page.get_by_role("link", name=re.compile(r"^Empfangsbestätigung Nr\. 1 vom"))
    receipt = pdf_text(page.request.get(link.get_attribute("href")).body())
    assert "Empfangsbestätigung" in receipt
    assert "Coworking-Räume 2027" in receipt
    assert application.reference in receipt

    # The officer works in German and sees what is not translated yet.
    context = browser.new_context(base_url=live_server.url)
    agency = context.new_page()
    sign_in(agency, officer)
    to_german(agency)
    agency.goto(f"/staff/calls/{call.slug}/edit/")
    expect(agency.get_by_text(re.compile(r"\d+ Übersetzungen fehlen"))).to_be_visible()
    expect(agency.get_by_label("Titel (Deutsch)")).to_have_value("Coworking-Räume 2027")
    expect(agency.get_by_label("Zusammenfassung (Deutsch)")).to_have_value("")
    agency.get_by_role("link", name="Anzeigen, was noch nicht übersetzt ist").click()
    expect(agency.get_by_role("heading", level=1)).to_have_text("Noch nicht übersetzt")
    expect(
        agency.get_by_role("row", name=re.compile("Un appel pour ouvrir des espaces"))
    ).to_contain_text("Deutsch")

    agency.goto(f"/staff/calls/{call.slug}/")
    agency.get_by_role("link", name=application.reference).click()
    for label in [
        "die Belege sind vollständig und lesbar",
        "die antragstellende Person ist für diesen Aufruf förderfähig",
        "die Antworten zur Förderfähigkeit sind bestätigt",
        "der beantragte Betrag hält die Grenzen des Aufrufs ein",
    ]:
        agency.get_by_label(label).check()
    agency.get_by_role("button", name="Für zulässig erklären").click()
    expect(agency.get_by_text("Erledigt: Der Antrag ist jetzt „zulässig“.")).to_be_visible()
    application.refresh_from_db()
    assert application.state == "admissible"
    # The founder hears it in their language, whatever the officer's.
    admissible = [m for m in mail.outbox if m.to == [founder.email]][-1]
    assert "zulässig" in admissible.subject
    context.close()
