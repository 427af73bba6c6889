"""The evaluation summary of a dossier, as PDF (``review.summary``, ``review.pdf``)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_safe

from applications.access import get_application
from review import pdf


@login_required
@require_safe
def evaluation_summary(request, pk):
    """The summary drawn now, in the applicant's language (as the letter it is attached
    to): the applicant once the minister has decided, the agency and the ministry once the
    review is complete (``review.view_evaluation_summary``); a 404 for everyone else."""
    application = get_application(request.user, pk, perm="review.view_evaluation_summary")
    response = HttpResponse(pdf.evaluation_summary(application), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{application.reference}-evaluation-summary.pdf"'
    )
    return response
