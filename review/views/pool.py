"""The suggested assignments of a call: the officer adjusts the plan and confirms it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.refusals import run
from review import pool
from review.forms import SuggestedAssignmentsForm
from review.views.staff import _review_call


@login_required
def suggested_assignments(request, slug):
    """GET: the plan, each suggested reviewer ticked; POST (whoever runs the review): invite
    the reviewers kept and those added. Staff who only read the programme see the plan."""
    call, can_manage = _review_call(request, slug)
    plan = pool.plan(call)
    form = SuggestedAssignmentsForm(request.POST if request.method == "POST" else None, plan=plan)
    created = []
    if (
        request.method == "POST"
        and form.is_valid()
        and run(
            request,
            lambda: created.extend(
                pool.confirm(
                    call, form.pairs(), by=request.user, due_at=form.cleaned_data["due_at"]
                )
            ),
            form=form,
        )
    ):
        messages.success(
            request,
            ngettext(
                "%(count)s reviewer is invited.", "%(count)s reviewers are invited.", len(created)
            )
            % {"count": len(created)},
        )
        for warning in form.warnings():
            messages.warning(request, warning)
        return redirect("review:assignments", slug=call.slug)
    rows = [
        {
            "row": row,
            "field": form[f"reviewers_{row.application.pk}"],
            "add": form[f"add_{row.application.pk}"],
            "checked": form.checked(row),
        }
        for row in plan.rows
    ]
    reviewers = [
        {
            "user": user,
            "load": plan.load[pk],
            "load_after": plan.load_after.get(pk, plan.load[pk]),
        }
        for pk, user in sorted(plan.reviewers.items(), key=lambda item: str(item[1]))
    ]
    return render(
        request,
        "review/staff/suggested_assignments.html",
        {
            "call": call,
            "plan": plan,
            "rows": rows,
            "reviewers": reviewers,
            "form": form,
            "can_manage": can_manage,
            "short": sum(1 for row in plan.rows if row.missing),
            "title": _("Suggested assignments"),
        },
    )
