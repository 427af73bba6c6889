"""A label's conditions from their definition to a non-conformity put right, in the pages
only (issue 18): the officer adds an indicator and a condition on it; the holder files a
report that fails it; once the report is accepted a non-conformity opens; the holder
answers, the officer resolves it; the label's public page follows every step."""

import datetime as dt

from playwright.sync_api import expect

from labels import services as label_services
from reporting.models import ActivityReport, ReportingSchedule
from surveillance.models import NonConformity
from tests.browser.test_application import sign_in
from tests.factories import CallFactory, UserFactory
from tests.labels.conftest import granted
from tests.reporting.conftest import make_report

CONDITION = "Taux d'occupation d'au moins 30 % au dernier trimestre"


def test_a_failing_report_opens_a_case_that_the_holder_answers_and_the_officer_resolves(
    page, private_storage
):
    call = CallFactory(title="Espaces de coworking 2026")
    programme = call.programme
    ReportingSchedule.objects.create(programme=programme, starts_on=dt.date(2026, 1, 1))
    officer = UserFactory(roles=["officer"], full_name="Sophie Mertens")
    programme.staff.create(user=officer, role="officer")
    label = label_services.issue_label(
        granted(call, legal_name="La Forge ASBL"), today=dt.date(2026, 1, 15)
    )
    founder = label.organisation.memberships.get().user

    # The officer defines what reports measure, then what the label must keep meeting.
    sign_in(page, officer)
    page.goto(f"/staff/programmes/{programme.slug}/indicators/")
    page.get_by_role("link", name="Ajouter un indicateur").click()
    page.locator("#id_code").fill("occupation")
    page.locator("#id_label_fr").fill("taux d'occupation")
    page.locator("#id_label_en").fill("occupancy rate")
    page.locator("#id_kind").select_option("percentage")
    page.locator("#id_aggregation").select_option("mean")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("L'indicateur « taux d'occupation » est enregistré.")).to_be_visible()

    page.goto(f"/staff/programmes/{programme.slug}/conditions/")
    page.get_by_role("link", name="Ajouter une condition").click()
    page.locator("#id_kind").select_option("indicator_at_least")
    page.locator("#id_label_fr").fill(CONDITION)
    page.locator("#id_grace_days").fill("30")
    page.locator("#id_indicator").select_option(label="taux d'occupation")
    page.locator("#id_threshold").fill("30")
    page.locator("#id_periods").fill("1")
    page.get_by_role("button", name="Enregistrer la condition").click()
    expect(page.get_by_role("cell", name=CONDITION)).to_be_visible()

    # Visitors read the condition and a label in good standing.
    page.context.clear_cookies()
    page.goto(label.get_absolute_url())
    expect(page.get_by_text(CONDITION)).to_be_visible()
    expect(page.get_by_text("En règle")).to_be_visible()

    # The holder files the last quarter's report, below the figure.
    report = make_report(label, dt.date(2026, 7, 1))
    sign_in(page, founder)
    page.goto(f"/reports/{report.pk}/")
    page.get_by_label("Taux d'occupation (%)").fill("12")
    page.get_by_label("Rapport narratif").fill("Un été calme : beaucoup de télétravail.")
    page.get_by_role("button", name="Remettre le rapport").click()
    expect(page.get_by_text("Rapport remis.")).to_be_visible()

    # Its acceptance evaluates the label's conditions: a non-conformity opens.
    page.context.clear_cookies()
    sign_in(page, officer)
    page.goto(f"/staff/reports/{report.pk}/")
    page.get_by_role("button", name="Accepter le rapport").click()
    expect(page.get_by_text("Le rapport est maintenant « accepté »")).to_be_visible()
    assert ActivityReport.objects.get(pk=report.pk).values == {"occupation": "12.00"}
    case = NonConformity.objects.get(label=label)
    assert case.state == NonConformity.State.OPEN
    assert case.deadline == case.opened_on + dt.timedelta(days=30)

    page.context.clear_cookies()
    page.goto(label.get_absolute_url())
    expect(page.get_by_text("En cours d'examen")).to_be_visible()
    assert "12" in case.measured  # what the officer and the holder read…
    expect(page.get_by_text(case.measured)).to_have_count(0)  # …never a visitor

    # The holder answers from their dashboard.
    sign_in(page, founder)
    page.goto("/dashboard/applicant/")
    page.get_by_role("link", name=CONDITION).click()
    page.get_by_label("Ce que vous avez fait").fill(
        "Deux entreprises s'installent en octobre : le taux remonte à 45 %."
    )
    page.get_by_role("button", name="Envoyer la réponse").click()
    expect(page.get_by_text("Votre réponse est envoyée")).to_be_visible()

    page.context.clear_cookies()
    page.goto(label.get_absolute_url())
    expect(page.get_by_text("En cours d'examen")).to_be_visible()

    # The officer reads the answer and closes the case.
    sign_in(page, officer)
    page.goto("/staff/non-conformities/?state=answered")
    page.get_by_role("link", name=label.number).click()
    answers = page.get_by_role("region", name="Réponses du titulaire")
    expect(answers.get_by_text("le taux remonte à 45 %")).to_be_visible()
    page.get_by_label("Commentaire pour le titulaire").first.fill("Merci, à confirmer au T4.")
    page.get_by_role("button", name="Clôturer la non-conformité").click()
    expect(page.get_by_text("La non-conformité est maintenant « résolue ».")).to_be_visible()

    page.context.clear_cookies()
    page.goto(label.get_absolute_url())
    expect(page.get_by_text("En règle")).to_be_visible()
    expect(page.get_by_text("En cours d'examen")).to_have_count(0)
