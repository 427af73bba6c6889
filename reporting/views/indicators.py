"""The officer's indicator builder: a programme's indicators, each added, changed, moved,
retired or reinstated, or removed while no report gives it a value, and the holders' form
as it stands. Every write goes through ``indicatorbuilder``, whose refusals come back on
the form (``portal.refusals.run``); only the programme's officers and administrators come
here, anyone else gets 404.
"""

import datetime as dt

import rules
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from applications.models import Programme
from portal.dates import long_date
from portal.refusals import run
from reporting import indicatorbuilder, indicatorforms, indicators
from reporting.models import Indicator, ReportingSchedule


def _programme(request, slug) -> Programme:
    programme = get_object_or_404(Programme, slug=slug)
    if not rules.has_perm("reporting.define_indicators", request.user, programme):
        raise Http404
    return programme


def _indicator(programme, pk) -> Indicator:
    return get_object_or_404(Indicator, programme=programme, pk=pk)


def _schedule(programme) -> ReportingSchedule | None:
    return ReportingSchedule.objects.filter(programme=programme).first()


def _overview(programme):
    return redirect("reporting:indicators", slug=programme.slug)


def _data(request):
    return request.POST if request.method == "POST" else None


def _preview(programme, schedule):
    """The holders' form for the current period (every indicator not retired without a
    schedule), disabled: what a report asks now."""
    asked = Indicator.objects.filter(programme=programme)
    period_days = None
    period = None
    if schedule is not None:
        start, end = schedule.period_containing(timezone.localdate())
        asked = asked.asked_for(start)
        period_days = (end - start).days + 1
        period = (start, end)
    else:
        asked = asked.filter(retired_from__isnull=True)
    fields = [(indicator, indicators.form_field(indicator, period_days)) for indicator in asked]
    form = forms.Form()
    for indicator, field in fields:
        form.fields[indicator.code] = field
    return form, period


@login_required
@require_safe
def overview(request, slug):
    """The programme's indicators, with what each stores and whether reports give it, and
    the holders' form as it stands."""
    programme = _programme(request, slug)
    schedule = _schedule(programme)
    listed = list(programme.indicators.all())
    given = indicatorbuilder.codes_with_values(programme)
    preview, period = _preview(programme, schedule)
    return render(
        request,
        "reporting/staff/indicators.html",
        {
            "programme": programme,
            "schedule": schedule,
            "indicators": [(indicator, indicator.code in given) for indicator in listed],
            "preview": preview,
            "period": period,
        },
    )


@login_required
def edit(request, slug, pk=None):
    """Add an indicator or change one; a change that would alter the meaning of values
    already given is refused next to its field."""
    programme = _programme(request, slug)
    indicator = _indicator(programme, pk) if pk else Indicator(programme=programme)
    has_values = bool(pk) and indicatorbuilder.has_values(indicator)
    next_period = indicatorforms.next_period_start(_schedule(programme), timezone.localdate())
    form = indicatorforms.IndicatorForm(_data(request), instance=indicator, next_period=next_period)
    saved = request.method == "POST" and form.is_valid()
    if saved and run(request, indicatorbuilder.save_indicator, form.instance, form=form):
        messages.success(
            request, _("The indicator “%(label)s” is saved.") % {"label": form.instance.label}
        )
        return _overview(programme)
    return render(
        request,
        "reporting/staff/indicator_form.html",
        {
            "programme": programme,
            "form": form,
            "indicator": indicator if pk else None,
            "has_values": has_values,
            "aggregations": [
                (Indicator.Kind(kind).label, [a.label for a in allowed])
                for kind, allowed in Indicator.AGGREGATIONS.items()
            ],
        },
    )


@login_required
def remove(request, slug, pk):
    """Ask, then remove an indicator no report gives a value for and no label condition
    uses; otherwise it is retired instead (the page says why and links there)."""
    programme = _programme(request, slug)
    indicator = _indicator(programme, pk)
    if request.method == "POST":
        if run(request, indicatorbuilder.remove_indicator, indicator):
            messages.success(
                request, _("The indicator “%(label)s” is removed.") % {"label": indicator.label}
            )
        return _overview(programme)
    return render(
        request,
        "reporting/staff/indicator_confirm_remove.html",
        {
            "programme": programme,
            "indicator": indicator,
            "has_values": indicatorbuilder.has_values(indicator),
            "in_use": indicatorbuilder.in_use(indicator),
        },
    )


@login_required
def retire(request, slug, pk):
    """Stop asking an indicator from a period on; older reports keep their values."""
    programme = _programme(request, slug)
    indicator = _indicator(programme, pk)
    schedule = _schedule(programme)
    form = indicatorforms.RetireForm(
        _data(request),
        initial={"retired_from": _next_start(schedule)},
        next_period=indicatorforms.next_period_start(schedule, timezone.localdate()),
    )
    if request.method == "POST" and form.is_valid():
        day = form.cleaned_data["retired_from"]
        if run(request, indicatorbuilder.retire_indicator, indicator, day, form=form):
            messages.success(
                request,
                _("The indicator “%(label)s” is no longer asked from %(date)s.")
                % {"label": indicator.label, "date": long_date(day)},
            )
            return _overview(programme)
    return render(
        request,
        "reporting/staff/indicator_confirm_retire.html",
        {"programme": programme, "indicator": indicator, "form": form},
    )


def _next_start(schedule) -> dt.date | None:
    if schedule is None:
        return None
    return schedule.period_containing(timezone.localdate())[1] + dt.timedelta(days=1)


@login_required
@require_POST
def reinstate(request, slug, pk):
    """Ask a retired indicator again."""
    programme = _programme(request, slug)
    indicator = _indicator(programme, pk)
    if run(request, indicatorbuilder.reinstate_indicator, indicator):
        messages.success(
            request, _("The indicator “%(label)s” is asked again.") % {"label": indicator.label}
        )
    return _overview(programme)


@login_required
@require_POST
def move(request, slug, pk, direction):
    """Move an indicator one place up or down: the order of the holders' form."""
    programme = _programme(request, slug)
    if direction not in ("up", "down"):
        raise Http404
    indicatorbuilder.move_indicator(_indicator(programme, pk), up=direction == "up")
    return _overview(programme)
