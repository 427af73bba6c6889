"""Complaints: the applicant files one from the dossier page; the programme's officers
keep a register per call and answer each complaint (review.redress)."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from applications.access import get_application, get_staff_call
from portal import deadlines, exports, uploads
from portal.refusals import run
from review import redress
from review.filters import call_complaints
from review.forms import ComplaintAnswerForm, ComplaintForm
from review.models import Complaint


@login_required
@require_POST
def file_complaint(request, pk):
    """The applicant's complaint, posted from the panel of the dossier page; its errors
    (late, no reasons) are shown on a page of their own with the form."""
    application = get_application(request.user, pk, "review.file_complaint")
    labels = dict(Complaint.About.choices)
    choices = [(about, labels[about]) for about in Complaint.About.values]
    form = ComplaintForm(request.POST, request.FILES, choices=choices)
    if form.is_valid() and run(
        request,
        redress.file_complaint,
        application,
        by=request.user,
        about=form.cleaned_data["about"],
        reasons=form.cleaned_data["reasons"],
        document=form.cleaned_data["document"] or None,
        form=form,
    ):
        messages.success(request, _("Your complaint is filed; the programme will answer it."))
        return redirect("applications:detail", pk=application.pk)
    return render(request, "review/complaint_form.html", {"application": application, "form": form})


def _days_to_answer(complaint) -> int | None:
    if complaint.answered_at is None:
        return None
    return (
        deadlines.brussels_date(complaint.answered_at) - deadlines.brussels_date(complaint.filed_at)
    ).days


@login_required
@require_safe
def complaints(request, slug):
    """The register of a call's complaints: filters, time to answer, overdue marked."""
    call = get_staff_call(request.user, slug, "review.view_ranking")
    register = call_complaints(call, request.GET)
    today = deadlines.brussels_date(timezone.now())
    rows = [
        {
            "complaint": complaint,
            "days": _days_to_answer(complaint),
            "overdue": complaint.answered_at is None and complaint.due_on < today,
        }
        for complaint in register.qs
    ]
    return render(
        request,
        "review/staff/complaints.html",
        {"call": call, "filter": register, "rows": rows, "query": request.GET.urlencode()},
    )


def _staff_complaint(request, pk, perm) -> Complaint:
    complaint = get_object_or_404(
        Complaint.objects.select_related(
            "application__call__programme", "application__organisation", "filed_by"
        ),
        pk=pk,
    )
    if not rules.has_perm(perm, request.user, complaint.application.call):
        raise Http404
    return complaint


@login_required
def complaint(request, pk):
    """A complaint, and the officer's steps on it: examine, uphold or reject (answer
    required)."""
    perm = "review.examine_complaint" if request.method == "POST" else "review.view_ranking"
    complaint = _staff_complaint(request, pk, perm)
    form = ComplaintAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = form.cleaned_data["action"]
        kwargs = {} if action == "examine" else {"answer": form.cleaned_data["answer"]}
        if run(request, getattr(redress, action), complaint, by=request.user, form=form, **kwargs):
            messages.success(
                request,
                _("The complaint is %(state)s.")
                % {"state": Complaint.objects.get(pk=complaint.pk).get_state_display()},
            )
            return redirect("review:complaint", pk=complaint.pk)
    return render(
        request,
        "review/staff/complaint.html",
        {
            "complaint": complaint,
            "call": complaint.application.call,
            "form": form,
            "can_answer": complaint.state
            in (Complaint.State.RECEIVED, Complaint.State.UNDER_EXAMINATION)
            and rules.has_perm("review.examine_complaint", request.user, complaint),
            "earlier": complaint.application.assignments.filter(state="superseded").select_related(
                "reviewer", "review"
            ),
        },
    )


@login_required
@require_safe
def complaint_document(request, pk):
    """The complaint's supporting document: the programme's staff and the applicant's
    members; a 404 for everyone else."""
    complaint = get_object_or_404(Complaint.objects.select_related("application__call"), pk=pk)
    if not complaint.document or not (
        rules.has_perm("review.view_ranking", request.user, complaint.application.call)
        or rules.has_perm("review.file_complaint", request.user, complaint.application)
    ):
        raise Http404
    name = complaint.document.name.rsplit("/", 1)[-1]
    return uploads.download(
        complaint.document.open("rb"),
        filename=f"{complaint.application.reference}-{name}",
        content_type="application/octet-stream",
    )


@login_required
@require_safe
def complaints_export(request, slug, fmt):
    """The register's current filter as CSV or XLSX."""
    return exports.respond(request, "complaints", fmt, scope=slug)
