"""The reviewer's pages: their assignments, the answer, the scoring."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from applications.access import get_document
from portal import uploads
from portal.refusals import run
from review import services
from review.forms import AnswerForm, ReviewForm
from review.models import Assignment, Consensus, Review


def get_assignment(request, pk: int, perm: str = "review.view_assignment") -> Assignment:
    """The reviewer's own assignment; a 404 for anybody else."""
    assignment = get_object_or_404(
        Assignment.objects.filter(reviewer=request.user).select_related(
            "application__call__programme", "application__organisation"
        ),
        pk=pk,
    )
    if not rules.has_perm(perm, request.user, assignment):
        raise Http404
    return assignment


@login_required
@require_safe
def assignment_list(request):
    assignments = (
        Assignment.objects.filter(reviewer=request.user)
        .select_related("application__call", "review")
        .to_do_first()
    )
    # The consensuses they write as rapporteur, those still to write first.
    consensuses = (
        Consensus.objects.filter(rapporteur=request.user)
        .select_related("application__call")
        .order_by(
            Case(When(state=Consensus.State.DRAFTING, then=0), default=1),
            "-named_at",
            "-pk",
        )
    )
    return render(
        request,
        "review/assignment_list.html",
        {"assignments": assignments, "consensuses": consensuses},
    )


@login_required
def assignment_detail(request, pk):
    """Invited: answer. Accepted: read and score. Declined or conflicted: nothing more."""
    assignment = get_assignment(request, pk)
    if assignment.state == Assignment.State.INVITED:
        return _answer(request, assignment)
    if assignment.state != Assignment.State.ACCEPTED:
        return render(request, "review/closed.html", {"assignment": assignment})
    return _score(request, assignment)


def _answer(request, assignment):
    form = AnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
        operation = {
            "accept": lambda: services.accept(assignment, by=request.user, declaration=reason),
            "decline": lambda: services.decline(assignment, by=request.user, reason=reason),
            "conflict": lambda: services.declare_conflict(
                assignment, by=request.user, reason=reason
            ),
        }[action]
        if run(request, operation):
            messages.success(request, _("Your answer is recorded."))
            return redirect("review:assignment", pk=assignment.pk)
    return render(request, "review/answer.html", {"assignment": assignment, "form": form})


def _score(request, assignment):
    application = assignment.application
    review = Review.objects.filter(assignment=assignment).prefetch_related("scores").first()
    scores = {s.criterion_id: (s.value, s.comment) for s in review.scores.all()} if review else {}
    submitted = review is not None and review.state == Review.State.SUBMITTED
    form = ReviewForm(
        request.POST if request.method == "POST" and not submitted else None,
        criteria=application.call.criteria.all(),
        half_points=application.call.half_points,
        scores=scores,
        initial={
            "overall_comment": review.overall_comment if review else "",
            "recommendation": review.recommendation if review else "",
        },
    )
    if request.method == "POST" and not submitted and form.is_valid():
        submitting = "submit" in request.POST

        def save_then_submit():
            # The draft is saved first, so that nothing typed is lost when the submission
            # is refused; each refusal is shown next to the field it is about.
            saved = services.save_review(
                assignment,
                form.values(),
                overall_comment=form.cleaned_data["overall_comment"],
                recommendation=form.cleaned_data["recommendation"],
                by=request.user,
            )
            if submitting:
                services.submit_review(saved, by=request.user)

        if run(
            request,
            save_then_submit,
            form=form,
            conflict=_("Your review changed in another window: check it and try again."),
        ):
            if submitting:
                messages.success(request, _("Your review is submitted."))
            else:
                messages.success(request, _("Your draft review is saved."))
            return redirect("review:assignment", pk=assignment.pk)
        review = Review.objects.filter(assignment=assignment).first()
    others = Review.objects.peers_visible_to(review)
    context = {
        "assignment": assignment,
        "application": application,
        "form": form,
        "review": review,
        "submitted": submitted,
        "own_scores": review.scores.select_related("criterion") if review else [],
        "others": others,
        "documents": application.documents.select_related("document_type"),
        "answers": application.eligibility_answers.select_related("question"),
    }
    return render(request, "review/score.html", context, status=400 if form.errors else 200)


@login_required
@require_safe
def document(request, pk, document_pk):
    """A document of the dossier of the reviewer's own assignment, served as the one rule
    says (``applications.view_documents``: while the assignment is accepted)."""
    assignment = get_object_or_404(Assignment, pk=pk, reviewer=request.user)
    item = get_document(request.user, assignment.application_id, document_pk)
    return uploads.download(
        item.file.open("rb"), filename=item.original_name, content_type=item.content_type
    )
