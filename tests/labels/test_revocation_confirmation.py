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
