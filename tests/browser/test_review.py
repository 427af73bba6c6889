from decimal import Decimal

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


def test_a_reviewer_scores_the_jury_proposes_and_the_ministry_grants(page, private_storage):
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
    page.get_by_role("spinbutton", name="Qualité du projet").fill("8")
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
    expect(page.get_by_text(f"La proposition du jury sur {application.reference}")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, staff["ministry"])
    page.goto(f"/staff/calls/{call.slug}/decisions/")
    row = page.get_by_role("row").filter(has_text=application.reference)
    row.get_by_label("Octroyer").check()
    row.get_by_label("Montant octroyé (EUR)").fill("75000")
    row.get_by_role("button", name="Enregistrer la décision").click()
    expect(
        page.get_by_text(f"La décision sur {application.reference} est enregistrée")
    ).to_be_visible()

    application.refresh_from_db()
    assert application.state == Application.State.GRANTED
    assert application.decision.amount == Decimal("75000")
