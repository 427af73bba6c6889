"""The applications' words: French typography, neutral French, one English word for a
dossier, and the demo's legal forms as they exist today."""

import re
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from applications import services
from tests.factories import complete

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "applications" / "locale" / "{}" / "LC_MESSAGES" / "django.po"


def entries(language: str) -> list[tuple[str, str]]:
    """(msgid, msgstr) of the applications' catalogue in ``language``."""
    text = CATALOGUE.as_posix().format(language)
    pairs = []
    for block in Path(text).read_text(encoding="utf-8").split("\n\n"):
        found = re.search(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', block, re.M)
        if found:
            msgid, msgstr = ("".join(re.findall(r'"(.*)"', part)) for part in found.groups())
            pairs.append((msgid, msgstr))
    return pairs


def test_french_puts_a_non_breaking_space_before_double_punctuation():
    wrong = [
        msgstr
        for _msgid, msgstr in entries("fr")
        if re.search(r" [:;?!»]|« |[^\u00a0\u202f \\n\"][:;?!](?=\s|$)", msgstr)
        and not msgstr.startswith("Project-Id")
    ]
    assert wrong == []


def test_english_says_application_never_dossier():
    assert [msgid for msgid, _ in entries("en") if "dossier" in msgid.lower()] == []


def test_the_demo_uses_legal_forms_that_exist_since_2019():
    demo = " ".join(p.read_text() for p in (ROOT / "fixtures" / "demo").glob("*.toml"))
    assert "SCRL" not in demo


@pytest.mark.django_db
def test_the_receipt_email_uses_neutral_french(
    draft, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(complete(draft, by=applicant), by=applicant)

    (email,) = [m for m in mail.outbox if m.to == [applicant.email]]
    assert "vous communiquera la suite" in email.body
    assert "informé" not in email.body


@pytest.mark.django_db
def test_the_deadline_on_the_home_page_keeps_its_colon_on_the_line(client, call):
    page = client.get(reverse("portal:home")).content.decode()

    assert "Date limite de dépôt\u00a0:" in page
    assert "Date limite de dépôt</strong>:" not in page
