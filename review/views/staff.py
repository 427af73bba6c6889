"""Officers' and ministry's pages: the grid, assignments, ranking, jury and decisions."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from applications import mailings
from applications.access import get_staff_call
from applications.models import Application, Mailing
from portal.confirmation import confirmation_page, is_confirmed
from portal.figures import euros
from portal.refusals import run
from review import pool, ranking, services, shortlist
from review.forms import AssignForm, CloseJuryForm, CriterionFormSet, DecisionForm, ProposalForm
from review.models import Assignment, JurySession, Score

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
        services.save_criteria(formset)
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
    answers = pool.answer_counts(call.programme)
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
            "reviewer_rows": [
                {"user": user, "workload": user.workload, **answers.get(user.pk, {})}
                for user in reviewers
            ],
            "form": form,
            "can_manage": can_manage,
        },
    )


@login_required
@require_safe
def ranking_page(request, slug):
    """The ranking with the funding line, and the jury's proposal per reviewed dossier, a
    page at a time: ranks and running sums are those of the whole call."""
    call = get_staff_call(request.user, slug, "review.view_ranking")
    cols = ranking.columns(call)
    paginator = Paginator(ranking.Pages(call, cols), RANKING_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = ranking.laid_out(call, cols, page.object_list)
    if call.shortlist_with_hearings:
        shortlist.mark_hearings(page.object_list)
    jury = services.jury_of(call)
    return render(
        request,
        "review/staff/ranking.html",
        {
            "call": call,
            "columns": cols,
            "page": page,
            "dossiers": page.object_list,
            "closed_jury": jury if jury and jury.state == JurySession.State.CLOSED else None,
            "earlier_sittings": services.earlier_sittings(jury),
            "close_form": CloseJuryForm(),
        },
    )


@login_required
@require_POST
def propose(request, slug, pk):
    """The jury's proposal, after a confirmation page that says it is final. Whoever runs
    the review gets the page: a jury closed meanwhile is a refusal that says so, not a 404."""
    call = get_staff_call(request.user, slug, "review.manage_reviews")
    application = get_object_or_404(call.applications.select_related("organisation"), pk=pk)
    form = ProposalForm(request.POST)
    if (
        form.is_valid()
        and is_confirmed(request)
        and run(
            request,
            services.propose,
            application,
            by=request.user,
            proposed=form.cleaned_data["proposed"],
            rationale=form.cleaned_data["rationale"],
            form=form,
        )
    ):
        messages.success(
            request,
            _("The jury's proposal on %(reference)s is recorded.")
            % {"reference": application.reference},
        )
        return redirect("review:ranking", slug=call.slug)
    return confirmation_page(
        request,
        form=form,
        kicker=call.title,
        title=_("Jury proposal on %(reference)s") % {"reference": application.reference},
        consequence=_(
            "Once recorded, the jury's proposal cannot be changed: it goes to the ministry "
            "for the decision, with the ranking as it stands now."
        ),
        summary=[
            (_("Application"), f"{application.reference} — {application.organisation}"),
            (_("Project"), application.project_title),
            (_("Requested"), euros(application.requested_amount)),
        ],
        action=request.path,
        cancel_url=reverse("review:ranking", args=[call.slug]),
        confirm_label=_("Record the proposal"),
    )


@login_required
@require_POST
def close_jury(request, slug):
    """Close the call's jury for good, after a confirmation page; the minutes follow. As for
    a proposal, a jury closed meanwhile is a refusal on the page (``review.close_jury`` asks
    for an open jury)."""
    call = get_staff_call(request.user, slug, "review.manage_reviews")
    form = CloseJuryForm(request.POST)
    if (
        form.is_valid()
        and is_confirmed(request)
        and run(
            request,
            services.close_jury,
            call,
            by=request.user,
            members_present=form.cleaned_data["members_present"],
            form=form,
        )
    ):
        messages.success(request, _("The jury is closed; its minutes are issued."))
        return redirect("review:ranking", slug=call.slug)
    proposals = services.proposal_counts(call)
    return confirmation_page(
        request,
        form=form,
        kicker=call.title,
        title=_("Close the jury"),
        consequence=_(
            "Once the jury is closed, its proposals can no longer be made or changed, and "
            "its minutes are issued with the members present, the ranking and the "
            "proposals."
        ),
        summary=[
            (_("Proposals made"), proposals["made"]),
            (_("Proposed for funding"), proposals["proposed"]),
        ],
        action=request.path,
        cancel_url=reverse("review:ranking", args=[call.slug]),
        confirm_label=_("Close the jury"),
    )


@login_required
@require_safe
def jury_minutes(request, slug):
    """The minutes of the closed jury; ``?sitting=n``: those of its n-th sitting before it
    was reconvened by an upheld complaint."""
    call = get_staff_call(request.user, slug, "review.view_ranking")
    sitting = request.GET.get("sitting")
    if sitting is None:
        jury = get_object_or_404(JurySession, call=call, state=JurySession.State.CLOSED)
        content, name = jury.minutes.open("rb"), _("jury-minutes-%(call)s.pdf")
    else:
        jury = get_object_or_404(JurySession, call=call)
        if not sitting.isdigit() or not 1 <= int(sitting) <= len(jury.earlier_minutes):
            raise Http404
        stored = jury.earlier_minutes[int(sitting) - 1]["file"]
        content = jury.minutes.storage.open(stored, "rb")
        name = _("jury-minutes-%(call)s-sitting-%(n)s.pdf")
    return FileResponse(
        content,
        as_attachment=True,
        filename=name % {"call": call.slug, "n": sitting},
        content_type="application/pdf",
    )


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
            # The decision emails wait in the call's decisions mailing until staff send it.
            "decisions_mailing": mailings.waiting(call, Mailing.Kind.DECISIONS),
        },
    )


@login_required
@require_POST
def decide(request, slug, pk):
    """The ministerial decision, after a confirmation page that says it is final; its
    errors (an amount above the request or the call's maximum) sit next to their field."""
    call = get_staff_call(request.user, slug, "review.decide")
    application = get_object_or_404(
        call.applications.select_related("organisation", "proposal"), pk=pk
    )
    form = DecisionForm(request.POST, application=application)
    if (
        form.is_valid()
        and is_confirmed(request)
        and run(
            request,
            services.decide,
            application,
            by=request.user,
            granted=form.cleaned_data["decision"],
            amount=form.cleaned_data["amount"],
            reason=form.cleaned_data["reason"],
            form=form,
        )
    ):
        messages.success(
            request,
            _("The decision on %(reference)s is recorded; the letter is issued.")
            % {"reference": application.reference},
        )
        if services.granted_total(call) > call.budget:
            messages.warning(request, _("The amounts granted now exceed the call's budget."))
        return redirect("review:decisions", slug=call.slug)
    return confirmation_page(
        request,
        form=form,
        kicker=call.title,
        title=_("Decision on %(reference)s") % {"reference": application.reference},
        consequence=_(
            "Once recorded, the decision cannot be changed: the decision letter is issued "
            "to the applicant at once and, for a grant, the label is awarded."
        ),
        summary=[
            (_("Application"), f"{application.reference} — {application.organisation}"),
            (_("Jury"), application.get_state_display()),
            (_("Requested"), euros(application.requested_amount)),
            (_("Call's maximum per application"), euros(call.max_amount)),
        ],
        action=request.path,
        cancel_url=reverse("review:decisions", args=[call.slug]),
        confirm_label=_("Record the decision"),
    )
