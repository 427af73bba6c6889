from django.core.paginator import Paginator
from django.shortcuts import render

from labels.filters import DirectoryFilter
from labels.models import Label


def directory(request):
    """The directory of labelled spaces, filtered; a constant number of queries."""
    queryset = (
        Label.objects.public()
        .select_related("programme")
        .prefetch_related("services")
        .order_by("province", "municipality", "space_name")
    )
    filterset = DirectoryFilter(request.GET or None, queryset=queryset)
    page = Paginator(filterset.qs, 24).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "labels/directory.html",
        {"filter": filterset, "page": page, "query": query.urlencode()},
    )


def space(request, number):
    label = (
        Label.objects.public()
        .select_related("programme", "organisation")
        .filter(number=number)
        .prefetch_related("services")
        .first()
    )
    if label is None:
        from django.http import Http404

        raise Http404
    return render(request, "labels/space.html", {"label": label})


def verify(request, number):
    """Anyone checks a label by its number: valid, suspended, revoked, expired or renewed."""
    label = (
        Label.objects.select_related("programme", "organisation", "superseded_by")
        .filter(number=number)
        .first()
    )
    return render(
        request,
        "labels/verify.html",
        {"label": label, "number": number},
        status=200 if label else 404,
    )
