"""The logs hold no secret and no personal data: not the addresses, names, phones or
passwords people type, not the secret key, not the session or confirmation tokens."""

import logging
import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

EMAIL = "claire.dubois@example.be"
NAME = "Claire Dubois"
PHONE = "+32 81 12 34 56"
NEW_PASSWORD = "Tiers-lieu-2027!"


def test_a_founders_whole_account_life_leaves_no_personal_data_in_the_logs(client, caplog):
    caplog.set_level(logging.DEBUG)

    client.post(
        reverse("portal:sign_up"),
        {"full_name": NAME, "email": EMAIL, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    link = re.search(r"https?://\S+/accounts/confirm/\S+", mail.outbox[-1].body).group(0)
    client.post(link.split("testserver", 1)[-1])
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):  # up to the lockout, which is logged
        client.post(reverse("portal:login"), {"username": EMAIL, "password": PASSWORD})
    client.post(reverse("portal:password_reset"), {"email": EMAIL})
    client.get("/nowhere/")

    logged = "\n".join(
        f"{record.getMessage()} {record.exc_text or ''} {record.args!r}"
        for record in caplog.records
    )
    assert any("Locking out" in record.getMessage() for record in caplog.records)
    for secret in [EMAIL, EMAIL.split("@")[0], NAME, NEW_PASSWORD, PASSWORD, settings.SECRET_KEY]:
        assert secret not in logged
    assert "127.0.0.1" not in logged
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert token not in logged


def test_a_person_updating_their_phone_is_not_logged(client, applicant, caplog):
    caplog.set_level(logging.DEBUG)
    client.force_login(applicant)

    client.post(reverse("portal:profile"), {"full_name": NAME, "phone": PHONE, "language": "fr"})

    assert PHONE not in caplog.text and NAME not in caplog.text
    assert client.session.session_key not in caplog.text
