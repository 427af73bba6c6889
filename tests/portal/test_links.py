"""Links in emails follow the served host on a development machine, SITE_URL in production."""

import re
import subprocess
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from portal.links import absolute_url, site_url

pytestmark = pytest.mark.django_db

SIGN_UP = {
    "full_name": "Amélie Dupont",
    "email": "amelie.dupont@example.be",
    "password1": "un-mot-de-passe-solide",
    "password2": "un-mot-de-passe-solide",
}


def links_in(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def test_on_a_development_server_the_confirmation_link_follows_the_served_port(client, settings):
    settings.DEBUG = True
    client.post(reverse("portal:sign_up"), SIGN_UP, HTTP_HOST="127.0.0.1:8790")

    (link,) = links_in(mail.outbox[0])
    assert link.startswith("http://127.0.0.1:8790/accounts/")
    # …and the link works on that server.
    assert client.get(link.removeprefix("http://127.0.0.1:8790")).status_code == 200


def test_an_invitation_sent_from_a_development_server_links_back_to_it(
    client, settings, organisation, applicant
):
    settings.DEBUG = True
    client.force_login(applicant)
    client.post(
        reverse("portal:organisation_invite", args=[organisation.pk]),
        {"email": "collegue@example.be"},
        HTTP_HOST="localhost:8790",
    )

    assert links_in(mail.outbox[0])[0].startswith("http://localhost:8790/")


def test_in_production_links_start_with_site_url_whatever_the_host_header(client, settings):
    settings.SITE_URL = "https://guichet.example.be"
    client.post(reverse("portal:sign_up"), SIGN_UP, HTTP_HOST="localhost:8790")

    (link,) = links_in(mail.outbox[0])
    assert link.startswith("https://guichet.example.be/accounts/")


def test_outside_a_request_links_start_with_site_url(settings):
    settings.DEBUG = True
    settings.SITE_URL = "http://127.0.0.1:8790"

    assert site_url() == "http://127.0.0.1:8790"
    assert absolute_url("/labels/") == "http://127.0.0.1:8790/labels/"


def test_make_run_tells_the_portal_the_address_it_serves():
    makefile = Path(__file__).resolve().parents[2] / "Makefile"
    dry_run = subprocess.run(
        ["make", "-n", "-f", str(makefile), "run", "PORT=8790", "BIN=.venv/bin"],
        capture_output=True,
        text=True,
        check=True,
        cwd=makefile.parent,
    ).stdout

    assert "SITE_URL=http://127.0.0.1:8790" in dry_run
    assert "runserver 127.0.0.1:8790" in dry_run
