"""A call's mailings (its decisions, its hearing invitations): the list, each mailing's
preview before it is sent, its delivery afterwards, and the sending itself, for the
programme's staff (``applications.mailings``)."""

import rules
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST, require_safe

from applications import mailings
from applications.access import get_staff_call, get_staff_mailing
from portal.confirmation import confirmation_page, is_confirmed
from portal.refusals import run

CONFLICT = gettext_lazy(
    "Someone else sent this mailing in the meantime. Nothing was sent twice: check its page."
)


@login_required
@require_safe
def mailing_list(request, slug):
    """The call's mailings, newest first, each with how far its sending went."""
    call = get_staff_call(request.user, slug, "applications.view_mailings")
    rows = [
        (mailing, mailings.progress(mailing))
        for mailing in mailings.of_call(call).select_related("sent_by")
    ]
    return render(request, "applications/mailings/list.html", {"call": call, "rows": rows})


@login_required
@require_safe
def mailing_detail(request, pk):
    """Before sending, every message as it will leave (recipient, language, dossier, by
    email or in the portal only, the full text); afterwards, where each one stands."""
    mailing = get_staff_mailing(request.user, pk)
    entries = mailing.entries.select_related("recipient", "application", "email")
    return render(
        request,
        "applications/mailings/detail.html",
        {
            "mailing": mailing,
            "call": mailing.call,
            "entries": entries,
            "progress": mailings.progress(mailing),
            # rules.has_perm, not user.has_perm: the latter lets superusers do anything.
            "can_send": rules.has_perm("applications.send_mailing", request.user, mailing),
        },
    )


@login_required
@require_POST
def send(request, pk):
    """Send the mailing, after a confirmation page that says it cannot be called back."""
    mailing = get_staff_mailing(request.user, pk, "applications.send_mailing")
    form = forms.Form(request.POST)
    if (
        form.is_valid()
        and is_confirmed(request)
        and run(request, mailings.send, mailing, by=request.user, form=form, conflict=CONFLICT)
    ):
        messages.success(
            request,
            _("The mailing is sent: its emails leave in the background; follow them below."),
        )
        return redirect(mailing)
    progress = mailings.progress(mailing)
    return confirmation_page(
        request,
        form=form,
        kicker=mailing.call.title,
        title=_("Send the mailing: %(kind)s") % {"kind": mailing.get_kind_display()},
        consequence=_(
            "Every recipient receives their message in their inbox on the portal and, unless "
            "they read such messages in the portal only, by email. A message sent cannot be "
            "called back."
        ),
        summary=[
            (_("Call"), mailing.call.title),
            (_("Recipients"), progress["total"]),
            (_("In the portal only"), progress["portal_only"]),
        ],
        action=request.path,
        cancel_url=mailing.get_absolute_url(),
        confirm_label=_("Send the mailing"),
    )


@login_required
@require_POST
def send_failed_again(request, pk):
    """Give the mailing's failed emails a new round of attempts."""
    mailing = get_staff_mailing(request.user, pk, "applications.send_mailing")
    count = mailings.send_failed_again(mailing)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)s failed email is sent again.",
                "%(count)s failed emails are sent again.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("No email of this mailing has failed."))
    return redirect(mailing)
