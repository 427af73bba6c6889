import pytest
from django.urls import reverse

from tests.pages import text_of

pytestmark = pytest.mark.django_db


def test_the_admin_is_named_guichet_in_french(client, admin_user):
    client.force_login(admin_user)

    text = text_of(client.get(reverse("admin:index")))

    assert "Administration de Guichet" in text
    assert "administration de django" not in text.lower()


def test_the_admins_import_and_export_buttons_are_in_french(client, admin_user):
    """The portal's own "Export" (a file being prepared) no longer hides
    django-import-export's French "Exporter"."""
    client.force_login(admin_user)

    text = text_of(client.get(reverse("admin:portal_organisation_changelist")))

    assert "Exporter" in text
    assert "Importer" in text


def test_the_favicon_is_served_at_the_address_browsers_ask(client):
    response = client.get("/favicon.ico", follow=True)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.redirect_chain[0][0].endswith("/portal/favicon.svg")
