"""The accessibility statement: public, linked from every page's footer, in French and English,
with its conformance status, exceptions, date and appeal route; its complaint form reaches
the administrators, and no more than a few times an hour from one connection."""

import pytest
from django.core import mail
from django.urls import reverse

from portal.models import Notification
from tests.factories import UserFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db

URL = reverse("portal:accessibility")
COMPLAINT = {
    "name": "Marie Lambert",
    "email": "marie.lambert@example.be",
    "page": "http://testserver/calls/",
    "description": "Le lecteur d'écran ne lit pas le bouton de dépôt.",
}


@pytest.mark.parametrize("path", ["/", reverse("portal:privacy"), reverse("portal:login")])
def test_every_page_links_to_the_statement_from_its_footer(client, path):
    page = client.get(path).content.decode()

    footer = page[page.index('<footer class="site-footer">') :]
    assert f'href="{URL}"' in footer
    assert "Déclaration d’accessibilité" in footer  # noqa: RUF001


def test_the_statement_says_its_status_exceptions_date_and_appeal_route(client):
    text = text_of(client.get(URL))

    assert "partiellement conforme" in text
    assert "Contenus non accessibles" in text
    assert "ne sont pas des PDF balisés" in text
    assert "établie le 6 décembre 2026" in text
    assert "Le Médiateur de la Wallonie et de la Fédération Wallonie-Bruxelles" in text
    assert "Rue Lucien Namèche 54" in text and "5000 Namur" in text


def test_the_statement_reads_in_english(client):
    client.cookies["guichet_language"] = "en"

    text = text_of(client.get(URL))

    assert "Accessibility statement" in text
    assert "partially conformant" in text
    assert "drawn up on 6 December 2026" in text


def test_a_complaint_reaches_every_administrator_in_their_language(client):
    french = UserFactory(is_superuser=True, is_staff=True)
    english = UserFactory(is_superuser=True, is_staff=True, language="en")
    UserFactory(is_superuser=True, is_staff=True, is_active=False)
    UserFactory(roles=["officer"])

    response = client.post(URL, COMPLAINT, follow=True)

    assert response.redirect_chain == [(URL, 302)]
    assert "votre message a été envoyé aux administrateurs" in text_of(response)
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {french.email, english.email}
    french_subject = "Signalement d’accessibilité de Marie Lambert"  # noqa: RUF001
    assert by_recipient[french.email].subject == french_subject
    assert by_recipient[english.email].subject == "Accessibility report from Marie Lambert"
    body = by_recipient[english.email].body
    assert "marie.lambert@example.be" in body
    assert "http://testserver/calls/" in body
    assert "ne lit pas le bouton" in body
    assert f"http://testserver{URL}" in body
    # In their inbox on the portal too.
    assert Notification.objects.filter(recipient=french).count() == 1


def test_without_administrators_the_complaint_goes_to_the_admins_setting(client, settings):
    settings.ADMINS = [("Guichet", "webmaster@example.be")]

    client.post(URL, COMPLAINT)

    assert [message.to for message in mail.outbox] == [["webmaster@example.be"]]


def test_an_incomplete_complaint_is_shown_again_with_its_errors(client):
    UserFactory(is_superuser=True, is_staff=True)

    response = client.post(URL, {"name": "", "email": "pas-une-adresse", "description": ""})

    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"name", "email", "description"}
    assert mail.outbox == []


def test_a_signed_in_person_finds_their_name_address_and_the_page_they_came_from(client):
    person = UserFactory(full_name="Marie Lambert")
    client.force_login(person)

    form = client.get(URL, headers={"referer": "http://testserver/dashboard/"}).context["form"]

    assert form.initial == {
        "name": "Marie Lambert",
        "email": person.email,
        "page": "http://testserver/dashboard/",
    }
    elsewhere = client.get(URL, headers={"referer": "https://elsewhere.example/"})
    assert "page" not in elsewhere.context["form"].initial


def test_a_connection_sends_a_few_complaints_an_hour(client):
    UserFactory(is_superuser=True, is_staff=True)

    answers = [client.post(URL, COMPLAINT).status_code for _ in range(6)]

    assert answers == [302] * 5 + [429]
    assert len(mail.outbox) == 5
