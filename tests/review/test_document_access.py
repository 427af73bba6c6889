"""Who may read a dossier's supporting documents: one rule, ``applications.view_documents``,
and both download links (the dossier's, the reviewer's) answer exactly as it says, for every
role and every state of a reviewer's assignment. Anyone else gets a 404."""

import pytest
import rules
from django.urls import reverse

from applications.models import Application
from review import services
from review.models import Assignment
from tests.applications.conftest import other_officer  # noqa: F401 - a fixture
from tests.factories import MembershipFactory, UserFactory, complete
from tests.review.test_reviewing import review

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(admissible, reviewers, officer, ministry, other_officer, admin_user, grid):  # noqa: F811
    """Everyone who might ask for a document of ``admissible``, by the name a reader knows."""
    invited, accepted, submitted, declined, conflicted, removed = [
        UserFactory(roles=["reviewer"], full_name=f"Expert {n}") for n in range(6)
    ]
    pool = [invited, accepted, submitted, declined, conflicted, removed]
    for person in pool:
        admissible.call.programme.staff.create(user=person, role="reviewer")
    assignments = dict(zip(pool, services.assign([admissible], pool, by=officer), strict=True))
    for person in (accepted, submitted, removed):
        services.accept(assignments[person], by=person, declaration="")
    review(assignments[submitted], grid, "8", "7")
    services.decline(assignments[declined], by=declined, reason="Pas le temps")
    services.declare_conflict(assignments[conflicted], by=conflicted, reason="Je les conseille")
    # Removed from the programme's reviewer pool after accepting: loses the dossier.
    admissible.call.programme.staff.filter(user=removed, role="reviewer").delete()
    admissible.refresh_from_db()
    member = admissible.organisation.memberships.get().user
    # Fresh from the database: the rules cache a person's programme roles on the object.
    fresh = {user.pk: type(user).objects.get(pk=user.pk) for user in (*pool, member)}
    invited, accepted, submitted, declined, conflicted, removed, member = (
        fresh[user.pk] for user in (*pool, member)
    )
    return {
        "member of the organisation": (member, None),
        "member of another organisation": (MembershipFactory().user, None),
        "reviewer invited, not yet answered": (invited, assignments[invited]),
        "reviewer who accepted": (accepted, assignments[accepted]),
        "reviewer whose review is submitted": (submitted, assignments[submitted]),
        "reviewer who declined": (declined, assignments[declined]),
        "reviewer in conflict": (conflicted, assignments[conflicted]),
        "reviewer removed from the pool": (removed, assignments[removed]),
        "reviewer of the pool, not assigned": (reviewers[0], None),
        "officer of the programme": (officer, None),
        "officer of another programme": (other_officer, None),
        "ministry": (ministry, None),
        "administrator": (admin_user, None),
        "stranger": (UserFactory(), None),
    }


EXPECTED_READERS = {
    "member of the organisation",
    "reviewer who accepted",
    "reviewer whose review is submitted",
    "officer of the programme",
    "ministry",
    "administrator",
}


def status_of(client, user, url) -> int:
    client.force_login(user)
    response = client.get(url)
    client.logout()
    return response.status_code


def test_the_rule_names_the_readers_of_a_dossiers_documents(admissible, people):
    readers = {
        name
        for name, (user, _assignment) in people.items()
        if rules.has_perm("applications.view_documents", user, admissible)
    }
    assert readers == EXPECTED_READERS


def test_every_download_link_answers_as_the_rule_says(client, admissible, people):
    assert admissible.state == Application.State.IN_REVIEW
    document = admissible.documents.first()
    for name, (user, assignment) in people.items():
        allowed = rules.has_perm("applications.view_documents", user, admissible)
        expected = 200 if allowed else 404
        assert status_of(client, user, document.get_absolute_url()) == expected, name
        if assignment is not None:
            url = reverse("review:document", args=[assignment.pk, document.pk])
            assert status_of(client, user, url) == expected, name


def test_the_reviewers_link_names_their_own_assignment_only(client, admissible, people):
    """Another reader of the dossier (the officer, a fellow reviewer) does not get it
    through a reviewer's link: the link is that reviewer's, and answers 404."""
    document = admissible.documents.first()
    _reviewer, assignment = people["reviewer who accepted"]
    url = reverse("review:document", args=[assignment.pk, document.pk])
    for name in ("officer of the programme", "reviewer whose review is submitted", "stranger"):
        assert status_of(client, people[name][0], url) == 404, name


def test_staff_never_read_the_documents_of_a_draft(client, draft, officer, ministry, applicant):
    complete(draft)
    document = draft.documents.first()
    assert status_of(client, applicant, document.get_absolute_url()) == 200
    for user in (officer, ministry):
        assert not rules.has_perm("applications.view_documents", user, draft)
        assert status_of(client, user, document.get_absolute_url()) == 404


def test_a_document_of_another_dossier_is_not_served_through_this_one(
    client, admissible, call, officer, people
):
    from tests.review.conftest import admissible_application

    other = admissible_application(call, officer)
    foreign = other.documents.first()
    member, _ = people["member of the organisation"]
    url = reverse("applications:document", args=[admissible.pk, foreign.pk])
    assert status_of(client, member, url) == 404
    _reviewer, assignment = people["reviewer who accepted"]
    url = reverse("review:document", args=[assignment.pk, foreign.pk])
    assert status_of(client, assignment.reviewer, url) == 404
    assert Assignment.objects.filter(application=other).count() == 0
