import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def test_the_home_page_is_french_by_default_whatever_the_browser_asks(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")

    assert '<html lang="fr-BE">' in response.content.decode()
    assert "Appels à projets ouverts" in text_of(response)


def test_a_visitor_switches_to_english_and_the_choice_sticks(client):
    response = client.post(reverse("portal:set_language"), {"language": "en", "next": "/"})

    assert response.status_code == 302
    response = client.get("/")
    assert '<html lang="en">' in response.content.decode()
    assert "Open calls for projects" in text_of(response)


def test_switching_language_never_redirects_to_another_site(client):
    response = client.post(
        reverse("portal:set_language"), {"language": "en", "next": "https://evil.example/"}
    )

    assert response.url == "/"


def test_a_signed_in_person_keeps_their_language_in_the_profile(client):
    user = UserFactory(language="fr-be")
    client.force_login(user)

    client.post(reverse("portal:set_language"), {"language": "en", "next": "/"})

    user.refresh_from_db()
    assert user.language == "en"
    client.cookies.clear()
    client.force_login(user)
    assert '<html lang="en">' in client.get("/").content.decode()


def test_an_unknown_language_is_refused(client):
    response = client.post(reverse("portal:set_language"), {"language": "xx"})

    assert response.status_code == 404


def test_error_pages_speak_the_visitors_language(client):
    assert "Page introuvable" in text_of(client.get("/nowhere/"))
    client.post(reverse("portal:set_language"), {"language": "en"})
    response = client.get("/nowhere/")
    assert response.status_code == 404
    assert "Page not found" in text_of(response)


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        (
            "fr-be",
            [
                "Accès refusé",
                "Page introuvable",
                "Une erreur s'est produite",
                "Service temporairement indisponible",
            ],
        ),
        (
            "en",
            [
                "Access refused",
                "Page not found",
                "Something went wrong",
                "Service temporarily unavailable",
            ],
        ),
    ],
)
def test_403_404_500_and_503_pages_exist_in_both_languages(rf, language, texts):
    from django.core.exceptions import PermissionDenied
    from django.db import OperationalError
    from django.http import Http404
    from django.utils import translation
    from django.views import defaults

    from portal.views.pages import server_error

    def error_page(error):
        try:
            raise error
        except Exception:
            return server_error(request)

    with translation.override(language):
        request = rf.get("/")
        pages = [
            defaults.permission_denied(request, PermissionDenied()),
            defaults.page_not_found(request, Http404()),
            error_page(ValueError("a bug")),
            error_page(OperationalError("the connection is gone")),
        ]
    assert [page.status_code for page in pages] == [403, 404, 500, 503]
    for page, text in zip(pages, texts, strict=True):
        assert text in text_of(page)


def test_switching_back_to_french_uses_the_buttons_value(client):
    client.post(reverse("portal:set_language"), {"language": "en"})
    html = client.get("/").content.decode()
    french_value = re.search(r'name="language" value="([^"]+)" lang="fr', html).group(1)

    client.post(reverse("portal:set_language"), {"language": french_value})

    html = client.get("/").content.decode()
    assert '<html lang="fr-BE">' in html
    assert re.search(r'value="[^"]+" lang="fr[^"]*"\s+aria-current="true"', html)


def test_page_titles_name_the_page_then_the_portal(client):
    assert (
        "<title>Se connecter · Guichet</title>"
        in client.get(reverse("portal:login")).content.decode()
    )
