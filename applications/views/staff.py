"""The agency's pages: programmes, calls, the dossier list and the admissibility check."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_fsm import has_transition_perm

from applications import services
from applications.access import get_staff_call
from applications.filters import submitted_applications
from applications.forms import (
    AdmissibleForm,
    CallForm,
    CloseChangeRequestForm,
    DocumentTypeFormSet,
    EligibilityQuestionFormSet,
    ExtendDeadlineForm,
    InadmissibleForm,
    ProgrammeForm,
    RequestChangesForm,
)
from applications.models import Application, Programme
from applications.views.common import get_application
from portal import exports, translations
from portal.dashboards import panels_for
from portal.pagination import filtered_page
from portal.refusals import run


def translation_status(scope: str, subject) -> dict:
    """How many of the texts of a call or programme are not translated yet, per language."""
    missing = translations.missing_in(scope, subject)
    return {
        "missing": [
            (translations.LANGUAGE_NAMES[code], count) for code, count in missing.items() if count
        ],
        "missing_total": sum(missing.values()),
        "translations_url": reverse(
            f"applications:staff_{scope}_translations", args=[subject.slug]
        ),
    }


def _programme(request, slug, perm="applications.view_programme") -> Programme:
    programme = get_object_or_404(Programme.objects.staff_visible_to(request.user), slug=slug)
    if not rules.has_perm(perm, request.user, programme):
        raise Http404
    return programme


@login_required
@require_safe
def programme_list(request):
    programmes = (
        Programme.objects.staff_visible_to(request.user)
        .annotate(call_count=Count("calls"))
        .order_by("name")
    )
    if not programmes and not request.user.has_perm("applications.create_programme"):
        raise Http404
    return render(request, "applications/staff/programme_list.html", {"programmes": programmes})


@login_required
def programme_create(request):
    if not request.user.has_perm("applications.create_programme"):
        raise Http404
    form = ProgrammeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        programme = services.create_programme(form.save(commit=False), by=request.user)
        messages.success(request, _("The programme is created."))
        return redirect(programme)
    return render(request, "applications/staff/programme_form.html", {"form": form})


@login_required
@require_safe
def programme_detail(request, slug):
    programme = _programme(request, slug)
    calls = programme.calls.annotate(
        submitted_count=Count("applications", filter=~Q(applications__state="draft"))
    )
    staff = programme.staff.select_related("user").order_by("role", "user__full_name")
    can_manage = rules.has_perm("applications.manage_programme", request.user, programme)
    return render(
        request,
        "applications/staff/programme_detail.html",
        {
            "programme": programme,
            "calls": calls,
            "staff": staff,
            **(translation_status("programme", programme) if can_manage else {}),
            "panels": panels_for("programme_page", programme),
        },
    )


@login_required
def programme_edit(request, slug):
    programme = _programme(request, slug, "applications.manage_programme")
    form = ProgrammeForm(request.POST if request.method == "POST" else None, instance=programme)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The programme is saved."))
        return redirect(programme)
    return render(
        request, "applications/staff/programme_form.html", {"form": form, "programme": programme}
    )


def _call_form(request, programme, call=None):
    form = CallForm(request.POST if request.method == "POST" else None, instance=call)
    documents = DocumentTypeFormSet(
        request.POST if request.method == "POST" else None, instance=call, prefix="documents"
    )
    questions = EligibilityQuestionFormSet(
        request.POST if request.method == "POST" else None, instance=call, prefix="questions"
    )
    if request.method == "POST" and all(f.is_valid() for f in (form, documents, questions)):
        with transaction.atomic():
            call = form.save(commit=False)
            call.programme = programme
            services.save_call(call)
            documents.instance = questions.instance = call
            documents.save()
            questions.save()
        messages.success(request, _("The call is saved."))
        return redirect("applications:staff_call", slug=call.slug)
    return render(
        request,
        "applications/staff/call_form.html",
        {
            "programme": programme,
            "call": call,
            "form": form,
            "documents": documents,
            "questions": questions,
            **(translation_status("call", call) if call else {}),
        },
    )


@login_required
def call_create(request, slug):
    programme = _programme(request, slug, "applications.manage_programme")
    return _call_form(request, programme)


@login_required
def call_edit(request, slug):
    call = get_staff_call(request.user, slug, "applications.manage_programme")
    return _call_form(request, call.programme, call)


@login_required
@require_safe
def call_applications(request, slug):
    """The dossiers submitted to a call, filtered (also by the answers to its questions)
    and paginated."""
    call = get_staff_call(request.user, slug)
    filterset = submitted_applications(call, request.GET)
    counts = call.applications.counts_by_state()
    return render(
        request,
        "applications/staff/call_applications.html",
        {
            "call": call,
            **filtered_page(request, filterset, 25),
            "counts": [(label, counts.get(value, 0)) for value, label in Application.State.choices],
            "can_manage": rules.has_perm("applications.manage_programme", request.user, call),
            "can_read_mailings": rules.has_perm("applications.view_mailings", request.user, call),
            "panels": panels_for("staff_call_page", call),
        },
    )


@login_required
@require_safe
def call_export(request, slug, fmt):
    """The current filter of the dossier list in ``fmt`` (see ``portal.exports``; the
    export kind, which adds the review results, checks access to the call)."""
    return exports.respond(request, "applications", fmt, scope=slug)


def _render_detail(request, application, status=200, **forms):
    user = request.user
    context = {
        "application": application,
        "documents": application.documents.select_related("document_type"),
        "answers": application.eligibility_answers.select_related("question"),
        "timeline": services.timeline(application, for_staff=True),
        "admissibility_check": getattr(application, "admissibility_check", None),
        "changes_since_request": application.changes_since_request(),
        "receipts": application.receipts.all(),
        "letters": application.letters.all(),
        # What the apps above add to the page (the review's evaluation summary).
        "panels": panels_for("staff_application_page", application),
        "can_request_changes": has_transition_perm(application.request_changes, user),
        "can_decide_admissibility": has_transition_perm(application.declare_admissible, user),
        "can_handle_change_request": has_transition_perm(application.close_change_request, user),
        "changes_overdue": application.changes_overdue(),
        "extend_form": forms.get("extend_form") or ExtendDeadlineForm(prefix="extend"),
        "close_form": forms.get("close_form") or CloseChangeRequestForm(prefix="close"),
        "changes_form": forms.get("changes_form") or RequestChangesForm(),
        "admissible_form": forms.get("admissible_form") or AdmissibleForm(),
        "inadmissible_form": forms.get("inadmissible_form") or InadmissibleForm(),
    }
    return render(request, "applications/staff/application_detail.html", context, status=status)


def _staff_application(request, pk) -> Application:
    application = get_application(request, pk)
    if not rules.has_perm("applications.view_programme", request.user, application):
        raise Http404
    return application


@login_required
@require_safe
def application_detail(request, pk):
    """An officer's view of a dossier: content, documents, timeline and the next actions."""
    return _render_detail(request, _staff_application(request, pk))


def _action(request, pk, form_class, form_name, transition, operation, prefix=None):
    """Run an officer's action; an invalid form comes back on the page with its errors."""
    application = _staff_application(request, pk)
    if not has_transition_perm(getattr(application, transition), request.user):
        raise Http404
    form = form_class(request.POST, prefix=prefix)
    if not form.is_valid():
        return _render_detail(request, application, status=400, **{form_name: form})
    if run(request, operation, application, form.cleaned_data):
        messages.success(
            request,
            _("Done: the application is now “%(state)s”.")
            % {"state": application.get_state_display()},
        )
    return redirect("applications:staff_application", pk=application.pk)


@login_required
@require_POST
def request_changes(request, pk):
    return _action(
        request,
        pk,
        RequestChangesForm,
        "changes_form",
        "request_changes",
        lambda application, data: services.request_changes(
            application, by=request.user, message=data["message"], due_at=data["due_at"]
        ),
    )


@login_required
@require_POST
def extend_changes_deadline(request, pk):
    """The officer gives the applicant more time to answer a change request."""
    return _action(
        request,
        pk,
        ExtendDeadlineForm,
        "extend_form",
        "extend_changes_deadline",
        lambda application, data: services.extend_changes_deadline(
            application, by=request.user, due_at=data["due_at"], note=data["note"]
        ),
        prefix="extend",
    )


@login_required
@require_POST
def close_change_request(request, pk):
    """The officer closes an unanswered change request; the dossier goes on as it stands."""
    return _action(
        request,
        pk,
        CloseChangeRequestForm,
        "close_form",
        "close_change_request",
        lambda application, data: services.close_change_request(
            application, by=request.user, reason=data["reason"]
        ),
        prefix="close",
    )


@login_required
@require_POST
def declare_admissible(request, pk):
    return _action(
        request,
        pk,
        AdmissibleForm,
        "admissible_form",
        "declare_admissible",
        lambda application, data: services.declare_admissible(
            application, by=request.user, checklist=data
        ),
    )


@login_required
@require_POST
def declare_inadmissible(request, pk):
    return _action(
        request,
        pk,
        InadmissibleForm,
        "inadmissible_form",
        "declare_inadmissible",
        lambda application, data: services.declare_inadmissible(
            application, by=request.user, reason=data["reason"]
        ),
    )
