from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from labels.filters import DirectoryFilter
from labels.models import Label
from portal.dashboards import panels_for
from portal.pagination import filtered_page


@require_safe
def directory(request):
    """The directory of labelled spaces, filtered; a constant number of queries."""
    queryset = (
        Label.objects.public()
        .select_related("programme")
        .prefetch_related("services")
        .order_by("province", "municipality", "space_name")
    )
    filterset = DirectoryFilter(request.GET or None, queryset=queryset)
    return render(request, "labels/directory.html", filtered_page(request, filterset, 24))


@require_safe
def space(request, number):
    label = get_object_or_404(
        Label.objects.public()
        .select_related("programme", "organisation")
        .prefetch_related("services"),
        number=number,
    )
    # What the apps above add (the label's standing and conditions, a problem to report).
    return render(
        request,
        "labels/space.html",
        {"label": label, "panels": panels_for("label_public_page", label)},
    )


@require_safe
def verify_form(request):
    """Type a label number to check it."""
    number = request.GET.get("number", "").strip().upper()
    if number:
        return redirect("labels:verify", number=number)
    return render(request, "labels/verify_form.html")


@require_safe
def verify(request, number):
    """Anyone checks a label by its number: valid, suspended, revoked, expired or renewed."""
    label = (
        Label.objects.select_related("programme", "organisation", "superseded_by")
        .filter(number=number)
        .first()
    )
    context = {"label": label, "number": number}
    if label is not None:
        context.update(
            state=label.effective_state,
            since=label.status_since(),
            panels=panels_for("label_verification", label),
        )
    return render(
        request,
        "labels/verify.html",
        context,
        status=200 if label else 404,
    )
