"""The review app's messages (``review.messages``): each renders from a real dossier in
French and in English, its default wordings hold its required placeholders, and the
decision letter opens with the programme's wording, the computed sections following."""

import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import translation
from pypdf import PdfReader

from applications import wordings
from portal import messages
from review import pdf
from review.messages import MESSAGES
from review.models import Consensus, Decision

pytestmark = pytest.mark.django_db

KEYS = [message.key for message in MESSAGES]
LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("key", KEYS)
def test_each_message_renders_from_an_example_dossier(key, language, admissible, officer):
    message = messages.get(key)
    context = message.example(admissible)

    subject, body = messages.render(key, {"user": officer, **context}, language)

    assert subject and body.strip()
    assert "{{" not in subject + body
    assert admissible.reference in subject + body
    assert message.programme(context) == admissible.call.programme


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("key", KEYS)
def test_the_default_wordings_hold_every_required_placeholder_and_no_other_name(key, language):
    message = messages.get(key)
    subject, body = messages.default_wording(key, language)

    assert messages.problems(message, subject, body) == []
    assert set(message.required) <= messages.used(subject) | messages.used(body)


@pytest.mark.parametrize(
    ("key", "stand_in"),
    [
        ("review/emails/reassign", "(the reviewer's name)"),
        ("review/emails/consensus_submitted", "(the rapporteur's name)"),
        ("review/emails/hearing_invited", "Where: (the place of the hearing)"),
        ("review/emails/complaint_answered", "(the programme's answer)"),
        ("review/letters/refusal", "(the reason the minister gives)"),
    ],
)
def test_an_example_s_stand_ins_read_in_the_language_rendered(key, stand_in, admissible, officer):
    with translation.override("fr-be"):
        context = messages.get(key).example(admissible)

    _subject, body = messages.render(key, {"user": officer, **context}, "en")

    assert stand_in in body


def test_an_automatic_rapporteur_is_told_why_and_the_officers_get_their_own_message(
    admissible, officer
):
    consensus = Consensus(application=admissible, rapporteur=officer, named_by=None)

    _subject, told = messages.render(
        "review/emails/consensus_named", {"user": officer, "consensus": consensus}, "en"
    )
    consensus.named_by = officer
    _subject, named = messages.render(
        "review/emails/consensus_named", {"user": officer, "consensus": consensus}, "en"
    )
    _subject, officers = messages.render(
        "review/emails/consensus_named_by_portal", {"user": officer, "consensus": consensus}, "en"
    )

    because = "The portal named you because the reviewers' scores are further apart"
    assert because in told and because not in named
    assert f"the portal named {officer.full_name} rapporteur" in officers


def letter_text(application, decision, language: str) -> str:
    with translation.override(language):
        content = pdf.decision_letter(application, decision)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]
    return " ".join(" ".join(pages).split())


def test_the_grant_letter_opens_with_the_programme_s_wording_then_the_computed_sections(
    admissible, officer, programme
):
    decision = Decision.objects.create(
        application=admissible, granted=True, amount=Decimal("42000"), decided_by=officer
    )
    wordings.save(
        messages.get("review/letters/grant"),
        programme,
        {
            "fr-be": (
                "Votre subvention {{ reference }}",
                "Bonne nouvelle : {{ amount }} pour {{ organisation }}.\n\nDeuxième paragraphe.",
            ),
            "en": messages.default_wording("review/letters/grant", "en"),
        },
        by=officer,
    )

    french = letter_text(admissible, decision, "fr-be")
    english = letter_text(admissible, decision, "en")

    assert f"Votre subvention {admissible.reference}" in french
    assert "Bonne nouvelle" in french and "42" in french
    assert french.index("Deuxième paragraphe.") < french.index("Exposé des faits")
    assert "Nous avons le plaisir" not in french
    assert f"Grant of a subsidy to your application {admissible.reference}" in english
    assert "We are pleased to inform you that the minister has granted" in english


def test_the_refusal_letter_gives_the_minister_s_reason_after_its_opening(admissible, officer):
    decision = Decision.objects.create(
        application=admissible,
        granted=False,
        reason="Le budget de l'appel est épuisé.",
        decided_by=officer,
    )

    french = letter_text(admissible, decision, "fr-be")

    assert f"Refus de votre dossier {admissible.reference}" in french
    opening = french.index("Nous avons le regret de vous informer")
    assert (
        opening
        < french.index("Le budget de l'appel est épuisé.")
        < french.index("Exposé des faits")
    )


def test_a_letter_wording_without_the_amount_is_refused(programme, officer):
    message = messages.get("review/letters/grant")

    problems = messages.problems(message, "Octroi {{ reference }}", "Bonne nouvelle.")

    assert [problem.field for problem in problems] == ["body"]
    assert "{{ amount }}" in str(problems[0])
