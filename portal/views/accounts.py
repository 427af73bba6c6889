import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_safe

from portal import dashboards, oidc, privacy, services, throttle
from portal.forms import (
    AccountDeletionForm,
    NotificationChoicesForm,
    PasswordResetForm,
    ProfileForm,
    SignInForm,
    SignUpForm,
)
from portal.models import User
from portal.tokens import email_confirmation_token

TOO_MANY = gettext_lazy("Too many requests came from your connection. Please try again in an hour.")


class SignInView(LoginView):
    authentication_form = SignInForm
    template_name = "portal/accounts/sign_in.html"
    redirect_authenticated_user = True

    def get_initial(self):
        return {"username": self.request.GET.get("email", "")}

    def get_context_data(self, **kwargs):
        return super().get_context_data(providers=oidc.providers(), **kwargs)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "portal/accounts/password_reset.html"
    success_url = reverse_lazy("portal:password_reset_done")

    def form_valid(self, form):
        if not throttle.allow("password-reset-ip", throttle.client_ip(self.request), limit=20):
            form.add_error(None, TOO_MANY)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


@sensitive_post_parameters("password1", "password2")
def sign_up(request):
    if request.user.is_authenticated:
        return redirect("portal:dashboard")
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if not throttle.allow("sign-up-ip", throttle.client_ip(request), limit=10):
            form.add_error(None, TOO_MANY)
            return render(request, "portal/accounts/sign_up.html", {"form": form}, status=429)
        # A few messages an hour per address at most; beyond that, the page looks the same.
        if throttle.allow("sign-up-email", email, limit=3):
            services.sign_up(
                full_name=form.cleaned_data["full_name"],
                email=email,
                password=form.cleaned_data["password1"],
                language=get_language(),
            )
        request.session["signed_up_email"] = email
        return redirect("portal:sign_up_done")
    return render(request, "portal/accounts/sign_up.html", {"form": form})


@require_safe
def sign_up_done(request):
    return render(
        request,
        "portal/accounts/sign_up_done.html",
        {"email": request.session.get("signed_up_email")},
    )


def confirm_email(request, uidb64, token):
    """The emailed link opens a page whose button (a POST, so that mail scanners following
    links change nothing) activates the account; the person then signs in."""
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if user.is_active:
        messages.info(request, _("Your email address was already confirmed; please sign in."))
        return redirect("portal:login")
    if not email_confirmation_token.check_token(user, token):
        return render(request, "portal/accounts/confirm_invalid.html", status=400)
    if request.method == "POST" and services.confirm_email(user, token):
        messages.success(
            request, _("Your email address is confirmed. Sign in to start using Guichet.")
        )
        return redirect(f"{reverse('portal:login')}?email={user.email}")
    return render(request, "portal/accounts/confirm.html", {"email": user.email})


@login_required
def profile(request):
    data = request.POST if request.method == "POST" else None
    form = ProfileForm(data, instance=request.user)
    choices = NotificationChoicesForm(request.user, data)
    if request.method == "POST" and all([form.is_valid(), choices.is_valid()]):
        with transaction.atomic():
            form.save()
            choices.save()
        translation.activate(request.user.language)
        messages.success(request, _("Your profile is saved."))
        return redirect("portal:profile")
    providers = oidc.providers()
    linked = request.user.external_identities.values_list("provider", flat=True)
    context = {
        "form": form,
        "choices": choices,
        "providers": providers,
        "linked": set(linked) if providers else set(),
        # What the apps above add (the API's tokens).
        "panels": dashboards.panels_for("profile_page", request.user),
    }
    return render(request, "portal/accounts/profile.html", context)


@login_required
@require_GET
def personal_data(request):
    """The person's own data as a JSON file (GDPR right of access and portability)."""
    content = json.dumps(
        privacy.personal_data(request.user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
    )
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    filename = f"guichet-personal-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@sensitive_post_parameters("password")
@login_required
def account_delete(request):
    """Deleting one's account: the legal record stays, the person's identity goes."""
    obstacles = privacy.erasure_obstacles(request.user)
    form = AccountDeletionForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and not obstacles and form.is_valid():
        try:
            privacy.erase_account(request.user)
        except privacy.ErasureRefused as refused:
            obstacles = refused.reasons
        else:
            logout(request)
            messages.success(request, _("Your account is deleted. Goodbye."))
            return redirect("portal:home")
    return render(request, "portal/accounts/delete.html", {"form": form, "obstacles": obstacles})


def locked_out(request, original_response=None, credentials=None):
    """What django-axes shows once sign-in is blocked (HTTP 429)."""
    context = {
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "failures": settings.AXES_FAILURE_LIMIT,
    }
    return render(request, "portal/accounts/lockout.html", context, status=429)
