import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from labels import services
from labels.forms import ProfileForm
from labels.models import Label
from portal.dashboards import panels_for


def get_label(request, number, perm="labels.view_label") -> Label:
    label = get_object_or_404(
        Label.objects.select_related("programme", "organisation", "application"), number=number
    )
    if not rules.has_perm(perm, request.user, label):
        raise Http404
    return label


@login_required
@require_safe
def certificate(request, number):
    label = get_label(request, number)
    if label.state != Label.State.ACTIVE:
        raise Http404
    response = HttpResponse(
        services.draw_certificate(label, request), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{label.number}.pdf"'
    return response


@login_required
def profile(request, number):
    label = get_label(request, number, "labels.edit_profile")
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=label)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The public profile of the space is saved."))
        return redirect("labels:profile", number=label.number)
    return render(request, "labels/profile.html", {"label": label, "form": form})


@login_required
@require_safe
def my_labels(request):
    labels = Label.objects.held_by(request.user).select_related("programme")
    return render(
        request,
        "labels/my_labels.html",
        {"labels": labels, "panels": panels_for("my_labels_page", request.user)},
    )
