"""Operations on dossiers that span several rows, run a transition or send email."""

from collections import defaultdict

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from applications import formbuilder, pdf
from applications.models import (
    AdmissibilityCheck,
    Application,
    Call,
    Document,
    DocumentType,
    EligibilityAnswer,
    EligibilityQuestion,
    Letter,
    Programme,
    ProgrammeStaff,
    Receipt,
)
from applications.signals import call_duplicated, call_tolerance_changed
from portal import translations
from portal.dates import long_datetime
from portal.emails import send_to_user
from portal.models import Organisation, User
from portal.roles import Role
from portal.transitions import Problem, history, perform
from portal.uploads import clean_filename, validate_upload


@transaction.atomic
def start_application(call: Call, organisation: Organisation, *, by: User) -> Application:
    """Open a draft dossier of ``organisation`` for ``call``, on the current version of the
    call's form (the call's row locked, so that no change of the form crosses it)."""
    Call.objects.select_for_update().filter(pk=call.pk).first()
    return Application.objects.create(
        call=call,
        organisation=organisation,
        created_by=by,
        street=organisation.street,
        postcode=organisation.postcode,
        municipality=organisation.municipality,
        form_version=formbuilder.current_version(call) or None,
    )


def save_answers(form) -> Application:
    """Save one section of the call's form (a ``SectionAnswersForm``) into the dossier's
    answers, if it may still be changed; the other sections' answers are kept as they are
    in the database, even if another tab saved them meanwhile."""
    try:
        with transaction.atomic():
            locked = _lock_editable(form.application)
            section = form.answers()
            answers = {
                code: value
                for code, value in locked.answers.items()
                if code not in {question.code for question in form.questions}
            }
            answers.update((q.code, section[q.code]) for q in form.questions if q.code in section)
            form.application.answers = answers
            Application.objects.filter(pk=locked.pk).update(
                answers=answers, updated_at=timezone.now()
            )
            return form.application
    except ConcurrentTransition:
        raise ApplicationLocked from None


@transaction.atomic
def create_programme(programme: Programme, *, by: User) -> Programme:
    """Save a new programme with its creator as officer."""
    programme.save()
    ProgrammeStaff.objects.create(programme=programme, user=by, role=Role.OFFICER)
    return programme


@transaction.atomic
def save_call(call: Call) -> Call:
    """Save a call, new or edited; when the disagreement tolerance of an existing call
    changed, send ``call_tolerance_changed`` (the review app recomputes its ranking)."""
    stored = (
        Call.objects.filter(pk=call.pk).values_list("disagreement_tolerance", flat=True).first()
        if call.pk is not None
        else None
    )
    call.save()
    if stored is not None and stored != call.disagreement_tolerance:
        call_tolerance_changed.send(sender=Call, call=call)
    return call


class ApplicationLocked(Exception):
    """The dossier can no longer be changed: it was submitted or withdrawn meanwhile, or the
    response deadline of a change request has passed. ``str()`` says which, to the user."""

    def __init__(self, application: Application | None = None):
        overdue = application is not None and application.changes_overdue()
        super().__init__(overdue_message() if overdue else locked_message())


def locked_message() -> str:
    return _(
        "This application can no longer be changed: it was submitted or withdrawn in the meantime."
    )


def overdue_message() -> str:
    return _(
        "The response deadline for the requested changes has passed: the application can no "
        "longer be changed. Contact the agency if you need more time."
    )


def _lock_editable(application: Application) -> Application:
    """Lock the dossier's row for this transaction and check it may still be changed."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if not locked.is_editable:
        raise ApplicationLocked(locked)
    return locked


def save_section(form) -> Application:
    """Save one section of a dossier, if it may still be changed."""
    try:
        with transaction.atomic():
            _lock_editable(form.instance)
            return form.save()
    except ConcurrentTransition:
        raise ApplicationLocked from None


def attach_document(
    application: Application, document_type: DocumentType, upload, *, by: User
) -> Document:
    """Store ``upload`` as the dossier's document of ``document_type``, replacing any previous
    one. The old file is deleted once the new row is committed; if saving fails, the new
    file is deleted and the dossier keeps its previous document."""
    file_type = validate_upload(upload)
    name = clean_filename(upload.name, file_type.extension)
    with transaction.atomic():
        _lock_editable(application)
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
    _lock_editable(document.application)
    name, storage = document.file.name, document.file.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def answer_eligibility(application: Application, answers: dict[EligibilityQuestion, bool]) -> None:
    _lock_editable(application)
    for question, answer in answers.items():
        EligibilityAnswer.objects.update_or_create(
            application=application, question=question, defaults={"answer": answer}
        )


def recipient_language(application: Application) -> str:
    """Letters are written in the language of the member who submitted the dossier."""
    submitter = application.created_by
    return submitter.language if submitter else settings.LANGUAGE_CODE


def members_of(application: Application):
    """The active members of the dossier's organisation."""
    return User.objects.filter(
        memberships__organisation=application.organisation_id, is_active=True
    )


def members_by_organisation(organisation_ids) -> dict[int, list[User]]:
    """The active members of each of ``organisation_ids``, in one query (``members_of`` for
    many dossiers at once)."""
    members = defaultdict(list)
    users = User.objects.filter(
        memberships__organisation__in=organisation_ids, is_active=True
    ).annotate(member_of=F("memberships__organisation"))
    for user in users:
        members[user.member_of].append(user)
    return members


def officers_of(application: Application):
    """The active officers of the dossier's programme."""
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


def submit(application: Application, *, by: User, response: str = "") -> Receipt:
    """Submit (or resubmit, with the ``response`` to the change request) the dossier:
    reference, numbered receipt PDF kept as issued, emails."""
    resubmission = application.state == Application.State.CHANGES_REQUESTED
    name = "resubmit" if resubmission else "submit"
    # One instant for the deadline, the dossier's dates, its history and its receipt.
    application.judged_at = moment = timezone.now()

    def check():
        problems = application.submission_problems(moment)
        if resubmission and not response.strip():
            problems.append(_("Answer the agency: say what you changed or added."))
        return problems

    try:
        with transaction.atomic():
            change = perform(
                application, name, by=by, comment=response.strip(), check=check, at=moment
            )
            number = application.receipts.count() + 1
            with translation.override(by.language):
                content = pdf.receipt(application, received_at=change.at, number=number)
            receipt = Receipt(application=application, issued_at=change.at, number=number)
            receipt.file.save(
                f"{application.reference}-{number}.pdf", ContentFile(content), save=False
            )
            receipt.save()
            message = "resubmitted" if resubmission else "submitted"
            _notify(members_of(application), message, application, receipt=receipt)
            _notify(officers_of(application), f"{message}_officer", application, receipt=receipt)
    finally:
        # The moment belongs to this submission only: any later check reads the clock.
        application.judged_at = None
    return receipt


def timeline(application: Application, *, for_staff: bool = False) -> list:
    """The dossier's history as people read it: a resubmission says so (it reaches the same
    state as the first submission) and, for the agency only, the admissibility decision
    carries the checklist's internal note."""
    changes = history(application)
    for change in changes:
        change.label = change.target_label
        if change.transition == "resubmit":
            change.label = _("resubmitted")
        elif change.transition == "extend_changes_deadline":
            change.label = _("response deadline extended")
        elif change.transition == "close_change_request":
            change.label = _("change request closed by the agency")
    if for_staff:
        check = AdmissibilityCheck.objects.filter(application=application).first()
        for change in changes:
            if check and check.note and change.transition == "declare_admissible":
                change.internal_note = check.note
    return changes


def _missing(values: dict[str, object]) -> list[str]:
    """ "X is required." for each named value that is empty."""
    return [
        _("%(what)s is required.") % {"what": name} for name, value in values.items() if not value
    ]


def request_changes(application: Application, *, by: User, message: str, due_at) -> None:
    """Ask for changes: a message and a response deadline in the future are required."""

    def check():
        problems = _missing({_("A message"): message, _("A response deadline"): due_at})
        if due_at and due_at <= timezone.now():
            problems.append(_("The response deadline must be in the future."))
        return problems

    with transaction.atomic():
        perform(application, "request_changes", by=by, comment=message, due_at=due_at, check=check)
        _notify(members_of(application), "changes_requested", application)


def extend_changes_deadline(application: Application, *, by: User, due_at, note: str = "") -> None:
    """Give the applicant until ``due_at`` (in the future) to answer the change request, even
    once the deadline has passed. The history records who extended it, when, and to when
    (in the officer's words and language, as any comment)."""

    def check():
        problems = _missing({_("A response deadline"): due_at})
        if due_at and due_at <= timezone.now():
            problems.append(Problem(_("The response deadline must be in the future."), "due_at"))
        return problems

    comment = ""
    if due_at:
        comment = _("New response deadline: %(date)s.") % {"date": long_datetime(due_at)}
        if note.strip():
            comment = f"{comment}\n\n{note.strip()}"
    with transaction.atomic():
        perform(
            application,
            "extend_changes_deadline",
            by=by,
            comment=comment,
            due_at=due_at,
            check=check,
        )
        _notify(members_of(application), "changes_deadline_extended", application)


def close_change_request(application: Application, *, by: User, reason: str) -> None:
    """Close a change request the applicant did not answer (a reason is required): the
    dossier is submitted again as it stands and continues its course; no new acknowledgement
    of receipt, since the applicant submitted nothing new."""
    with transaction.atomic():
        perform(
            application,
            "close_change_request",
            by=by,
            comment=reason.strip(),
            check=lambda: _missing({_("A reason"): reason.strip()}),
        )
        _notify(members_of(application), "change_request_closed", application, reason=reason)


def withdraw(application: Application, *, by: User, reason: str = "") -> None:
    was_submitted = application.state != Application.State.DRAFT
    with transaction.atomic():
        perform(application, "withdraw", by=by, comment=reason)
        if was_submitted:
            _notify(officers_of(application), "withdrawn", application)


def declare_admissible(application: Application, *, by: User, checklist: dict) -> None:
    """Record the checklist (every point verified) and declare the dossier admissible.
    The checklist's note is internal to the agency: staff see it on the dossier and in its
    history (``timeline(for_staff=True)``), the applicant never does."""

    def check():
        if all(checklist.get(point) for point in AdmissibilityCheck.POINTS):
            return []
        return [_("Every point of the checklist must be verified.")]

    with transaction.atomic():
        perform(application, "declare_admissible", by=by, check=check)
        AdmissibilityCheck.objects.update_or_create(
            application=application, defaults={**checklist, "checked_by": by}
        )
        _notify(members_of(application), "admissible", application)


def declare_inadmissible(application: Application, *, by: User, reason: str) -> None:
    """Declare the dossier inadmissible (a reason is required) and issue the letter."""
    with transaction.atomic():
        change = perform(
            application,
            "declare_inadmissible",
            by=by,
            comment=reason,
            check=lambda: _missing({_("A reason"): reason.strip()}),
        )
        with translation.override(recipient_language(application)):
            content = pdf.inadmissibility_letter(application)
        letter = Letter(
            application=application, kind=Letter.Kind.INADMISSIBILITY, issued_at=change.at
        )
        letter.file.save(f"{application.reference}.pdf", ContentFile(content), save=False)
        letter.save()
        _notify(members_of(application), "inadmissible", application)


@transaction.atomic
def duplicate_call(
    source: Call,
    *,
    titles: dict[str, str],
    slug: str,
    opens_at,
    closes_at,
    budget,
    max_amount,
    by: User,
) -> Call:
    """Create the next call from ``source``: its settings, document types, eligibility
    questions and application form are copied, the dates, budget and address are new; the
    apps above copy theirs on ``call_duplicated`` (review: the scoring criteria). The new
    call is not published."""
    call = Call.objects.create(
        programme=source.programme,
        **titles,
        slug=slug,
        **translations.texts(source, "summary", "rules", "legal_basis"),
        opens_at=opens_at,
        closes_at=closes_at,
        budget=budget,
        max_amount=max_amount,
        reviews_per_dossier=source.reviews_per_dossier,
        half_points=source.half_points,
        disagreement_tolerance=source.disagreement_tolerance,
        label_validity_months=source.label_validity_months,
        shortlist_with_hearings=source.shortlist_with_hearings,
        reviewer_cap=source.reviewer_cap,
        is_published=False,
    )
    DocumentType.objects.bulk_create(
        DocumentType(
            call=call,
            **translations.texts(document, "name", "help_text"),
            required=document.required,
            position=document.position,
        )
        for document in source.document_types.all()
    )
    EligibilityQuestion.objects.bulk_create(
        EligibilityQuestion(
            call=call,
            **translations.texts(question, "text"),
            position=question.position,
            figure=question.figure,
            minimum=question.minimum,
        )
        for question in source.eligibility_questions.all()
    )
    form = formbuilder.definition(source)
    if form["sections"] or form["rules"]:
        formbuilder.install(
            call, form, by=by, summary=_("Copied from “%(title)s”.") % {"title": source.title}
        )
    call_duplicated.send(sender=Call, source=source, call=call)
    return call
