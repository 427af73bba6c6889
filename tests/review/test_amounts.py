"""Amounts are written one way per language wherever a person reads them: on the pages, in
the emails and in the letters (``portal.figures.euros``, the ``euros`` template filter)."""

import io
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from applications import mailings
from applications.models import Mailing
from review import services
from tests.pages import text_of
from tests.review.test_jury_and_decision import proposed, reviewed  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

# The amount as each language writes it, with the no-break spaces of the formatter.
WRITTEN = {"fr-be": "60\u00a0000,00\u00a0€", "en": "€60,000.00"}


def spaced(text: str) -> str:
    """Text with its no-break spaces as plain ones, as a PDF's text may come out."""
    return re.sub("[\u00a0\u202f]", " ", text)


def grant(application, ministry, capture):
    with capture(execute=True):
        services.decide(application, by=ministry, granted=True, amount=Decimal("60000"))


def send_decisions(call, by, capture):
    """Send the call's decisions mailing, where the decision emails wait."""
    mailing = mailings.prepared(call, Mailing.Kind.DECISIONS)
    assert mailing.entries.exists()
    with capture(execute=True):
        mailings.send(mailing, by=by)


def test_the_decision_email_writes_the_amount_the_french_way(
    proposed,  # noqa: F811
    ministry,
    django_capture_on_commit_callbacks,
):
    grant(proposed, ministry, django_capture_on_commit_callbacks)
    send_decisions(proposed.call, ministry, django_capture_on_commit_callbacks)

    (email,) = [m for m in mail.outbox if "Décision" in m.subject]
    assert "60\u00a0000,00\u00a0€" in email.body
    assert "60000.00" not in email.body


@pytest.mark.parametrize("language", ["fr-be", "en"])
def test_the_dossier_writes_the_amount_as_the_letter_does(
    client,
    proposed,  # noqa: F811
    ministry,
    language,
    django_capture_on_commit_callbacks,
):
    applicant = proposed.created_by
    applicant.language = language
    applicant.save()
    grant(proposed, ministry, django_capture_on_commit_callbacks)

    letter = proposed.letters.get(kind="decision")
    with letter.file.open("rb") as handle:
        pages = PdfReader(io.BytesIO(handle.read())).pages
        letter_text = spaced(" ".join(page.extract_text() for page in pages))
    client.force_login(applicant)
    page = client.get(proposed.get_absolute_url()).content.decode()

    assert WRITTEN[language] in page  # with its no-break spaces
    assert spaced(WRITTEN[language]) in letter_text
    # The grant's sentence too, which once printed "60 000,00 €" after a hand-written "€".
    assert "€ €" not in letter_text and "€€" not in letter_text


@pytest.mark.parametrize(
    "language, granted_so_far",
    [
        (
            "fr-be",
            "Octroyé à ce jour\u00a0: 60\u00a0000,00\u00a0€ sur un budget de 600\u00a0000\u00a0€.",
        ),
        ("en", "Granted so far: €60,000.00 of a budget of €600,000."),
    ],
)
def test_the_decisions_page_writes_amounts_for_its_reader(
    client,
    proposed,  # noqa: F811
    ministry,
    language,
    granted_so_far,
    django_capture_on_commit_callbacks,
):
    grant(proposed, ministry, django_capture_on_commit_callbacks)
    ministry.language = language
    ministry.save()
    client.force_login(ministry)

    response = client.get(reverse("review:decisions", args=[proposed.call.slug]))

    assert spaced(granted_so_far) in text_of(response)
    assert f"({WRITTEN[language]})" in response.content.decode()
