import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from portal.refusals import run
from portal.transitions import history
from reporting import services
from reporting.indicators import ReportForm
from reporting.models import ActivityReport

CONFLICT = gettext_lazy(
    "Someone else changed this report in the meantime. Nothing was lost: check its "
    "current state below and try again if still needed."
)


def get_report(request, pk: int, queryset) -> ActivityReport:
    """The report if ``queryset`` (already scoped to the user) holds it and the user may
    view it; a 404 for everyone else."""
    report = get_object_or_404(
        queryset.select_related("label__programme", "label__organisation", "reviewed_by"), pk=pk
    )
    if not rules.has_perm("reporting.view_report", request.user, report):
        raise Http404
    return report


@login_required
@require_safe
def report_list(request):
    reports = (
        ActivityReport.objects.visible_to(request.user)
        .select_related("label")
        .order_by("-period_start", "label__number")
    )
    return render(request, "reporting/list.html", {"reports": reports})


@login_required
def detail(request, pk):
    """A report for its holder: the form of the indicators its period asks while it is due
    or returned, the values and the timeline always. "Save" keeps a draft; "Submit" saves
    then files it."""
    report = get_report(request, pk, ActivityReport.objects.visible_to(request.user))
    can_change = rules.has_perm("reporting.change_report", request.user, report)
    posted = request.method == "POST"
    if posted and not can_change:
        messages.error(request, _("This report can no longer be changed: it was filed."))
        return redirect(report)
    form = ReportForm(
        request.POST if posted else None, report=report, indicators=report.asked_indicators()
    )
    status = 200
    if posted:
        if form.is_valid():
            try:
                report = services.save_draft(
                    report, form.values(), form.cleaned_data["narrative"], by=request.user
                )
            except services.ReportLocked:
                form.add_error(None, _("This report was filed in the meantime."))
                status = 409
            except ValidationError as changed:
                # An indicator changed since the page was read: its new rule, on its field.
                for code, errors in changed.message_dict.items():
                    form.add_error(code if code in form.fields else None, errors)
                status = 409
            else:
                if request.POST.get("action") != "submit":
                    messages.success(request, _("Draft saved. Submit it when it is complete."))
                    return redirect(report)
                missing = report.missing_fields()
                if missing:
                    # Each blank field says so, under the form's error summary; the draft
                    # keeps what was typed.
                    for name in missing:
                        form.add_error(name, _("Needed to submit the report."))
                    return render(
                        request,
                        "reporting/detail.html",
                        {"report": report, "form": form, "timeline": history(report)},
                        status=400,
                    )
                if run(request, services.submit, report, by=request.user, conflict=CONFLICT):
                    messages.success(
                        request, _("Report submitted. The programme officer will review it.")
                    )
                return redirect(report)
        else:
            status = 400
    return render(
        request,
        "reporting/detail.html",
        {
            "report": report,
            "form": form if can_change else None,
            "timeline": history(report),
        },
        status=status,
    )
