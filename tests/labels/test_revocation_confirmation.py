"""Revoking a label is final: the officer first reads what cannot be undone."""

import pytest
from django.urls import reverse

from labels.models import Label
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def test_revoking_asks_for_confirmation_and_says_it_is_final(client, label, officer):
    client.force_login(officer)
    url = reverse("labels:staff_detail", args=[label.number])
    data = {"action": "revoke", "revoke-reason": "Fermeture de l'espace"}

    response = client.post(url, data)

    label.refresh_from_db()
    assert label.state == Label.State.ACTIVE
    assert response.status_code == 200
    assert "Cette action est irréversible." in text_of(response)
    content = response.content.decode()
    assert 'name="action" value="revoke"' in content and 'name="confirm" value="1"' in content

    client.post(url, {**data, "confirm": "1"})

    label.refresh_from_db()
    assert label.state == Label.State.REVOKED


def test_a_revocation_without_reason_shows_the_error_on_its_confirmation_page(
    client, label, officer
):
    client.force_login(officer)
    url = reverse("labels:staff_detail", args=[label.number])

    response = client.post(url, {"action": "revoke", "revoke-reason": ""})

    assert response.status_code == 400
    assert "Cette action est irréversible." in text_of(response)
    content = response.content.decode()
    assert 'class="error-summary"' in content and 'href="#id_revoke-reason"' in content
    label.refresh_from_db()
    assert label.state == Label.State.ACTIVE


def test_a_revocation_refused_when_confirmed_says_why_on_the_same_page(client, label, officer):
    client.force_login(officer)
    url = reverse("labels:staff_detail", args=[label.number])
    data = {"action": "revoke", "revoke-reason": "Fermeture de l'espace", "confirm": "1"}
    client.post(url, data)  # revoked by someone else, in another window

    response = client.post(url, data)

    assert response.status_code == 400
    page = text_of(response)
    assert "Cette action n'est plus possible" in page and "Cette action est irréversible." in page
