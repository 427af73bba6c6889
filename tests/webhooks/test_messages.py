"""The paused endpoint's message (``webhooks.messages``) renders from a dossier in every
language, and officers find it among the programme's messages to reword."""

import pytest
from django.conf import settings
from django.urls import reverse

from portal import messages
from tests.factories import ApplicationFactory, UserFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db
KEY = "webhooks/emails/paused"


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_the_paused_message_renders_in_every_language(call, language):
    context = {
        "user": UserFactory(full_name="Anne Dubois"),
        **messages.get(KEY).example(ApplicationFactory(call=call)),
    }

    subject, body = messages.render(KEY, context, language)

    assert "https://example.org/guichet-events" in subject
    assert "Anne Dubois" in body and call.programme.name in body
    assert "{{" not in subject + body


def test_officers_reword_it_with_the_programmes_messages(client, programme, officer):
    client.force_login(officer)

    page = client.get(reverse("applications:message", args=[programme.slug, KEY]))

    assert page.status_code == 200
    assert "Un point de réception webhook est suspendu" in text_of(page)
    assert "Point de réception webhook suspendu" in page.content.decode()
