"""Verifiable labels: the signed statement on the certificate, the published keys, the
status list and the verdicts of the verification page and of ``manage.py verify_label``."""

import base64
import datetime as dt
import json
import warnings
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from joserfc import jwt
from joserfc.jwk import OKPKey

from labels import services, signing, verification
from labels.models import Label, SigningKey, StatusList
from labels.pdf import verification_qr
from tests.labels.conftest import granted
from tests.pages import text_of

VALID = "Authentic certificate: the agency signed it and the label is valid."
FORGED = "Forged certificate: its code was not signed by the agency. Do not trust it."
EXPIRED = "Authentic certificate, but the label has expired."
SUSPENDED = "Authentic certificate, but the label is suspended"
REVOKED = "Authentic certificate, but the label has been revoked"
RETIRED = "It was signed with an earlier key of the agency, retired since"
STALE = "Authentic certificate, but the list of suspended and revoked labels at hand dates from"


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def scan(client, label, token=None):
    """The page a phone opens from the certificate's QR code."""
    (qr,) = verification_qr(label).contents
    url = qr.value if token is None else f"{label.verification_url()}?token={token}"
    return text_of(client.get(url))


def forged_with_another_key(label, kid=None) -> str:
    """A statement signed by a key the agency never published (with one of its kids)."""
    key = OKPKey.generate_key("Ed25519")
    return signed_by(key, kid or key.thumbprint(), verification.statement_claims(label))


def signed_by(key, kid, claims) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # joserfc's notice that EdDSA is deprecated
        return jwt.encode({"alg": "EdDSA", "kid": kid}, claims, key, algorithms=["EdDSA"])


def with_changed_claims(token: str, **changes) -> str:
    """The token with its claims edited and its signature kept: a forged certificate."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(changes)
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{header}.{payload}.{signature}"


# --- the statement and the certificate --------------------------------------------------


def test_an_issued_label_carries_a_statement_signed_with_the_published_key(label):
    verified = signing.verify(label.statement, signing.jwks())

    assert verified.claims["sub"] == label.number
    assert verified.claims["holder"] == {
        "name": "Société Liégeoise des Tiers-Lieux ASBL",
        "enterprise_number": label.organisation.enterprise_number,
    }
    assert verified.claims["programme"]["name"] == label.programme.name
    assert verified.claims["valid_from"] == label.issued_on.isoformat()
    assert verified.claims["valid_until"] == label.valid_until.isoformat()
    assert not verified.retired


def test_the_qr_code_carries_the_verification_address_with_the_statement(label):
    (qr,) = verification_qr(label).contents

    assert qr.value == (f"http://testserver/labels/verify/{label.number}/?token={label.statement}")


def test_a_label_issued_before_signing_is_signed_once_on_its_first_certificate(label):
    Label.objects.filter(pk=label.pk).update(statement="")
    label.refresh_from_db()

    (first,) = verification_qr(label).contents
    label.refresh_from_db()
    (second,) = verification_qr(label).contents

    assert label.statement
    assert first.value == second.value


def test_a_correction_of_what_the_statement_says_signs_it_again(label):
    kept = verification.signed_statement(label)
    assert verification.signed_statement(label) == kept  # unchanged: the same code

    label.valid_until -= dt.timedelta(days=365)
    label.save()

    corrected = verification.signed_statement(label)
    assert corrected != kept
    claims = json.loads(base64.urlsafe_b64decode(corrected.split(".")[1] + "=="))
    assert claims["valid_until"] == label.valid_until.isoformat()


# --- the published keys ------------------------------------------------------------------


def test_the_key_set_holds_public_keys_only(client, label):
    response = client.get("/.well-known/jwks.json")

    assert response.status_code == 200
    (key,) = response.json()["keys"]
    assert set(key) == {"kty", "crv", "x", "kid", "alg", "use"}
    assert (key["kty"], key["crv"], key["alg"]) == ("OKP", "Ed25519", "EdDSA")
    stored = SigningKey.objects.get()
    assert key["kid"] == stored.kid
    private = signing._private(stored).as_dict(private=True)["d"]
    assert private not in response.content.decode()
    assert "PRIVATE" not in stored.encrypted_private_key


def test_rotation_retires_the_key_but_keeps_it_published(client, label):
    old_kid = SigningKey.objects.get().kid

    call_command("label_keys", "rotate", stdout=StringIO())
    newer = services.issue_label(granted(label.application.call))

    published = client.get("/.well-known/jwks.json").json()["keys"]
    assert [key["kid"] for key in published][1:] == [old_kid]
    new_kid = published[0]["kid"]
    assert "retired_at" in published[1]
    assert "retired_at" not in published[0]
    assert signing.verify(newer.statement, signing.jwks()).kid == new_kid
    assert signing.verify(label.statement, signing.jwks()).kid == old_kid


def test_the_keys_command_lists_keys_without_private_material(label, capsys):
    call_command("label_keys", "rotate")
    call_command("label_keys", "list")

    out = capsys.readouterr().out
    for key in SigningKey.objects.all():
        assert key.kid in out
        assert key.encrypted_private_key not in out
    assert "retired" in out and "in use" in out


def test_a_withdrawn_key_no_longer_vouches_and_its_labels_are_signed_again(english, label, capsys):
    kid = SigningKey.objects.get().kid
    printed = label.statement

    call_command("label_keys", "withdraw", kid)

    assert f"1 label(s) need a new certificate: {label.number}" in capsys.readouterr().out
    assert kid not in [key["kid"] for key in english.get("/.well-known/jwks.json").json()["keys"]]
    assert FORGED in scan(english, label, printed)
    label.refresh_from_db()
    assert VALID in scan(english, label)
    assert label.statement != printed


def test_a_key_identifier_beginning_with_a_dash_is_read_as_a_key_not_an_option(label):
    # A thumbprint is base64url: one key in 64 begins with "-".
    unknown = "-S0EvzKURGUJbv7lEYH7nr57n7Ndrr4zouV4DLZpgZw"
    with pytest.raises(CommandError, match=f"No key {unknown}"):
        call_command("label_keys", "withdraw", unknown)
    with pytest.raises(CommandError, match=r"one key identifier.*got: none"):
        call_command("label_keys", "withdraw")
    with pytest.raises(CommandError, match=rf"one key identifier.*got: {unknown} --verbosity 2"):
        call_command("label_keys", "withdraw", unknown, "--verbosity", "2")
    assert SigningKey.objects.filter(retired_at__isnull=True).count() == 1


# --- the verification page ---------------------------------------------------------------


def test_a_scanned_certificate_of_a_valid_label_is_authentic(english, label):
    page = scan(english, label)

    assert VALID in page
    assert "What the signed code states" in page
    assert label.organisation.enterprise_number in page
    assert RETIRED not in page


def test_a_forged_certificate_is_told_apart(english, label):
    other_key = forged_with_another_key(label)
    known_kid = forged_with_another_key(label, kid=SigningKey.objects.get().kid)
    edited = with_changed_claims(label.statement, valid_until="2099-12-31")

    for token in (other_key, known_kid, edited, "eyJhbGciOi.not.a-token"):
        page = scan(english, label, token)
        assert FORGED in page, token
        assert "What the signed code states" not in page


def test_a_statement_shown_under_another_label_number_is_forged(english, label):
    url = reverse("labels:verify", args=["CW-LBL-1999-999"])
    page = text_of(english.get(url, {"token": label.statement}))

    assert FORGED in page


def test_an_expired_label_is_told_expired(english, label):
    Label.objects.filter(pk=label.pk).update(
        issued_on=timezone.localdate() - timedelta(days=800),
        valid_until=timezone.localdate() - timedelta(days=1),
        statement="",
    )
    label.refresh_from_db()

    assert EXPIRED in scan(english, label)


def test_suspended_and_revoked_labels_are_told_so(english, label, officer):
    services.suspend(label, by=officer, reason="Local fermé")
    assert SUSPENDED in scan(english, label)

    services.revoke(label, by=officer, reason="Fraude")
    assert REVOKED in scan(english, label)


def test_a_statement_signed_by_a_retired_key_stays_valid_while_the_label_is(
    english, label, officer
):
    signing.rotate()

    page = scan(english, label)
    assert VALID in page
    assert RETIRED in page

    services.revoke(label, by=officer, reason="Fraude")
    assert REVOKED in scan(english, label)


def test_the_form_takes_a_pasted_code_or_the_scanned_address(english, label):
    (qr,) = verification_qr(label).contents
    form = reverse("labels:verify_form")

    assert VALID in text_of(english.get(form, {"number": label.statement}))
    assert VALID in text_of(english.get(form, {"number": qr.value}))
    forged = with_changed_claims(label.statement, sub="CW-LBL-2026-999")
    assert FORGED in text_of(english.get(form, {"number": forged}))


def test_the_verdict_is_translated(client, label):
    page = scan(client, label)

    assert "Certificat authentique" in page
    assert VALID not in page


# --- the status list ---------------------------------------------------------------------


def test_a_suspension_publishes_a_new_status_list(
    client, label, officer, django_capture_on_commit_callbacks
):
    before = verification.current_status_list()
    assert before.content["labels"] == []

    with django_capture_on_commit_callbacks(execute=True):
        services.suspend(label, by=officer, reason="Local fermé")

    published = client.get("/labels/status-list.json").json()
    assert published["labels"] == [{"number": label.number, "status": "suspended"}]
    assert published["iat"] >= before.content["iat"]
    token = client.get("/labels/status-list.jwt").content.decode()
    claims = signing.verify(token, client.get("/.well-known/jwks.json").json()).claims
    assert claims["labels"] == published["labels"]
    assert StatusList.objects.count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        services.reinstate(label, by=officer)

    assert client.get("/labels/status-list.json").json()["labels"] == []


def test_the_daily_job_signs_the_status_list_again(label, capsys):
    first = verification.publish_status_list(now=timezone.now() - timedelta(days=1))

    call_command("label_jobs")

    assert StatusList.objects.get().issued_at > first.issued_at


# --- offline verification ----------------------------------------------------------------


@pytest.fixture
def published(tmp_path, client):
    """Saved copies of the key set and the status list, as a phone keeps them."""

    def save():
        jwks = tmp_path / "jwks.json"
        jwks.write_bytes(client.get("/.well-known/jwks.json").content)
        status = tmp_path / "status-list.jwt"
        status.write_bytes(client.get("/labels/status-list.jwt").content)
        return ["--jwks", str(jwks), "--status-list", str(status)]

    return save


def verify_offline(token, *files, now=None, language="en"):
    """The command's verdict: its output, or its error when the certificate fails."""
    now = now or timezone.now() + timedelta(hours=1)
    args = [token, *files, "--now", now.isoformat(), "--language", language]
    try:
        out = StringIO()
        call_command("verify_label", *args, stdout=out)
    except CommandError as error:
        return "refused", str(error)
    return "trusted", out.getvalue()


def test_offline_a_valid_label_is_trusted(label, published):
    assert verify_offline(label.statement, *published()) == (
        "trusted",
        f"{VALID}\n{label.number} — Société Liégeoise des Tiers-Lieux ASBL "
        f"({label.organisation.enterprise_number}) — {label.issued_on} / {label.valid_until}\n",
    )


def test_offline_the_scanned_address_is_accepted_too(label, published):
    (qr,) = verification_qr(label).contents

    assert verify_offline(qr.value, *published())[0] == "trusted"


def test_offline_a_forged_certificate_is_refused(label, published):
    files = published()
    for token in (
        forged_with_another_key(label),
        with_changed_claims(label.statement, sub="CW-LBL-2026-999"),
        "garbage",
    ):
        assert verify_offline(token, *files) == ("refused", FORGED)


def test_offline_a_certificate_past_its_validity_is_expired(label, published):
    after = timezone.make_aware(dt.datetime.combine(label.valid_until, dt.time(12)))

    verdict, words = verify_offline(label.statement, *published(), now=after + timedelta(days=1))

    assert verdict == "refused"
    assert words.startswith(f"{EXPIRED}\n{label.number}")


def test_offline_suspended_and_revoked_labels_are_read_in_the_status_list(
    label, officer, published, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.suspend(label, by=officer, reason="Local fermé")
    verdict, words = verify_offline(label.statement, *published())
    assert verdict == "refused"
    assert words.startswith(SUSPENDED)

    with django_capture_on_commit_callbacks(execute=True):
        services.revoke(label, by=officer, reason="Fraude")
    verdict, words = verify_offline(label.statement, *published())
    assert verdict == "refused"
    assert words.startswith(REVOKED)


def test_offline_a_retired_key_still_vouches_for_a_valid_label(label, published):
    call_command("label_keys", "rotate", stdout=StringIO())

    verdict, words = verify_offline(label.statement, *published())

    assert verdict == "trusted"
    assert words.startswith(f"{VALID}\n{RETIRED}")


def test_offline_a_stale_status_list_cannot_vouch(label, published):
    files = published()
    later = timezone.now() + timedelta(hours=settings.LABEL_STATUS_LIST_MAX_AGE_HOURS + 1)

    verdict, words = verify_offline(label.statement, *files, now=later)

    assert verdict == "refused"
    assert words.startswith(STALE)
    # A list just young enough still vouches.
    fresh = timezone.now() + timedelta(hours=settings.LABEL_STATUS_LIST_MAX_AGE_HOURS - 1)
    assert verify_offline(label.statement, *files, now=fresh)[0] == "trusted"


def test_offline_a_status_list_signed_by_another_key_is_not_trusted(label, published, tmp_path):
    files = published()
    forged = tmp_path / "forged.jwt"
    key = OKPKey.generate_key("Ed25519")
    claims = {"iat": int(timezone.now().timestamp()), "labels": []}
    forged.write_text(signed_by(key, SigningKey.objects.get().kid, claims))

    jwks_only = files[:2]
    verdict, words = verify_offline(label.statement, *jwks_only, "--status-list", str(forged))

    assert verdict == "refused"
    assert "no trustworthy list" in words


def test_offline_the_verdict_is_translated(label, published):
    verdict, words = verify_offline(label.statement, *published(), language="fr-be")

    assert verdict == "trusted"
    assert words.startswith("Certificat authentique")
