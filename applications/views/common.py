import rules
from django.http import Http404
from django.shortcuts import get_object_or_404

from applications.models import Application


def get_application(request, pk: int, perm: str = "applications.view_application") -> Application:
    """The dossier if the user holds ``perm`` on it; a 404 for everyone else."""
    application = get_object_or_404(
        Application.objects.visible_to(request.user).select_related(
            "call__programme", "organisation"
        ),
        pk=pk,
    )
    # rules.has_perm, not user.has_perm: the latter lets superusers do anything, the rules
    # name administrators exactly where they may act.
    if not rules.has_perm(perm, request.user, application):
        raise Http404
    return application
