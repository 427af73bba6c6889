"""The localities of a postcode as JSON, for the script that fills the municipality list."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_anyone_gets_the_localities_of_a_postcode_cached_for_a_day(client):
    response = client.get(reverse("portal:postcode_localities", args=["4000"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"postcode": "4000", "localities": ["Glain", "Liège", "Rocourt"]}
    assert "public" in response["Cache-Control"]
    assert "max-age=86400" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["0999", "9999", "abcd", "40000"])
def test_an_unknown_postcode_is_a_404(client, code):
    response = client.get(reverse("portal:postcode_localities", args=[code]))

    assert response.status_code == 404


@pytest.mark.django_db
def test_the_list_is_read_only(client):
    response = client.post(reverse("portal:postcode_localities", args=["4000"]))

    assert response.status_code == 405


@pytest.mark.django_db
def test_the_forms_with_a_municipality_load_the_script(client, applicant):
    client.force_login(applicant)

    page = client.get(reverse("portal:organisation_create")).content.decode()

    assert "portal/postcodes.js" in page
    assert 'data-localities-url="/postcodes/0000/localities.json"' in page
