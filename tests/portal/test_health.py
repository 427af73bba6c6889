from unittest import mock

import pytest
from django.db.utils import OperationalError


@pytest.mark.django_db
def test_health_answers_200_when_the_database_answers(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_health_answers_503_when_the_database_does_not(client):
    with mock.patch("portal.views.pages.connection.cursor", side_effect=OperationalError):
        response = client.get("/health/")

    assert response.status_code == 503
