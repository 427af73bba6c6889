"""The programme statistics page and the programme report PDF (SPEC §6), for the officers and
ministry staff of a programme. Both read the same filter from the query string."""

import rules
from django.contrib.auth.decorators import login_required
from django.db.models import F, Max
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from applications.models import Programme
from reporting import pdf
from reporting.presentation import chart_svgs, statistics_tables
from reporting.statistics import recent_statistics
from reporting.statistics_filters import StatisticsForm


def _form(request) -> StatisticsForm:
    """The filter form, bound to the query string; the programme defaults to the user's
    one with the latest call. 404 for staff of no programme and for a programme the user
    may not see."""
    programmes = Programme.objects.staff_visible_to(request.user)
    data = request.GET.copy()
    if not data.get("programme"):
        first = (
            programmes.annotate(latest_call=Max("calls__closes_at"))
            .order_by(F("latest_call").desc(nulls_last=True), "name")
            .first()
        )
        if first is None:
            raise Http404
        data["programme"] = str(first.pk)
    try:
        programme = Programme.objects.get(pk=int(data["programme"]))
    except (ValueError, Programme.DoesNotExist):
        raise Http404 from None
    if not rules.has_perm("reporting.view_statistics", request.user, programme):
        raise Http404
    return StatisticsForm(data, programmes=programmes)


def _page(request, form, context=None, status=200):
    return render(
        request,
        "reporting/statistics/page.html",
        {"form": form, "query": form.data.urlencode(), **(context or {})},
        status=status,
    )


@login_required
@require_safe
def statistics_page(request):
    """Funnel, amounts, labels, indicators and time in states of one programme, each chart
    shown as SVG with its figures in a table. A fixed number of queries, none while the
    figures are recent (see ``recent_statistics``)."""
    form = _form(request)
    if not form.is_valid():
        return _page(request, form, status=400)
    selection = form.selection()
    statistics = recent_statistics(selection)
    return _page(
        request,
        form,
        {
            "statistics": statistics,
            "tables": statistics_tables(statistics),
            "charts": chart_svgs(statistics),
            "programme": statistics.selection.programme,
        },
    )


@login_required
@require_safe
def report(request):
    """The programme report PDF for the filter of the statistics page."""
    form = _form(request)
    if not form.is_valid():
        return _page(request, form, status=400)
    selection = form.selection()
    content = pdf.programme_report(recent_statistics(selection))
    name = "-".join(
        part
        for part in (
            slugify(_("programme report")),
            selection.programme.slug,
            str(selection.year or ""),
            selection.province.lower(),
        )
        if part
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response
