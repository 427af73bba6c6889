"""Showing a person why an operation was refused, in one place for every view.

A view calls a service operation through ``run``; the operation's refusals
(``TransitionRefused``, whose reasons may name a form field as ``Problem``) and a concurrent
change of the same object (``ConcurrentTransition``) come back as errors on the form when the
view has one — next to the field a reason names, and in the form's error summary — and as
messages otherwise; a ``PermissionError`` is a 404, as everywhere in the portal.
"""

from collections.abc import Callable, Iterable

from django.contrib import messages
from django.http import Http404
from django.utils.translation import gettext as _

from portal.transitions import ConcurrentTransition, TransitionRefused


def run(
    request, operation: Callable, *args, form=None, conflict: str | None = None, **kwargs
) -> bool:
    """Call ``operation(*args, **kwargs)``; True when it went through. Otherwise its reasons
    go onto ``form`` (``attach_problems``) or, without a form, into the messages.
    ``conflict``: the words for a concurrent change, when the object is not a dossier."""
    try:
        operation(*args, **kwargs)
    except TransitionRefused as refused:
        problems = refused.reasons
    except ConcurrentTransition:
        problems = [
            conflict
            or _(
                "Someone else changed this application in the meantime. Nothing was lost: "
                "check its current state and try again if still needed."
            )
        ]
    except PermissionError:
        raise Http404 from None
    else:
        return True
    if form is not None:
        attach_problems(form, problems)
    else:
        for problem in problems:
            messages.error(request, problem)
    return False


def attach_problems(form, problems: Iterable[str]) -> None:
    """Show the reasons an operation was refused on the form: next to the field a reason
    names (``portal.transitions.Problem.field``), or at the top of the form."""
    for problem in problems:
        field = getattr(problem, "field", None)
        form.add_error(field if field in form.fields else None, str(problem))
