import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from applications.models import Programme
from portal.pagination import KeysFirstPaginator, filtered_page
from portal.refusals import run
from portal.transitions import history
from reporting import services
from reporting.filters import staff_reports
from reporting.forms import ReviewForm, ScheduleForm
from reporting.models import ActivityReport, ReportingSchedule
from reporting.views.holder import CONFLICT, get_report

PER_PAGE = 50


@login_required
@require_safe
def report_list(request):
    """Reports of the user's programmes, overdue ones flagged, filtered like the exports."""
    filterset = staff_reports(request.user, request.GET)
    # Sorted newest_first(), on the label's number: read keys first.
    page = filtered_page(request, filterset, PER_PAGE, paginator=KeysFirstPaginator)
    return render(request, "reporting/staff/list.html", page)


@login_required
def detail(request, pk):
    """A report for staff; officers accept it or return it with a comment."""
    report = get_report(request, pk, ActivityReport.objects.staff_visible_to(request.user))
    can_review = rules.has_perm("reporting.review_report", request.user, report)
    action = request.POST.get("action")
    form = ReviewForm(request.POST if request.method == "POST" else None, action=action)
    if request.method == "POST":
        if not can_review or action not in {"accept", "return"}:
            raise Http404
        if form.is_valid():
            operation = services.accept if action == "accept" else services.return_for_corrections
            comment = form.cleaned_data["comment"]
            if run(request, operation, report, by=request.user, comment=comment, conflict=CONFLICT):
                messages.success(
                    request,
                    _("The report is now “%(state)s”.") % {"state": report.get_state_display()},
                )
            return redirect("reporting:staff_detail", pk=report.pk)
    return render(
        request,
        "reporting/staff/detail.html",
        {
            "report": report,
            "can_review": can_review and report.state == ActivityReport.State.SUBMITTED,
            "form": form,
            "timeline": history(report),
        },
        status=400 if form.errors else 200,
    )


@login_required
def schedule(request, slug):
    """An officer sets how often the programme's labelled spaces report."""
    programme = get_object_or_404(Programme, slug=slug)
    if not rules.has_perm("reporting.set_schedule", request.user, programme):
        raise Http404
    instance = ReportingSchedule.objects.filter(programme=programme).first()
    form = ScheduleForm(
        request.POST if request.method == "POST" else None,
        instance=instance,
        reports_asked=ActivityReport.objects.filter(label__programme=programme).exists(),
    )
    if request.method == "POST" and form.is_valid():
        form.instance.programme = programme
        services.set_schedule(form.instance)
        messages.success(
            request,
            _("The reporting schedule is saved. Reports are created by the daily job."),
        )
        return redirect("applications:staff_programme", slug=programme.slug)
    return render(request, "reporting/staff/schedule.html", {"programme": programme, "form": form})
