from decimal import Decimal

import pytest
from playwright.sync_api import expect

from applications import services as application_services
from applications.models import Application
from review import services
from review.models import Criterion
from tests.browser.test_application import sign_in
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    DocumentTypeFactory,
    MembershipFactory,
    UserFactory,
    complete,
)


def test_a_reviewer_scores_the_jury_proposes_and_the_ministry_grants(
    page, private_storage, screenshot
):
    call = CallFactory(title="Espaces de coworking 2027", reviews_per_dossier=1)
    DocumentTypeFactory(call=call)
    Criterion.objects.create(
        call=call,
        code="quality",
        title="Qualité du projet",
        weight=Decimal(2),
        threshold=Decimal(5),
    )
    staff = {role: UserFactory(roles=[role]) for role in ("officer", "reviewer", "ministry")}
    for role, user in staff.items():
        call.programme.staff.create(user=user, role=role)
    founder = MembershipFactory().user
    application = complete(ApplicationFactory(call=call, organisation=founder.organisations.get()))
    application_services.submit(application, by=founder)
    application_services.declare_admissible(
        application,
        by=staff["officer"],
        checklist={
            "documents_complete": True,
            "applicant_eligible": True,
            "eligibility_confirmed": True,
            "budget_within_limits": True,
        },
    )
    (assignment,) = services.assign([application], [staff["reviewer"]], by=staff["officer"])

    sign_in(page, staff["reviewer"])
    page.goto(f"/review/{assignment.pk}/")
    page.get_by_label("J'accepte et je déclare n'avoir aucun conflit d'intérêts").check()
    page.get_by_role("button", name="Envoyer ma réponse").click()
    page.get_by_label("Qualité du projet", exact=True).fill("8")
    page.get_by_label("Recommandation").select_option("fund")
    page.get_by_role("button", name="Remettre mon évaluation").click()
    expect(page.get_by_text("Votre évaluation est remise.")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, staff["officer"])
    page.goto(f"/staff/calls/{call.slug}/ranking/")
    row = page.get_by_role("row").filter(has_text=application.reference)
    expect(row).to_contain_text("16,00")
    row.get_by_label("Proposé", exact=True).check()
    row.get_by_label("Motivation").fill("Projet solide et bien ancré.")
    row.get_by_role("button", name="Enregistrer").click()
    # A confirmation page says what cannot be undone before anything is recorded.
    expect(page.get_by_role("note")).to_contain_text("Cette action est irréversible.")
    screenshot(page, "confirm-proposal")
    page.get_by_role("button", name="Enregistrer la proposition").click()
    expect(page.get_by_text(f"La proposition du jury sur {application.reference}")).to_be_visible()

    # The jury closes with the members present; its minutes can be downloaded.
    page.get_by_label("Membres présents").fill("Sophie Mertens\nJean Dupont")
    page.get_by_role("button", name="Clore le jury…").click()
    expect(page.get_by_role("note")).to_contain_text("Cette action est irréversible.")
    screenshot(page, "confirm-closing")
    page.get_by_role("button", name="Clore le jury").click()
    expect(page.get_by_text("Le jury est clos")).to_be_visible()
    screenshot(page, "jury-closed")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le procès-verbal du jury (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")

    page.context.clear_cookies()
    sign_in(page, staff["ministry"])
    page.goto(f"/staff/calls/{call.slug}/decisions/")
    row = page.get_by_role("row").filter(has_text=application.reference)
    row.get_by_label("Octroyer").check()
    row.get_by_label("Montant octroyé (EUR)").fill("75000")
    row.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_role("note")).to_contain_text("le courrier de notification est adressé")
    screenshot(page, "confirm-decision")
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(
        page.get_by_text(f"La décision sur {application.reference} est enregistrée")
    ).to_be_visible()

    application.refresh_from_db()
    assert application.state == Application.State.GRANTED
    assert application.decision.amount == Decimal("75000")


def test_the_scoring_form_sits_beside_the_dossier_on_a_wide_screen(
    page, private_storage, screenshot
):
    """At 1280 px the reviewer reads the dossier on the left and scores on the right; at
    375 px the two are stacked, the dossier first."""
    call = CallFactory(reviews_per_dossier=1)
    DocumentTypeFactory(call=call)
    Criterion.objects.create(call=call, code="quality", title="Qualité", weight=Decimal(1))
    officer, reviewer = UserFactory(roles=["officer"]), UserFactory(roles=["reviewer"])
    call.programme.staff.create(user=officer, role="officer")
    call.programme.staff.create(user=reviewer, role="reviewer")
    founder = MembershipFactory().user
    application = complete(ApplicationFactory(call=call, organisation=founder.organisations.get()))
    application_services.submit(application, by=founder)
    application_services.declare_admissible(
        application,
        by=officer,
        checklist={
            "documents_complete": True,
            "applicant_eligible": True,
            "eligibility_confirmed": True,
            "budget_within_limits": True,
        },
    )
    (assignment,) = services.assign([application], [reviewer], by=officer)
    services.accept(assignment, by=reviewer, declaration="")
    sign_in(page, reviewer)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/review/{assignment.pk}/")
    dossier = page.locator(".review-scoring__dossier").bounding_box()
    form = page.locator(".review-scoring__form").bounding_box()
    screenshot(page, "scoring-1280")
    assert form["x"] >= dossier["x"] + dossier["width"]
    assert form["y"] == pytest.approx(dossier["y"], abs=2)

    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"/review/{assignment.pk}/")
    dossier = page.locator(".review-scoring__dossier").bounding_box()
    form = page.locator(".review-scoring__form").bounding_box()
    screenshot(page, "scoring-375")
    assert form["y"] >= dossier["y"] + dossier["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
