"""The person's inbox: the portal's messages to them, read here whether or not they were
also emailed (``portal.notifications``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from portal import notifications
from portal.models import Notification

PER_PAGE = 20


def _mine(request, pk: int) -> Notification:
    """One of the person's notifications; anyone else's is a 404."""
    return get_object_or_404(Notification, pk=pk, recipient=request.user)


@login_required
@require_safe
def inbox(request):
    page = Paginator(notifications.inbox(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "portal/notifications/inbox.html", {"page": page})


@login_required
@require_safe
def notification(request, pk: int):
    """Follow a notification's link, marking it read (without a link: back to the inbox)."""
    item = _mine(request, pk)
    notifications.mark_read(item)
    if item.link and url_has_allowed_host_and_scheme(item.link, allowed_hosts=None):
        return redirect(item.link)
    return redirect("portal:notifications")


@login_required
@require_POST
def mark_read(request, pk: int):
    notifications.mark_read(_mine(request, pk))
    return redirect(_back(request))


@login_required
@require_POST
def mark_all_read(request):
    count = notifications.mark_all_read(request.user)
    messages.success(
        request,
        ngettext(
            "%(count)d notification marked as read.",
            "%(count)d notifications marked as read.",
            count,
        )
        % {"count": count},
    )
    return redirect(_back(request))


def _back(request) -> str:
    """The inbox page the person was on."""
    page = request.POST.get("page", "")
    url = reverse("portal:notifications")
    return f"{url}?page={page}" if page.isdigit() else url
