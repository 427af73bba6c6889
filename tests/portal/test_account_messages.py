"""The account emails as messages (``portal.account_messages``): portal-wide, each renders
from its default wording in both languages, the links that carry a token cannot be left
out, and the portal's own wording (no programme) is the one people read."""

import pytest
from django.core import mail
from django.urls import reverse

from applications import wordings
from portal import account_messages, messages
from portal.transitions import TransitionRefused
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db

KEYS = [message.key for message in account_messages.MESSAGES]
LANGUAGES = ["fr-be", "en"]


def test_every_account_email_is_a_portal_wide_message():
    assert set(KEYS) == {
        "portal/emails/confirm_email",
        "portal/emails/password_reset",
        "portal/emails/already_registered",
        "portal/emails/invitation",
        "portal/emails/account_deleted",
    }
    for key in KEYS:
        message = messages.get(key)
        assert message is not None and not message.programme_scoped
        assert message.programme({}) is None


def test_the_links_that_act_for_the_person_are_required():
    assert messages.get("portal/emails/confirm_email").required == ["link"]
    assert messages.get("portal/emails/password_reset").required == ["link"]
    assert set(messages.get("portal/emails/invitation").required) == {"link", "expires_on"}


@pytest.mark.parametrize("key", KEYS)
def test_the_message_renders_from_its_example_in_both_languages(key, organisation, applicant):
    message = messages.get(key)
    draft = ApplicationFactory(organisation=organisation, created_by=applicant)
    for language in LANGUAGES:
        subject, body = messages.render(
            key, {"user": applicant, **message.example(draft)}, language
        )

        assert subject and body.strip()
        assert "{{" not in subject + body


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("key", KEYS)
def test_the_default_wording_holds_the_required_placeholders_and_no_other(key, language):
    message = messages.get(key)
    subject, body = messages.default_wording(key, language)

    assert messages.problems(message, subject, body) == []


def test_the_invitation_names_the_inviter_the_organisation_and_its_last_day(
    client, organisation, applicant
):
    client.force_login(applicant)
    client.post(
        reverse("portal:organisation_invite", args=[organisation.pk]),
        {"email": "nouvelle@example.be"},
    )

    (email,) = mail.outbox
    assert email.subject == f"Invitation à rejoindre {organisation} sur Guichet"
    assert email.body.startswith("Bonjour,\n")
    assert f"{applicant.full_name} vous invite à rejoindre {organisation}" in email.body
    assert "L'invitation est valable jusqu'au " in email.body
    assert "{{" not in email.body


def test_the_portals_wording_of_the_password_reset_is_the_one_sent(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    wordings.save(
        messages.get("portal/emails/password_reset"),
        None,
        {"en": ("New password, {{ name }}", "Here: {{ link }}\n")},
        by=admin,
    )
    UserFactory(email="founder@example.be", language="en", full_name="Ana Peeters")

    client.post(reverse("portal:password_reset"), {"email": "founder@example.be"})

    (email,) = mail.outbox
    assert email.subject == "New password, Ana Peeters"
    assert email.body.startswith("Here: http://testserver/")


def test_a_password_reset_wording_without_its_link_is_refused():
    admin = UserFactory(is_superuser=True, is_staff=True)

    with pytest.raises(TransitionRefused):
        wordings.save(
            messages.get("portal/emails/password_reset"),
            None,
            {"en": ("New password", "Ask the agency.\n")},
            by=admin,
        )
