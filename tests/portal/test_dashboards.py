import datetime as dt

import pytest
from django.urls import reverse

from applications.models import Application
from labels import services as label_services
from labels.models import Label
from portal.models import Invitation
from tests.factories import (
    PASSWORD,
    ApplicationFactory,
    CallFactory,
    MembershipFactory,
    OrganisationFactory,
)
from tests.pages import text_of
from tests.queries import assert_same_count, queries_of
from tests.reporting.conftest import make_report

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


def my_dossier(applicant, organisation, call, state):
    """A dossier of ``organisation`` in ``state`` (a granted one with its label and reports
    to file) and an invitation of ``applicant`` to yet another organisation."""
    application = ApplicationFactory(call=call, organisation=organisation, state=state)
    if state != Application.State.DRAFT:
        application.reference = f"CW-2026-{application.pk:04d}"
        application.save()
    if state == Application.State.GRANTED:
        label = label_services.issue_label(application)
        for quarter in (dt.date(2026, 1, 1), dt.date(2026, 4, 1)):
            make_report(label, quarter)
    Invitation.objects.create(organisation=OrganisationFactory(), email=applicant.email)
    return application


def test_the_applicant_dashboard_runs_the_same_queries_however_much_the_applicant_has(
    client, applicant, organisation
):
    client.force_login(applicant)
    url = reverse("portal:role_dashboard", args=["applicant"])
    call = CallFactory()
    my_dossier(applicant, organisation, call, Application.State.GRANTED)
    few = queries_of(client, url)
    # Five more organisations; dossiers in every state over three calls; labels, reports
    # to file and invitations: each is a row of the page, none a query.
    calls = [call, CallFactory(programme=call.programme), CallFactory(programme=call.programme)]
    organisations = [MembershipFactory(user=applicant).organisation for _ in range(5)]
    for index, state in enumerate(Application.State.values * 2):
        my_dossier(applicant, organisations[index % 5], calls[index % 3], state)
    many = queries_of(client, url)
    assert_same_count(few, many, ceiling=13)
    page = text_of(client.get(url))
    assert all(str(o) in page for o in organisations)
    assert Label.objects.count() == 3
    assert all(label.number in page for label in Label.objects.all())
    assert page.count("voir l'invitation") == Invitation.objects.count() == 27


def test_the_admin_dashboard_counts_accounts_by_staff_role(client, admin_user, reviewer, officer):
    client.force_login(admin_user)

    page = text_of(client.get(reverse("portal:role_dashboard", args=["admin"])))

    assert "Gestionnaire de programme 1" in page
    assert "Expert 1" in page
