"""Each role's dashboard: what that person has to do, growing as the programme grows."""

from datetime import timedelta

import rules
from axes.models import AccessAttempt
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from portal.dashboards import panels_for
from portal.models import Invitation, Organisation, OutgoingEmail, User
from portal.roles import Role, primary_role


@login_required
@require_safe
def dashboard(request):
    """Where sign-in leads: the dashboard of the person's most senior role."""
    return redirect("portal:role_dashboard", role=primary_role(request.user).value)


@login_required
@require_safe
def role_dashboard(request, role):
    try:
        role = Role(role)
    except ValueError:
        raise Http404 from None
    # rules.has_perm, not user.has_perm: a superuser is not every role.
    if not rules.has_perm(f"portal.view_{role.value}_dashboard", request.user):
        raise Http404
    context = {
        "role": role,
        "panels": panels_for(role, request.user),
        **_CONTEXT[role](request.user),
    }
    return render(request, f"portal/dashboard/{role.value}.html", context)


def _applicant(user) -> dict:
    organisations = (
        Organisation.objects.of_member(user)
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("legal_name")
    )
    invitations = Invitation.objects.pending().for_email(user.email).select_related("organisation")
    return {"organisations": organisations, "invitations": invitations}


def _reviewer(user) -> dict:
    return {}


def _key_figures() -> dict:
    since = timezone.now() - timedelta(days=30)
    return {
        "organisation_count": Organisation.objects.count(),
        "organisations_by_province": Organisation.objects.count_by_province(),
        "new_accounts": User.objects.filter(date_joined__gte=since, is_active=True).count(),
    }


def _admin(user) -> dict:
    return {
        **_key_figures(),
        "users_by_role": [
            (Role(name).label if name in Role.values else name, count)
            for name, count in User.objects.filter(is_active=True)
            .values_list("groups__name")
            .annotate(count=Count("pk"))
            .order_by("groups__name")
        ],
        "unconfirmed_accounts": User.objects.filter(is_active=False).count(),
        "failed_emails": OutgoingEmail.objects.failed().count(),
        "failed_sign_ins": AccessAttempt.objects.aggregate(total=Sum("failures_since_start"))[
            "total"
        ]
        or 0,
    }


_CONTEXT = {
    Role.APPLICANT: _applicant,
    Role.REVIEWER: _reviewer,
    Role.OFFICER: lambda user: _key_figures(),
    Role.MINISTRY: lambda user: _key_figures(),
    Role.ADMIN: _admin,
}
