"""Public open data: the grants awarded, in 360Giving JSON and CSV (SPEC §6)."""

from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from reporting import opendata

# Grants change a few times a year; a short cache spares the database a busy crawler.
MAX_AGE = 15 * 60


def _open(response: HttpResponse, disposition: str) -> HttpResponse:
    response["Content-Disposition"] = disposition
    # Anyone's page or notebook may read public data from the browser.
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
@cache_control(public=True, max_age=MAX_AGE)
def grants_json(request):
    """The 360Giving JSON package ``{"grants": [...]}`` of every grant awarded."""
    response = JsonResponse(
        opendata.package(), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    return _open(response, 'inline; filename="grants.json"')


@require_GET
@cache_control(public=True, max_age=MAX_AGE)
def grants_csv(request):
    """Every grant awarded as 360Giving CSV, the standard's column titles as its header."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    opendata.write_csv(response)
    return _open(response, 'attachment; filename="grants.csv"')
