import datetime as dt

import openpyxl
import pypdf
from playwright.sync_api import expect

from labels import services as label_services
from reporting.models import ActivityReport
from tests.browser.test_application import sign_in
from tests.factories import CallFactory, UserFactory
from tests.labels.conftest import granted
from tests.reporting.conftest import make_report

INDICATORS = {
    "Coworkers actifs": "42",
    "Postes de travail": "30",
    "Taux d'occupation (%)": "140",
    "Jours d'ouverture": "64",
    "Événements organisés": "6",
    "Participants": "180",
    "Entreprises hébergées": "25",
    "Entreprises créées": "2",
    "Emplois créés (ETP)": "1,5",
    "Chiffre d'affaires (€)": "18250",
    "Subsides utilisés (€)": "12500",
    "Partenariats": "4",
    "Rapport narratif": "Six ateliers et deux entreprises créées.",
}


def test_a_report_is_returned_corrected_accepted_then_exported_with_the_programme_report(
    page, private_storage
):
    call = CallFactory(title="Espaces de coworking 2025")
    officer, ministry = UserFactory(roles=["officer"]), UserFactory(roles=["ministry"])
    call.programme.staff.create(user=officer, role="officer")
    call.programme.staff.create(user=ministry, role="ministry")
    label = label_services.issue_label(
        granted(call, legal_name="La Forge ASBL"), today=dt.date(2025, 12, 15)
    )
    founder = label.organisation.memberships.get().user
    report = make_report(label, dt.date(2026, 1, 1))

    sign_in(page, founder)
    page.goto("/dashboard/")
    page.get_by_role("link", name="T1 2026").click()
    for name, value in INDICATORS.items():
        page.get_by_label(name, exact=True).fill(value)
    page.get_by_role("button", name="Remettre le rapport").click()
    expect(page.get_by_role("alert")).to_contain_text("Un taux est un pourcentage entre 0 et 100.")
    page.get_by_label("Taux d'occupation (%)").fill("61,5")
    page.get_by_role("button", name="Remettre le rapport").click()
    expect(page.get_by_text("Rapport remis.")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, officer)
    page.goto("/staff/reports/?state=submitted")
    page.get_by_role("link", name=label.number).click()
    page.get_by_label("Commentaire pour le titulaire").fill("Vérifiez le nombre de participants.")
    page.get_by_role("button", name="Renvoyer pour corrections").click()
    expect(
        page.get_by_text("Le rapport est maintenant « renvoyé pour corrections »")
    ).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, founder)
    page.goto(f"/reports/{report.pk}/")
    expect(page.get_by_role("note")).to_contain_text("Vérifiez le nombre de participants.")
    page.get_by_label("Participants").fill("150")
    page.get_by_role("button", name="Remettre le rapport").click()
    expect(page.get_by_text("Rapport remis.")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, officer)
    page.goto(f"/staff/reports/{report.pk}/")
    page.get_by_role("button", name="Accepter le rapport").click()
    expect(page.get_by_text("Le rapport est maintenant « accepté »")).to_be_visible()
    report.refresh_from_db()
    assert report.state == ActivityReport.State.ACCEPTED
    assert report.values["event_attendance"] == 150

    page.context.clear_cookies()
    sign_in(page, ministry)
    page.goto("/staff/reports/")
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").click()
    with open(download.value.path(), "rb") as workbook:
        sheet = openpyxl.load_workbook(workbook).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert label.number in rows[1]
    exported = dict(zip(rows[0], rows[1], strict=True))
    assert exported["Participants"] == 150 and exported["Taux d'occupation (%)"] == 61.5

    page.goto("/staff/statistics/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le rapport de programme (PDF)").click()
    text = "".join(p.extract_text() for p in pypdf.PdfReader(download.value.path()).pages)
    assert call.programme.name in text
