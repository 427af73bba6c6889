"""Evaluating a label condition for every label of its programme at once, in SQL.

Each kind of condition (``Condition.Kind``) reads the labels in force of the programme —
active, issued by ``today`` and valid on ``today``; a suspended label is already under an
officer's sanction — in one or a few queries, whatever their number, and gives each label it
can measure a ``Measure``: the figure, the figure in words, whether the condition fails, and
the day the newest fact behind a failure became known. A label with nothing to measure (no
report filed yet, a question its call did not ask) is left out: it does not fail.

What each kind measures, ``today`` being the day of the evaluation (Brussels):

- **answer at least n**: the dossier's answer to the question of that code (the call's form
  that the label's dossier answered), at award; fails below n.
- **answer is yes**: the same answer, a yes or no question; fails on no.
- **indicator at least n over the last k periods**: the label's *accepted* reports (an
  officer checked their figures) of the last k periods of the programme's reporting
  schedule that ended before today, that give the indicator a value; the measure is the
  lowest of them; fails below n, that is when one of those periods was below n. A period
  whose report is not accepted yet is not counted; no schedule, nothing to measure.
- **mean of an indicator over the last year**: the mean of the indicator in the label's
  accepted reports whose period ended within the year before today (from the same day a
  year earlier, included, to today, excluded); fails below n.
- **every report of the last year on time**: the label's reports due within the year before
  today (due date from the same day a year earlier to yesterday); a report is on time when
  its first filing (``first_submitted_at``, in Brussels) falls on or before its due date —
  one returned for corrections keeps its first filing —, late otherwise, and a report never
  filed by its due date is late; fails when one is late. The measure is the number late.
- **evidence document within each validity year**: a validity year runs from the issue day
  (or its anniversary) to the day before the next anniversary. The document of a year is
  checked once the year has ended: the condition fails when nothing was uploaded since the
  beginning of the last validity year that ended (a document uploaded late, in the next
  year, puts it right). A label in its first year has nothing to check yet.

The day a failure became known (``Measure.as_of``) lets an officer's closing of a case stand:
the daily job opens a new case for a condition a label failed before only on a newer fact (see
``surveillance.watch``) — a report accepted below the figure, a report late since, a validity
year ended since; an answer at award never changes, so it never opens a case again.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Avg,
    Case,
    Count,
    DateField,
    F,
    Max,
    Min,
    Q,
    QuerySet,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications.callforms import Question
from applications.models import Application
from applications.questionnaire import answer_expression
from labels.models import Label, add_months
from portal.dates import long_date
from portal.figures import euros, exact, share
from reporting.indicators import value_expression
from reporting.models import ActivityReport, Indicator, ReportingSchedule
from surveillance.models import Condition, Evidence

Kind = Condition.Kind
CENT = Decimal("0.01")
# SQLite computes with floats: a mean is rounded to a millionth before it is compared, which
# keeps it exact (values have four decimals and a year holds a few reports, so a mean that
# is not the threshold is at least a hundred-thousandth away from it).
EXACT = Decimal("0.000001")
REPORT_KINDS = (Kind.INDICATOR_AT_LEAST, Kind.INDICATOR_MEAN, Kind.REPORTS_ON_TIME)


@dataclass(frozen=True)
class Measure:
    """What a condition measured on one label."""

    value: Decimal | None  # the figure compared with the condition's (None: not a figure)
    words: str  # the figure as a person reads it, in the active language
    failing: bool
    # The day the newest fact behind a failure became known (None when it passes).
    as_of: dt.date | None = None


def year_before(today: dt.date) -> dt.date:
    """The same day a year earlier (28 February for 29 February)."""
    return add_months(today, -12)


def labels_in_force(programme_id: int, today: dt.date | None = None) -> QuerySet:
    """The programme's labels the conditions apply to on ``today``: active, issued and valid."""
    today = today or timezone.localdate()
    return Label.objects.filter(
        programme=programme_id,
        state=Label.State.ACTIVE,
        issued_on__lte=today,
        valid_until__gte=today,
    )


def evaluate(
    condition: Condition, labels: QuerySet | None = None, today: dt.date | None = None
) -> dict[int, Measure]:
    """``condition`` measured on ``labels`` (by default every label of its programme in
    force), by label id; labels with nothing to measure are left out."""
    today = today or timezone.localdate()
    if labels is None:
        labels = labels_in_force(condition.programme_id, today)
    return KINDS[condition.kind](condition, labels, today)


# Answers at award ---------------------------------------------------------------------------


def _answers(condition: Condition, labels: QuerySet, kinds) -> list[tuple[int, object, str]]:
    """(label id, answer, question kind) of ``labels`` to the question of the condition's
    code in the programme's calls of one of ``kinds``: one query per kind of question (a
    programme's calls usually ask a code with one kind)."""
    questions = Question.objects.filter(
        call__programme=condition.programme_id, code=condition.question_code, kind__in=kinds
    )
    calls_by_kind: dict[str, list] = {}
    sample: dict[str, Question] = {}
    for question in questions:
        calls_by_kind.setdefault(question.kind, []).append(question.call_id)
        sample.setdefault(question.kind, question)
    rows = []
    for kind, calls in calls_by_kind.items():
        answers = (
            Application.objects.filter(label__in=labels, call__in=calls)
            .annotate(answer=answer_expression(sample[kind]))
            .filter(answer__isnull=False)
            .values_list("label__id", "answer")
        )
        rows += [(label_id, answer, kind) for label_id, answer in answers]
    return rows


def _answer_at_least(condition, labels, today) -> dict[int, Measure]:
    kinds = (*Question.NUMBERS, Question.Kind.TABLE)
    measures = {}
    for label_id, answer, kind in _answers(condition, labels, kinds):
        value = Decimal(answer)
        failing = value < condition.threshold
        words = _figure(value, kind)
        # An answer at award is known from the issue day: see the module's docstring.
        measures[label_id] = Measure(value, words, failing, dt.date.min if failing else None)
    return measures


def _answer_yes(condition, labels, today) -> dict[int, Measure]:
    measures = {}
    for label_id, answer, _kind in _answers(condition, labels, [Question.Kind.YES_NO]):
        failing = not answer
        measures[label_id] = Measure(
            Decimal(bool(answer)),
            _("Yes") if answer else _("No"),
            failing,
            dt.date.min if failing else None,
        )
    return measures


# Report indicators --------------------------------------------------------------------------


def _accepted(labels: QuerySet, indicator: Indicator, today: dt.date) -> QuerySet:
    """The accepted reports of ``labels`` whose period ended before ``today`` and that give
    ``indicator`` a value, with the value (``v``)."""
    return (
        ActivityReport.objects.filter(
            label__in=labels, state=ActivityReport.State.ACCEPTED, period_end__lt=today
        )
        .annotate(v=value_expression(indicator))
        .filter(v__isnull=False)
    )


def _indicator_at_least(condition, labels, today) -> dict[int, Measure]:
    indicator, threshold = condition.indicator, condition.threshold
    since = last_periods_start(condition.programme_id, condition.periods or 1, today)
    if since is None:
        return {}
    rows = (
        _accepted(labels, indicator, today)
        .filter(period_start__gte=since)
        .values("label_id")
        .annotate(lowest=Min("v"), count=Count("pk"), below_at=Max(_when_below(threshold)))
        .values_list("label_id", "lowest", "count", "below_at")
    )
    measures = {}
    for label_id, lowest, count, below_at in rows:
        lowest = Decimal(str(lowest)).normalize()
        failing = lowest < threshold
        words = ngettext(
            "lowest of the last period: %(value)s",
            "lowest of the last %(count)s periods: %(value)s",
            count,
        ) % {"count": count, "value": _indicator_figure(indicator, lowest)}
        measures[label_id] = Measure(
            lowest, words, failing, _as_date(below_at) if failing else None
        )
    return measures


def last_periods_start(programme_id: int, periods: int, today: dt.date) -> dt.date | None:
    """The first day of the earliest of the last ``periods`` periods of the programme's
    reporting schedule that ended before ``today`` (None without a schedule)."""
    schedule = ReportingSchedule.objects.filter(programme=programme_id).first()
    if schedule is None:
        return None
    current = schedule.period_containing(today)[0]
    return add_months(current, -schedule.months * periods)


def _when_below(threshold: Decimal):
    """The day an accepted report below ``threshold`` was accepted (Brussels), else null."""
    return Case(
        When(v__lt=threshold, then=TruncDate("reviewed_at", tzinfo=_brussels())),
        default=None,
        output_field=DateField(),
    )


def _indicator_mean(condition, labels, today) -> dict[int, Measure]:
    indicator, threshold = condition.indicator, condition.threshold
    rows = (
        _accepted(labels, indicator, today)
        # The bound on the start (a period lasts a year at most) lets the index on it serve.
        .filter(period_end__gte=year_before(today), period_start__gt=add_months(today, -24))
        .values("label_id")
        .annotate(
            mean=Avg("v"),
            count=Count("pk"),
            accepted_on=Max(TruncDate("reviewed_at", tzinfo=_brussels())),
        )
        .values_list("label_id", "mean", "count", "accepted_on")
    )
    measures = {}
    for label_id, mean, count, accepted_on in rows:
        mean = Decimal(str(mean)).quantize(EXACT).normalize()
        failing = mean < threshold
        words = ngettext(
            "mean of %(count)s report: %(value)s", "mean of %(count)s reports: %(value)s", count
        ) % {"count": count, "value": _indicator_figure(indicator, mean)}
        measures[label_id] = Measure(
            mean, words, failing, _as_date(accepted_on) if failing else None
        )
    return measures


# Reports on time ----------------------------------------------------------------------------


def filed_on():
    """A report's first filing, as its Brussels day (null: never filed). Reports filed
    before the first filing was kept count their last one."""
    return TruncDate(Coalesce("first_submitted_at", "submitted_at"), tzinfo=_brussels())


def _reports_on_time(condition, labels, today) -> dict[int, Measure]:
    late = Q(filed_on__isnull=True) | Q(filed_on__gt=F("due_on"))
    rows = (
        ActivityReport.objects.filter(
            label__in=labels, due_on__gte=year_before(today), due_on__lt=today
        )
        .annotate(filed_on=filed_on())
        .values("label_id")
        .annotate(
            count=Count("pk"),
            late=Count("pk", filter=late),
            latest_late=Max("due_on", filter=late),
        )
        .values_list("label_id", "count", "late", "latest_late")
    )
    measures = {}
    for label_id, count, late_count, latest_late in rows:
        failing = late_count > 0
        words = ngettext(
            "late: %(late)s of %(count)s report", "late: %(late)s of %(count)s reports", count
        ) % {"late": late_count, "count": count}
        measures[label_id] = Measure(
            Decimal(late_count), words, failing, _as_date(latest_late) if failing else None
        )
    return measures


# Evidence documents -------------------------------------------------------------------------


def last_ended_year(issued_on: dt.date, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """The first and the day after the last day of the label's last validity year that
    ended before ``today`` (None in its first year)."""
    years = (today.year - issued_on.year) + 1
    while years > 0 and add_months(issued_on, 12 * years) > today:
        years -= 1
    if years == 0:
        return None
    return add_months(issued_on, 12 * (years - 1)), add_months(issued_on, 12 * years)


def _evidence(condition, labels, today) -> dict[int, Measure]:
    uploads = dict(
        Evidence.objects.filter(condition=condition, label__in=labels)
        .values("label_id")
        .annotate(last=Max(TruncDate("uploaded_at", tzinfo=_brussels())))
        .values_list("label_id", "last")
    )
    measures = {}
    for label_id, issued_on in labels.values_list("pk", "issued_on"):
        last = _as_date(uploads.get(label_id))
        year = last_ended_year(issued_on, today)
        if year is None:
            due = add_months(issued_on, 12) - dt.timedelta(days=1)
            words = (
                _("uploaded on %(date)s") % {"date": long_date(last)}
                if last
                else _("due by %(date)s") % {"date": long_date(due)}
            )
            measures[label_id] = Measure(None, words, False)
            continue
        start, ended = year
        failing = last is None or last < start
        if failing:
            words = _("nothing uploaded since %(date)s") % {"date": long_date(start)}
        else:
            words = _("uploaded on %(date)s") % {"date": long_date(last)}
        measures[label_id] = Measure(None, words, failing, ended if failing else None)
    return measures


# Words and values ---------------------------------------------------------------------------


def _figure(value: Decimal, kind: str) -> str:
    """An answer's figure in words, by the kind of its question."""
    if kind == Question.Kind.PERCENTAGE:
        return share(value)
    if kind == Question.Kind.AMOUNT:
        return euros(value)
    return exact(value)


def _indicator_figure(indicator: Indicator, value: Decimal) -> str:
    value = value.quantize(CENT)
    if indicator.kind == Indicator.Kind.PERCENTAGE:
        return share(value)
    if indicator.kind == Indicator.Kind.AMOUNT:
        return euros(value)
    return exact(value)


def _as_date(value) -> dt.date | None:
    """A date from the database (SQLite gives text through raw cursors)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _brussels():
    return timezone.get_default_timezone()


KINDS: dict[str, Callable[[Condition, QuerySet, dt.date], dict[int, Measure]]] = {
    Kind.ANSWER_AT_LEAST: _answer_at_least,
    Kind.ANSWER_YES: _answer_yes,
    Kind.INDICATOR_AT_LEAST: _indicator_at_least,
    Kind.INDICATOR_MEAN: _indicator_mean,
    Kind.REPORTS_ON_TIME: _reports_on_time,
    Kind.EVIDENCE: _evidence,
}
