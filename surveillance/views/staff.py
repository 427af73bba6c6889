"""The officers' pages: a programme's conditions, the non-conformities and the visitor
reports to triage. Ministry staff read the cases; a stranger gets 404 everywhere."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from applications.models import Programme
from portal.confirmation import confirmation_page, is_confirmed
from portal.pagination import filtered_page
from portal.refusals import run
from portal.transitions import history
from surveillance import services
from surveillance.filters import staff_cases, staff_visitor_reports
from surveillance.forms import CommentForm, ConditionForm, ConfirmForm, DismissForm
from surveillance.models import Condition, NonConformity, VisitorReport


def _programme(request, slug) -> Programme:
    programme = get_object_or_404(Programme.objects.staff_visible_to(request.user), slug=slug)
    if not rules.has_perm("surveillance.define_conditions", request.user, programme):
        raise Http404
    return programme


@login_required
@require_safe
def condition_list(request, slug):
    programme = _programme(request, slug)
    conditions = (
        Condition.objects.filter(programme=programme)
        .select_related("indicator")
        .order_by("-active", "position", "pk")
    )
    return render(
        request,
        "surveillance/staff/condition_list.html",
        {"programme": programme, "conditions": conditions},
    )


@login_required
def condition_form(request, slug, pk=None):
    """Add a condition to the programme, or change one."""
    programme = _programme(request, slug)
    condition = get_object_or_404(programme.label_conditions, pk=pk) if pk else None
    form = ConditionForm(
        request.POST if request.method == "POST" else None, instance=condition, programme=programme
    )
    if request.method == "POST" and form.is_valid():
        services.save_condition(form.save(commit=False))
        messages.success(request, _("The condition is saved."))
        return redirect("surveillance:conditions", slug=programme.slug)
    return render(
        request,
        "surveillance/staff/condition_form.html",
        {"programme": programme, "condition": condition, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def condition_in_force(request, slug, pk):
    """Retire a condition, or put it back in force (``active=0|1``)."""
    programme = _programme(request, slug)
    condition = get_object_or_404(programme.label_conditions, pk=pk)
    active = request.POST.get("active") == "1"
    services.set_in_force(condition, active)
    messages.success(
        request,
        _("The condition is in force again.") if active else _("The condition is retired."),
    )
    return redirect("surveillance:conditions", slug=programme.slug)


def get_case(request, pk) -> NonConformity:
    case = get_object_or_404(
        NonConformity.objects.staff_visible_to(request.user).select_related(
            "label__programme", "label__organisation", "label__application", "condition"
        ),
        pk=pk,
    )
    if not rules.has_perm("surveillance.view_non_conformity", request.user, case):
        raise Http404
    return case


@login_required
@require_safe
def case_list(request):
    """The non-conformities of the user's programmes; a constant number of queries."""
    filterset = staff_cases(request.user, request.GET)
    return render(
        request, "surveillance/staff/case_list.html", filtered_page(request, filterset, 50)
    )


@login_required
def case_detail(request, pk):
    """A case for staff: what fails, the holder's answers, the history; officers resolve
    it or, once it is flagged or past its deadline, suspend or revoke the label (revoking
    asks for a confirmation)."""
    case = get_case(request, pk)
    can_manage = rules.has_perm("surveillance.manage_non_conformity", request.user, case)
    action = request.POST.get("action") if request.method == "POST" else None
    forms = {
        name: CommentForm(request.POST if action == name else None, prefix=name)
        for name in ("resolve", "suspend", "revoke")
    }
    if action:
        if not can_manage or action not in forms:
            raise Http404
        form = forms[action]
        if action == "revoke":
            return _revoke(request, case, form)
        if form.is_valid():
            comment = form.cleaned_data["comment"]
            if action == "resolve":
                done = run(
                    request,
                    services.resolve,
                    case,
                    by=request.user,
                    comment=comment,
                    form=form,
                    conflict=services.CASE_CONFLICT,
                )
            else:
                done = run(
                    request,
                    services.sanction,
                    case,
                    by=request.user,
                    action="suspend",
                    comment=comment,
                    form=form,
                    conflict=services.CASE_CONFLICT,
                )
            if done:
                messages.success(
                    request,
                    _("The case is now “%(state)s”.") % {"state": case.get_state_display()},
                )
                return redirect("surveillance:staff_case", pk=case.pk)
    return render(
        request,
        "surveillance/staff/case_detail.html",
        {
            "case": case,
            "answers": case.answers.select_related("by"),
            "timeline": history(case),
            "can_manage": can_manage and case.state in NonConformity.PENDING,
            "may_sanction": services.may_sanction(case),
            "forms": forms,
        },
        status=400 if action else 200,
    )


def _revoke(request, case, form):
    if (
        form.is_valid()
        and is_confirmed(request)
        and run(
            request,
            services.sanction,
            case,
            by=request.user,
            action="revoke",
            comment=form.cleaned_data["comment"],
            form=form,
            conflict=services.CASE_CONFLICT,
        )
    ):
        messages.success(request, _("The label is revoked and the case closed."))
        return redirect("surveillance:staff_case", pk=case.pk)
    return confirmation_page(
        request,
        form=form,
        hidden={"action": "revoke"},
        kicker=case.label.programme.name,
        title=_("Revoke the label %(number)s") % {"number": case.label.number},
        consequence=_(
            "A revoked label cannot be reinstated: from now on its public page and "
            "its verification show it as revoked, and its holder is told."
        ),
        summary=[
            (_("Holder"), case.label.organisation.legal_name),
            (_("Reason"), services.sanction_reason(case, "")),
        ],
        action=request.path,
        cancel_url=request.path,
        confirm_label=_("Revoke the label"),
    )


@login_required
@require_safe
def visitor_report_list(request):
    filterset = staff_visitor_reports(request.user, request.GET or {"state": "new"})
    return render(
        request,
        "surveillance/staff/visitor_report_list.html",
        filtered_page(request, filterset, 50),
    )


@login_required
def visitor_report_detail(request, pk):
    """A visitor's report for staff; officers dismiss it with a reason or open a
    non-conformity from it."""
    report = get_object_or_404(
        VisitorReport.objects.select_related("label__programme", "label__organisation"), pk=pk
    )
    if not rules.has_perm("applications.view_programme", request.user, report.label.programme):
        raise Http404
    can_manage = rules.has_perm("surveillance.manage_non_conformity", request.user, report)
    action = request.POST.get("action") if request.method == "POST" else None
    dismiss_form = DismissForm(request.POST if action == "dismiss" else None, prefix="dismiss")
    confirm_form = ConfirmForm(request.POST if action == "confirm" else None, prefix="confirm")
    if action:
        if not can_manage or action not in {"dismiss", "confirm"}:
            raise Http404
        if (
            action == "dismiss"
            and dismiss_form.is_valid()
            and run(
                request,
                services.dismiss,
                report,
                by=request.user,
                reason=dismiss_form.cleaned_data["reason"],
                form=dismiss_form,
                conflict=services.CASE_CONFLICT,
            )
        ):
            messages.success(request, _("The report is dismissed."))
            return redirect("surveillance:visitor_reports")
        if action == "confirm" and confirm_form.is_valid():
            opened = []
            if run(
                request,
                lambda: opened.append(
                    services.confirm(
                        report,
                        by=request.user,
                        summary=confirm_form.cleaned_data["summary"],
                        grace_days=confirm_form.cleaned_data["grace_days"],
                    )
                ),
                form=confirm_form,
                conflict=services.CASE_CONFLICT,
            ):
                messages.success(request, _("A non-conformity is opened on the label."))
                return redirect("surveillance:staff_case", pk=opened[0].pk)
    case = NonConformity.objects.filter(visitor_report=report).first()
    return render(
        request,
        "surveillance/staff/visitor_report_detail.html",
        {
            "report": report,
            "case": case,
            "can_manage": can_manage and report.state == VisitorReport.State.NEW,
            "dismiss_form": dismiss_form,
            "confirm_form": confirm_form,
            "timeline": history(report),
        },
        status=400 if action else 200,
    )
