import pytest
from django.urls import reverse

from applications.demo import ensure_programmes
from applications.models import Programme
from portal.demo import read_fixture
from tests.factories import ProgrammeFactory, UserFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def test_an_officer_sets_who_signs_the_letters_and_on_which_legal_basis(client, officer, programme):
    client.force_login(officer)
    edit = reverse("applications:staff_programme_edit", args=[programme.slug])
    page = text_of(client.get(edit))
    assert "signatory's name" in page.lower() or "signataire" in page.lower()

    response = client.post(
        edit,
        {
            "name_fr": programme.name,
            "slug": programme.slug,
            "reference_prefix": programme.reference_prefix,
            "managing_agency": programme.managing_agency,
            "funding_body": programme.funding_body,
            "label_name_fr": programme.label_name,
            "signatory_name": "Anne Lambotte",
            "signatory_function": "Administratrice générale",
            "letter_place": "Namur",
            "legal_basis_fr": "Décision du Gouvernement wallon du 29 octobre 2010.",
            "redress_body_fr": "AWT, avenue Prince de Liège 133, 5100 Namur",
        },
    )

    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.signatory_name == "Anne Lambotte"
    assert programme.signatory_function == "Administratrice générale"
    assert programme.letter_place == "Namur"
    assert programme.legal_basis == "Décision du Gouvernement wallon du 29 octobre 2010."
    assert programme.redress_body == "AWT, avenue Prince de Liège 133, 5100 Namur"


def test_the_demo_programmes_name_their_signatory_and_legal_basis():
    for email in {
        g["email"] for p in read_fixture("programmes.toml")["programme"] for g in p["staff"]
    }:
        UserFactory(email=email)
    # A programme loaded before the fields existed is filled on the next run.
    ProgrammeFactory(slug="coworking-milieu-rural")

    ensure_programmes(read_fixture("programmes.toml"))

    for programme in Programme.objects.all():
        assert programme.signatory_name and programme.signatory_function, programme
        assert programme.letter_place == "Namur", programme
        assert "motivation formelle" in programme.legal_basis, programme
        assert "@demo.guichet.be" in programme.redress_body, programme
