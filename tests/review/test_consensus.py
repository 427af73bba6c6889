"""The consensus: a rapporteur named by the officer or by the portal on a disagreement, the
draft beside the reviews, its submission, and the officer's approval that ranks the dossier
on it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from applications.models import Application
from portal.models import OutgoingEmail
from portal.transitions import TransitionRefused, history
from review import consensus as consensus_services
from review import ranking, services
from review.models import Consensus, Review, Standing
from tests.factories import UserFactory
from tests.pages import text_of
from tests.queries import assert_same_count, queries_of
from tests.review.conftest import admissible_application

pytestmark = pytest.mark.django_db


def values(grid, *scores, comment="Accord du panel"):
    return {c.pk: (Decimal(s), comment) for c, s in zip(grid, scores, strict=True)}


def fully_reviewed(application, reviewers, grid, officer, rows, capture=None):
    """The dossier reviewed through the services, one row of scores per reviewer."""
    assignments = services.assign([application], reviewers[: len(rows)], by=officer)
    for assignment in assignments:
        services.accept(assignment, by=assignment.reviewer, declaration="")
    for assignment, row in zip(assignments, rows, strict=True):
        services.save_review(
            assignment,
            values(grid, *row, comment="Argumenté"),
            overall_comment=f"Avis de {assignment.reviewer}",
            recommendation="fund",
            by=assignment.reviewer,
        )
        services.submit_review(Review.objects.get(assignment=assignment), by=assignment.reviewer)
    application.refresh_from_db()
    return assignments


@pytest.fixture
def agreed(admissible, reviewers, grid, officer):
    """Reviewed by two reviewers who agree (2 points apart at most: the default tolerance)."""
    fully_reviewed(admissible, reviewers, grid, officer, [("7", "6"), ("8", "6")])
    return admissible


@pytest.fixture
def disputed(admissible, reviewers, grid, officer):
    """Reviewed by two reviewers 5 points apart on quality."""
    fully_reviewed(admissible, reviewers, grid, officer, [("3", "6"), ("8", "6")])
    return admissible


def submitted_consensus(application, rapporteur, grid, *scores):
    consensus = Consensus.objects.get(application=application)
    consensus_services.save_draft(
        consensus, values(grid, *scores), overall_comment="Synthèse", by=rapporteur
    )
    consensus_services.submit(consensus, by=rapporteur)
    consensus.refresh_from_db()
    return consensus


def transitions_of(consensus):
    return [(change.transition, change.by) for change in history(consensus)]


# --- naming ---------------------------------------------------------------------------


def test_the_officer_names_a_reviewer_and_the_rapporteur_is_told(agreed, reviewers, officer):
    consensus = consensus_services.name_rapporteur(agreed, by=officer, rapporteur=reviewers[1])

    assert consensus.state == Consensus.State.DRAFTING
    assert consensus.rapporteur == reviewers[1]
    assert consensus.named_by == officer
    assert transitions_of(consensus) == [("create", officer)]
    url = reverse("review:consensus", args=[consensus.pk])
    assert OutgoingEmail.objects.filter(recipient=reviewers[1].email, body__contains=url).exists()


def test_naming_again_while_drafting_hands_over_and_is_in_the_history(
    agreed, reviewers, officer, grid
):
    first = consensus_services.name_rapporteur(agreed, by=officer, rapporteur=reviewers[0])
    consensus_services.save_draft(
        first, values(grid, "7", "6"), overall_comment="Début", by=reviewers[0]
    )

    again = consensus_services.name_rapporteur(agreed, by=officer, rapporteur=reviewers[1])

    assert again.pk == first.pk
    assert again.rapporteur == reviewers[1]
    assert again.overall_comment == "Début"  # the draft stays
    assert transitions_of(again) == [("create", officer), ("rapporteur_changed", officer)]
    assert [c.target_label for c in history(again)][-1] == "rapporteur changé"


def test_the_rapporteur_must_have_submitted_a_review(agreed, reviewers, officer):
    with pytest.raises(TransitionRefused, match="pas remis"):
        consensus_services.name_rapporteur(agreed, by=officer, rapporteur=reviewers[2])
    assert not Consensus.objects.exists()


def test_no_consensus_before_the_review_is_complete(admissible, reviewers, officer, grid):
    assignments = services.assign([admissible], reviewers[:2], by=officer)
    for assignment in assignments:
        services.accept(assignment, by=assignment.reviewer, declaration="")
    services.save_review(
        assignments[0],
        values(grid, "5", "5"),
        overall_comment="",
        recommendation="fund",
        by=reviewers[0],
    )
    services.submit_review(assignments[0].review, by=reviewers[0])

    with pytest.raises(TransitionRefused):
        consensus_services.name_rapporteur(admissible, by=officer, rapporteur=reviewers[0])


def test_only_an_officer_names_the_rapporteur(agreed, reviewers, ministry):
    with pytest.raises(PermissionError):
        consensus_services.name_rapporteur(agreed, by=ministry, rapporteur=reviewers[0])
    with pytest.raises(PermissionError):
        consensus_services.name_rapporteur(agreed, by=reviewers[0], rapporteur=reviewers[0])


def test_the_rapporteur_no_longer_changes_once_submitted(agreed, reviewers, officer, grid):
    consensus_services.name_rapporteur(agreed, by=officer, rapporteur=reviewers[0])
    submitted_consensus(agreed, reviewers[0], grid, "7", "6")

    with pytest.raises(TransitionRefused, match="ne peut plus changer"):
        consensus_services.name_rapporteur(agreed, by=officer, rapporteur=reviewers[1])


# --- automatic naming -------------------------------------------------------------------


def test_a_disagreement_names_a_rapporteur_automatically(disputed, reviewers, officer):
    consensus = Consensus.objects.get(application=disputed)

    assert disputed.state == Application.State.REVIEWED
    # The first assigned, neither having a consensus to write.
    assert consensus.rapporteur == reviewers[0]
    assert consensus.named_by is None
    assert transitions_of(consensus) == [("create", None)]
    url = reverse("review:consensus", args=[consensus.pk])
    told = set(OutgoingEmail.objects.filter(body__contains=url).values_list("recipient", flat=True))
    assert told == {reviewers[0].email, officer.email}


def test_no_automatic_rapporteur_when_the_reviewers_agree(agreed):
    assert not Consensus.objects.filter(application=agreed).exists()


def test_the_automatic_rapporteur_is_the_one_with_the_fewest_consensuses_to_write(
    call, officer, reviewers, grid
):
    first = admissible_application(call, officer)
    fully_reviewed(first, reviewers, grid, officer, [("2", "6"), ("9", "6")])
    second = admissible_application(call, officer)

    fully_reviewed(second, reviewers, grid, officer, [("2", "6"), ("9", "6")])

    assert Consensus.objects.get(application=first).rapporteur == reviewers[0]
    assert Consensus.objects.get(application=second).rapporteur == reviewers[1]


# --- writing --------------------------------------------------------------------------


def test_the_draft_is_checked_like_a_review(disputed, reviewers, grid):
    consensus = disputed.consensus
    with pytest.raises(TransitionRefused) as refused:
        consensus_services.save_draft(
            consensus, values(grid, "11", "6"), overall_comment="", by=reviewers[0]
        )
    assert refused.value.reasons[0].field == f"score_{grid[0].pk}"
    # Half points only where the call allows them.
    with pytest.raises(TransitionRefused):
        consensus_services.save_draft(
            consensus, values(grid, "6.5", "6"), overall_comment="", by=reviewers[0]
        )


def test_only_the_rapporteur_writes(disputed, reviewers, officer, grid):
    with pytest.raises(PermissionError):
        consensus_services.save_draft(
            disputed.consensus, values(grid, "6", "6"), overall_comment="", by=reviewers[1]
        )
    with pytest.raises(PermissionError):
        consensus_services.save_draft(
            disputed.consensus, values(grid, "6", "6"), overall_comment="", by=officer
        )


def test_submitting_needs_every_score_comment_and_the_overall_comment(disputed, reviewers, grid):
    consensus = disputed.consensus
    consensus_services.save_draft(
        consensus, {grid[0].pk: (Decimal("6"), "")}, overall_comment="", by=reviewers[0]
    )

    with pytest.raises(TransitionRefused) as refused:
        consensus_services.submit(consensus, by=reviewers[0])

    fields = {reason.field for reason in refused.value.reasons}
    assert fields == {f"comment_{grid[0].pk}", f"score_{grid[1].pk}", "overall_comment"}
    consensus.refresh_from_db()
    assert consensus.state == Consensus.State.DRAFTING


def test_submitted_the_officers_are_told_and_the_draft_is_locked(
    disputed, reviewers, officer, grid
):
    consensus = submitted_consensus(disputed, reviewers[0], grid, "6", "6")

    assert consensus.state == Consensus.State.SUBMITTED
    assert transitions_of(consensus)[-1] == ("submit", reviewers[0])
    url = reverse("review:consensus", args=[consensus.pk])
    assert (
        OutgoingEmail.objects.filter(
            recipient=officer.email, subject__contains=disputed.reference, body__contains=url
        ).count()
        == 2
    )  # named, then submitted
    with pytest.raises(TransitionRefused):
        consensus_services.save_draft(
            consensus, values(grid, "7", "6"), overall_comment="x", by=reviewers[0]
        )


def test_sent_back_with_a_reason_it_is_written_again(disputed, reviewers, officer, grid):
    consensus = submitted_consensus(disputed, reviewers[0], grid, "6", "6")
    with pytest.raises(TransitionRefused):
        consensus_services.send_back(consensus, by=officer, reason=" ")

    consensus_services.send_back(consensus, by=officer, reason="Justifiez l'ancrage.")

    consensus.refresh_from_db()
    assert consensus.state == Consensus.State.DRAFTING
    assert history(consensus)[-1].comment == "Justifiez l'ancrage."
    assert OutgoingEmail.objects.filter(
        recipient=reviewers[0].email, body__contains="Justifiez l'ancrage."
    ).exists()


# --- approval and the ranking -----------------------------------------------------------


def test_the_ranking_uses_the_consensus_once_approved_only(disputed, reviewers, officer, grid):
    ranking.refresh_standings([disputed.pk])
    # Means 5.5 and 6: 2 * 5.5 + 6.
    assert Standing.objects.get(application=disputed).total == Decimal("17")
    consensus = submitted_consensus(disputed, reviewers[0], grid, "4", "7")
    # The test never commits: run the refreshes the reviews asked for, then the approval's.
    ranking.refresh_pending()
    assert not Standing.objects.get(application=disputed).consensus

    consensus_services.approve(consensus, by=officer)
    ranking.refresh_pending()

    standing = Standing.objects.get(application=disputed)
    consensus.refresh_from_db()
    assert consensus.state == Consensus.State.APPROVED
    assert consensus.approved_at is not None
    assert transitions_of(consensus)[-1] == ("approve", officer)
    assert standing.consensus
    assert standing.total == Decimal("15")  # 2 * 4 + 7
    # The threshold of 5 on quality is read on the consensus's 4.
    assert standing.below_threshold
    # The disagreement stays as the reviews showed it.
    assert standing.disagreement
    (row,) = ranking.snapshot(disputed.call)
    assert row["consensus"] is True
    assert row["total"] == "15.00"
    assert row["below_threshold"] is True
    url = reverse("review:consensus", args=[consensus.pk])
    told = OutgoingEmail.objects.filter(recipient=reviewers[0].email, body__contains=url)
    assert told.count() == 2  # named, approved
    # The ranking's cells show the scores that make the total, the spreads the reviews'.
    _cols, (laid,) = ranking.rows(disputed.call)
    assert [(mean, spread) for mean, spread, _col in laid.cells] == [
        (Decimal("4"), Decimal("5")),
        (Decimal("7"), Decimal("0")),
    ]


def test_the_snapshot_says_no_consensus_otherwise(agreed):
    ranking.refresh_standings([agreed.pk])

    (row,) = ranking.snapshot(agreed.call)

    assert row["consensus"] is False


def test_a_consensus_is_not_approved_once_the_jury_has_proposed(disputed, reviewers, officer, grid):
    consensus = submitted_consensus(disputed, reviewers[0], grid, "6", "6")
    ranking.refresh_standings([disputed.pk])
    services.propose(disputed, by=officer, proposed=True, rationale="Solide")

    with pytest.raises(TransitionRefused):
        consensus_services.approve(consensus, by=officer)


# --- pages ----------------------------------------------------------------------------


def test_the_rapporteur_writes_beside_the_reviews(client, disputed, reviewers, grid):
    consensus = disputed.consensus
    url = reverse("review:consensus", args=[consensus.pk])
    client.force_login(reviewers[0])

    page = text_of(client.get(url))

    assert "Avis de Expert 1" in page and "Avis de Expert 2" in page
    data = {
        f"score_{grid[0].pk}": "6",
        f"comment_{grid[0].pk}": "Qualité moyenne",
        f"score_{grid[1].pk}": "6",
        f"comment_{grid[1].pk}": "Bon ancrage",
        "overall_comment": "Synthèse du panel",
    }
    assert client.post(url, {**data, "save": "1"}).status_code == 302
    response = client.post(url, {**data, "submit": "1"})

    assert response.status_code == 302
    consensus.refresh_from_db()
    assert consensus.state == Consensus.State.SUBMITTED
    assert consensus.scores.get(criterion=grid[0]).comment == "Qualité moyenne"


def test_a_refused_submission_shows_next_to_the_field(client, disputed, reviewers, grid):
    client.force_login(reviewers[0])
    url = reverse("review:consensus", args=[disputed.consensus.pk])

    response = client.post(url, {f"score_{grid[0].pk}": "6", "submit": "1"})

    assert response.status_code == 400
    assert "overall_comment" in response.context["form"].errors


def test_another_reviewer_and_strangers_get_404(client, disputed, reviewers):
    url = reverse("review:consensus", args=[disputed.consensus.pk])
    for person in (reviewers[1], reviewers[2], UserFactory()):
        client.force_login(person)
        assert client.get(url).status_code == 404
        assert client.post(url, {"save": "1"}).status_code == 404


def test_the_officer_approves_after_a_confirmation(client, disputed, reviewers, officer, grid):
    consensus = submitted_consensus(disputed, reviewers[0], grid, "6", "6")
    client.force_login(officer)
    page = text_of(client.get(reverse("review:consensus", args=[consensus.pk])))
    assert "Approuver" in page or "Approve" in page
    url = reverse("review:approve_consensus", args=[consensus.pk])

    assert client.post(url).status_code == 200  # the confirmation page
    ranking.refresh_pending()
    response = client.post(url, {"confirm": "1"})

    assert response.status_code == 302
    consensus.refresh_from_db()
    assert consensus.state == Consensus.State.APPROVED
    ranking.refresh_pending()  # the test never commits
    client.force_login(officer)
    ranking_page = client.get(reverse("review:ranking", args=[disputed.call.slug]))
    assert '<span class="state">consensus</span>' in ranking_page.content.decode()


def test_the_officer_sends_back_with_a_reason(client, disputed, reviewers, officer, grid):
    consensus = submitted_consensus(disputed, reviewers[0], grid, "6", "6")
    client.force_login(officer)
    url = reverse("review:send_back_consensus", args=[consensus.pk])

    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Précisez."}).status_code == 302

    consensus.refresh_from_db()
    assert consensus.state == Consensus.State.DRAFTING


def test_the_ministry_reads_and_acts_on_nothing(client, disputed, reviewers, ministry, grid):
    consensus = submitted_consensus(disputed, reviewers[0], grid, "6", "6")
    client.force_login(ministry)

    assert "Synthèse" in text_of(client.get(reverse("review:consensus", args=[consensus.pk])))
    listing = reverse("review:consensus_list", args=[disputed.call.slug])
    assert client.get(listing).status_code == 200
    approve = reverse("review:approve_consensus", args=[consensus.pk])
    assert client.post(approve, {"confirm": "1"}).status_code == 404


def test_the_officer_names_from_the_consensus_list(client, agreed, reviewers, officer):
    client.force_login(officer)
    url = reverse("review:consensus_list", args=[agreed.call.slug])
    assert agreed.reference in text_of(client.get(url))

    response = client.post(
        reverse("review:name_rapporteur", args=[agreed.call.slug, agreed.pk]),
        {"rapporteur": reviewers[1].pk},
    )

    assert response.status_code == 302
    assert Consensus.objects.get(application=agreed).rapporteur == reviewers[1]
    # A reviewer who did not review the dossier is not offered.
    client.post(
        reverse("review:name_rapporteur", args=[agreed.call.slug, agreed.pk]),
        {"rapporteur": reviewers[2].pk},
    )
    assert Consensus.objects.get(application=agreed).rapporteur == reviewers[1]


def test_the_reviewer_finds_the_consensus_to_write(client, disputed, reviewers):
    client.force_login(reviewers[0])

    response = client.get(reverse("review:assignments_mine"))

    assert reverse("review:consensus", args=[disputed.consensus.pk]) in response.content.decode()
    client.force_login(reviewers[1])
    response = client.get(reverse("review:assignments_mine"))
    assert reverse("review:consensus", args=[disputed.consensus.pk]) not in (
        response.content.decode()
    )


def test_the_ranking_links_a_disagreement_to_its_consensus(client, disputed, officer):
    ranking.refresh_standings([disputed.pk])
    client.force_login(officer)

    response = client.get(reverse("review:ranking", args=[disputed.call.slug]))

    assert reverse("review:consensus", args=[disputed.consensus.pk]) in response.content.decode()


# --- queries --------------------------------------------------------------------------


def test_the_consensus_list_runs_the_same_queries_whatever_the_count(
    client, call, officer, reviewers, grid
):
    client.force_login(officer)
    url = reverse("review:consensus_list", args=[call.slug])
    first = admissible_application(call, officer)
    fully_reviewed(first, reviewers, grid, officer, [("2", "6"), ("9", "6")])
    plain = admissible_application(call, officer)
    fully_reviewed(plain, reviewers, grid, officer, [("6", "6"), ("6", "6")])
    few = queries_of(client, url)

    for _ in range(3):
        more = admissible_application(call, officer)
        fully_reviewed(more, reviewers, grid, officer, [("2", "6"), ("9", "6")])
        more = admissible_application(call, officer)
        fully_reviewed(more, reviewers, grid, officer, [("6", "6"), ("6", "6")])
    many = queries_of(client, url)

    assert_same_count(few, many, ceiling=15)


def test_the_consensus_page_runs_the_same_queries_whatever_the_reviewers(
    client, call, officer, reviewers, grid
):
    call.reviews_per_dossier = 2
    call.save()
    two = admissible_application(call, officer)
    fully_reviewed(two, reviewers, grid, officer, [("2", "6"), ("9", "6")])
    three = admissible_application(call, officer)
    fully_reviewed(three, reviewers, grid, officer, [("2", "6"), ("9", "6"), ("5", "5")])
    client.force_login(officer)

    few = queries_of(client, reverse("review:consensus", args=[two.consensus.pk]))
    many = queries_of(client, reverse("review:consensus", args=[three.consensus.pk]))

    assert_same_count(few, many, ceiling=20)


def test_the_ranking_page_runs_the_same_queries_with_consensuses(
    client, call, officer, reviewers, grid
):
    client.force_login(officer)
    url = reverse("review:ranking", args=[call.slug])
    plain = admissible_application(call, officer)
    fully_reviewed(plain, reviewers, grid, officer, [("6", "6"), ("6", "6")])

    def approved_consensus():
        more = admissible_application(call, officer)
        fully_reviewed(more, reviewers, grid, officer, [("2", "6"), ("9", "6")])
        consensus = submitted_consensus(more, more.consensus.rapporteur, grid, "6", "6")
        consensus_services.approve(consensus, by=officer)

    # One query reads the scores of the page's consensuses, however many there are.
    approved_consensus()
    ranking.refresh_pending()
    few = queries_of(client, url)

    for _ in range(2):
        approved_consensus()
    more = admissible_application(call, officer)
    fully_reviewed(more, reviewers, grid, officer, [("2", "6"), ("9", "6")])
    ranking.refresh_pending()
    many = queries_of(client, url)

    assert_same_count(few, many, ceiling=20)
    page = client.get(url).content.decode()
    assert page.count('<span class="state">consensus</span>') == 3
    assert reverse("review:consensus", args=[more.consensus.pk]) in page
