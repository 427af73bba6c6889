import re

import pytest
from django.core import mail
from django.urls import reverse

from portal.models import User
from tests.factories import PASSWORD, UserFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db

SIGN_UP = {
    "full_name": "Amélie Dupont",
    "email": "Amelie.Dupont@Example.be",
    "password1": "un-mot-de-passe-solide",
    "password2": "un-mot-de-passe-solide",
}


def link_in(message) -> str:
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


def test_sign_up_creates_an_inactive_account_and_emails_a_french_confirmation_link(client):
    response = client.post(reverse("portal:sign_up"), SIGN_UP)

    assert response.status_code == 302
    user = User.objects.get(email="amelie.dupont@example.be")
    assert not user.is_active
    assert user.language == "fr-be"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["amelie.dupont@example.be"]
    assert "Confirmez votre adresse" in mail.outbox[0].subject


def test_the_confirmation_link_asks_for_a_click_then_activates_the_account(client):
    client.post(reverse("portal:sign_up"), SIGN_UP)
    link = link_in(mail.outbox[0])

    page = client.get(link)
    assert not User.objects.get(email="amelie.dupont@example.be").is_active
    assert "Confirmer mon adresse" in text_of(page)
    response = client.post(link, follow=True)

    assert User.objects.get(email="amelie.dupont@example.be").is_active
    assert not response.context["user"].is_authenticated
    assert "Votre adresse e-mail est confirmée." in text_of(response)
    signed_in = client.post(
        reverse("portal:login"),
        {"username": "amelie.dupont@example.be", "password": SIGN_UP["password1"]},
    )
    assert signed_in.url == reverse("portal:dashboard")


def test_a_confirmation_link_works_once(client):
    client.post(reverse("portal:sign_up"), SIGN_UP)
    link = link_in(mail.outbox[0])
    client.post(link)

    response = client.get(link)

    assert response.status_code == 302
    assert response.url == reverse("portal:login")


def test_signing_up_again_before_confirming_replaces_the_password_and_old_links(client):
    attacker = {
        **SIGN_UP,
        "full_name": "Intrus",
        "password1": "mot-de-passe-intrus-1",
        "password2": "mot-de-passe-intrus-1",
    }
    client.post(reverse("portal:sign_up"), attacker)
    old_link = link_in(mail.outbox[0])

    client.post(reverse("portal:sign_up"), SIGN_UP)

    user = User.objects.get(email="amelie.dupont@example.be")
    assert user.full_name == "Amélie Dupont"
    assert user.check_password(SIGN_UP["password1"])
    assert client.post(old_link).status_code == 400
    client.post(link_in(mail.outbox[1]))
    user.refresh_from_db()
    assert user.is_active


def test_a_deactivated_account_loses_its_session(client):
    user = UserFactory()
    client.force_login(user)
    User.objects.filter(pk=user.pk).update(is_active=False)

    response = client.get(reverse("portal:profile"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("portal:login"))


def test_sign_up_sends_at_most_three_messages_an_hour_to_one_address(client):
    for _ in range(5):
        response = client.post(reverse("portal:sign_up"), SIGN_UP)
        assert response.url == reverse("portal:sign_up_done")

    assert len(mail.outbox) == 3


def test_one_connection_cannot_sign_up_endlessly(client):
    for number in range(10):
        client.post(reverse("portal:sign_up"), {**SIGN_UP, "email": f"x{number}@example.be"})

    response = client.post(reverse("portal:sign_up"), {**SIGN_UP, "email": "y@example.be"})

    assert response.status_code == 429
    assert "Trop de demandes" in text_of(response)
    assert not User.objects.filter(email="y@example.be").exists()


def test_a_tampered_confirmation_link_is_refused(client):
    client.post(reverse("portal:sign_up"), SIGN_UP)

    response = client.get(link_in(mail.outbox[0])[:-3] + "xyz/")

    assert response.status_code == 400
    assert not User.objects.get(email="amelie.dupont@example.be").is_active


def test_signing_up_with_a_known_address_reveals_nothing_and_warns_the_owner(client):
    existing = UserFactory(email="amelie.dupont@example.be")

    response = client.post(reverse("portal:sign_up"), SIGN_UP)

    assert response.status_code == 302
    assert response.url == reverse("portal:sign_up_done")
    assert User.objects.filter(email__iexact=existing.email).count() == 1
    assert "déjà un compte" in mail.outbox[0].subject


def test_sign_up_errors_are_summarised_and_linked_to_their_fields(client):
    response = client.post(reverse("portal:sign_up"), {**SIGN_UP, "password2": "autre-chose"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert 'href="#id_password2"' in html
    assert 'aria-describedby="id_password2_error"' in html
    assert "Les deux mots de passe diffèrent." in text_of(response)
    assert not User.objects.exists()


def test_sign_in_by_email_ignores_its_case_and_lands_on_the_dashboard(client):
    UserFactory(email="founder@example.be")

    response = client.post(
        reverse("portal:login"), {"username": "Founder@Example.BE", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response.url == reverse("portal:dashboard")


def test_a_wrong_password_is_refused_with_a_clear_message(client):
    UserFactory(email="founder@example.be")

    response = client.post(
        reverse("portal:login"), {"username": "founder@example.be", "password": "wrong"}
    )

    assert response.status_code == 200
    assert "L'adresse e-mail ou le mot de passe est incorrect." in text_of(response)


def test_an_unconfirmed_account_is_told_and_sent_a_new_link(client):
    UserFactory(email="founder@example.be", is_active=False)

    response = client.post(
        reverse("portal:login"), {"username": "founder@example.be", "password": PASSWORD}
    )

    assert "pas encore confirmée" in text_of(response)
    assert len(mail.outbox) == 1
    assert not response.wsgi_request.user.is_authenticated


def test_password_reset_sends_a_link_that_sets_a_new_password(client):
    user = UserFactory(email="founder@example.be", language="en")

    client.post(reverse("portal:password_reset"), {"email": "founder@example.be"})
    assert mail.outbox[0].subject == "Choose a new Guichet password"
    response = client.get(link_in(mail.outbox[0]), follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {"new_password1": "nouveau-mot-de-passe-42", "new_password2": "nouveau-mot-de-passe-42"},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("nouveau-mot-de-passe-42")


def test_password_reset_sends_at_most_three_messages_an_hour(client):
    UserFactory(email="founder@example.be")

    for _ in range(5):
        client.post(reverse("portal:password_reset"), {"email": "founder@example.be"})

    assert len(mail.outbox) == 3


def test_password_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client):
    response = client.post(reverse("portal:password_reset"), {"email": "nobody@example.be"})

    assert response.status_code == 302
    assert response.url == reverse("portal:password_reset_done")
    assert mail.outbox == []


def test_the_profile_saves_name_phone_and_language(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("portal:profile"),
        {"full_name": "Jean Lefèvre", "phone": "+32 81 00 00 00", "language": "en"},
        follow=True,
    )

    user.refresh_from_db()
    assert (user.full_name, user.language) == ("Jean Lefèvre", "en")
    assert "Your profile is saved." in text_of(response)


def test_pages_behind_sign_in_send_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("portal:profile"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("portal:login"))


def test_sign_out_is_a_post(client):
    client.force_login(UserFactory())

    assert client.get(reverse("portal:logout")).status_code == 405
    assert client.get(reverse("portal:profile")).status_code == 200
    response = client.post(reverse("portal:logout"))

    assert response.status_code == 302
    assert not client.get(reverse("portal:home")).wsgi_request.user.is_authenticated
