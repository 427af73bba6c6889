"""Helpers shared by every export (CSV, XLSX, ODS, JSON)."""

import tablib
from django.http import Http404, HttpResponse
from django.utils import timezone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulae(dataset: tablib.Dataset) -> tablib.Dataset:
    """Prefix text cells that a spreadsheet would run as a formula with an apostrophe.

    User text such as ``=HYPERLINK(…)`` must reach staff as text, never as a formula
    (OWASP "CSV injection"). Numbers and dates keep their type.
    """
    rows = [
        tuple(
            f"'{cell}" if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell
            for cell in row
        )
        for row in dataset
    ]
    neutralised = tablib.Dataset(*rows, headers=dataset.headers, title=dataset.title)
    return neutralised


# Export formats offered on list pages: (content type, extension, tablib format, options).
FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv", "csv", {}),
    # French spreadsheets expect semicolons and a byte-order mark.
    "csv-excel": ("text/csv; charset=utf-8", "csv", "csv", {"delimiter": ";"}),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
        "xlsx",
        {},
    ),
}


def export_response(resource, queryset, fmt: str, name: str) -> HttpResponse:
    """The rows of ``queryset`` as a download in ``fmt``, with the resource's columns and
    translated headers; text that would run as a formula is neutralised."""
    if fmt not in FORMATS:
        raise Http404
    content_type, extension, tablib_format, options = FORMATS[fmt]
    content = neutralise_formulae(resource.export(queryset)).export(tablib_format, **options)
    if extension == "csv":
        content = "\ufeff" + content
    response = HttpResponse(content, content_type=content_type)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{extension}"'
    return response
