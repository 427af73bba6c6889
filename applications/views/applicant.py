from functools import wraps

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_fsm import has_transition_perm

from applications import services
from applications.access import get_document
from applications.forms import (
    DocumentUploadForm,
    EligibilityForm,
    StartApplicationForm,
    SubmitForm,
    WithdrawForm,
    section_form,
)
from applications.models import Application, Call, Question
from applications.questionnaire import SectionAnswersForm
from applications.views.common import get_application
from portal import uploads
from portal.dashboards import panels_for
from portal.models import Organisation
from portal.refusals import run
from portal.rules import is_organisation_member


def editable_application(view):
    """Hand ``view`` the dossier if the user may change it. A member whose change request
    is past its response deadline is sent back to the dossier, told why; anyone else who
    may not change it gets a 404."""

    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        application = get_application(request, pk)
        if rules.has_perm("applications.change_application", request.user, application):
            return view(request, application, *args, **kwargs)
        if rules.test_rule("applications.changes_locked", request.user, application):
            messages.error(request, services.overdue_message())
            return redirect(application)
        raise Http404

    return wrapper


@login_required
@require_safe
def application_list(request):
    applications = (
        Application.objects.of_member(request.user)
        .select_related("call", "organisation")
        .order_by("-created_at")
    )
    return render(request, "applications/list.html", {"applications": applications})


@login_required
def start(request, slug):
    call = get_object_or_404(Call.objects.published(), slug=slug)
    organisations = Organisation.objects.of_member(request.user)
    if not call.is_open():
        messages.error(request, _("This call is closed: no new application can be started."))
        return redirect(call)
    if not organisations.exists():
        messages.info(request, _("Register the organisation that applies first."))
        return redirect("portal:organisation_create")
    form = StartApplicationForm(
        request.POST if request.method == "POST" else None, organisations=organisations
    )
    if request.method == "POST" and form.is_valid():
        application = services.start_application(
            call, form.cleaned_data["organisation"], by=request.user
        )
        messages.success(
            request, _("Your draft application is created. Save each section as you go.")
        )
        return redirect(application)
    return render(request, "applications/start.html", {"call": call, "form": form})


@login_required
@require_safe
def detail(request, pk):
    """The dossier's overview: each section with what is missing, documents, timeline."""
    application = get_application(request, pk)
    sections = [
        (key, title, application.missing_fields(key))
        for key, (title, _fields) in Application.SECTIONS.items()
    ]
    answers = application.answers or {}
    form_sections = [
        (section, application.questionnaire.missing(section, answers))
        for section in application.questionnaire.sections
    ]
    documents = {d.document_type_id: d for d in application.documents.all()}
    context = {
        "application": application,
        "sections": sections,
        "form_sections": form_sections,
        "document_rows": [(t, documents.get(t.pk)) for t in application.call.document_types.all()],
        "has_questions": application.call.eligibility_questions.exists(),
        "unanswered": application.unanswered_questions(),
        "can_withdraw": has_transition_perm(application.withdraw, request.user),
        "problems": linked_problems(application) if application.is_editable else [],
        "timeline": services.timeline(application),
        "receipts": application.receipts.all(),
        "letters": application.letters.all(),
        "panels": panels_for("application_page", application),
        "can_edit": rules.has_perm("applications.change_application", request.user, application),
        "changes_overdue": rules.test_rule(
            "applications.changes_locked", request.user, application
        ),
    }
    return render(request, "applications/detail.html", context)


@login_required
@editable_application
def edit_section(request, application, section):
    if section not in Application.SECTIONS:
        raise Http404
    form_class = section_form(section)
    form = form_class(request.POST if request.method == "POST" else None, instance=application)
    context = {"application": application, "form": form, "title": Application.SECTIONS[section][0]}
    if request.method == "POST" and form.is_valid():
        try:
            services.save_section(form)
        except services.ApplicationLocked as locked:
            form.add_error(None, str(locked))
            return render(request, "applications/section_form.html", context, status=409)
        missing = application.missing_fields(section)
        if missing:
            messages.warning(
                request,
                _("Section saved. Still missing: %(fields)s.")
                % {"fields": ", ".join(str(label) for label in missing)},
            )
        else:
            messages.success(request, _("Section saved and complete."))
        return redirect(application)
    return render(request, "applications/section_form.html", context)


@login_required
@editable_application
def edit_answers(request, application, section_pk):
    """One section of the call's own form; a section of another call is not found."""
    questionnaire = application.questionnaire
    section = questionnaire.section(section_pk)
    if section is None:
        raise Http404
    form = SectionAnswersForm(
        request.POST if request.method == "POST" else None,
        questionnaire=questionnaire,
        section=section,
        application=application,
    )
    context = {
        "application": application,
        "form": form,
        "title": section.title,
        "intro": section.intro,
        "counts_words": any(
            q.max_words for q in form.questions if q.kind == Question.Kind.LONG_TEXT
        ),
        "sums_tables": any(q.kind == Question.Kind.TABLE for q in form.questions),
    }
    if request.method == "POST" and form.is_valid():
        try:
            services.save_answers(form)
        except services.ApplicationLocked as locked:
            form.add_error(None, str(locked))
            return render(request, "applications/section_form.html", context, status=409)
        missing = questionnaire.missing(section, application.answers)
        if missing:
            messages.warning(
                request,
                _("Section saved. Still missing: %(fields)s.")
                % {"fields": ", ".join(question.label for question in missing)},
            )
        else:
            messages.success(request, _("Section saved and complete."))
        return redirect(application)
    return render(request, "applications/section_form.html", context)


def linked_problems(application: Application) -> list[tuple[str, str]]:
    """What stops submission, each problem with the address of the page that settles it."""
    return [(problem, problem.url) for problem in application.submission_problems()]


@login_required
@editable_application
def upload_document(request, application, type_pk):
    document_type = get_object_or_404(application.call.document_types, pk=type_pk)
    form = DocumentUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.attach_document(
                application, document_type, form.cleaned_data["file"], by=request.user
            )
        except ValidationError as error:
            form.add_error("file", error)
        except services.ApplicationLocked as locked:
            form.add_error(None, str(locked))
        else:
            messages.success(
                request,
                _("The document “%(name)s” is attached to the application.")
                % {"name": document_type.name},
            )
            return redirect(application)
    return render(
        request,
        "applications/document_form.html",
        {"application": application, "document_type": document_type, "form": form},
    )


@login_required
@require_POST
@editable_application
def delete_document(request, application, document_pk):
    document = get_object_or_404(application.documents, pk=document_pk)
    try:
        services.remove_document(document)
    except services.ApplicationLocked as locked:
        messages.error(request, str(locked))
    else:
        messages.success(request, _("The document is removed."))
    return redirect(application)


@login_required
@require_safe
def download_document(request, pk, document_pk):
    document = get_document(request.user, pk, document_pk)
    return uploads.download(
        document.file.open("rb"),
        filename=document.original_name,
        content_type=document.content_type,
    )


@login_required
@editable_application
def eligibility(request, application):
    form = EligibilityForm(
        request.POST if request.method == "POST" else None, application=application
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_eligibility(application, form.answers())
        except services.ApplicationLocked as locked:
            form.add_error(None, str(locked))
        else:
            messages.success(request, _("Your answers are saved."))
            return redirect(application)
    return render(
        request, "applications/eligibility.html", {"application": application, "form": form}
    )


@login_required
@editable_application
def submit(request, application):
    """The summary of the whole dossier, and the declaration that submits it."""
    form = SubmitForm(
        request.POST if request.method == "POST" else None,
        resubmission=application.state == Application.State.CHANGES_REQUESTED,
    )
    if request.method == "POST" and form.is_valid():
        response = form.cleaned_data.get("response", "")
        if run(request, services.submit, application, by=request.user, response=response):
            messages.success(
                request,
                _("Your application is submitted under reference %(reference)s.")
                % {"reference": application.reference},
            )
            return redirect(application)
        application.refresh_from_db()
    context = {
        "application": application,
        "form": form,
        "problems": linked_problems(application),
        "documents": application.documents.select_related("document_type"),
        "answers": application.eligibility_answers.select_related("question"),
    }
    return render(request, "applications/submit.html", context)


@login_required
def withdraw(request, pk):
    application = get_application(request, pk, "applications.withdraw_application")
    if not has_transition_perm(application.withdraw, request.user):
        raise Http404
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if (
        request.method == "POST"
        and form.is_valid()
        and run(
            request,
            services.withdraw,
            application,
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
    ):
        messages.success(request, _("Your application is withdrawn."))
        return redirect(application)
    return render(request, "applications/withdraw.html", {"application": application, "form": form})


@login_required
@require_safe
def receipt(request, pk, receipt_pk):
    application = get_application(request, pk)
    issued = get_object_or_404(application.receipts, pk=receipt_pk)
    return FileResponse(
        issued.file.open("rb"),
        as_attachment=True,
        filename=f"{application.reference}-accuse-de-reception.pdf",
        content_type="application/pdf",
    )


@login_required
@require_safe
def letter(request, pk, letter_pk):
    application = get_application(request, pk)
    issued = get_object_or_404(application.letters, pk=letter_pk)
    if issued.opened_at is None and is_organisation_member(request.user, application.organisation):
        # The first opening by the applicant notifies the letter (docs/decisions.md).
        application.letters.filter(pk=issued.pk, opened_at=None).update(opened_at=timezone.now())
    return FileResponse(
        issued.file.open("rb"),
        as_attachment=True,
        filename=f"{application.reference}-{issued.kind}.pdf",
        content_type="application/pdf",
    )
