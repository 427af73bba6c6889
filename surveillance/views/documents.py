"""The documents of a label's surveillance, served back (``portal.uploads.download``) to
the holder's members and the programme's staff; a 404 for everyone else."""

import rules
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from portal import uploads
from surveillance.models import Answer, Evidence


@login_required
@require_safe
def answer_file(request, pk, answer_pk):
    """A document the holder attached to an answer, for the holder and the staff."""
    answer = get_object_or_404(Answer.objects.select_related("non_conformity__label"), pk=answer_pk)
    case = answer.non_conformity
    if case.pk != pk or not answer.file:
        raise Http404
    if not rules.has_perm("surveillance.view_non_conformity", request.user, case):
        raise Http404
    return uploads.download(
        answer.file.open("rb"), filename=answer.original_name, content_type=answer.content_type
    )


@login_required
@require_safe
def evidence_file(request, number, pk):
    """An evidence document, for the holder and the programme's staff."""
    evidence = get_object_or_404(
        Evidence.objects.select_related("label__programme", "label__organisation"),
        pk=pk,
        label__number=number,
    )
    if not rules.has_perm("labels.view_label", request.user, evidence.label):
        raise Http404
    return uploads.download(
        evidence.file.open("rb"),
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
