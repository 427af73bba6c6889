"""A large export's progress page and its download, for the person who asked for it."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from portal.exports import FORMATS, source
from portal.models import BackgroundExport

REFRESH_SECONDS = 3


def get_export(request, pk) -> BackgroundExport:
    """The user's own export; 404 for anyone else's."""
    return get_object_or_404(BackgroundExport, pk=pk, owner=request.user)


@never_cache
@login_required
@require_safe
def export_detail(request, pk):
    """Progress of an export, reloaded by the browser every few seconds (no JavaScript)
    until the file is ready, then its download link."""
    export = get_export(request, pk)
    response = render(
        request,
        "portal/exports/detail.html",
        {"export": export, "refresh": REFRESH_SECONDS if export.is_running else None},
    )
    if export.is_running:
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@never_cache
@login_required
@require_safe
def export_download(request, pk):
    """The file, while its owner still may export what it holds (rights are checked
    again: a person who left the programme no longer downloads its data)."""
    export = get_export(request, pk)
    if export.state != BackgroundExport.State.DONE or not export.file:
        raise Http404
    source(export.kind, request.user, QueryDict(export.query), export.scope)
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.file.name.rsplit("/", 1)[-1],
        content_type=FORMATS[export.format].content_type,
    )
