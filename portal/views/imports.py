"""A large import's page: its progress, then its row errors or the button that imports a
valid file (see ``portal.imports``). Only its owner sees it, while they may still import
those records in the admin."""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from portal.imports import model_admin_of
from portal.models import BackgroundImport

REFRESH_SECONDS = 3


def get_import(request, pk) -> BackgroundImport:
    """The user's own import, while they may import these records; 404 otherwise."""
    job = get_object_or_404(BackgroundImport, pk=pk, owner=request.user)
    model_admin = model_admin_of(job)
    if not (request.user.is_active and request.user.is_staff):
        raise Http404
    if not model_admin.has_import_permission(request):
        raise Http404
    return job


@never_cache
@login_required
@require_safe
def import_detail(request, pk):
    """Progress, reloaded by the browser every few seconds (no JavaScript) while a task
    works on the file; then the row errors, or the counts and the confirm button."""
    job = get_import(request, pk)
    model = model_admin_of(job).model
    response = render(
        request,
        "portal/imports/detail.html",
        {
            "job": job,
            "records": model._meta.verbose_name_plural,
            "changelist": f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist",
            "refresh": REFRESH_SECONDS if job.is_running else None,
        },
    )
    if job.is_running:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@never_cache
@login_required
@require_POST
def import_confirm(request, pk):
    """Import a checked file: the task validates every row again and writes them all in
    one transaction, or nothing."""
    from portal.tasks import import_file

    job = get_import(request, pk)
    started = BackgroundImport.objects.filter(
        pk=job.pk, state=BackgroundImport.State.CHECKED
    ).update(state=BackgroundImport.State.IMPORTING, rows_done=0)
    if started:
        transaction.on_commit(lambda: import_file.using(queue_name="exports").enqueue(str(job.pk)))
    return redirect(job)
