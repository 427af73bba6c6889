"""The holder's pages: their labels' non-conformities, answering one, and the evidence
documents their programme's conditions ask for."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from labels.models import Label
from labels.rules import is_holder
from portal.refusals import run
from surveillance import services
from surveillance.forms import AnswerForm, EvidenceForm
from surveillance.models import Condition, Evidence, NonConformity


@login_required
@require_safe
def case_list(request):
    cases = (
        NonConformity.objects.visible_to(request.user)
        .select_related("label", "condition")
        .order_by("-opened_on", "-pk")
    )
    return render(request, "surveillance/holder/case_list.html", {"cases": cases})


@login_required
def case_detail(request, pk):
    """A case of one of the holder's labels: what fails, by when, and the form to answer
    with a comment and/or a document while it is pending."""
    case = get_object_or_404(
        NonConformity.objects.visible_to(request.user)
        .select_related("label__programme", "label__organisation", "condition")
        .distinct(),
        pk=pk,
    )
    if not rules.has_perm("surveillance.view_non_conformity", request.user, case):
        raise Http404
    may_answer = case.state in NonConformity.PENDING and rules.has_perm(
        "surveillance.answer_non_conformity", request.user, case
    )
    posted = request.method == "POST"
    if posted and not may_answer:
        raise Http404
    form = AnswerForm(request.POST if posted else None, request.FILES if posted else None)
    if (
        posted
        and form.is_valid()
        and run(
            request,
            services.answer,
            case,
            by=request.user,
            comment=form.cleaned_data["comment"],
            upload=form.cleaned_data["file"] or None,
            form=form,
            conflict=services.CASE_CONFLICT,
        )
    ):
        messages.success(request, _("Your answer is sent to the programme's officers."))
        return redirect("surveillance:case", pk=case.pk)
    return render(
        request,
        "surveillance/holder/case_detail.html",
        {
            "case": case,
            "answers": case.answers.select_related("by"),
            "may_answer": may_answer,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
def evidence(request, number):
    """The evidence documents the label's programme asks for (an insurance certificate),
    those uploaded, and the form to upload one."""
    label = get_object_or_404(Label.objects.select_related("programme"), number=number)
    if not is_holder(request.user, label):
        raise Http404
    conditions = Condition.objects.filter(
        programme=label.programme, kind=Condition.Kind.EVIDENCE, active=True
    )
    if not conditions.exists():
        raise Http404
    posted = request.method == "POST"
    if posted and label.state != Label.State.ACTIVE:
        raise Http404
    form = EvidenceForm(
        request.POST if posted else None, request.FILES if posted else None, conditions=conditions
    )
    if posted and form.is_valid():
        services.upload_evidence(
            label, form.cleaned_data["condition"], form.cleaned_data["file"], by=request.user
        )
        messages.success(request, _("The document is uploaded."))
        return redirect("surveillance:evidence", number=label.number)
    return render(
        request,
        "surveillance/holder/evidence.html",
        {
            "label": label,
            "form": form,
            "uploaded": Evidence.objects.filter(label=label).select_related("condition"),
        },
        status=400 if form.errors else 200,
    )
