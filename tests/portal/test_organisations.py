import re

import pytest
from django.core import mail
from django.urls import reverse

from portal.models import Invitation, Membership, Organisation
from tests.factories import MembershipFactory, UserFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db

FORM = {
    "legal_name": "Espace Créatif de Liège ASBL",
    "trade_name": "L'Atelier",
    "legal_form": "ASBL",
    "enterprise_number": "BE 0566.988.259",
    "street": "Quai de la Batte 10",
    "postcode": "4000",
    "municipality": "Liège",
    "website": "https://atelier.example.be",
    "phone": "+32 4 000 00 00",
    "contact_email": "info@atelier.example.be",
}


def test_a_founder_registers_an_organisation_and_owns_it(client):
    founder = UserFactory()
    client.force_login(founder)

    response = client.post(reverse("portal:organisation_create"), FORM)

    organisation = Organisation.objects.get()
    assert response.url == organisation.get_absolute_url()
    assert organisation.enterprise_number == "0566988259"
    assert organisation.province == "LIE"
    assert organisation.memberships.get().user == founder
    assert organisation.memberships.get().role == Membership.Role.OWNER


def test_an_invalid_enterprise_number_is_refused_with_a_clear_error(client):
    client.force_login(UserFactory())

    response = client.post(
        reverse("portal:organisation_create"), {**FORM, "enterprise_number": "0566.988.258"}
    )

    assert response.status_code == 200
    assert "chiffres de contrôle" in text_of(response)
    assert not Organisation.objects.exists()


def test_a_foreign_postcode_is_refused(client):
    client.force_login(UserFactory())

    response = client.post(reverse("portal:organisation_create"), {**FORM, "postcode": "0999"})

    assert "code postal belge" in text_of(response)
    assert not Organisation.objects.exists()


def test_an_enterprise_number_registered_twice_points_to_an_invitation(client, organisation):
    client.force_login(UserFactory())

    response = client.post(
        reverse("portal:organisation_create"),
        {**FORM, "enterprise_number": organisation.enterprise_number},
    )

    assert "Demandez à l'un de ses membres de vous inviter" in text_of(response)


def test_members_see_their_organisation_and_strangers_get_404(
    client, organisation, applicant, other_applicant
):
    client.force_login(applicant)
    assert client.get(organisation.get_absolute_url()).status_code == 200

    client.force_login(other_applicant)
    for name in ["organisation_detail", "organisation_edit", "organisation_invite"]:
        url = reverse(f"portal:{name}", args=[organisation.pk])
        assert client.get(url).status_code == 404, name
        # The read-only page refuses any POST (405) whoever asks, so that leaks nothing.
        expected = 405 if name == "organisation_detail" else 404
        assert client.post(url, FORM).status_code == expected, name
    membership = organisation.memberships.get(user=applicant)
    remove = reverse("portal:membership_remove", args=[organisation.pk, membership.pk])
    assert client.post(remove).status_code == 404
    assert organisation.memberships.filter(pk=membership.pk).exists()
    assert client.get(reverse("portal:organisation_detail", args=[999999])).status_code == 404


def test_the_list_shows_only_my_organisations(client, organisation, applicant, other_applicant):
    client.force_login(applicant)

    html = text_of(client.get(reverse("portal:organisation_list")))

    assert str(organisation) in html
    assert str(other_applicant.organisations.get()) not in html


def test_a_member_edits_the_details(client, organisation, colleague):
    client.force_login(colleague)

    client.post(
        reverse("portal:organisation_edit", args=[organisation.pk]),
        {
            **FORM,
            "enterprise_number": organisation.enterprise_number,
            "postcode": "6700",
            "municipality": "Arlon",
        },
    )

    organisation.refresh_from_db()
    assert organisation.legal_name == FORM["legal_name"]
    assert organisation.province == "LUX"


def test_only_owners_invite(client, organisation, colleague):
    client.force_login(colleague)

    response = client.get(reverse("portal:organisation_invite", args=[organisation.pk]))

    assert response.status_code == 404


def test_an_owner_invites_a_colleague_who_joins_once_signed_in(client, organisation, applicant):
    client.force_login(applicant)
    client.post(
        reverse("portal:organisation_invite", args=[organisation.pk]),
        {"email": "Nouvelle.Collegue@Example.be"},
    )
    assert mail.outbox[0].to == ["nouvelle.collegue@example.be"]
    link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)

    newcomer = UserFactory(email="nouvelle.collegue@example.be")
    client.force_login(newcomer)
    dashboard = client.get(reverse("portal:role_dashboard", args=["applicant"]))
    assert link in dashboard.content.decode()
    response = client.post(link)

    assert response.url == organisation.get_absolute_url()
    assert organisation.memberships.get(user=newcomer).role == Membership.Role.MEMBER
    assert Invitation.objects.get().accepted_by == newcomer


def test_an_invitation_cannot_be_used_by_another_address(client, organisation, applicant):
    client.force_login(applicant)
    client.post(
        reverse("portal:organisation_invite", args=[organisation.pk]), {"email": "a@example.be"}
    )
    invitation = Invitation.objects.get()
    intruder = UserFactory(email="b@example.be")
    client.force_login(intruder)

    response = client.post(invitation.get_absolute_url())

    assert response.status_code == 400
    assert not organisation.memberships.filter(user=intruder).exists()


def test_inviting_a_member_twice_is_refused(client, organisation, applicant, colleague):
    client.force_login(applicant)

    response = client.post(
        reverse("portal:organisation_invite", args=[organisation.pk]), {"email": colleague.email}
    )

    assert "déjà membre" in text_of(response)
    assert not Invitation.objects.exists()


def test_the_last_owner_cannot_be_removed(client, organisation, applicant, colleague):
    second_owner = MembershipFactory(organisation=organisation, role="owner")
    client.force_login(applicant)

    client.post(
        reverse("portal:membership_remove", args=[organisation.pk, colleague.memberships.get().pk])
    )
    client.post(reverse("portal:membership_remove", args=[organisation.pk, second_owner.pk]))
    own = applicant.memberships.get()
    response = client.post(
        reverse("portal:membership_remove", args=[organisation.pk, own.pk]), follow=True
    )

    assert list(organisation.memberships.values_list("user", flat=True)) == [applicant.pk]
    assert "au moins un responsable" in text_of(response)


def test_an_owner_makes_a_colleague_a_manager_and_back(client, organisation, applicant, colleague):
    client.force_login(applicant)
    membership = colleague.memberships.get()
    url = reverse("portal:membership_role", args=[organisation.pk, membership.pk])

    client.post(url, {"role": "owner"})
    membership.refresh_from_db()
    assert membership.role == Membership.Role.OWNER
    client.force_login(colleague)
    assert (
        client.get(reverse("portal:organisation_invite", args=[organisation.pk])).status_code == 200
    )

    client.post(url, {"role": "member"})
    membership.refresh_from_db()
    assert membership.role == Membership.Role.MEMBER


def test_the_last_manager_cannot_step_down(client, organisation, applicant):
    client.force_login(applicant)
    own = applicant.memberships.get()

    response = client.post(
        reverse("portal:membership_role", args=[organisation.pk, own.pk]),
        {"role": "member"},
        follow=True,
    )

    own.refresh_from_db()
    assert own.role == Membership.Role.OWNER
    assert "au moins un responsable" in text_of(response)


def test_members_cannot_change_roles(client, organisation, applicant, colleague):
    client.force_login(colleague)
    url = reverse("portal:membership_role", args=[organisation.pk, colleague.memberships.get().pk])

    assert client.post(url, {"role": "owner"}).status_code == 404


def test_a_number_that_the_register_never_issued_is_refused(client):
    client.force_login(UserFactory())

    response = client.post(
        reverse("portal:organisation_create"), {**FORM, "enterprise_number": "0000.000.097"}
    )

    assert "Le registre n'a jamais attribué ce numéro d'entreprise" in text_of(response)
    assert not Organisation.objects.exists()


def test_a_nine_digit_number_is_shown_with_its_zero_before_it_is_saved(client):
    client.force_login(UserFactory())
    url = reverse("portal:organisation_create")

    response = client.post(url, {**FORM, "enterprise_number": "566988259"})

    assert not Organisation.objects.exists()
    assert "nous avons ajouté le 0 initial et lu 0566.988.259" in text_of(response)
    assert 'value="0566.988.259"' in response.content.decode()

    client.post(url, {**FORM, "enterprise_number": "0566.988.259"})

    assert Organisation.objects.get().enterprise_number == "0566988259"


def test_a_postcode_that_does_not_exist_is_refused(client):
    client.force_login(UserFactory())

    response = client.post(reverse("portal:organisation_create"), {**FORM, "postcode": "9999"})

    assert "Le code postal 9999 n'existe pas en Belgique" in text_of(response)
    assert not Organisation.objects.exists()


def test_the_municipality_must_be_served_by_the_postcode_and_is_offered(client):
    client.force_login(UserFactory())

    response = client.post(reverse("portal:organisation_create"), {**FORM, "municipality": "Namur"})

    assert not Organisation.objects.exists()
    assert (
        "« Namur » n'est pas desservie par le code postal 4000, qui dessert Glain, Liège ou "
        "Rocourt." in text_of(response)
    )
    page = response.content.decode()
    assert 'list="id_municipality-localities"' in page
    assert '<option value="Rocourt">' in page


def test_the_municipality_is_stored_as_the_post_office_writes_it(client):
    client.force_login(UserFactory())

    client.post(reverse("portal:organisation_create"), {**FORM, "municipality": "liege"})

    assert Organisation.objects.get().municipality == "Liège"


def test_a_postcode_serving_one_locality_fills_in_the_municipality(client):
    client.force_login(UserFactory())

    client.post(
        reverse("portal:organisation_create"),
        {**FORM, "postcode": "1050", "municipality": ""},
    )

    assert Organisation.objects.get().municipality == "Ixelles"


def test_an_empty_municipality_for_a_postcode_with_several_localities_asks_to_choose(client):
    client.force_login(UserFactory())

    response = client.post(reverse("portal:organisation_create"), {**FORM, "municipality": ""})

    assert "Le code postal 4000 dessert Glain, Liège ou Rocourt : choisissez-en une." in (
        text_of(response)
    )
    assert not Organisation.objects.exists()
