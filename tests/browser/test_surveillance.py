"""A non-conformity from opening to closing, as the holder, the officer and a visitor see
it: the public page reads "under review" while the case is pending, then "in good
standing"."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from labels import services as label_services
from portal.transitions import record_creation
from surveillance.models import Condition, NonConformity
from tests.browser.test_application import sign_in
from tests.factories import CallFactory, UserFactory
from tests.labels.conftest import granted


def test_a_case_is_answered_by_the_holder_then_resolved_and_the_public_page_follows(
    page, private_storage
):
    call = CallFactory(title="Espaces de coworking 2026")
    officer = UserFactory(roles=["officer"], full_name="Sophie Mertens")
    call.programme.staff.create(user=officer, role="officer")
    label = label_services.issue_label(granted(call, legal_name="La Forge ASBL"))
    founder = label.organisation.memberships.get().user
    condition = Condition.objects.create(
        programme=call.programme,
        kind=Condition.Kind.REPORTS_ON_TIME,
        label_fr="Chaque rapport trimestriel remis dans son délai",
        grace_days=30,
    )
    case = NonConformity.objects.create(
        label=label,
        condition=condition,
        measured="T3 2026 remis 12 jours après l'échéance",
        deadline=timezone.localdate() + dt.timedelta(days=30),
    )
    record_creation(case, by=None)

    page.goto(label.get_absolute_url())
    expect(page.get_by_text("En cours d'examen")).to_be_visible()
    expect(page.get_by_text("Chaque rapport trimestriel remis dans son délai")).to_be_visible()
    expect(page.get_by_text("12 jours après")).to_have_count(0)

    sign_in(page, founder)
    page.goto("/dashboard/applicant/")
    page.get_by_role("link", name="Chaque rapport trimestriel remis dans son délai").click()
    page.get_by_label("Ce que vous avez fait").fill(
        "Le rapport du T3 est remis ; nous avons ajouté un rappel à notre agenda."
    )
    page.get_by_role("button", name="Envoyer la réponse").click()
    expect(page.get_by_text("Votre réponse est envoyée")).to_be_visible()
    expect(page.get_by_text("Réponse du titulaire reçue")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, officer)
    page.goto("/staff/non-conformities/?state=answered")
    page.get_by_role("link", name=label.number).click()
    answers = page.get_by_role("region", name="Réponses du titulaire")
    expect(answers.get_by_text("nous avons ajouté un rappel")).to_be_visible()
    page.get_by_label("Commentaire pour le titulaire").first.fill("Merci, c'est en ordre.")
    page.get_by_role("button", name="Clôturer la non-conformité").click()
    expect(page.get_by_text("La non-conformité est maintenant « résolue ».")).to_be_visible()

    page.context.clear_cookies()
    page.goto(label.get_absolute_url())
    expect(page.get_by_text("En règle")).to_be_visible()
    expect(page.get_by_text("En cours d'examen")).to_have_count(0)
