"""The reviewer's list puts what awaits them first; review words agree in French (a review
is « remise », counts are singular or plural) and say "application" in English."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from review import services
from review.models import Assignment
from tests.pages import text_of
from tests.review.conftest import admissible_application
from tests.review.test_reviewing import review

pytestmark = pytest.mark.django_db


def references_in_order(page: str, applications) -> list[str]:
    positions = {a.reference: page.index(a.reference) for a in applications}
    return sorted(positions, key=positions.get)


def test_the_reviewer_sees_new_invitations_first(client, call, officer, reviewers, grid):
    reviewer = reviewers[0]
    done, to_score, old_invite, new_invite = (
        admissible_application(call, officer) for _ in range(4)
    )
    for days_ago, application in zip(
        (1, 2, 30, 3), (done, to_score, old_invite, new_invite), strict=True
    ):
        (assignment,) = services.assign([application], [reviewer], by=officer)
        Assignment.objects.filter(pk=assignment.pk).update(
            assigned_at=timezone.now() - dt.timedelta(days=days_ago)
        )
    for application in (done, to_score):
        services.accept(application.assignments.get(), by=reviewer, declaration="")
    review(done.assignments.get(), grid, 8, 7)
    client.force_login(reviewer)

    for url in (reverse("review:assignments_mine"), reverse("portal:dashboard")):
        page = text_of(client.get(url, follow=True))
        assert references_in_order(page, [done, to_score, old_invite, new_invite]) == [
            new_invite.reference,
            old_invite.reference,
            to_score.reference,
            done.reference,
        ], url


def test_a_submitted_review_reads_remise_not_depose(client, admissible, reviewers, officer, grid):
    (assignment,) = services.assign([admissible], reviewers[:1], by=officer)
    services.accept(assignment, by=reviewers[0], declaration="")
    review(assignment, grid, 8, 7)
    client.force_login(reviewers[0])

    page = text_of(client.get(reverse("review:assignments_mine")))

    row = page[page.index(admissible.reference) :]
    assert "Acceptée" in row and "Remise" in row
    assert "Déposé" not in row


def test_an_invited_reviewer_reads_as_an_invitation_on_the_staff_page(
    client, admissible, reviewers, officer
):
    services.assign([admissible], reviewers[:1], by=officer)
    client.force_login(officer)

    page = text_of(client.get(reverse("review:assignments", args=[admissible.call.slug])))

    assert f"{reviewers[0].full_name} — invitation envoyée" in page


def test_open_assignments_are_counted_in_the_singular_and_the_plural(
    client, call, officer, reviewers
):
    first, second = (admissible_application(call, officer) for _ in range(2))
    services.assign([first, second], reviewers[:1], by=officer)
    services.assign([first], reviewers[1:2], by=officer)
    client.force_login(officer)

    page = text_of(client.get(reverse("review:assignments", args=[call.slug])))

    assert f"{reviewers[0].full_name} (2 désignations en cours)" in page
    assert f"{reviewers[1].full_name} (1 désignation en cours)" in page
    assert f"{reviewers[2].full_name} (0 désignation en cours)" in page


def test_review_pages_in_english_say_application_not_dossier(
    client, admissible, reviewers, officer, grid
):
    officer.language = "en"
    officer.save()
    services.assign([admissible], reviewers[:2], by=officer)
    client.force_login(officer)
    client.post(reverse("portal:set_language"), {"language": "en", "next": "/"})
    slug = admissible.call.slug

    pages = [
        client.get(reverse("review:criteria", args=[slug])),
        client.get(reverse("review:assignments", args=[slug])),
        client.get(reverse("review:ranking", args=[slug])),
        client.post(reverse("review:close_jury", args=[slug]), {"members_present": ""}),
    ]

    for response in pages:
        text = text_of(response)
        assert 'lang="en"' in response.content.decode()
        assert not re.search(r"\bdossiers?\b", text, re.I), text
