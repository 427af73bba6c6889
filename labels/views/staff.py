import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from labels import services
from labels.filters import staff_labels
from labels.forms import ReasonForm
from labels.views.holder import get_label
from portal import exports
from portal.confirmation import confirmation_page, is_confirmed
from portal.dashboards import panels_for
from portal.pagination import filtered_page
from portal.refusals import run
from portal.transitions import history


@login_required
@require_safe
def label_list(request):
    filterset = staff_labels(request.user, request.GET)
    return render(request, "labels/staff/list.html", filtered_page(request, filterset, 50))


@login_required
@require_safe
def export(request, fmt):
    """The current filter of the list in ``fmt`` (see ``portal.exports``)."""
    return exports.respond(request, "labels", fmt)


@login_required
def detail(request, number):
    """A label for staff: its timeline and, for officers, suspend / reinstate / revoke.
    A missing reason comes back on the page, linked to its field; a revocation goes
    through its confirmation page (``portal.confirmation``), errors included."""
    label = get_label(request, number)
    if not rules.has_perm("applications.view_programme", request.user, label.programme):
        raise Http404
    can_manage = rules.has_perm("labels.manage_label", request.user, label)
    action = request.POST.get("action") if request.method == "POST" else None
    forms = {
        name: ReasonForm(request.POST if action == name else None, prefix=name)
        for name in ("suspend", "revoke")
    }
    if action:
        if not can_manage or action not in {"suspend", "revoke", "reinstate"}:
            raise Http404
        if action == "revoke":
            return _revoke(request, label, forms["revoke"])
        form = forms.get(action)
        if form is None or form.is_valid():
            operation = {
                "suspend": lambda: services.suspend(
                    label, by=request.user, reason=form.cleaned_data["reason"]
                ),
                "reinstate": lambda: services.reinstate(label, by=request.user),
            }[action]
            if run(request, operation):
                messages.success(
                    request,
                    _("The label is now “%(state)s”.") % {"state": label.get_state_display()},
                )
            return redirect("labels:staff_detail", number=label.number)
    return render(
        request,
        "labels/staff/detail.html",
        {
            "label": label,
            "timeline": history(label),
            "can_manage": can_manage,
            "suspend_form": forms["suspend"],
            "revoke_form": forms["revoke"],
            "panels": panels_for("label_staff_page", label),
        },
        status=400 if action else 200,
    )


def _revoke(request, label, form):
    """Revoke the label, after a confirmation page that says it is final."""
    if (
        form.is_valid()
        and is_confirmed(request)
        and run(
            request,
            services.revoke,
            label,
            by=request.user,
            reason=form.cleaned_data["reason"],
            form=form,
        )
    ):
        messages.success(
            request, _("The label is now “%(state)s”.") % {"state": label.get_state_display()}
        )
        return redirect("labels:staff_detail", number=label.number)
    return confirmation_page(
        request,
        form=form,
        hidden={"action": "revoke"},
        kicker=label.programme.name,
        title=_("Revoke the label %(number)s") % {"number": label.number},
        consequence=_(
            "A revoked label cannot be reinstated: from now on its public page and "
            "its verification show it as revoked, and its holder is told."
        ),
        summary=[(_("Holder"), label.organisation.legal_name)],
        action=request.path,
        cancel_url=request.path,
        confirm_label=_("Revoke the label"),
    )
