"""A programme's webhooks, for its officers and the administrators; anyone else gets 404.

The secret is shown once, on the page that answers its creation or regeneration; no page
shows it again."""

import rules
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from applications.models import Programme
from portal.confirmation import confirmation_page, is_confirmed
from portal.pagination import filtered_page
from webhooks import services
from webhooks.filters import delivery_log
from webhooks.forms import EndpointForm
from webhooks.models import Endpoint


def _programme(request, slug) -> Programme:
    programme = get_object_or_404(Programme.objects.staff_visible_to(request.user), slug=slug)
    if not rules.has_perm("webhooks.manage_endpoints", request.user, programme):
        raise Http404
    return programme


def _endpoint(request, slug, pk) -> Endpoint:
    programme = _programme(request, slug)
    return get_object_or_404(programme.webhook_endpoints.select_related("programme"), pk=pk)


@login_required
@require_safe
def endpoint_list(request, slug):
    programme = _programme(request, slug)
    return render(
        request,
        "webhooks/endpoint_list.html",
        {"programme": programme, "endpoints": programme.webhook_endpoints.all()},
    )


@login_required
def endpoint_form(request, slug, pk=None):
    """Register an endpoint (its secret is then shown, once), or change one."""
    programme = _programme(request, slug)
    endpoint = get_object_or_404(programme.webhook_endpoints, pk=pk) if pk else None
    form = EndpointForm(request.POST if request.method == "POST" else None, instance=endpoint)
    if request.method == "POST" and form.is_valid():
        if endpoint is None:
            endpoint = form.save(commit=False)
            endpoint.programme = programme
            services.create_endpoint(endpoint, by=request.user)
            return _secret_page(request, endpoint, created=True)
        form.save()
        messages.success(request, _("The endpoint is saved."))
        return redirect("webhooks:endpoints", slug=programme.slug)
    return render(
        request,
        "webhooks/endpoint_form.html",
        {"programme": programme, "endpoint": endpoint, "form": form},
        status=400 if form.errors else 200,
    )


def _secret_page(request, endpoint, *, created):
    response = render(
        request,
        "webhooks/endpoint_secret.html",
        {"programme": endpoint.programme, "endpoint": endpoint, "created": created},
    )
    # The secret is shown once: no copy of the page is kept by the browser or a proxy.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def regenerate_secret(request, slug, pk):
    """A new secret, after a confirmation: the receiving system must take it at once."""
    endpoint = _endpoint(request, slug, pk)
    if is_confirmed(request):
        services.regenerate_secret(endpoint)
        return _secret_page(request, endpoint, created=False)
    return confirmation_page(
        request,
        form=forms.Form(),
        kicker=endpoint.programme.name,
        title=_("Regenerate the secret of %(url)s") % {"url": endpoint.url},
        consequence=_(
            "The current secret stops signing at once: the receiving system refuses the "
            "next deliveries until it has the new one, shown on the next page."
        ),
        action=request.path,
        cancel_url=endpoint.get_absolute_url(),
        confirm_label=_("Regenerate the secret"),
    )


@login_required
@require_POST
def delete(request, slug, pk):
    """Remove an endpoint and its delivery log, after a confirmation."""
    endpoint = _endpoint(request, slug, pk)
    if is_confirmed(request):
        services.delete_endpoint(endpoint)
        messages.success(request, _("The endpoint is removed."))
        return redirect("webhooks:endpoints", slug=slug)
    return confirmation_page(
        request,
        form=forms.Form(),
        kicker=endpoint.programme.name,
        title=_("Remove the endpoint %(url)s") % {"url": endpoint.url},
        consequence=_(
            "Nothing more is posted to it, and its delivery log is deleted, waiting "
            "deliveries included."
        ),
        action=request.path,
        cancel_url=endpoint.get_absolute_url(),
        confirm_label=_("Remove the endpoint"),
    )


@login_required
@require_POST
def resume(request, slug, pk):
    endpoint = _endpoint(request, slug, pk)
    waiting = services.resume(endpoint)
    messages.success(
        request,
        _("The endpoint is resumed; its waiting deliveries are being sent (%(count)s).")
        % {"count": waiting},
    )
    return redirect(endpoint)


@login_required
@require_safe
def deliveries(request, slug, pk):
    """The endpoint's delivery log: each event, its attempts, the last answer."""
    endpoint = _endpoint(request, slug, pk)
    return render(
        request,
        "webhooks/delivery_log.html",
        {
            "programme": endpoint.programme,
            "endpoint": endpoint,
            **filtered_page(request, delivery_log(endpoint, request.GET), 50),
        },
    )


@login_required
@require_POST
def send_again(request, slug, pk, delivery):
    endpoint = _endpoint(request, slug, pk)
    services.send_again(get_object_or_404(endpoint.deliveries, pk=delivery))
    messages.success(request, _("The delivery is sent again."))
    return redirect(endpoint)
