"""Changes to a programme's indicators, as its officers make them in the portal.

Reports keep their values under an indicator's code (``ActivityReport.values``), so once any
report of the programme gives a value, the indicator's code and type are fixed, its bounds
may not exclude a value given, a choice keeps the options reports chose, and it is never
deleted: it is retired from a period on, and older reports keep showing it. An indicator
that would become required for reports already filed without it is refused as well: it is
asked from a later period, or optional. Wording, units, help and order remain free.

Every operation runs in one transaction and refuses with ``TransitionRefused`` whose
``Problem`` names the form field at fault, so that ``portal.refusals.run`` shows it there.
"""

import datetime as dt

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import router, transaction
from django.db.models import Count, Max, Min, ProtectedError, Q
from django.db.models.deletion import Collector
from django.utils.translation import gettext as _

from applications.models import Programme
from portal.dates import long_date
from portal.figures import exact
from portal.transitions import Problem, TransitionRefused
from reporting import indicators
from reporting.models import ActivityReport, Indicator, ReportingSchedule

FILED = (ActivityReport.State.SUBMITTED, ActivityReport.State.ACCEPTED)


def reports_of(programme_id: int):
    return ActivityReport.objects.filter(label__programme=programme_id)


def with_values(indicator: Indicator, code: str | None = None):
    """The programme's reports that give a value under ``code`` (the indicator's own)."""
    return reports_of(indicator.programme_id).filter(values__has_key=code or indicator.code)


def has_values(indicator: Indicator) -> bool:
    return with_values(indicator).exists()


def codes_with_values(programme: Programme) -> set[str]:
    """The codes of ``programme``'s indicators that some report gives a value for: one
    query for the indicators, one counting the reports of each code."""
    codes = list(programme.indicators.values_list("code", flat=True))
    if not codes:
        return set()
    counts = reports_of(programme.pk).aggregate(
        **{
            f"code_{index}": Count("pk", filter=Q(values__has_key=code))
            for index, code in enumerate(codes)
        }
    )
    return {code for index, code in enumerate(codes) if counts[f"code_{index}"]}


def check_period_start(programme: Programme, day: dt.date | None, field: str) -> None:
    """With a reporting schedule, an indicator starts or retires with a period: ``day`` must
    be the first day of one."""
    if day is None:
        return
    schedule = ReportingSchedule.objects.filter(programme=programme).first()
    if schedule is None:
        return
    start, end = schedule.period_containing(day)
    if start != day:
        following = end + dt.timedelta(days=1)
        raise TransitionRefused(
            [
                Problem(
                    _(
                        "Reports follow a %(frequency)s schedule: choose the first day of a "
                        "period, e.g. %(start)s or %(next)s."
                    )
                    % {
                        "frequency": schedule.get_frequency_display(),
                        "start": long_date(start),
                        "next": long_date(following),
                    },
                    field,
                )
            ]
        )


def _asked(indicator: Indicator) -> Q:
    """SQL: the reports of the periods that ask ``indicator``."""
    condition = Q()
    if indicator.from_period:
        condition &= Q(period_start__gte=indicator.from_period)
    if indicator.retired_from:
        condition &= Q(period_start__lt=indicator.retired_from)
    return condition


def _newly_required_gap(indicator: Indicator, stored: Indicator | None) -> ActivityReport | None:
    """A report filed without a value that ``indicator`` would now require (as ``stored``
    did not): the latest, to name its period."""
    if not indicator.required:
        return None
    gaps = (
        reports_of(indicator.programme_id)
        .filter(_asked(indicator), state__in=FILED)
        .exclude(values__has_key=indicator.code)
    )
    if stored is not None and stored.required:
        before = _asked(stored)
        if not before:
            return None
        gaps = gaps.exclude(before)
    return gaps.order_by("-period_start").first()


def _problems(error: ValidationError) -> list[Problem]:
    if not hasattr(error, "error_dict"):
        return [Problem(message) for message in error.messages]
    return [
        Problem(message, None if field == NON_FIELD_ERRORS else field)
        for field, errors in error.message_dict.items()
        for message in errors
    ]


def _given_range(indicator: Indicator, code: str):
    """The lowest and highest value reports give under ``code``, as numbers."""
    return with_values(indicator, code).aggregate(
        low=Min(indicators.value_expression(Indicator(code=code, kind=indicator.kind))),
        high=Max(indicators.value_expression(Indicator(code=code, kind=indicator.kind))),
    )


def _chosen(indicator: Indicator, code: str) -> set[str]:
    expression = indicators.value_expression(Indicator(code=code, kind=Indicator.Kind.CHOICE))
    return set(
        with_values(indicator, code)
        .annotate(chosen=expression)
        .values_list("chosen", flat=True)
        .distinct()
    )


def _frozen_problems(indicator: Indicator, stored: Indicator) -> list[Problem]:
    """What the change of ``stored`` into ``indicator`` would break in the values given."""
    problems = []
    if indicator.code != stored.code:
        problems.append(
            Problem(_("Reports already give a value under this code: it cannot change."), "code")
        )
    if indicator.kind != stored.kind:
        problems.append(
            Problem(
                _(
                    "Reports already give a value for this indicator: its type cannot change. "
                    "Retire it and add a new one."
                ),
                "kind",
            )
        )
        return problems
    if indicator.is_number and (indicator.minimum is not None or indicator.maximum is not None):
        given = _given_range(indicator, stored.code)
        low, high = given["low"], given["high"]
        if indicator.minimum is not None and low is not None and low < indicator.minimum:
            problems.append(
                Problem(
                    _("A report already gives %(value)s: the minimum cannot be above it.")
                    % {"value": exact(low)},
                    "minimum",
                )
            )
        if indicator.maximum is not None and high is not None and high > indicator.maximum:
            problems.append(
                Problem(
                    _("A report already gives %(value)s: the maximum cannot be below it.")
                    % {"value": exact(high)},
                    "maximum",
                )
            )
    if indicator.kind == Indicator.Kind.CHOICE:
        kept = {option["code"] for option in indicator.options}
        lost = sorted(_chosen(indicator, stored.code) - kept)
        if lost:
            problems.append(
                Problem(
                    _("Reports already chose the options %(codes)s: keep them.")
                    % {"codes": ", ".join(lost)},
                    "options",
                )
            )
    if indicator.from_period and indicator.from_period != stored.from_period:
        earlier = with_values(indicator, stored.code).filter(period_start__lt=indicator.from_period)
        if earlier.exists():
            problems.append(
                Problem(
                    _("Reports of earlier periods already give a value: it cannot start later."),
                    "from_period",
                )
            )
    return problems


def _required_problem(indicator: Indicator, stored: Indicator | None) -> Problem | None:
    gap = _newly_required_gap(indicator, stored)
    if gap is None:
        return None
    return Problem(
        _(
            "A report of %(period)s was already filed without it: ask it from a later "
            "period, or make it optional."
        )
        % {"period": gap.period_name},
        "from_period",
    )


@transaction.atomic
def save_indicator(indicator: Indicator) -> Indicator:
    """Save an indicator of a programme, new or changed; refused when the change would
    change the meaning of values already given, or require one of reports already filed."""
    stored = None
    if indicator.pk is not None:
        stored = Indicator.objects.select_for_update().get(pk=indicator.pk)
    elif not indicator.position:
        last = indicator.programme.indicators.aggregate(last=Max("position"))["last"]
        indicator.position = (last or 0) + 1
    try:
        indicator.full_clean(validate_constraints=False)
    except ValidationError as error:
        raise TransitionRefused(_problems(error)) from None
    clash = Indicator.objects.filter(programme=indicator.programme_id, code=indicator.code)
    if clash.exclude(pk=indicator.pk).exists():
        raise TransitionRefused(
            [Problem(_("Another indicator of this programme already uses this code."), "code")]
        )
    problems = []
    try:
        check_period_start(indicator.programme, indicator.from_period, "from_period")
    except TransitionRefused as refused:
        problems += refused.reasons
    if stored is not None and has_values(stored):
        problems += _frozen_problems(indicator, stored)
    required = _required_problem(indicator, stored)
    if required is not None:
        problems.append(required)
    if problems:
        raise TransitionRefused(problems)
    indicator.save()
    return indicator


def in_use(indicator: Indicator) -> str | None:
    """Why ``indicator`` cannot be deleted although no report gives it a value: rows of an
    app above that protect it (a label condition of ``surveillance``), found through the
    reverse relations, as reporting may not import those apps; None when nothing does."""
    collector = Collector(using=router.db_for_write(Indicator, instance=indicator))
    try:
        collector.collect([indicator])
    except ProtectedError as error:
        names = ", ".join(f"“{row}”" for row in error.protected_objects)
        return _(
            "A label condition uses this indicator (%(conditions)s): remove or change the "
            "condition first, or retire the indicator."
        ) % {"conditions": names}
    return None


@transaction.atomic
def remove_indicator(indicator: Indicator) -> None:
    """Delete an indicator that no report gives a value for and nothing else uses; one
    with values is retired."""
    Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
    if has_values(indicator):
        raise TransitionRefused(
            [
                _(
                    "Reports already give a value for this indicator: it cannot be removed. "
                    "Retire it from a period instead; older reports keep their values."
                )
            ]
        )
    reason = in_use(indicator)
    if reason is not None:
        raise TransitionRefused([reason])
    indicator.delete()


@transaction.atomic
def retire_indicator(indicator: Indicator, from_period: dt.date) -> Indicator:
    """Stop asking ``indicator`` from the period starting on ``from_period``; reports of
    earlier periods keep their values and still show it."""
    Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
    check_period_start(indicator.programme, from_period, "retired_from")
    if indicator.from_period and from_period <= indicator.from_period:
        raise TransitionRefused(
            [
                Problem(
                    _("The indicator is first asked on %(date)s: retire it after that.")
                    % {"date": long_date(indicator.from_period)},
                    "retired_from",
                )
            ]
        )
    indicator.retired_from = from_period
    indicator.save(update_fields=["retired_from"])
    return indicator


@transaction.atomic
def reinstate_indicator(indicator: Indicator) -> Indicator:
    """Ask a retired indicator again in every period from its first; refused when it is
    required and reports of the periods it skipped were filed without it."""
    stored = Indicator.objects.select_for_update().get(pk=indicator.pk)
    indicator.retired_from = None
    gap = _newly_required_gap(indicator, stored)
    if gap is not None:
        indicator.retired_from = stored.retired_from
        raise TransitionRefused(
            [
                _(
                    "A report of %(period)s was filed while it was retired: it cannot be "
                    "asked again. Add a new indicator, or make this one optional first."
                )
                % {"period": gap.period_name}
            ]
        )
    indicator.save(update_fields=["retired_from"])
    return indicator


@transaction.atomic
def move_indicator(indicator: Indicator, *, up: bool) -> None:
    """Move ``indicator`` one place up or down among its programme's (reports and exports
    list them in this order); nothing when it is already first or last."""
    ordered = list(
        Indicator.objects.select_for_update()
        .filter(programme=indicator.programme_id)
        .order_by("position", "pk")
    )
    index = next(i for i, other in enumerate(ordered) if other.pk == indicator.pk)
    target = index - 1 if up else index + 1
    if not 0 <= target < len(ordered):
        return
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, other in enumerate(ordered, start=1):
        if other.position != position:
            Indicator.objects.filter(pk=other.pk).update(position=position)
