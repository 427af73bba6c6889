import io
import threading
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from applications import mailings
from applications.models import Application, Mailing
from applications.signals import application_granted
from portal.transitions import ConcurrentTransition, TransitionRefused
from review import services
from review.models import Criterion, Decision, Proposal
from tests.factories import ApplicationFactory
from tests.pages import text_of
from tests.review.test_reviewing import review

pytestmark = pytest.mark.django_db


def complete_reviews(application, reviewers, grid):
    for assignment in application.assignments.filter(reviewer__in=reviewers):
        services.accept(assignment, by=assignment.reviewer, declaration="")
        review(assignment, grid, 8, 7)


@pytest.fixture
def reviewed(admissible, reviewers, officer, grid):
    services.assign([admissible], reviewers[:2], by=officer)
    complete_reviews(admissible, reviewers[:2], grid)
    admissible.refresh_from_db()
    assert admissible.state == Application.State.REVIEWED
    return admissible


@pytest.fixture
def proposed(reviewed, officer):
    services.propose(reviewed, by=officer, proposed=True, rationale="Projet solide")
    return reviewed


def test_the_jury_proposes_with_the_ranking_frozen(client, reviewed, officer):
    client.force_login(officer)

    client.post(
        reverse("review:propose", args=[reviewed.call.slug, reviewed.pk]),
        {"proposed": "yes", "rationale": "Projet solide", "confirm": "1"},
    )

    reviewed.refresh_from_db()
    proposal = Proposal.objects.get()
    assert reviewed.state == Application.State.PROPOSED
    assert proposal.ranking_snapshot[0]["reference"] == reviewed.reference
    assert proposal.ranking_snapshot[0]["total"] == "23.00"


def test_a_dossier_under_a_threshold_cannot_be_proposed(admissible, reviewers, officer, grid):
    first, second = services.assign([admissible], reviewers[:2], by=officer)
    for assignment in (first, second):
        services.accept(assignment, by=assignment.reviewer, declaration="")
        review(assignment, grid, 3, 9)
    admissible.refresh_from_db()

    with pytest.raises(TransitionRefused):
        services.propose(admissible, by=officer, proposed=True, rationale="x")

    services.propose(admissible, by=officer, proposed=False, rationale="Sous le seuil")
    admissible.refresh_from_db()
    assert admissible.state == Application.State.NOT_PROPOSED


def test_a_dossier_without_a_score_in_the_ranking_cannot_be_proposed(client, call, officer):
    # Reviewed without a submitted score ever counted (written directly, as an import or a
    # lost refresh leaves it), on a grid without thresholds: no threshold check can refuse it.
    Criterion.objects.create(call=call, code="quality", title="Qualité", weight=Decimal(1))
    dossier = ApplicationFactory(
        call=call,
        state=Application.State.REVIEWED,
        reference="CW-2026-0042",
        submitted_at=timezone.now(),
    )

    client.force_login(officer)
    page = client.get(reverse("review:ranking", args=[call.slug])).content.decode()
    assert "sans note\u00a0: ne peut être proposé" in page
    assert 'value="yes" required disabled' in page  # the jury cannot choose "Proposed"

    with pytest.raises(TransitionRefused) as refused:
        services.propose(dossier, by=officer, proposed=True, rationale="Prometteur")

    assert "Un dossier sans note au classement ne peut pas être proposé." in str(refused.value)
    dossier.refresh_from_db()
    assert dossier.state == Application.State.REVIEWED
    services.propose(dossier, by=officer, proposed=False, rationale="Jamais évalué")
    dossier.refresh_from_db()
    assert dossier.state == Application.State.NOT_PROPOSED


def test_the_jury_ranks_reviews_submitted_in_the_same_transaction(
    admissible, reviewers, officer, grid
):
    """The demo reviews and proposes in one transaction: the proposal reads the standings
    that transaction's reviews will refresh at commit."""
    with transaction.atomic():
        services.assign([admissible], reviewers[:2], by=officer)
        complete_reviews(admissible, reviewers[:2], grid)
        admissible.refresh_from_db()
        proposal = services.propose(admissible, by=officer, proposed=True, rationale="Solide")

    assert proposal.ranking_snapshot[0]["total"] == "23.00"  # 2 * 8 + 7


def test_the_ministry_grants_within_limits_and_the_label_hook_fires(
    proposed, ministry, django_capture_on_commit_callbacks
):
    received = []

    def listener(**kwargs):
        received.append(kwargs["application"])

    application_granted.connect(listener)
    too_much = proposed.requested_amount + 1
    with pytest.raises(TransitionRefused):
        services.decide(proposed, by=ministry, granted=True, amount=too_much)

    with django_capture_on_commit_callbacks(execute=True):
        services.decide(proposed, by=ministry, granted=True, amount=Decimal("60000"))

    proposed.refresh_from_db()
    assert proposed.state == Application.State.GRANTED
    assert proposed.decision.amount == Decimal("60000")
    assert received == [proposed]
    # The decision email waits in the call's decisions mailing until staff send it.
    mailing = mailings.prepared(proposed.call, Mailing.Kind.DECISIONS)
    assert [e.subject for e in mailing.entries.all()] == [
        f"Décision relative à votre dossier {proposed.reference}"
    ]
    assert not any("Décision" in m.subject for m in mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        mailings.send(mailing, by=ministry)
    assert any("Décision" in m.subject for m in mail.outbox)
    application_granted.disconnect(listener)


def test_officers_cannot_decide(client, proposed, officer):
    client.force_login(officer)

    response = client.post(
        reverse("review:decide", args=[proposed.call.slug, proposed.pk]),
        {"decision": "grant", "amount": "1000"},
    )

    assert response.status_code == 404
    assert not Decision.objects.exists()


def test_the_decision_letter_holds_the_amount_and_the_organisation(
    client, proposed, ministry, django_capture_on_commit_callbacks
):
    # A grant letter is drawn once the grant is committed and its label issued.
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(proposed, by=ministry, granted=True, amount=Decimal("60000"))

    letter = proposed.letters.get(kind="decision")
    with letter.file.open("rb") as handle:
        text = PdfReader(io.BytesIO(handle.read())).pages[0].extract_text()
    assert proposed.reference in text
    assert "60" in text and "000,00" in text
    assert proposed.organisation.legal_name in text


def test_a_refusal_needs_a_reason(proposed, ministry):
    with pytest.raises(TransitionRefused):
        services.decide(proposed, by=ministry, granted=False, reason=" ")

    services.decide(proposed, by=ministry, granted=False, reason="Budget épuisé")
    proposed.refresh_from_db()
    assert proposed.state == Application.State.REFUSED


def test_two_decisions_on_the_same_dossier_give_exactly_one(proposed, ministry):
    first = Application.objects.get(pk=proposed.pk)
    second = Application.objects.get(pk=proposed.pk)
    services.decide(first, by=ministry, granted=True, amount=Decimal("1000"))

    with pytest.raises(ConcurrentTransition):
        services.decide(second, by=ministry, granted=False, reason="Non")

    assert Decision.objects.count() == 1


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="needs two real connections (PostgreSQL)",
)
@pytest.mark.django_db(transaction=True)
def test_two_ministry_users_at_the_same_moment_on_postgresql(
    reference_data, proposed, ministry, programme, private_storage
):
    from django.db import connections

    from tests.factories import UserFactory

    colleague = UserFactory(roles=["ministry"])
    programme.staff.create(user=colleague, role="ministry")
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(user, granted):
        application = Application.objects.get(pk=proposed.pk)
        barrier.wait()
        try:
            services.decide(
                application, by=user, granted=granted, amount=Decimal("1000"), reason="Non"
            )
            outcomes.append("decided")
        except (ConcurrentTransition, TransitionRefused) as error:
            outcomes.append(type(error).__name__)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(ministry, True)),
        threading.Thread(target=decide, args=(colleague, False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["ConcurrentTransition", "decided"]
    assert Decision.objects.count() == 1


def test_the_ministry_page_warns_when_the_budget_is_passed(client, proposed, ministry):
    call = proposed.call
    call.budget = Decimal("1000")
    call.save()
    client.force_login(ministry)

    response = client.post(
        reverse("review:decide", args=[call.slug, proposed.pk]),
        {"decision": "grant", "amount": "5000", "confirm": "1"},
        follow=True,
    )

    assert "dépassent le budget" in text_of(response)


def test_the_decisions_page_leads_to_the_waiting_decision_emails(client, proposed, ministry):
    client.force_login(ministry)

    response = client.post(
        reverse("review:decide", args=[proposed.call.slug, proposed.pk]),
        {"decision": "grant", "amount": "5000", "confirm": "1"},
        follow=True,
    )

    mailing = mailings.waiting(proposed.call, Mailing.Kind.DECISIONS)
    assert "1 e-mail de décision attend dans l'envoi groupé" in text_of(response)
    assert mailing.get_absolute_url() in response.content.decode()
    mailings.send(mailing, by=ministry)
    page = client.get(reverse("review:decisions", args=[proposed.call.slug]))
    assert "e-mail de décision attend" not in text_of(page)


def test_the_applicant_reads_the_decision_letter_on_the_dossier(client, proposed, ministry):
    services.decide(proposed, by=ministry, granted=False, reason="Budget épuisé")
    client.force_login(proposed.created_by)

    page = text_of(client.get(proposed.get_absolute_url()))
    letter = proposed.letters.get(kind="decision")
    response = client.get(reverse("applications:letter", args=[proposed.pk, letter.pk]))

    assert "Courrier de notification" in page
    assert response.status_code == 200


def test_a_colleague_acting_from_an_old_page_is_told_what_happened(client, proposed, ministry):
    services.decide(proposed, by=ministry, granted=False, reason="Non")
    client.force_login(ministry)

    response = client.post(
        reverse("review:decide", args=[proposed.call.slug, proposed.pk]),
        {"decision": "grant", "amount": "1000", "confirm": "1"},
        follow=True,
    )

    assert "Cette action n'est plus possible" in text_of(response)
    assert Decision.objects.count() == 1


def test_the_applicant_sees_the_decision_on_the_dossier(client, proposed, ministry):
    services.decide(proposed, by=ministry, granted=True, amount=Decimal("60000"))
    client.force_login(proposed.created_by)

    page = text_of(client.get(proposed.get_absolute_url()))

    assert "Décision ministérielle" in page
    assert "60 000,00 €" in page.replace("\u202f", " ").replace("\xa0", " ")


def test_administrators_read_but_cannot_edit_review_records(client, proposed, admin_user):
    client.force_login(admin_user)

    assert client.get(reverse("admin:review_proposal_changelist")).status_code == 200
    proposal = Proposal.objects.get()
    response = client.post(
        reverse("admin:review_proposal_change", args=[proposal.pk]), {"proposed": "off"}
    )
    assert response.status_code == 403


def test_the_calls_dossier_list_leads_to_every_review_step(client, call, officer):
    client.force_login(officer)

    page = client.get(reverse("applications:staff_call", args=[call.slug])).content.decode()

    for name in ("criteria", "assignments", "ranking", "decisions"):
        assert f'href="{reverse(f"review:{name}", args=[call.slug])}"' in page
    assert 'aria-current="page">Dossiers' in page
