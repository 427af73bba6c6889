"""The consensus pages: the rapporteur writes it beside the reviews, the officer names the
rapporteur and approves or sends it back, the ministry reads (``review.consensus``)."""

import rules
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import BooleanField, F, Prefetch, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from applications.access import get_staff_call
from portal.confirmation import confirmation_page, is_confirmed
from portal.refusals import run
from portal.transitions import history
from review import consensus as consensus_services
from review.forms import ConsensusForm, RapporteurForm, SendBackConsensusForm
from review.models import Assignment, Consensus, Review

# Dossiers awaiting a rapporteur per page of the consensus list.
AWAITING_PAGE = 50
CONFLICT = gettext_lazy("The consensus changed in another window: check it and try again.")


def get_consensus(request, pk: int, perm: str = "review.view_consensus") -> Consensus:
    """The consensus, for whoever holds ``perm`` on it; a 404 for anybody else."""
    consensus = get_object_or_404(
        Consensus.objects.select_related(
            "application__call__programme", "application__organisation", "rapporteur"
        ),
        pk=pk,
    )
    if not rules.has_perm(perm, request.user, consensus):
        raise Http404
    return consensus


def _page(request, consensus, *, form=None, send_back_form=None, status=200):
    reviews, lines = consensus_services.side_by_side(consensus)
    can_manage = rules.has_perm("review.manage_consensus", request.user, consensus)
    return render(
        request,
        "review/consensus.html",
        {
            "consensus": consensus,
            "application": consensus.application,
            "reviews": reviews,
            "lines": lines,
            "form": form,
            "can_decide": can_manage and consensus.state == Consensus.State.SUBMITTED,
            "send_back_form": send_back_form or SendBackConsensusForm(),
            "timeline": history(consensus),
        },
        status=status,
    )


@login_required
def consensus_page(request, pk):
    """The rapporteur writes the consensus while it is being written; everyone else who may
    see it reads it, and the officer approves it or sends it back once submitted."""
    consensus = get_consensus(request, pk)
    writing = consensus.state == Consensus.State.DRAFTING and rules.has_perm(
        "review.write_consensus", request.user, consensus
    )
    if request.method == "POST" and not writing:
        raise Http404
    if not writing:
        return _page(request, consensus)
    call = consensus.application.call
    form = ConsensusForm(
        request.POST if request.method == "POST" else None,
        criteria=call.criteria.all(),
        half_points=call.half_points,
        scores={s.criterion_id: (s.value, s.comment) for s in consensus.scores.all()},
        initial={"overall_comment": consensus.overall_comment},
    )
    if request.method == "POST" and form.is_valid():
        submitting = "submit" in request.POST

        def save_then_submit():
            # Saved first, so that nothing typed is lost when the submission is refused.
            consensus_services.save_draft(
                consensus,
                form.values(),
                overall_comment=form.cleaned_data["overall_comment"],
                by=request.user,
            )
            if submitting:
                consensus_services.submit(consensus, by=request.user)

        if run(request, save_then_submit, form=form, conflict=CONFLICT):
            if submitting:
                messages.success(request, _("The consensus is submitted to the officer."))
            else:
                messages.success(request, _("Your draft consensus is saved."))
            return redirect("review:consensus", pk=consensus.pk)
    return _page(request, consensus, form=form, status=400 if form.errors else 200)


def _manageable(request, pk) -> Consensus:
    """A consensus of a call whose review this person runs (``perform`` then asks for
    ``review.manage_consensus``: a jury closed meanwhile is a 404 too)."""
    consensus = get_consensus(request, pk)
    if not rules.has_perm("review.manage_reviews", request.user, consensus.application.call):
        raise Http404
    return consensus


@login_required
@require_POST
def approve(request, pk):
    """The officer approves the consensus, after a confirmation page: the ranking then
    uses its total."""
    consensus = _manageable(request, pk)
    form = forms.Form(request.POST)
    if (
        form.is_valid()
        and is_confirmed(request)
        and run(request, consensus_services.approve, consensus, by=request.user, form=form)
    ):
        messages.success(request, _("The consensus is approved: the ranking now uses its total."))
        return redirect("review:consensus", pk=consensus.pk)
    application = consensus.application
    return confirmation_page(
        request,
        form=form,
        kicker=application.call.title,
        title=_("Approve the consensus on %(reference)s") % {"reference": application.reference},
        consequence=_(
            "Once approved, the consensus replaces the mean of the reviews in the ranking and "
            "can no longer be changed."
        ),
        summary=[
            (_("Application"), f"{application.reference} — {application.organisation}"),
            (_("Rapporteur"), consensus.rapporteur),
        ],
        action=request.path,
        cancel_url=reverse("review:consensus", args=[consensus.pk]),
        confirm_label=_("Approve the consensus"),
    )


@login_required
@require_POST
def send_back(request, pk):
    """The officer sends the consensus back to its rapporteur with what to change."""
    consensus = _manageable(request, pk)
    form = SendBackConsensusForm(request.POST)
    if form.is_valid() and run(
        request,
        consensus_services.send_back,
        consensus,
        by=request.user,
        reason=form.cleaned_data["reason"],
        form=form,
        conflict=CONFLICT,
    ):
        messages.success(request, _("The consensus is sent back to its rapporteur."))
        return redirect("review:consensus", pk=consensus.pk)
    return _page(request, consensus, send_back_form=form, status=400)


@login_required
@require_POST
def name_rapporteur(request, slug, pk):
    """The officer names (or changes) the rapporteur of a dossier of the call."""
    call = get_staff_call(request.user, slug, "review.manage_reviews")
    application = get_object_or_404(call.applications, pk=pk)
    form = RapporteurForm(
        request.POST, reviewers=consensus_services.eligible_rapporteurs(application)
    )
    if not form.is_valid():
        for error in form.errors.get("rapporteur", []):
            messages.error(request, error)
    elif run(
        request,
        consensus_services.name_rapporteur,
        application,
        by=request.user,
        rapporteur=form.cleaned_data["rapporteur"],
        conflict=CONFLICT,
    ):
        messages.success(
            request,
            _("%(name)s is the rapporteur of the consensus on %(reference)s.")
            % {"name": form.cleaned_data["rapporteur"], "reference": application.reference},
        )
    return redirect("review:consensus_list", slug=call.slug)


def _submitted_reviews():
    """The accepted assignments with a submitted review: a dossier's possible rapporteurs."""
    return Prefetch(
        "assignments",
        queryset=Assignment.objects.filter(
            state=Assignment.State.ACCEPTED, review__state=Review.State.SUBMITTED
        )
        .select_related("reviewer")
        .order_by("assigned_at", "pk"),
        to_attr="reviewed_by",
    )


@login_required
@require_safe
def consensus_list(request, slug):
    """The call's consensuses with their state and rapporteur, then the reviewed dossiers
    without one (those whose reviewers disagree first), where officers name a rapporteur."""
    call = get_staff_call(request.user, slug, "review.view_ranking")
    consensuses = (
        Consensus.objects.filter(application__call=call)
        .select_related("application__organisation", "rapporteur")
        .prefetch_related(
            Prefetch(
                "application__assignments",
                queryset=_submitted_reviews().queryset,
                to_attr="reviewed_by",
            )
        )
        .order_by("application__reference")
    )
    awaiting = (
        call.applications.filter(
            state__in=consensus_services.OPEN_TO_CONSENSUS, consensus__isnull=True
        )
        .select_related("organisation")
        .annotate(
            flagged=Coalesce(F("standing__disagreement"), Value(False), output_field=BooleanField())
        )
        .prefetch_related(_submitted_reviews())
        .order_by("-flagged", "reference")
    )
    page = Paginator(awaiting, AWAITING_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "review/staff/consensus_list.html",
        {
            "call": call,
            "consensuses": consensuses,
            "page": page,
            "awaiting": page.object_list,
            "can_manage": rules.has_perm("review.manage_consensus", request.user, call),
        },
    )
