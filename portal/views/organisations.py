from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from portal import services, throttle
from portal.forms import InvitationForm, OrganisationForm
from portal.models import Invitation, Membership, Organisation

LAST_OWNER = gettext_lazy("An organisation keeps at least one manager: name another manager first.")


def get_organisation(request, pk: int, perm: str = "portal.view_organisation") -> Organisation:
    """The organisation if ``request.user`` holds ``perm`` on it; 404 otherwise."""
    organisation = get_object_or_404(Organisation.objects.visible_to(request.user), pk=pk)
    if not request.user.has_perm(perm, organisation):
        raise Http404
    return organisation


@login_required
@require_safe
def organisation_list(request):
    organisations = Organisation.objects.of_member(request.user).order_by("legal_name")
    return render(request, "portal/organisations/list.html", {"organisations": organisations})


@login_required
def organisation_create(request):
    """Register an organisation; "Look up" fills the form from the enterprise register for
    the number typed, and the person checks the details and registers it."""
    if request.method == "POST" and "lookup" in request.POST:
        form, details = OrganisationForm.looked_up(request.POST)
        if details is not None:
            messages.info(
                request,
                _(
                    "Filled in from the Crossroads Bank for Enterprises: check the details, "
                    "complete them and register the organisation."
                ),
            )
        elif not form.errors:
            messages.info(
                request,
                _("The enterprise register is not available here: fill in the details yourself."),
            )
        return render(request, "portal/organisations/form.html", {"form": form, "details": details})
    form = OrganisationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        organisation = services.create_organisation(form.save(commit=False), owner=request.user)
        messages.success(
            request, _("The organisation %(name)s is created.") % {"name": organisation}
        )
        return redirect(organisation)
    return render(request, "portal/organisations/form.html", {"form": form})


@login_required
@require_safe
def organisation_detail(request, pk):
    organisation = get_organisation(request, pk)
    memberships = organisation.memberships.select_related("user").order_by("user__full_name")
    invitations = organisation.invitations.pending().select_related("invited_by")
    return render(
        request,
        "portal/organisations/detail.html",
        {"organisation": organisation, "memberships": memberships, "invitations": invitations},
    )


@login_required
def organisation_edit(request, pk):
    organisation = get_organisation(request, pk, "portal.change_organisation")
    form = OrganisationForm(
        request.POST if request.method == "POST" else None, instance=organisation
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The organisation's details are saved."))
        return redirect(organisation)
    return render(
        request, "portal/organisations/form.html", {"form": form, "organisation": organisation}
    )


@login_required
def organisation_invite(request, pk):
    organisation = get_organisation(request, pk, "portal.manage_members")
    form = InvitationForm(
        request.POST if request.method == "POST" else None, organisation=organisation
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and not throttle.allow("invitations", str(organisation.pk), limit=20, period=24 * 3600)
    ):
        form.add_error(
            None, _("This organisation has sent many invitations today. Try again tomorrow.")
        )
    elif request.method == "POST" and form.is_valid():
        services.invite(organisation, form.cleaned_data["email"], by=request.user)
        messages.success(
            request,
            _("An invitation is on its way to %(email)s.") % {"email": form.cleaned_data["email"]},
        )
        return redirect(organisation)
    return render(
        request,
        "portal/organisations/invite.html",
        {"form": form, "organisation": organisation},
    )


@login_required
@require_POST
def membership_remove(request, pk, membership_pk):
    organisation = get_organisation(request, pk, "portal.manage_members")
    membership = get_object_or_404(organisation.memberships, pk=membership_pk)
    try:
        services.remove_member(membership)
    except services.LastOwnerError:
        messages.error(request, LAST_OWNER)
    else:
        messages.success(request, _("%(name)s is no longer a member.") % {"name": membership.user})
    return redirect(organisation)


@login_required
@require_POST
def membership_role(request, pk, membership_pk):
    """An owner makes a member a co-owner, or an owner a plain member."""
    organisation = get_organisation(request, pk, "portal.manage_members")
    membership = get_object_or_404(organisation.memberships, pk=membership_pk)
    role = request.POST.get("role")
    if role not in Membership.Role.values:
        raise Http404
    try:
        services.set_role(membership, role)
    except services.LastOwnerError:
        messages.error(request, LAST_OWNER)
    else:
        messages.success(
            request,
            _("%(name)s is now %(role)s.")
            % {"name": membership.user, "role": membership.get_role_display()},
        )
    return redirect(organisation)


@login_required
def invitation(request, token):
    """The page an invitation link opens: the invitee, once signed in, accepts it."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("organisation", "invited_by"), token=token
    )
    if request.method == "POST":
        try:
            services.accept_invitation(invitation, request.user)
        except services.InvitationError:
            pass
        else:
            messages.success(
                request,
                _("You are now a member of %(name)s.") % {"name": invitation.organisation},
            )
            return redirect(invitation.organisation)
    problem = invitation.problem_for(request.user)
    already_member = Membership.objects.filter(
        user=request.user, organisation=invitation.organisation
    ).exists()
    return render(
        request,
        "portal/organisations/invitation.html",
        {"invitation": invitation, "problem": problem, "already_member": already_member},
        status=200 if problem is None else 400,
    )
