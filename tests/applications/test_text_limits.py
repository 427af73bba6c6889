"""Free text has a limit, said next to the field and enforced when saved: a summary of two
megabytes once saved, and its receipt could not be drawn before the worker timed out."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from applications import services
from applications.forms import RequestChangesForm
from applications.models import Application
from portal import textlimits
from tests.factories import complete
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def save_project(client, draft, summary):
    return client.post(
        reverse("applications:section", args=[draft.pk, "project"]),
        {"project_title": "Espace partagé", "summary": summary},
    )


def test_a_summary_over_its_limit_is_refused_with_the_count_next_to_the_field(
    client, draft, applicant
):
    client.force_login(applicant)

    response = save_project(client, draft, "a" * 3412)

    assert response.status_code == 200
    errors = response.context["form"].errors["summary"]
    assert errors == ["Ce texte dépasse la limite de 3\xa0000 caractères (il en compte 3\xa0412)."]
    assert 'id="id_summary_error"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.summary != "a" * 3412


def test_the_limit_is_said_in_the_help_text_and_kept_by_the_browser(client, draft, applicant):
    client.force_login(applicant)

    response = client.get(reverse("applications:section", args=[draft.pk, "project"]))

    assert "3 000 caractères au plus." in text_of(response)
    assert 'maxlength="3000"' in response.content.decode()


def test_a_summary_at_its_limit_is_saved_and_line_breaks_count_once(client, draft, applicant):
    client.force_login(applicant)
    # The browser sends each line break as CR LF; the person typed one character.
    summary = ("b" * 99 + "\r\n") * 29 + "b" * 100
    assert len(summary) > textlimits.SUMMARY

    response = save_project(client, draft, summary)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert textlimits.length(draft.summary) == textlimits.SUMMARY


def test_the_message_is_in_english_for_an_english_reader():
    with translation.override("en"):
        form = RequestChangesForm({"message": "x" * 5001, "due_at": "2099-01-01T10:00:00"})

        assert form.errors["message"] == [
            "This text is over the limit of 5,000 characters (it has 5,001)."
        ]


def test_every_free_text_field_of_the_dossier_has_a_limit():
    unlimited = [
        field.name
        for field in Application._meta.concrete_fields
        if field.get_internal_type() == "TextField"
        and not isinstance(field, textlimits.LimitedTextField)
    ]

    assert unlimited == []


def test_the_receipt_of_a_dossier_at_its_limits_holds_every_paragraph(draft, applicant):
    paragraphs = [f"Paragraphe {n} : " + "mot " * 70 for n in range(1, 11)]
    summary = "\n\n".join(paragraphs)[: textlimits.SUMMARY]
    Application.objects.filter(pk=draft.pk).update(summary=summary)
    draft.refresh_from_db()

    receipt = services.submit(complete(draft, by=applicant), by=applicant)

    with receipt.file.open("rb") as handle:
        pages = PdfReader(io.BytesIO(handle.read())).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert len(pages) <= 3
    assert "Paragraphe 1\xa0: mot" in text or "Paragraphe 1 : mot" in text
    last = summary.split("\n\n")[-1].split()[0:2]
    assert " ".join(last) in text
