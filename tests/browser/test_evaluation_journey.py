"""The evaluation of a call with a shortlist, as in 2011: eighteen dossiers reviewed by three
experts each, a consensus written where they disagree, nine shortlisted and heard, eight
proposed and granted, and the applicant downloading an evaluation summary that names no
expert."""

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone, translation
from playwright.sync_api import expect
from pypdf import PdfReader

from applications import services as application_services
from applications.models import Application
from portal import dates
from review import services, shortlist
from review.models import Consensus, Criterion, Hearing, Review
from tests.browser.test_application import sign_in
from tests.factories import (
    ADMISSIBLE_CHECKLIST,
    ApplicationFactory,
    CallFactory,
    MembershipFactory,
    UserFactory,
    complete,
)

BRUSSELS = ZoneInfo("Europe/Brussels")
EXPERTS = ("Hortense Vandermeulen", "Barnabé Quintelier", "Ludivine Oosterlinck")
CONSENSUS_COMMENT = "Le panel retient un tiers-lieu solide, ancré dans son quartier."
SHORTLISTED, PROPOSED = 9, 8


def scores_of(index: int, expert: int) -> tuple[int, int]:
    """Quality and territory given by an expert to the dossier ranked ``index`` (from 0):
    totals 29, 28, … 12 (2 x quality + territory), the experts agreeing, except on the
    second, where the third expert marks quality 4 against 10 (beyond the tolerance of 2)."""
    quality, territory = 10 - index // 2, 9 - index % 2
    if index == 1 and expert == 2:
        quality = 4
    return quality, territory


def reviewed_call():
    """The call, its people and its eighteen dossiers reviewed through the services, best
    first; the second's rapporteur named by the portal."""
    call = CallFactory(
        title="Espaces de coworking 2011",
        reviews_per_dossier=3,
        shortlist_with_hearings=True,
        budget=Decimal("700000"),
    )
    grid = [
        Criterion.objects.create(
            call=call,
            code="quality",
            title="Qualité du projet et de la communauté",
            weight=Decimal(2),
            threshold=Decimal(5),
            position=1,
        ),
        Criterion.objects.create(
            call=call,
            code="territory",
            title="Ancrage dans le territoire",
            weight=Decimal(1),
            position=2,
        ),
    ]
    officer = UserFactory(roles=["officer"], full_name="Sophie Mertens")
    ministry = UserFactory(roles=["ministry"], full_name="Cabinet du ministre")
    call.programme.staff.create(user=officer, role="officer")
    call.programme.staff.create(user=ministry, role="ministry")
    experts = []
    for name in EXPERTS:
        first, last = name.split()
        expert = UserFactory(
            roles=["reviewer"],
            full_name=name,
            email=f"{first.lower()}.{last.lower()}@experts.example",
        )
        call.programme.staff.create(user=expert, role="reviewer")
        experts.append(expert)
    dossiers = []
    for index in range(18):
        membership = MembershipFactory(organisation__legal_name=f"Tiers-lieu {index + 1} ASBL")
        application = complete(ApplicationFactory(call=call, organisation=membership.organisation))
        application_services.submit(application, by=membership.user)
        application_services.declare_admissible(
            application, by=officer, checklist=ADMISSIBLE_CHECKLIST
        )
        assignments = services.assign([application], experts, by=officer)
        for number, assignment in enumerate(assignments):
            services.accept(assignment, by=assignment.reviewer, declaration="")
            quality, territory = scores_of(index, number)
            services.save_review(
                assignment,
                {
                    grid[0].pk: (Decimal(quality), f"Qualité jugée {quality} sur 10."),
                    grid[1].pk: (Decimal(territory), "Bien implanté."),
                },
                overall_comment="Avis argumenté.",
                recommendation="fund",
                by=assignment.reviewer,
            )
            services.submit_review(
                Review.objects.get(assignment=assignment), by=assignment.reviewer
            )
        application.refresh_from_db()
        assert application.state == Application.State.REVIEWED
        dossiers.append((application, membership.user))
    return call, officer, ministry, experts, dossiers


def switch_to(page, user):
    page.context.clear_cookies()
    sign_in(page, user)


def row_of(page, application):
    return page.get_by_role("row").filter(has_text=application.reference)


def test_the_2011_call_from_consensus_and_shortlist_to_the_evaluation_summary(
    page, private_storage, screenshot
):
    call, officer, ministry, experts, dossiers = reviewed_call()
    disputed, founder = dossiers[1]
    # Only the second dossier's experts disagree: the portal named its rapporteur.
    consensus = Consensus.objects.get()
    assert consensus.application == disputed
    rapporteur = consensus.rapporteur
    assert rapporteur in experts

    # The rapporteur writes the consensus beside the three reviews.
    sign_in(page, rapporteur)
    page.goto("/review/")
    reports = page.get_by_role("region", name="Rapports de consensus")
    reports.get_by_role("link", name=disputed.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(disputed.reference)
    # The section and its scrolling table share the name: the section is the first.
    side_by_side = page.get_by_role("region", name="Les évaluations côte à côte")
    for name in EXPERTS:
        expect(side_by_side.get_by_role("columnheader", name=name)).to_be_visible()
    expect(side_by_side).to_contain_text("Qualité jugée 4 sur 10.")
    page.get_by_label("Qualité du projet et de la communauté", exact=True).fill("10")
    page.get_by_label("Commentaire sur « Qualité du projet et de la communauté »").fill(
        "Le panel s'accorde sur un projet de grande qualité."
    )
    page.get_by_label("Ancrage dans le territoire", exact=True).fill("8")
    page.get_by_label("Commentaire sur « Ancrage dans le territoire »").fill(
        "Bien implanté, partenariats locaux à étoffer."
    )
    page.get_by_label("Appréciation générale du consensus").fill(CONSENSUS_COMMENT)
    screenshot(page, "consensus-written")
    page.get_by_role("button", name="Remettre le consensus").click()
    expect(page.get_by_text("Le consensus est remis au gestionnaire")).to_be_visible()
    consensus.refresh_from_db()
    assert consensus.state == Consensus.State.SUBMITTED

    # The officer approves it; the ranking then shows the consensus's total.
    switch_to(page, officer)
    page.goto(f"/review/consensus/{consensus.pk}/")
    page.get_by_role("button", name="Approuver…").click()
    expect(page.get_by_role("note")).to_be_visible()
    page.get_by_role("button", name="Approuver le consensus").click()
    expect(page.get_by_text("Le consensus est approuvé")).to_be_visible()
    consensus.refresh_from_db()
    assert consensus.state == Consensus.State.APPROVED
    page.goto(f"/staff/calls/{call.slug}/ranking/")
    total = row_of(page, disputed).locator("td.num").filter(has_text="consensus")
    expect(total).to_contain_text("28,00")  # 2 x 10 + 8, instead of the mean's 24
    expect(row_of(page, disputed)).to_contain_text("Consensus : approuvé")

    # The jury shortlists the nine best: two through the ranking page, with confirmation.
    def choose(application, label, rationale, confirm, done):
        row = row_of(page, application)
        row.get_by_label(label, exact=True).check()
        row.get_by_label("Motivation").fill(rationale)
        row.get_by_role("button", name="Enregistrer…").click()
        # A confirmation page says the choice is final before anything is recorded.
        expect(page.get_by_role("note")).to_contain_text("Cette action est irréversible.")
        expect(page.get_by_role("heading", level=1)).to_contain_text(application.reference)
        page.get_by_role("button", name=confirm).click()
        expect(page.get_by_text(f"{done} {application.reference} est enregistr")).to_be_visible()

    choice = ("Enregistrer le choix", "Le choix du jury sur")
    choose(disputed, "Présélectionné pour une audition", "Consensus favorable.", *choice)
    tenth, _ = dossiers[SHORTLISTED]
    choose(tenth, "Écarté de la présélection", "Moins convaincant que les neuf premiers.", *choice)
    for index, (application, _) in enumerate(dossiers):
        if application in (disputed, tenth):
            continue
        if index < SHORTLISTED:
            shortlist.shortlist(application, by=officer, rationale="Parmi les meilleurs.")
        else:
            shortlist.leave_off(application, by=officer, rationale="Score insuffisant.")
    states = list(call.applications.values_list("state", flat=True))
    assert states.count(Application.State.SHORTLISTED) == SHORTLISTED
    assert states.count(Application.State.NOT_PROPOSED) == 18 - SHORTLISTED
    page.goto(f"/staff/calls/{call.slug}/ranking/")
    screenshot(page, "ranking-with-shortlist")

    # The officer invites the disputed dossier's applicant to a hearing.
    when = (timezone.localtime(timezone.now(), BRUSSELS) + dt.timedelta(days=20)).replace(
        hour=14, minute=30, second=0, microsecond=0
    )
    page.goto(f"/staff/calls/{call.slug}/hearings/")
    invitation = row_of(page, disputed)
    invitation.get_by_label("Date et heure (heure de Bruxelles)").fill(
        when.strftime("%Y-%m-%dT%H:%M")
    )
    invitation.get_by_label("Lieu").fill("Namur, Maison de l'entreprise")
    invitation.get_by_role("button", name="Inviter").click()
    # The invitation waits in the call's mailing of hearing invitations (sent by staff from
    # the mailing page); the hearing is on the dossier's page at once.
    expect(page.get_by_text("L'audition est fixée")).to_be_visible()
    hearing = Hearing.objects.get(application=disputed)
    assert hearing.starts_at == when
    page.goto(f"/staff/calls/{call.slug}/hearings/")
    screenshot(page, "hearings")
    with translation.override("fr-be"):
        said_when = dates.long_datetime(when)

    switch_to(page, founder)
    page.goto(disputed.get_absolute_url())
    panel = page.get_by_role("region", name="Audition par le jury")
    expect(panel).to_contain_text(said_when)
    expect(panel).to_contain_text("Namur, Maison de l'entreprise")
    screenshot(page, "dossier-with-hearing")

    # After the hearing, the officer records it; the other eight are held likewise.
    past = timezone.now() - dt.timedelta(hours=1)
    Hearing.objects.filter(pk=hearing.pk).update(starts_at=past)
    switch_to(page, officer)
    page.goto(f"/staff/calls/{call.slug}/hearings/{disputed.pk}/")
    page.get_by_label("s'est présenté à l'audition").check()
    page.get_by_label("Notes de l'audition").fill("Présentation claire, équipe motivée.")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_text("L'audition est enregistrée.")).to_be_visible()
    expect(page.get_by_text("Présentation claire, équipe motivée.")).to_be_visible()
    hearing.refresh_from_db()
    assert hearing.state in Hearing.DONE
    shortlisted = [a for a, _ in dossiers[:SHORTLISTED]]
    for application in shortlisted:
        if application == disputed:
            continue
        held = shortlist.invite(
            application, by=officer, starts_at=timezone.now() + dt.timedelta(days=3), place="Namur"
        )
        Hearing.objects.filter(pk=held.pk).update(starts_at=past)
        held.refresh_from_db()
        shortlist.record_attendance(held, by=officer, notes="Entendu par le jury.")

    # The jury proposes eight of the nine heard, then closes.
    ninth = shortlisted[-1]
    page.goto(f"/staff/calls/{call.slug}/ranking/")
    proposal = ("Enregistrer la proposition", "La proposition du jury sur")
    choose(disputed, "Proposé", "Projet solide, confirmé à l'audition.", *proposal)
    choose(ninth, "Non proposé", "Au-delà du budget de l'appel.", *proposal)
    for application in shortlisted:
        if application not in (disputed, ninth):
            services.propose(application, by=officer, proposed=True, rationale="Retenu.")
    services.close_jury(call, by=officer, members_present="Sophie Mertens\nJean Dupont")

    # The minister grants the eight proposed and refuses the ninth.
    for application in shortlisted:
        application.refresh_from_db()
        if application == ninth:
            services.decide(application, by=ministry, granted=False, reason="Budget épuisé.")
        else:
            services.decide(application, by=ministry, granted=True, amount=Decimal("75000"))
    states = list(call.applications.values_list("state", flat=True))
    assert states.count(Application.State.GRANTED) == PROPOSED
    assert states.count(Application.State.REFUSED) == 1

    # The applicant downloads the evaluation summary: the consensus, never the experts.
    switch_to(page, founder)
    page.goto(disputed.get_absolute_url())
    with page.expect_download() as download:
        page.get_by_role(
            "link", name="Télécharger le rapport de synthèse de l'évaluation (PDF)"
        ).click()
    content = download.value.path().read_bytes()
    pages = PdfReader(io.BytesIO(content)).pages
    text = " ".join(" ".join(p.extract_text() for p in pages).split())
    for title in ("Qualité du projet et de la communauté", "Ancrage dans le territoire"):
        assert title in text
    assert CONSENSUS_COMMENT in text
    assert "Consensus des experts" in text
    assert "Premier quart du classement" in text  # ranked 2nd of 18
    assert "Au-dessus de la ligne de financement" in text
    for expert in experts:
        assert expert.full_name not in text
        assert expert.email not in text
        assert expert.full_name.split()[1] not in text
