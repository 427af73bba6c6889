"""Numbers and dates as a Belgian reader types and reads them, in the browser: an amount
typed "41 250,50" is kept and shown back so, and a blank report's errors sit on its
fields under the error summary."""

import datetime as dt

from playwright.sync_api import expect

from labels import services as label_services
from tests.factories import ApplicationFactory, CallFactory
from tests.labels.conftest import granted
from tests.reporting.conftest import make_report


def test_an_amount_typed_the_belgian_way_is_kept_and_shown_back(
    page, sign_in_as, applicant, screenshot
):
    dossier = ApplicationFactory(organisation=applicant.memberships.get().organisation)
    sign_in_as(page, applicant)
    page.set_viewport_size({"width": 375, "height": 800})

    page.goto(f"/applications/{dossier.pk}/edit/funding/")
    page.get_by_label("Coût total du projet", exact=False).fill("82.500,00")
    page.get_by_label("Montant demandé", exact=False).fill("41\u202f250,50")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()

    page.goto(f"/applications/{dossier.pk}/edit/funding/")
    amount = page.get_by_label("Montant demandé", exact=False)
    expect(amount).to_have_value("41\u00a0250,50")
    # A text box with a decimal keypad: a number input would refuse the comma.
    expect(amount).to_have_attribute("inputmode", "decimal")
    screenshot(page, "amount-375")
    dossier.refresh_from_db()
    assert str(dossier.requested_amount) == "41250.50"


def test_a_blank_report_shows_its_errors_on_its_fields(page, sign_in_as, screenshot):
    label = label_services.issue_label(
        granted(CallFactory(), legal_name="La Forge ASBL"), today=dt.date(2025, 12, 15)
    )
    holder = label.organisation.memberships.get().user
    report = make_report(label, dt.date(2026, 1, 1))
    sign_in_as(page, holder)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/reports/{report.pk}/")
        page.get_by_role("button", name="Remettre le rapport").click()

        summary = page.locator(".error-summary")
        expect(summary).to_be_visible()
        expect(summary.get_by_role("link", name="Partenariats — Nécessaire")).to_be_visible()
        errors = page.locator(".field--error")
        expect(errors).to_have_count(13)  # twelve indicators and the narrative
        expect(errors.first.locator(".field__errors")).to_have_text(
            "Nécessaire pour remettre le rapport."
        )
        screenshot(page, f"blank-report-{width}")
