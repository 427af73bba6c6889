import rules
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from applications.models import Application
from portal.transitions import ConcurrentTransition, TransitionRefused


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


def run(request, operation, *args, conflict=None, **kwargs) -> bool:
    """Run a service operation that performs a transition; report failure as messages
    (``conflict``: the message for a concurrent change, when the object is not a dossier)."""
    try:
        operation(*args, **kwargs)
    except TransitionRefused as refused:
        for reason in refused.reasons:
            messages.error(request, reason)
    except ConcurrentTransition:
        messages.error(
            request,
            conflict
            or _(
                "Someone else changed this application in the meantime. Nothing was lost: check "
                "its current state below and try again if still needed."
            ),
        )
    except PermissionError:
        raise Http404 from None
    else:
        return True
    return False
