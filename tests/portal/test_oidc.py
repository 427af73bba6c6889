"""Sign-in through OpenID Connect against a real provider: django-oauth-toolkit in a second
Django process on 127.0.0.1 (tests/oidc_provider/), RS256 ID tokens signed with a key made
here, PKCE required. The portal is driven by the test client; the person's browser at the
provider by a ``requests`` session, which signs in on the provider's form (consent is
skipped) and brings the redirect back to the portal's callback."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit, urlunsplit

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.sessions.models import Session
from django.urls import reverse

from portal import oidc
from portal.models import ExternalIdentity, User
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.xdist_group("oidc"), pytest.mark.django_db]

ROOT = Path(__file__).resolve().parents[2]
NATIONAL_NUMBER = "85010244229"
PEOPLE = {
    "new": {
        "email": "nouvelle@example.be",
        "email_verified": True,
        "given_name": "Anne",
        "family_name": "Dupont",
        "egovNRN": NATIONAL_NUMBER,
    },
    "known": {"email": "connue@example.be", "email_verified": True, "given_name": "Claire"},
    "unverified": {"email": "connue@example.be", "email_verified": False},
    "citizen": {
        "email": "autre-adresse@example.be",
        "email_verified": False,
        "givenName": "Luc",
        "surname": "Peeters",
        "egovNRN": "85.07.30-033.28",
    },
}
WRONG_STATE = "Ce lien de connexion n’est pas celui que Guichet a ouvert"  # noqa: RUF001
CLIENT = {
    "client_id": "guichet",
    "client_secret": "guichet-test-secret",
    "redirect_uri": "http://testserver/accounts/sign-in/local/callback/",
    "post_logout_redirect_uri": "http://testserver/",
}


@pytest.fixture(scope="session")
def provider_url(tmp_path_factory):
    """The test provider, running for the whole session of this worker."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    people = [
        {"username": name, "password": "provider-password", "claims": claims}
        for name, claims in PEOPLE.items()
    ]
    env = {
        **os.environ,
        "OIDC_PROVIDER_DB": str(tmp_path_factory.mktemp("oidc") / "provider.sqlite3"),
        "OIDC_PROVIDER_KEY": pem,
        "OIDC_PROVIDER_PEOPLE": json.dumps(people),
        "OIDC_PROVIDER_CLIENT": json.dumps(CLIENT),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.serve"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        port = server.stdout.readline().strip()
        assert port.isdigit(), f"the test provider did not start (exit {server.poll()})"
        url = f"http://127.0.0.1:{port}"
        session = requests.Session()
        session.trust_env = False
        response = session.get(f"{url}/o/.well-known/openid-configuration", timeout=10)
        response.raise_for_status()
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def local_provider(provider_url, settings, monkeypatch):
    monkeypatch.setenv("GUICHET_TEST_OIDC_SECRET", CLIENT["client_secret"])
    # Whatever proxy the machine names, the provider is on this machine.
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    settings.OIDC_PROVIDERS = [
        {
            "name": "local",
            "label": "Fournisseur local",
            "issuer": f"{provider_url}/o",
            "client_id": CLIENT["client_id"],
            "client_secret_env": "GUICHET_TEST_OIDC_SECRET",
            "scope": "openid email profile egovnrn",
            "national_number_claim": "egovNRN",
        }
    ]
    return provider_url


def to_provider(client, next_url: str = "") -> str:
    """Press the portal's button: the address of the provider's authorisation page."""
    response = client.post(reverse("portal:oidc_start", args=["local"]), {"next": next_url})
    assert response.status_code == 302
    return response["Location"]


def sign_in_at_provider(browser: requests.Session, authorize_url: str, username: str) -> str:
    """Sign in on the provider's form: the redirect back to the portal's callback."""
    response = browser.get(authorize_url, allow_redirects=False)
    if response.status_code == 302 and "/login/" in response.headers["Location"]:
        login_url = urljoin(authorize_url, response.headers["Location"])
        browser.get(login_url).raise_for_status()
        response = browser.post(
            login_url,
            data={
                "username": username,
                "password": "provider-password",
                "csrfmiddlewaretoken": browser.cookies["csrftoken"],
                "next": parse_qs(urlsplit(login_url).query)["next"][0],
            },
            allow_redirects=False,
        )
        assert response.status_code == 302, response.text
        response = browser.get(
            urljoin(login_url, response.headers["Location"]), allow_redirects=False
        )
    assert response.status_code == 302, response.text
    callback = response.headers["Location"]
    assert callback.startswith(CLIENT["redirect_uri"]), callback
    return callback


def sign_in(client, username: str, browser=None, next_url: str = ""):
    browser = browser or requests.Session()
    callback = sign_in_at_provider(browser, to_provider(client, next_url), username)
    return client.get(callback), browser


def signed_in_user(client):
    return client.get(reverse("portal:profile")).wsgi_request.user


def page_text(client, response) -> str:
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode()


# ---------------------------------------------------------------------------------------


def test_the_sign_in_page_offers_each_provider_beside_the_password(client, local_provider):
    page = client.get(reverse("portal:login")).content.decode()

    assert 'name="password"' in page
    assert f'action="{reverse("portal:oidc_start", args=["local"])}"' in page
    assert "Se connecter avec Fournisseur local" in page


def test_the_flow_uses_pkce_state_and_nonce(client, local_provider):
    query = parse_qs(urlsplit(to_provider(client)).query)

    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert query["state"] and query["nonce"]
    assert query["redirect_uri"] == [CLIENT["redirect_uri"]]


def test_a_first_sign_in_creates_the_account(client, local_provider):
    response, _browser = sign_in(client, "new", next_url="/organisations/")

    assert response.status_code == 302
    assert response["Location"] == "/organisations/"
    user = User.objects.get(email="nouvelle@example.be")
    assert signed_in_user(client) == user
    assert user.is_active
    assert user.full_name == "Anne Dupont"
    assert user.language == "fr-be"
    assert not user.has_usable_password()
    # The national number only as a keyed hash; neither it nor the subject in clear.
    assert user.national_number_hash == oidc.national_number_hash(NATIONAL_NUMBER)
    assert NATIONAL_NUMBER not in user.national_number_hash
    identity = ExternalIdentity.objects.get(user=user)
    assert identity.provider == "local"
    assert len(identity.subject_hash) == 64
    for session in Session.objects.all():
        assert NATIONAL_NUMBER not in json.dumps(session.get_decoded())


def test_the_next_sign_in_finds_the_same_account(client, local_provider):
    sign_in(client, "new")
    client.post(reverse("portal:logout"))

    response, _browser = sign_in(client, "new")

    assert response.status_code == 302
    assert User.objects.filter(email="nouvelle@example.be").count() == 1
    assert signed_in_user(client).email == "nouvelle@example.be"


def test_a_verified_email_opens_the_existing_account(client, local_provider):
    existing = UserFactory(email="connue@example.be")

    response, _browser = sign_in(client, "known")

    assert response["Location"] == reverse("portal:dashboard")
    assert signed_in_user(client) == existing
    assert User.objects.filter(email="connue@example.be").count() == 1
    assert ExternalIdentity.objects.get(user=existing).provider == "local"


def test_an_unverified_email_never_opens_an_existing_account(client, local_provider):
    existing = UserFactory(email="connue@example.be")

    response, _browser = sign_in(client, "unverified")

    page = page_text(client, response)
    assert "le service de connexion n’a pas confirmé" in page  # noqa: RUF001
    assert not signed_in_user(client).is_authenticated
    assert not ExternalIdentity.objects.filter(user=existing).exists()


def test_the_national_number_hash_finds_the_account(client, local_provider):
    # Linked earlier (through another service): only the hash is known.
    existing = UserFactory(
        email="luc@example.be", national_number_hash=oidc.national_number_hash("85073003328")
    )

    sign_in(client, "citizen")

    assert signed_in_user(client) == existing
    assert not User.objects.filter(email="autre-adresse@example.be").exists()


def test_a_signed_in_person_links_the_service_from_their_profile(client, local_provider):
    person = UserFactory(email="quelquun@example.be")
    client.force_login(person)
    assert "Lier Fournisseur local" in client.get(reverse("portal:profile")).content.decode()

    response, _browser = sign_in(client, "unverified")

    assert response["Location"] == reverse("portal:profile")
    assert ExternalIdentity.objects.get(user=person).provider == "local"
    assert "Fournisseur local : lié" in page_text(client, response)
    client.post(reverse("portal:logout"))
    sign_in(client, "unverified")
    assert signed_in_user(client) == person


def test_a_wrong_state_is_refused(client, local_provider):
    callback = sign_in_at_provider(requests.Session(), to_provider(client), "new")
    parts = urlsplit(callback)
    query = parse_qs(parts.query)
    query["state"] = ["not-the-state-guichet-sent"]
    forged = urlunsplit(parts._replace(query=urlencode(query, doseq=True)))

    response = client.get(forged)

    assert WRONG_STATE in page_text(client, response)
    assert not signed_in_user(client).is_authenticated
    assert not User.objects.filter(email="nouvelle@example.be").exists()


def test_a_callback_in_another_browser_is_refused(client, local_provider):
    from django.test import Client

    callback = sign_in_at_provider(requests.Session(), to_provider(client), "new")

    stranger = Client()
    response = stranger.get(callback)

    assert WRONG_STATE in page_text(stranger, response)
    assert not signed_in_user(stranger).is_authenticated


def test_an_expired_code_is_refused(client, local_provider):
    callback = sign_in_at_provider(requests.Session(), to_provider(client), "new")
    requests.post(f"{local_provider}/testing/expire-codes/", timeout=10).raise_for_status()

    response = client.get(callback)

    assert "Le service de connexion a refusé la connexion" in page_text(client, response)
    assert not signed_in_user(client).is_authenticated
    assert not User.objects.filter(email="nouvelle@example.be").exists()


def test_a_refusal_at_the_provider_is_told(client, local_provider):
    state = parse_qs(urlsplit(to_provider(client)).query)["state"][0]

    response = client.get(
        reverse("portal:oidc_callback", args=["local"]),
        {"error": "access_denied", "state": state},
    )

    assert "La connexion a été annulée." in page_text(client, response)


def test_signing_out_ends_the_portal_session_and_the_provider_session(client, local_provider):
    _response, browser = sign_in(client, "new")

    response = client.post(reverse("portal:logout"))

    # The portal's session is over.
    assert not signed_in_user(client).is_authenticated
    # The person passes by the provider's end-session endpoint, which knows the client.
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}" == local_provider
    query = parse_qs(location.query)
    assert query["client_id"] == [CLIENT["client_id"]]
    assert query["post_logout_redirect_uri"] == [CLIENT["post_logout_redirect_uri"]]
    # Without the ID token as a hint, the provider asks; the person confirms.
    page = browser.get(response["Location"])
    assert page.status_code == 200
    confirmed = browser.post(
        page.url,
        data={
            **{key: values[0] for key, values in query.items()},
            "allow": "Logout",
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
        },
        allow_redirects=False,
    )
    assert confirmed.status_code == 302
    assert confirmed.headers["Location"] == CLIENT["post_logout_redirect_uri"]
    # The provider's session is over too: the next sign-in asks for the password again.
    again = browser.get(to_provider(client), allow_redirects=False)
    assert "/login/" in again.headers["Location"]


def test_signing_out_after_a_password_sign_in_stays_on_the_portal(client, local_provider):
    client.force_login(UserFactory())

    response = client.post(reverse("portal:logout"))

    assert response["Location"] == reverse("portal:home")


def test_password_sign_in_still_works(client, local_provider):
    person = UserFactory(email="mot-de-passe@example.be")

    client.post(reverse("portal:login"), {"username": person.email, "password": PASSWORD})

    assert signed_in_user(client) == person


def test_an_unknown_provider_is_not_found(client, local_provider):
    response = client.post(reverse("portal:oidc_start", args=["nowhere"]))

    assert response.status_code == 404


def test_the_personal_data_lists_linked_services_and_erasure_removes_them():
    from portal import privacy

    person = UserFactory(national_number_hash=oidc.national_number_hash(NATIONAL_NUMBER))
    ExternalIdentity.objects.create(user=person, provider="fas", subject_hash="0" * 64)

    data = privacy.personal_data(person)
    assert data["account"]["national_number_kept_as_keyed_hash"] is True
    assert [service["service"] for service in data["sign_in_services"]] == ["fas"]
    assert person.national_number_hash not in json.dumps(data, default=str)

    privacy.erase_account(person)
    person.refresh_from_db()
    assert person.national_number_hash is None
    assert not ExternalIdentity.objects.filter(user=person).exists()


def test_the_privacy_notice_says_the_national_number_is_kept_as_a_hash(client):
    page = client.get(reverse("portal:privacy")).content.decode()

    assert "numéro de registre national" in page
    assert "HMAC-SHA256" in page
    footer = client.get(reverse("portal:home")).content.decode()
    assert f'href="{reverse("portal:privacy")}"' in footer


def test_an_id_token_from_another_issuer_is_refused(client, local_provider, settings):
    # The same provider, configured under another issuer name than its tokens carry.
    settings.OIDC_PROVIDERS = [{**settings.OIDC_PROVIDERS[0], "issuer": f"{local_provider}/o/"}]

    response, _browser = sign_in(client, "new")

    assert "Le service de connexion a refusé la connexion" in page_text(client, response)
    assert not User.objects.filter(email="nouvelle@example.be").exists()


def test_the_csp_lets_forms_go_on_to_the_providers():
    from portal.settings import provider_origins

    providers = [
        {"issuer": "https://idp.iamfas.belgium.be/fas/oauth2"},
        {"issuer": "https://idp.prd.itsme.services/v2"},
        {"issuer": "https://idp.iamfas.belgium.be/other"},
    ]

    assert provider_origins(providers) == [
        "https://idp.iamfas.belgium.be",
        "https://idp.prd.itsme.services",
    ]


def test_administrators_see_and_may_remove_the_linked_services(client, admin_user):
    person = UserFactory()
    ExternalIdentity.objects.create(user=person, provider="fas", subject_hash="0" * 64)
    client.force_login(admin_user)

    page = client.get(reverse("admin:portal_user_change", args=[person.pk])).content.decode()

    assert "fas" in page
    assert "0" * 64 not in page
