import pytest
from django.urls import reverse

from tests.factories import PASSWORD, MembershipFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("person", "role", "heading"),
    [
        ("applicant", "applicant", "Bienvenue"),
        ("reviewer", "reviewer", "Tableau de bord de l'expert"),
        ("officer", "officer", "Tableau de bord du gestionnaire de programme"),
        ("ministry", "ministry", "Tableau de bord du cabinet"),
        ("admin_user", "admin", "Tableau de bord de l'administrateur"),
    ],
)
def test_each_role_lands_on_its_own_dashboard_after_signing_in(
    client, request, person, role, heading
):
    user = request.getfixturevalue(person)

    response = client.post(
        reverse("portal:login"), {"username": user.email, "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("portal:role_dashboard", args=[role])
    assert heading in text_of(response)


def test_a_role_not_held_is_a_404(client, applicant):
    client.force_login(applicant)

    assert client.get(reverse("portal:role_dashboard", args=["officer"])).status_code == 404
    assert client.get(reverse("portal:role_dashboard", args=["nonsense"])).status_code == 404


def test_the_applicant_dashboard_lists_my_organisations(client, applicant, organisation):
    client.force_login(applicant)

    html = text_of(client.get(reverse("portal:role_dashboard", args=["applicant"])))

    assert str(organisation) in html
    assert "Liège" in html


def test_the_applicant_dashboard_runs_the_same_queries_for_one_or_many_organisations(
    client, applicant, django_assert_max_num_queries
):
    client.force_login(applicant)
    url = reverse("portal:role_dashboard", args=["applicant"])
    client.get(url)
    with django_assert_max_num_queries(11) as few:
        client.get(url)
    for _ in range(10):
        MembershipFactory(user=applicant)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_admin_dashboard_counts_accounts_by_staff_role(client, admin_user, reviewer, officer):
    client.force_login(admin_user)

    page = text_of(client.get(reverse("portal:role_dashboard", args=["admin"])))

    assert "Gestionnaire de programme 1" in page
    assert "Expert 1" in page
