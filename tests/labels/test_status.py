"""A label's status comes first, as a banner (colour, icon, words) on the verification page,
the public page of the space and the directory; validity dates only for a valid label."""

import datetime as dt
import html
import re

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from labels import services
from tests.labels.conftest import granted

pytestmark = pytest.mark.django_db


def banner(response) -> tuple[str, str]:
    """The first status banner of the page: its modifier class and its words."""
    content = response.content.decode()
    match = re.search(
        r'<div class="label-status label-status--(\w+)[^"]*"[^>]*>(.*?)</div>', content, re.S
    )
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(2))).split())
    return match.group(1), words


def main_text(response) -> str:
    content = response.content.decode()
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", content.split("<main", 1)[1])).split())


def verify(client, label):
    return client.get(reverse("labels:verify", args=[label.number]))


@pytest.fixture
def on_4_december():
    with time_machine.travel(dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def label(call, officer, on_4_december):
    """Issued on 3 March 2026, valid until 2 March 2029 (36 months)."""
    return services.issue_label(granted(call), today=dt.date(2026, 3, 3))


def test_a_valid_label_reads_valid_with_its_dates(client, label):
    response = verify(client, label)

    assert banner(response) == ("active", "✓ Label valide du 3 mars 2026 au 2 mars 2029")
    assert "Valable jusqu'au 2 mars 2029" in main_text(response)


def test_a_suspended_label_reads_suspended_since_and_shows_no_validity(client, label, officer):
    services.suspend(label, by=officer, reason="Contrôle")

    response = verify(client, label)

    assert banner(response) == (
        "suspended",
        "‖ Label suspendu depuis le 4 décembre 2026 — sans valeur tant qu'il est suspendu",
    )
    assert "Valable" not in main_text(response)
    assert "2 mars 2029" not in main_text(response)


def test_a_revoked_label_reads_revoked_on_and_shows_no_validity(client, label, officer):
    services.revoke(label, by=officer, reason="Fermeture")

    response = verify(client, label)

    assert banner(response) == (
        "revoked",
        "✕ Label retiré le 4 décembre 2026 — il n'est plus valable",
    )
    assert "Valable" not in main_text(response)
    # The banner comes before the facts.
    text = main_text(response)
    assert text.index("Label retiré") < text.index("Titulaire")


def test_an_expired_label_reads_expired_on_the_day_after_its_last_valid_day(client, label):
    with time_machine.travel(dt.datetime(2029, 3, 5, 10, 0, tzinfo=dt.UTC), tick=False):
        response = verify(client, label)

    assert banner(response) == ("expired", "⌛ Label expiré le 3 mars 2029 — il n'est plus valable")
    assert "Valable" not in main_text(response)


def test_the_space_page_and_the_directory_show_the_same_banner(client, label):
    space = client.get(label.get_absolute_url())
    directory = client.get(reverse("labels:directory"))

    assert banner(space) == ("active", "✓ Label valide du 3 mars 2026 au 2 mars 2029")
    assert banner(directory) == ("active", "✓ Label valide jusqu'au 2 mars 2029")


def test_the_space_page_shows_only_valid_labels(client, label, officer):
    """So its banner never needs the date of a suspension, revocation or expiry: a label
    that is no longer valid has only its verification page, which says since when."""
    services.suspend(label, by=officer, reason="Contrôle")
    assert client.get(label.get_absolute_url()).status_code == 404
    services.reinstate(label, by=officer)
    assert client.get(label.get_absolute_url()).status_code == 200

    with time_machine.travel(dt.datetime(2029, 3, 5, 10, 0, tzinfo=dt.UTC), tick=False):
        assert client.get(label.get_absolute_url()).status_code == 404

    services.revoke(label, by=officer, reason="Fermeture")
    assert client.get(label.get_absolute_url()).status_code == 404


def test_the_banner_is_in_english_too(client, label):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = verify(client, label)

    state, words = banner(response)
    assert state == "active"
    assert words.startswith("✓ Valid label from ")


def test_a_renewed_label_reads_renewed_on_the_day_its_successor_was_issued(
    client, call, label, on_4_december
):
    """A renewal granted with an earlier decision date is dated from that decision, not
    from the moment the portal recorded it."""
    renewal = granted(call)
    renewal.organisation = label.organisation
    renewal.save()
    successor = services.issue_label(renewal, today=dt.date(2026, 6, 1))
    label.refresh_from_db()
    assert label.superseded_by == successor

    assert banner(verify(client, label)) == (
        "renewed",
        "↻ Label renouvelé le 1er juin 2026 — remplacé par un nouveau label",
    )
