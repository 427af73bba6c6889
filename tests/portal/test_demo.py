import pytest
from django.core.management import call_command
from django.urls import reverse

from portal.models import Membership, Organisation, User
from portal.roles import Role, roles_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_storage_for_demo(private_storage):
    """The demo's documents, receipts and letters go to a folder of the test's own."""


EXPECTED_ROLES = {
    "admin@demo.guichet.be": Role.ADMIN,
    "agent@demo.guichet.be": Role.OFFICER,
    "agent.rural@demo.guichet.be": Role.OFFICER,
    "expert@demo.guichet.be": Role.REVIEWER,
    "expert2@demo.guichet.be": Role.REVIEWER,
    "expert3@demo.guichet.be": Role.REVIEWER,
    "ministere@demo.guichet.be": Role.MINISTRY,
    "candidat@demo.guichet.be": Role.APPLICANT,
    "candidat2@demo.guichet.be": Role.APPLICANT,
}


def snapshot():
    return (
        list(User.objects.values_list("email", "password", "full_name").order_by("email")),
        list(Organisation.objects.values().order_by("pk")),
        list(Membership.objects.values_list("user__email", "organisation_id", "role")),
    )


def test_the_demo_command_is_idempotent(capsys):
    call_command("demo")
    first = snapshot()
    call_command("demo")

    assert snapshot() == first
    assert "guichet-demo-2026" in capsys.readouterr().out


def test_every_demo_account_signs_in_on_its_dashboard(client):
    call_command("demo", quiet=True)

    for email, role in EXPECTED_ROLES.items():
        client.logout()
        response = client.post(
            reverse("portal:login"),
            {"username": email, "password": "guichet-demo-2026"},
            follow=True,
        )
        assert response.redirect_chain[-1][0] == f"/dashboard/{role.value}/", email
        assert roles_of(User.objects.get(email=email))[0] == role


def test_the_two_founders_own_different_organisations():
    call_command("demo", quiet=True)

    first = Organisation.objects.of_member(User.objects.get(email="candidat@demo.guichet.be"))
    second = Organisation.objects.of_member(User.objects.get(email="candidat2@demo.guichet.be"))
    assert first.count() == second.count() == 1
    assert first.get() != second.get()


@pytest.mark.django_db(transaction=True)
def test_the_demo_tells_the_2011_story(reference_data):
    """Transactional: the grant hook issues labels after each commit, as in production."""
    from django.db.models import Sum

    from applications.models import Application
    from labels.models import Label
    from review.models import Decision

    call_command("demo", quiet=True)

    states = Application.objects.filter(reference__startswith="CW-2011").values_list(
        "state", flat=True
    )
    assert sorted(set(states)) == ["granted", "refused"]
    assert Label.objects.get(number="CW-LBL-2012-001").superseded_by.number == "CW-LBL-2015-001"
    assert list(states).count("granted") == 8
    granted_2011 = Decision.objects.filter(application__reference__startswith="CW-2011")
    assert granted_2011.aggregate(total=Sum("amount"))["total"] == 600000
    labels_2011 = Label.objects.filter(application__reference__startswith="CW-2011")
    assert set(labels_2011.values_list("state", flat=True)) == {
        "active",
        "suspended",
        "revoked",
        "expired",
        "renewed",
    }
