"""Objects of this app looked up for a person, or a 404: for views, exports and tasks alike,
in this app and in the apps above it (a view module is reached through its URLconf only,
see ``.importlinter``)."""

import rules
from django.http import Http404
from django.shortcuts import get_object_or_404

from applications.models import Application, Call, Document, Mailing


def get_staff_call(user, slug: str, perm: str = "applications.view_programme") -> Call:
    """A call of a programme where ``user`` is staff and holds ``perm``; 404 otherwise.
    Takes a user, not a request: export tasks ask it too."""
    call = get_object_or_404(
        Call.objects.staff_visible_to(user).select_related("programme"), slug=slug
    )
    if not rules.has_perm(perm, user, call):
        raise Http404
    return call


def get_staff_mailing(user, pk: int, perm: str = "applications.view_mailings") -> Mailing:
    """A mailing of a call of a programme where ``user`` is staff and holds ``perm``; 404
    otherwise."""
    mailing = get_object_or_404(
        Mailing.objects.filter(call__in=Call.objects.staff_visible_to(user)).select_related(
            "call__programme", "sent_by"
        ),
        pk=pk,
    )
    if not rules.has_perm(perm, user, mailing):
        raise Http404
    return mailing


def get_document(user, application_pk: int, document_pk: int) -> Document:
    """A supporting document of a dossier, if ``user`` may read the dossier's documents
    (``applications.view_documents``: members, staff once submitted, the reviewers of
    accepted assignments); a 404 for everyone else, whatever the reason."""
    document = get_object_or_404(
        Document.objects.select_related("application__call__programme"),
        pk=document_pk,
        application=application_pk,
    )
    # rules.has_perm, not user.has_perm: the latter lets superusers do anything.
    if not rules.has_perm("applications.view_documents", user, document.application):
        raise Http404
    return document


def get_application(user, pk: int, perm: str = "applications.view_application") -> Application:
    """The dossier if ``user`` holds ``perm`` on it; a 404 for everyone else."""
    application = get_object_or_404(
        Application.objects.visible_to(user).select_related("call__programme", "organisation"),
        pk=pk,
    )
    # rules.has_perm, not user.has_perm: the latter lets superusers do anything, the rules
    # name administrators exactly where they may act.
    if not rules.has_perm(perm, user, application):
        raise Http404
    return application
