from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from portal import services
from portal.forms import ProfileForm, SignUpForm
from portal.models import User


@sensitive_post_parameters("password1", "password2")
def sign_up(request):
    if request.user.is_authenticated:
        return redirect("portal:dashboard")
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.sign_up(
            full_name=form.cleaned_data["full_name"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            language=get_language(),
        )
        request.session["signed_up_email"] = form.cleaned_data["email"]
        return redirect("portal:sign_up_done")
    return render(request, "portal/accounts/sign_up.html", {"form": form})


def sign_up_done(request):
    return render(
        request,
        "portal/accounts/sign_up_done.html",
        {"email": request.session.get("signed_up_email")},
    )


def confirm_email(request, uidb64, token):
    """Follow the emailed link: activate the account and sign the person in."""
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if services.confirm_email(user, token):
        login(request, user, backend="django.contrib.auth.backends.AllowAllUsersModelBackend")
        messages.success(request, _("Your email address is confirmed. Welcome to Guichet."))
        return redirect("portal:dashboard")
    if user.is_active:
        messages.info(request, _("Your email address was already confirmed; please sign in."))
        return redirect("portal:login")
    return render(request, "portal/accounts/confirm_invalid.html", status=400)


@login_required
def profile(request):
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        translation.activate(request.user.language)
        messages.success(request, _("Your profile is saved."))
        return redirect("portal:profile")
    return render(request, "portal/accounts/profile.html", {"form": form})
