"""A staff member's API tokens: made with scopes and a last valid day, shown once, revoked."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from api.forms import TokenForm
from api.models import ApiToken


@login_required
def token_list(request):
    """The person's tokens and the form for a new one; a new token's secret is shown on the
    page that answers its creation, and never again."""
    if not rules.has_perm("api.make_token", request.user):
        raise Http404
    form = TokenForm(request.user, request.POST if request.method == "POST" else None)
    secret = None
    if request.method == "POST" and form.is_valid():
        _token, secret = ApiToken.make(request.user, **form.cleaned_data)
        form = TokenForm(request.user)
    tokens = ApiToken.objects.filter(user=request.user)
    response = render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": tokens, "secret": secret},
        status=400 if form.errors else 200,
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if not rules.has_perm("api.revoke_token", request.user, token):
        raise Http404
    token.revoke()
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api:tokens")
