"""Public open data (SPEC §6, issue 22): the grants awarded in 360Giving JSON and CSV, the
directory of labels, the programme statistics, the page listing them and their DCAT-AP
catalogue."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_safe

from reporting import catalogue, datasets, opendata

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


@require_GET
@cache_control(public=True, max_age=MAX_AGE)
def labels_json(request):
    """The directory of labels as JSON ``{"labels": [...]}``: public facts only."""
    response = JsonResponse(
        datasets.labels_package(), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    return _open(response, 'inline; filename="labels.json"')


@require_GET
@cache_control(public=True, max_age=MAX_AGE)
def labels_csv(request):
    """The directory of labels as CSV."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    datasets.write_labels_csv(response)
    return _open(response, 'attachment; filename="labels.csv"')


@require_GET
@cache_control(public=True, max_age=MAX_AGE)
def statistics_csv(request):
    """Dossiers, amounts and labels per programme, year and province, as CSV."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    datasets.write_statistics_csv(response)
    return _open(response, 'attachment; filename="programme-statistics.csv"')


@require_GET
@cache_control(public=True, max_age=MAX_AGE)
def catalogue_jsonld(request):
    """The DCAT-AP catalogue of the datasets, in JSON-LD, for open-data portals to harvest."""
    response = JsonResponse(
        catalogue.catalogue(request),
        content_type="application/ld+json",
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    return _open(response, 'inline; filename="catalog.jsonld"')


@require_safe
def index(request):
    """The datasets, their files, licence, update frequency and coverage."""
    return render(
        request,
        "reporting/open_data.html",
        {
            "datasets": catalogue.listing(),
            "licence": catalogue.licence_name(),
            "licence_url": settings.OPEN_DATA_LICENCE,
        },
    )
