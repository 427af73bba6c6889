"""A transition writes only what it changes: a section saved by someone else since the
object was loaded survives, and the receipt shows it."""

import io
import threading

import pytest
from django.conf import settings
from pypdf import PdfReader

from applications import services
from applications.forms import section_form
from applications.models import Application
from portal.models import StateChange
from portal.transitions import ConcurrentTransition, perform
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    DocumentTypeFactory,
    EligibilityQuestionFactory,
    complete,
)

NEW_SUMMARY = "Un tiers-lieu rénové, avec un atelier de prototypage ouvert aux voisins."


@pytest.fixture
def draft(organisation, applicant, private_storage):
    call = CallFactory()
    DocumentTypeFactory(call=call, name="Plan financier sur trois ans")
    EligibilityQuestionFactory(call=call)
    return complete(ApplicationFactory(call=call, organisation=organisation), by=applicant)


def receipt_text(receipt) -> str:
    with receipt.file.open("rb") as handle:
        pages = PdfReader(io.BytesIO(handle.read())).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def save_summary(application_pk: int, summary: str) -> None:
    """A co-member saves the project section, as the dossier page does."""
    application = Application.objects.get(pk=application_pk)
    form = section_form("project")(
        {"project_title": application.project_title, "summary": summary}, instance=application
    )
    assert form.is_valid(), form.errors
    services.save_section(form)


@pytest.mark.django_db
def test_a_stale_copy_does_not_overwrite_what_was_saved_since(draft, applicant):
    stale = Application.objects.get(pk=draft.pk)
    Application.objects.filter(pk=draft.pk).update(summary=NEW_SUMMARY)

    perform(stale, "withdraw", by=applicant, comment="Projet abandonné")

    stored = Application.objects.get(pk=draft.pk)
    assert stored.summary == NEW_SUMMARY
    assert stored.state == Application.State.WITHDRAWN
    assert stored.withdrawal_reason == "Projet abandonné"
    assert stale.summary == NEW_SUMMARY  # the caller's copy now shows what is stored
    assert StateChange.objects.filter(object_id=draft.pk, transition="withdraw").count() == 1


@pytest.mark.django_db
def test_a_state_changed_since_loading_is_still_refused(draft, applicant):
    stale = Application.objects.get(pk=draft.pk)
    perform(Application.objects.get(pk=draft.pk), "withdraw", by=applicant)

    with pytest.raises(ConcurrentTransition):
        perform(stale, "submit", by=applicant)

    assert StateChange.objects.filter(object_id=draft.pk).count() == 1


@pytest.mark.django_db
def test_the_receipt_shows_the_section_a_colleague_saved_during_submission(draft, applicant):
    stale = Application.objects.get(pk=draft.pk)
    save_summary(draft.pk, NEW_SUMMARY)

    receipt = services.submit(stale, by=applicant)

    assert Application.objects.get(pk=draft.pk).summary == NEW_SUMMARY
    assert NEW_SUMMARY in receipt_text(receipt)


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="needs two real connections (PostgreSQL)",
)
@pytest.mark.django_db(transaction=True)
def test_a_colleague_saves_a_section_while_the_dossier_is_open_on_postgresql(
    reference_data, draft, applicant
):
    from django.db import connections

    stale = Application.objects.get(pk=draft.pk)  # connection A loads the dossier

    def colleague_saves():  # connection B saves the summary and commits
        try:
            save_summary(draft.pk, NEW_SUMMARY)
        finally:
            connections.close_all()

    thread = threading.Thread(target=colleague_saves)
    thread.start()
    thread.join()

    receipt = services.submit(stale, by=applicant)  # A submits what it loaded

    stored = Application.objects.get(pk=draft.pk)
    assert stored.summary == NEW_SUMMARY
    assert stored.state == Application.State.SUBMITTED
    assert NEW_SUMMARY in receipt_text(receipt)
