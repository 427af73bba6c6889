"""The labels app's messages (``labels.messages``): each renders from a dossier, with or
without its label, in every language; each change of a label's state is a message of its
own, emailed whatever the person chose."""

import re

import pytest
from django.conf import settings

from applications import wordings
from labels import messages as labels_messages
from labels import services
from portal import messages, notifications
from portal.models import Notification
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db

KEYS = [message.key for message in labels_messages.MESSAGES]
LANGUAGES = [code for code, _name in settings.LANGUAGES]


def example_context(key, application):
    return {"user": UserFactory(full_name="Anne Dubois"), **messages.get(key).example(application)}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("key", KEYS)
def test_each_message_renders_from_a_dossier_with_or_without_its_label(key, language, call, label):
    for application in (label.application, ApplicationFactory(call=call)):
        subject, body = messages.render(key, example_context(key, application), language)
        assert subject and "{{" not in subject and "{{" not in body
        assert "Anne Dubois" in body


@pytest.mark.parametrize("key", KEYS)
def test_every_placeholder_has_a_value_and_the_default_texts_hold_the_required_ones(key, label):
    message = messages.get(key)
    values = messages.values_of(message, example_context(key, label.application))
    assert message.names <= set(values)
    for language in LANGUAGES:
        subject, body = messages.default_wording(key, language)
        found = messages.used(subject) | messages.used(body)
        assert set(message.required) <= found <= message.names


def test_officers_and_holders_each_read_their_own_issuance_message(label, holder, officer):
    kinds = Notification.objects.filter(kind__startswith="labels/emails/issued")
    assert kinds.get(recipient=holder).kind == "labels/emails/issued"
    assert kinds.get(recipient=officer).kind == "labels/emails/issued_staff"


def test_each_change_of_state_is_a_message_of_its_own_emailed_whatever_the_choice(
    label, holder, officer
):
    notifications.set_email_opt_out(holder, ["labels"])

    services.suspend(label, by=officer, reason="Contrôle en cours")
    services.reinstate(label, by=officer)
    services.revoke(label, by=officer, reason="Fermeture de l'espace")

    told = Notification.objects.filter(recipient=holder).exclude(kind="labels/emails/issued")
    assert list(told.order_by("pk").values_list("kind", "emailed")) == [
        ("labels/emails/suspended", True),
        ("labels/emails/reinstated", True),
        ("labels/emails/revoked", True),
    ]
    suspended = told.get(kind="labels/emails/suspended")
    assert suspended.subject == f"Label {label.number}\u00a0: suspendu"
    assert "Contrôle en cours" in suspended.body
    assert "retiré" in told.get(kind="labels/emails/revoked").subject


def test_a_programme_rewords_the_suspension_with_its_reason(label, holder, officer):
    message = messages.get("labels/emails/suspended")
    texts = {
        "fr-be": ("Votre label {{ label_number }} est suspendu", "Motif : {{ reason }}"),
        "en": messages.default_wording(message.key, "en"),
    }
    wordings.save(message, label.programme, texts, by=officer)

    services.suspend(label, by=officer, reason="Contrôle en cours")

    told = Notification.objects.get(recipient=holder, kind=message.key)
    assert told.subject == f"Votre label {label.number} est suspendu"
    assert told.body.strip() == "Motif : Contrôle en cours"


@pytest.mark.parametrize("key", KEYS)
def test_the_french_texts_put_a_non_breaking_space_before_double_punctuation(key):
    subject, body = messages.default_wording(key, "fr-be")
    assert not re.search(r" [:;?!»]|« ", subject + "\n" + body)
