"""Operations on dossiers that span several rows, run a transition or send email."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation

from applications import pdf
from applications.models import (
    AdmissibilityCheck,
    Application,
    Call,
    Document,
    DocumentType,
    EligibilityAnswer,
    EligibilityQuestion,
    Programme,
    ProgrammeStaff,
    Receipt,
)
from portal.emails import send_to_user
from portal.models import Organisation, User
from portal.roles import Role
from portal.transitions import perform
from portal.uploads import clean_filename, validate_upload


def start_application(call: Call, organisation: Organisation, *, by: User) -> Application:
    """Open a draft dossier of ``organisation`` for ``call``."""
    return Application.objects.create(
        call=call,
        organisation=organisation,
        created_by=by,
        street=organisation.street,
        postcode=organisation.postcode,
        municipality=organisation.municipality,
    )


@transaction.atomic
def create_programme(programme: Programme, *, by: User) -> Programme:
    """Save a new programme with its creator as officer."""
    programme.save()
    ProgrammeStaff.objects.create(programme=programme, user=by, role=Role.OFFICER)
    return programme


def attach_document(
    application: Application, document_type: DocumentType, upload, *, by: User
) -> Document:
    """Store ``upload`` as the dossier's document of ``document_type``, replacing any previous
    one. The old file is deleted once the new row is committed; if saving fails, the new
    file is deleted and the dossier keeps its previous document."""
    file_type = validate_upload(upload)
    name = clean_filename(upload.name, file_type.extension)
    with transaction.atomic():
        document = (
            Document.objects.select_for_update()
            .filter(application=application, document_type=document_type)
            .first()
        ) or Document(application=application, document_type=document_type)
        old_file = document.file.name if document.pk else None
        storage = Document.file.field.storage
        document.file.save(name, upload, save=False)
        try:
            document.original_name = name
            document.size = upload.size
            document.content_type = file_type.content_type
            document.uploaded_by = by
            document.uploaded_at = timezone.now()
            document.save()
        except Exception:
            storage.delete(document.file.name)
            raise
        if old_file:
            transaction.on_commit(lambda: storage.delete(old_file))
    return document


@transaction.atomic
def remove_document(document: Document) -> None:
    name, storage = document.file.name, document.file.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def answer_eligibility(application: Application, answers: dict[EligibilityQuestion, bool]) -> None:
    for question, answer in answers.items():
        EligibilityAnswer.objects.update_or_create(
            application=application, question=question, defaults={"answer": answer}
        )


def _members(application: Application):
    return User.objects.filter(
        memberships__organisation=application.organisation_id, is_active=True
    )


def _officers(application: Application):
    return User.objects.filter(
        programme_roles__programme=application.call.programme_id,
        programme_roles__role=Role.OFFICER,
        is_active=True,
    ).distinct()


def _notify(users, template: str, application: Application, **context) -> None:
    for user in users:
        send_to_user(
            user,
            f"applications/emails/{template}",
            {"application": application, **context},
        )


def submit(application: Application, *, by: User) -> Receipt:
    """Submit (or resubmit) the dossier: reference, receipt PDF kept as issued, emails."""
    name = "resubmit" if application.state == Application.State.CHANGES_REQUESTED else "submit"
    with transaction.atomic():
        perform(application, name, by=by, check=application.submission_problems)
        with translation.override(by.language):
            content = pdf.receipt(application)
        receipt = Receipt(application=application)
        receipt.file.save(f"{application.reference}.pdf", ContentFile(content), save=False)
        receipt.save()
        _notify(_members(application), "submitted", application, receipt=receipt)
        _notify(_officers(application), "submitted_officer", application)
    return receipt


def request_changes(application: Application, *, by: User, message: str, due_at) -> None:
    with transaction.atomic():
        perform(application, "request_changes", by=by, comment=message, due_at=due_at)
        _notify(_members(application), "changes_requested", application)


def withdraw(application: Application, *, by: User, reason: str = "") -> None:
    was_submitted = application.state != Application.State.DRAFT
    with transaction.atomic():
        perform(application, "withdraw", by=by, comment=reason)
        if was_submitted:
            _notify(_officers(application), "withdrawn", application)


def declare_admissible(application: Application, *, by: User, checklist: dict) -> None:
    """Record the checklist and declare the dossier admissible."""
    with transaction.atomic():
        AdmissibilityCheck.objects.update_or_create(
            application=application, defaults={**checklist, "checked_by": by}
        )
        perform(application, "declare_admissible", by=by, comment=checklist.get("note", ""))
        _notify(_members(application), "admissible", application)


def declare_inadmissible(application: Application, *, by: User, reason: str) -> None:
    with transaction.atomic():
        perform(application, "declare_inadmissible", by=by, comment=reason)
        _notify(_members(application), "inadmissible", application)
