from decimal import Decimal

import pytest
from django.urls import reverse

from applications.models import Application
from portal.transitions import TransitionRefused
from review import services
from review.models import Assignment, Review
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def scores(grid, *values, comment=""):
    return {c.pk: (Decimal(v), comment) for c, v in zip(grid, values, strict=True)}


def review(assignment, grid, *values, comment="Argumenté"):
    services.save_review(
        assignment,
        scores(grid, *values, comment=comment),
        overall_comment="Bon projet",
        recommendation="fund",
        by=assignment.reviewer,
    )
    services.submit_review(assignment.review, by=assignment.reviewer)


def test_officers_assign_from_the_pool_and_acceptances_start_the_review(
    admissible, reviewers, officer
):
    first, second = services.assign([admissible], reviewers[:2], by=officer)
    services.accept(first, by=reviewers[0], declaration="")
    admissible.refresh_from_db()
    assert admissible.state == Application.State.ADMISSIBLE

    services.accept(second, by=reviewers[1], declaration="")

    admissible.refresh_from_db()
    assert admissible.state == Application.State.IN_REVIEW


def test_only_reviewers_of_the_programme_can_be_assigned(admissible, officer):
    from tests.factories import UserFactory

    with pytest.raises(TransitionRefused):
        services.assign([admissible], [UserFactory(roles=["reviewer"])], by=officer)


def test_a_conflicted_reviewer_never_sees_the_dossier(client, admissible, reviewers, officer):
    (assignment,) = services.assign([admissible], reviewers[:1], by=officer)
    client.force_login(reviewers[0])
    client.post(
        reverse("review:assignment", args=[assignment.pk]),
        {"action": "conflict", "reason": "J'ai conseillé ce candidat."},
    )
    assignment.refresh_from_db()
    assert assignment.state == Assignment.State.CONFLICTED

    page = text_of(client.get(reverse("review:assignment", args=[assignment.pk])))
    document = admissible.documents.get()
    assert admissible.summary not in page
    assert (
        client.get(reverse("review:document", args=[assignment.pk, document.pk])).status_code == 404
    )
    assert client.get(admissible.get_absolute_url()).status_code == 404


def test_a_conflict_needs_a_reason(client, admissible, reviewers, officer):
    (assignment,) = services.assign([admissible], reviewers[:1], by=officer)
    client.force_login(reviewers[0])

    response = client.post(
        reverse("review:assignment", args=[assignment.pk]), {"action": "conflict"}
    )

    assert "Décrivez le conflit d'intérêts." in text_of(response)
    assignment.refresh_from_db()
    assert assignment.state == Assignment.State.INVITED


def test_other_reviewers_and_strangers_get_404(client, admissible, reviewers, officer):
    (assignment,) = services.assign([admissible], reviewers[:1], by=officer)
    for person in (reviewers[1], officer):
        client.force_login(person)
        assert client.get(reverse("review:assignment", args=[assignment.pk])).status_code == 404


def test_reviews_are_blind_until_ones_own_is_submitted_and_then_locked(
    client, admissible, reviewers, officer, grid
):
    first, second = services.assign([admissible], reviewers[:2], by=officer)
    services.accept(first, by=reviewers[0], declaration="")
    services.accept(second, by=reviewers[1], declaration="")
    review(first, grid, 8, 7, comment="Commentaire très particulier")
    client.force_login(reviewers[1])
    url = reverse("review:assignment", args=[second.pk])
    assert "Commentaire très particulier" not in text_of(client.get(url))

    data = {
        f"score_{grid[0].pk}": "6",
        f"score_{grid[1].pk}": "5",
        "recommendation": "fund",
        "submit": "1",
    }
    client.post(url, data)

    assert "Commentaire très particulier" in text_of(client.get(url))
    client.post(url, {**data, f"score_{grid[0].pk}": "1"})
    assert second.review.scores.get(criterion=grid[0]).value == Decimal("6")
    admissible.refresh_from_db()
    assert admissible.state == Application.State.REVIEWED


def test_a_score_under_the_threshold_needs_a_comment(admissible, reviewers, officer, grid):
    (assignment,) = services.assign([admissible], reviewers[:1], by=officer)
    services.accept(assignment, by=reviewers[0], declaration="")
    services.save_review(
        assignment, scores(grid, 3, 7), overall_comment="", recommendation="reject", by=reviewers[0]
    )

    with pytest.raises(TransitionRefused) as refused:
        services.submit_review(assignment.review, by=reviewers[0])

    assert "seuil" in str(refused.value)
    assert assignment.review.state == Review.State.DRAFT


def test_scores_out_of_range_or_in_half_points_are_refused(admissible, reviewers, officer, grid):
    (assignment,) = services.assign([admissible], reviewers[:1], by=officer)
    services.accept(assignment, by=reviewers[0], declaration="")

    for values in [(11, 5), (5.5, 5)]:
        with pytest.raises(TransitionRefused):
            services.save_review(
                assignment,
                scores(grid, *values),
                overall_comment="",
                recommendation="",
                by=reviewers[0],
            )


def test_visitors_read_the_criteria_on_the_call_page(client, grid, call):
    page = text_of(client.get(call.get_absolute_url()))

    assert "Critères d'évaluation" in page
    assert "Qualité du projet" in page and "5 / 10" in page


def test_the_grid_is_frozen_once_reviewers_have_scored(
    client, admissible, reviewers, officer, grid
):
    (assignment,) = services.assign([admissible], reviewers[:1], by=officer)
    services.accept(assignment, by=reviewers[0], declaration="")
    services.save_review(
        assignment, scores(grid, 6, 6), overall_comment="", recommendation="", by=reviewers[0]
    )
    client.force_login(officer)
    data = {"criteria-TOTAL_FORMS": "2", "criteria-INITIAL_FORMS": "2"}
    for index, criterion in enumerate(grid):
        for field in ("code", "title", "weight", "max_score", "position"):
            data[f"criteria-{index}-{field}"] = str(getattr(criterion, field))
        data[f"criteria-{index}-id"] = criterion.pk
    data["criteria-0-DELETE"] = "on"

    response = client.post(reverse("review:criteria", args=[admissible.call.slug]), data)

    assert response.status_code == 409
    assert "la grille ne peut plus changer" in text_of(response)
    assert admissible.call.criteria.count() == 2


def test_a_reviewer_removed_from_the_pool_loses_the_assignment(
    client, admissible, reviewers, officer
):
    (assignment,) = services.assign([admissible], reviewers[:1], by=officer)
    admissible.call.programme.staff.filter(user=reviewers[0]).delete()
    client.force_login(reviewers[0])

    assert client.get(reverse("review:assignment", args=[assignment.pk])).status_code == 404


def test_members_of_the_applicant_cannot_review_it(admissible, reviewers, officer):
    from portal.models import Membership

    Membership.objects.create(user=reviewers[0], organisation=admissible.organisation)

    with pytest.raises(TransitionRefused):
        services.assign([admissible], reviewers[:1], by=officer)


def test_no_review_lands_after_the_jury(admissible, reviewers, officer, grid):
    from tests.review.test_jury_and_decision import complete_reviews

    late, *_ = services.assign([admissible], reviewers, by=officer)
    complete_reviews(admissible, reviewers[1:], grid)
    admissible.refresh_from_db()
    services.propose(admissible, by=officer, proposed=True, rationale="Solide")

    with pytest.raises(TransitionRefused) as refused:
        services.accept(late, by=reviewers[0], declaration="")

    assert "clôturée" in str(refused.value)
