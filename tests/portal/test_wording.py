"""French wording the portal owns: file sizes, names in sentences, counts."""

from datetime import timedelta

import pytest
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import translation

from tests.factories import MembershipFactory, UserFactory
from tests.pages import text_of


def test_file_sizes_read_ko_and_mo_in_french_and_kb_mb_in_english():
    # Django keeps number and unit together with a no-break space.
    with translation.override("fr-be"):
        assert filesizeformat(512 * 1024) == "512,0\xa0Ko"
        assert filesizeformat(10 * 1024 * 1024) == "10,0\xa0Mo"
    with translation.override("en"):
        assert filesizeformat(10 * 1024 * 1024) == "10.0\xa0MB"


@pytest.mark.django_db
def test_a_name_starting_with_a_vowel_reads_well_in_the_members_actions(
    client, applicant, organisation
):
    MembershipFactory(organisation=organisation, role="member", user__full_name="Élodie Lambert")
    client.force_login(applicant)

    text = text_of(client.get(reverse("portal:organisation_detail", args=[organisation.pk])))

    assert "Nommer Élodie Lambert responsable" in text
    assert "Faire de" not in text


@pytest.mark.django_db
def test_the_lockout_page_counts_in_the_singular_too(client, settings):
    settings.AXES_FAILURE_LIMIT = 1
    settings.AXES_COOLOFF_TIME = timedelta(minutes=1)
    UserFactory(email="founder@example.be")
    client.post(reverse("portal:login"), {"username": "founder@example.be", "password": "no"})

    response = client.post(
        reverse("portal:login"), {"username": "founder@example.be", "password": "no"}
    )

    assert "pendant 1 minute après 1 tentative infructueuse." in text_of(response)


def test_the_portals_english_says_application_never_dossier():
    """The glossary: French "dossier", English "application"."""
    from pathlib import Path

    catalogue = Path(__file__).resolve().parents[2] / "portal/locale/en/LC_MESSAGES/django.po"
    english = "\n".join(
        line
        for line in catalogue.read_text().splitlines()
        if line.startswith(("msgid", '"')) and not line.startswith('"Content-')
    )

    assert "dossier" not in english.lower()
