"""One page of a filtered list, with the filter kept in the page links and the exports."""

from django.core.paginator import Paginator


def filtered_page(request, filterset, per_page: int) -> dict:
    """``filter``, ``page`` and ``query`` (the filter's query string without the page
    number) for a list template and ``portal/_pagination.html``."""
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filter": filterset,
        "page": Paginator(filterset.qs, per_page).get_page(request.GET.get("page")),
        "query": query.urlencode(),
    }
