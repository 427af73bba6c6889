"""An officer defines a programme's indicators in the staff pages only, in French: from the
programme's page to a new choice indicator (its aggregation first refused, then fixed), seen
in the list and in the preview of the holders' form, then retired from a period."""

import datetime as dt

from playwright.sync_api import expect

from reporting.models import Indicator, ReportingSchedule
from tests.browser.test_application import sign_in
from tests.factories import ProgrammeFactory, UserFactory


def test_an_officer_adds_a_choice_indicator_and_retires_it(page, screenshot):
    programme = ProgrammeFactory(name="Tiers-lieux ruraux", slug="tiers-lieux")
    ReportingSchedule.objects.create(programme=programme, starts_on=dt.date(2026, 1, 1))
    officer = UserFactory(roles=["officer"])
    programme.staff.create(user=officer, role="officer")

    sign_in(page, officer)
    page.goto(f"/staff/programmes/{programme.slug}/")
    page.get_by_role("link", name="Indicateurs des rapports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Indicateurs des rapports")
    expect(page.get_by_text("Aucun indicateur pour l'instant")).to_be_visible()

    page.get_by_role("link", name="Ajouter un indicateur").click()
    page.get_by_label("Code", exact=True).fill("public-principal")
    page.get_by_label("Libellé (français)").fill("public principal")
    page.get_by_label("Libellé (anglais)").fill("main audience")
    page.get_by_label("Type", exact=True).select_option("choice")
    page.get_by_label("Options").fill(
        "independants | indépendants | independents\netudiants | étudiants | students"
    )
    page.get_by_label("Obligatoire").uncheck()
    page.get_by_label("Statistiques").select_option("sum")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("link", name="Statistiques — Un indicateur")).to_be_visible()
    expect(page.locator("#id_aggregation_error")).to_contain_text(
        "se combine par : dernière valeur"
    )
    assert not programme.indicators.exists()
    screenshot(page, "refused-aggregation")

    page.get_by_label("Statistiques").select_option("last")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("L'indicateur « public principal » est enregistré.")).to_be_visible()
    indicator = programme.indicators.get()
    assert indicator.kind == Indicator.Kind.CHOICE and not indicator.required
    assert [option["code"] for option in indicator.options] == ["independants", "etudiants"]
    row = page.get_by_role("row", name="public principal")
    expect(row).to_contain_text("un choix")
    expect(row).to_contain_text("dernière valeur")
    # The preview asks it as the holders' form does, disabled.
    preview = page.get_by_label("Public principal")
    expect(preview).to_be_disabled()
    expect(preview.locator("option")).to_have_text(["—", "indépendants", "étudiants"])
    screenshot(page, "indicators")

    page.get_by_role("link", name="Retirer — public principal").click()
    page.get_by_label("Retiré à partir de la période commençant le").fill("2026-05-01")
    page.get_by_role("button", name="Retirer l'indicateur").click()
    expect(page.locator("#id_retired_from_error")).to_contain_text(
        "choisissez le premier jour d'une période"
    )
    page.get_by_label("Retiré à partir de la période commençant le").fill("2026-07-01")
    page.get_by_role("button", name="Retirer l'indicateur").click()
    expect(page.get_by_text("n'est plus demandé à partir du 1er juillet 2026")).to_be_visible()
    indicator.refresh_from_db()
    assert indicator.retired_from == dt.date(2026, 7, 1)
