"""Sign-in through an OpenID Connect provider (portal/oidc.py): the button's POST sends the
person to the provider, which sends them back to ``callback``."""

import logging
from urllib.parse import urlencode

from authlib.common.errors import AuthlibBaseError
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import LogoutView
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from joserfc.errors import JoseError
from requests import RequestException

from portal import oidc

log = logging.getLogger(__name__)

# Where the person goes after signing in, kept in the session across the provider's pages.
NEXT_KEY = "oidc_next"
# The provider the person signed in with, so that signing out also ends its session.
PROVIDER_KEY = "oidc_provider"


def _provider(name: str) -> oidc.Provider:
    provider = oidc.get_provider(name)
    if provider is None:
        raise Http404
    return provider


def _failed(request, message: str):
    messages.error(request, message)
    return redirect("portal:login")


@require_POST
def start(request, provider):
    """Send the person to the provider's sign-in page (state, nonce and PKCE verifier in the
    session)."""
    provider = _provider(provider)
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        request.session[NEXT_KEY] = next_url
    redirect_uri = request.build_absolute_uri(reverse("portal:oidc_callback", args=[provider.name]))
    try:
        return oidc.client(provider).authorize_redirect(request, redirect_uri)
    except (AuthlibBaseError, RequestException, ValueError) as error:
        log.warning("OIDC provider %s unreachable: %s", provider.name, type(error).__name__)
        return _failed(request, _("The sign-in service cannot be reached. Please try later."))


@require_GET
def callback(request, provider):
    """The provider's answer: a code exchanged (with the PKCE verifier) for a signed ID token,
    then the account it belongs to."""
    provider = _provider(provider)
    client = oidc.client(provider)
    try:
        # The ID token's issuer must be the configured one, not only the one the discovery
        # document names.
        token = client.authorize_access_token(
            request, claims_options={"iss": {"essential": True, "values": [provider.issuer]}}
        )
        claims = dict(token.get("userinfo") or {})
        if client.load_server_metadata().get("userinfo_endpoint"):
            userinfo = client.userinfo(token=token)
            if userinfo.get("sub") == claims.get("sub"):
                claims.update(userinfo)
    except (AuthlibBaseError, JoseError) as error:
        # Only the error's code is logged: its description may quote the person's data.
        code = getattr(error, "error", "") or type(error).__name__
        log.info("OIDC sign-in through %s refused: %s", provider.name, code)
        if code == "mismatching_state":
            message = _(
                "This sign-in link is not the one Guichet started, or it was already used. "
                "Please sign in again."
            )
        elif code == "access_denied":
            message = _("The sign-in was cancelled.")
        else:
            message = _("The sign-in service refused the sign-in. Please sign in again.")
        return _failed(request, message)
    except (RequestException, ValueError) as error:
        log.warning("OIDC provider %s failed: %s", provider.name, type(error).__name__)
        return _failed(request, _("The sign-in service cannot be reached. Please try later."))

    current = request.user if request.user.is_authenticated else None
    try:
        user = oidc.account_for(provider, claims, current=current)
    except oidc.SignInRefused as refused:
        return _failed(request, str(refused))
    finally:
        claims.clear()
    next_url = request.session.pop(NEXT_KEY, "")
    if current is not None:
        messages.success(
            request, _("You may now sign in through %(service)s.") % {"service": provider.label}
        )
        return redirect("portal:profile")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[PROVIDER_KEY] = provider.name
    return redirect(next_url or "portal:dashboard")


class SignOutView(LogoutView):
    """Signing out ends the portal's session and, after a sign-in through a provider that
    offers it, the provider's session too (OpenID Connect RP-initiated logout): the person
    passes by the provider's page and comes back to the home page."""

    def post(self, request, *args, **kwargs):
        provider = oidc.get_provider(request.session.get(PROVIDER_KEY, ""))
        response = super().post(request, *args, **kwargs)
        if provider is None:
            return response
        try:
            end_session = oidc.client(provider).load_server_metadata().get("end_session_endpoint")
        except (AuthlibBaseError, RequestException, ValueError):
            end_session = None
        if not end_session:
            return response
        # The ID token is not kept (it may carry the national number), so the provider is
        # told which client signs out rather than given the token back as a hint.
        query = urlencode(
            {
                "client_id": provider.client_id,
                "post_logout_redirect_uri": request.build_absolute_uri(reverse("portal:home")),
            }
        )
        separator = "&" if "?" in end_session else "?"
        return HttpResponseRedirect(f"{end_session}{separator}{query}")
