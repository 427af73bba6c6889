"""The registry of messages: every message the portal sends has a default wording in each
language, which uses only its placeholders and every required one; texts are plain, a
placeholder is the only thing replaced."""

import pytest
from django.conf import settings

from portal import messages
from portal.messages import Message, Placeholder

ALL = messages.all_messages()


def test_the_registry_holds_the_messages():
    keys = {message.key for message in ALL}
    assert {"review/emails/decision_granted", "review/emails/decision_refused"} <= keys


@pytest.mark.parametrize("message", ALL, ids=lambda m: m.key)
@pytest.mark.parametrize("language", [code for code, _ in settings.LANGUAGES])
def test_every_message_has_a_sound_default_wording_in_every_language(message, language):
    subject, body = messages.default_wording(message.key, language)
    assert messages.problems(message, subject, body) == []
    assert "{%" not in body and "{#" not in body


@pytest.mark.parametrize("message", ALL, ids=lambda m: m.key)
def test_every_message_has_a_title_and_reads_its_programme_from_its_context(message):
    assert str(message.title)
    assert callable(message.values)
    if message.programme_scoped:
        assert message.example is not None, "officers preview it with a dossier"


MESSAGE = Message(
    key="portal/emails/example",
    title="Example",
    placeholders=(Placeholder("reference", "ref", required=True), Placeholder("amount", "€")),
    values=lambda context: {"reference": "CW-2026-0007", "amount": "1 000 €"},
)


def test_only_known_placeholders_are_replaced_and_nothing_else_is_interpreted():
    values = {"reference": "CW-2026-0007", "name": "Anne"}
    text = "{{reference}} {{ name }} {{ user.password }} {% if x %} {{ other }}"
    assert messages.substitute(text, values) == (
        "CW-2026-0007 Anne {{ user.password }} {% if x %} {{ other }}"
    )


def test_a_wording_is_refused_for_each_problem_with_the_field_it_is_about():
    problems = messages.problems(MESSAGE, "", "{{ amount }} {{ password }} {% now 'Y' %}")
    fields = sorted((problem.field, str(problem)) for problem in problems)
    assert [field for field, _ in fields] == ["body", "body", "body", "subject"]
    said = " ".join(text for _, text in fields)
    assert "{{ password }}" in said
    assert "{% now 'Y' %}" in said
    assert "{{ reference }}" in said  # required, missing


def test_a_letter_reads_as_paragraphs():
    assert messages.paragraphs("First\nline.\n\n  \nSecond.\n") == ["First line.", "Second."]
