"""Officers' and ministry's pages: the grid, assignments, ranking, jury and decisions."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from applications.models import Application
from applications.views.common import run
from applications.views.staff import get_staff_call
from review import ranking, services
from review.forms import AssignForm, CriterionFormSet, DecisionForm, ProposalForm
from review.models import Assignment, Score

# Ranked dossiers per page: the jury reads the top of the ranking, around the funding line.
RANKING_PAGE = 50


def _review_call(request, slug):
    """The call, and whether this person runs its review: staff who may only read the
    programme (the ministry) see the pages, and send nothing."""
    perm = "review.manage_reviews" if request.method == "POST" else "review.view_ranking"
    call = get_staff_call(request.user, slug, perm)
    return call, rules.has_perm("review.manage_reviews", request.user, call)


@login_required
def criteria(request, slug):
    call, can_manage = _review_call(request, slug)
    # Once reviewers have scored, the grid is what they scored against: it stays as it is;
    # staff who do not run the review read it as it is.
    frozen = not can_manage or Score.objects.filter(criterion__call=call).exists()
    formset = CriterionFormSet(
        request.POST if request.method == "POST" and not frozen else None, instance=call
    )
    if request.method == "POST" and not frozen and formset.is_valid():
        formset.save()
        messages.success(request, _("The scoring grid is saved."))
        return redirect("review:criteria", slug=call.slug)
    return render(
        request,
        "review/staff/criteria.html",
        {
            "call": call,
            "formset": formset,
            "frozen": frozen,
            "can_manage": can_manage,
            "criteria": call.criteria.all(),
        },
        status=409 if request.method == "POST" and frozen else 200,
    )


@login_required
def assignments(request, slug):
    """Dossiers open to review with their assignments, and the bulk assignment form."""
    call, can_manage = _review_call(request, slug)
    applications = (
        call.applications.filter(
            state__in=[Application.State.ADMISSIBLE, Application.State.IN_REVIEW]
        )
        .select_related("organisation")
        .prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.select_related("reviewer"))
        )
        .order_by("reference")
    )
    reviewers = services.reviewers_with_workload(call.programme)
    form = AssignForm(
        request.POST if request.method == "POST" else None,
        applications=applications,
        reviewers=reviewers,
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and run(
            request,
            services.assign,
            form.cleaned_data["applications"],
            form.cleaned_data["reviewers"],
            by=request.user,
            due_at=form.cleaned_data["due_at"],
        )
    ):
        messages.success(request, _("The reviewers are invited."))
        return redirect("review:assignments", slug=call.slug)
    return render(
        request,
        "review/staff/assignments.html",
        {
            "call": call,
            "applications": applications,
            "reviewers": reviewers,
            "form": form,
            "can_manage": can_manage,
        },
    )


@login_required
@require_safe
def ranking_page(request, slug):
    """The ranking with the funding line, and the jury's proposal per reviewed dossier, a
    page at a time: ranks and running sums are computed over the whole call."""
    call = get_staff_call(request.user, slug, "review.view_ranking")
    cols = ranking.columns(call)
    paginator = Paginator(ranking.figures(call, cols), RANKING_PAGE)
    # Counted without the window functions, which would rank every dossier to count them.
    paginator.count = ranking.ranked_count(call)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = ranking.laid_out(call, cols, page.object_list)
    return render(
        request,
        "review/staff/ranking.html",
        {
            "call": call,
            "columns": cols,
            "page": page,
            "dossiers": page.object_list,
            "can_propose": rules.has_perm("review.manage_reviews", request.user, call),
            "form": ProposalForm(),
        },
    )


@login_required
@require_POST
def propose(request, slug, pk):
    call = get_staff_call(request.user, slug, "review.manage_reviews")
    application = get_object_or_404(call.applications, pk=pk)
    form = ProposalForm(request.POST)
    if form.is_valid() and run(
        request,
        services.propose,
        application,
        by=request.user,
        proposed=form.cleaned_data["proposed"],
        rationale=form.cleaned_data["rationale"],
    ):
        messages.success(
            request,
            _("The jury's proposal on %(reference)s is recorded.")
            % {"reference": application.reference},
        )
    elif not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{application.reference} — {error}")
    return redirect("review:ranking", slug=call.slug)


@login_required
@require_safe
def decisions(request, slug):
    """Ministry: the jury's proposals, and the decision on each."""
    call = get_staff_call(request.user, slug, "review.view_ranking")
    pending = (
        call.applications.filter(
            state__in=[Application.State.PROPOSED, Application.State.NOT_PROPOSED]
        )
        .select_related("organisation", "proposal")
        .order_by("-state", "reference")
    )
    decided = (
        call.applications.filter(state__in=[Application.State.GRANTED, Application.State.REFUSED])
        .select_related("organisation", "decision")
        .order_by("reference")
    )
    granted = services.granted_total(call)
    return render(
        request,
        "review/staff/decisions.html",
        {
            "call": call,
            "pending": pending,
            "decided": decided,
            "granted_total": granted,
            "over_budget": granted > call.budget,
            "can_decide": rules.has_perm("review.decide", request.user, call),
            "form": DecisionForm(),
        },
    )


@login_required
@require_POST
def decide(request, slug, pk):
    call = get_staff_call(request.user, slug, "review.decide")
    application = get_object_or_404(call.applications, pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{application.reference} — {error}")
    elif run(
        request,
        services.decide,
        application,
        by=request.user,
        granted=form.cleaned_data["decision"],
        amount=form.cleaned_data["amount"],
        reason=form.cleaned_data["reason"],
    ):
        messages.success(
            request,
            _("The decision on %(reference)s is recorded; the letter is issued.")
            % {"reference": application.reference},
        )
        if services.granted_total(call) > call.budget:
            messages.warning(request, _("The amounts granted now exceed the call's budget."))
    return redirect("review:decisions", slug=call.slug)
