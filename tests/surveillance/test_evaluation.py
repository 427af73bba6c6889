"""The set-based evaluation of label conditions against a plain-Python oracle that reads the
definitions of ``surveillance.evaluation`` literally, on random labels, dossier answers,
reports and evidence documents."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from labels.models import Label, add_months
from reporting.models import ActivityReport
from surveillance import evaluation
from surveillance.models import Condition, Evidence
from tests.surveillance.conftest import condition, make_label, make_report, quarter_end

Kind = Condition.Kind
State = ActivityReport.State
BRUSSELS = timezone.get_default_timezone()


def quarters_before(today: dt.date, count: int = 9) -> list[dt.date]:
    """The first days of the quarter of ``today`` and of the ``count - 1`` before it."""
    start = dt.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    return [add_months(start, -3 * n) for n in range(count)]


def brussels_day(moment):
    return timezone.localtime(moment, BRUSSELS).date() if moment else None


# The oracle ---------------------------------------------------------------------------------


def in_force(label, today):
    return label.state == Label.State.ACTIVE and label.issued_on <= today <= label.valid_until


def oracle(cond, labels, reports, evidence, today):
    """{label id: (failing, value, as_of)} by the docstring of ``surveillance.evaluation``."""
    result = {}
    year_ago = add_months(today, -12)
    for label in labels:
        if not in_force(label, today):
            continue
        answers = label.application.answers
        own = [r for r in reports if r.label_id == label.pk]
        if cond.kind in (Kind.ANSWER_AT_LEAST, Kind.ANSWER_YES):
            answer = answers.get(cond.question_code)
            if answer is None:
                continue
            if cond.kind == Kind.ANSWER_YES:
                if label.application.call_id != cond.yes_no_call_id:
                    continue
                failing = not answer
                result[label.pk] = (
                    failing,
                    Decimal(bool(answer)),
                    dt.date.min if failing else None,
                )
            else:
                failing = Decimal(str(answer)) < cond.threshold
                result[label.pk] = (failing, Decimal(str(answer)), dt.date.min if failing else None)
        elif cond.kind in (Kind.INDICATOR_AT_LEAST, Kind.INDICATOR_MEAN):
            code = cond.indicator.code
            valued = [
                r
                for r in own
                if r.state == State.ACCEPTED
                and r.period_end < today
                and r.values.get(code) is not None
            ]
            if cond.kind == Kind.INDICATOR_AT_LEAST:
                since = add_months(quarters_before(today)[0], -3 * cond.periods)
                counted = [r for r in valued if r.period_start >= since]
                if not counted:
                    continue
                lowest = min(Decimal(str(r.values[code])) for r in counted)
                failing = lowest < cond.threshold
                below = [
                    brussels_day(r.reviewed_at)
                    for r in counted
                    if Decimal(str(r.values[code])) < cond.threshold
                ]
                result[label.pk] = (failing, lowest, max(below) if failing else None)
            else:
                counted = [r for r in valued if year_ago <= r.period_end]
                if not counted:
                    continue
                mean = sum(Decimal(str(r.values[code])) for r in counted) / len(counted)
                failing = mean < cond.threshold
                # The measure keeps a millionth (SQLite computes with floats).
                mean = mean.quantize(Decimal("0.000001")).normalize()
                accepted = max(brussels_day(r.reviewed_at) for r in counted)
                result[label.pk] = (failing, mean, accepted if failing else None)
        elif cond.kind == Kind.REPORTS_ON_TIME:
            counted = [r for r in own if year_ago <= r.due_on < today]
            if not counted:
                continue
            late = []
            for r in counted:
                filed = brussels_day(r.first_submitted_at or r.submitted_at)
                if filed is None or filed > r.due_on:
                    late.append(r)
            failing = bool(late)
            result[label.pk] = (
                failing,
                Decimal(len(late)),
                max(r.due_on for r in late) if failing else None,
            )
        elif cond.kind == Kind.EVIDENCE:
            uploads = [brussels_day(e.uploaded_at) for e in evidence if e.label_id == label.pk]
            years = 0
            while add_months(label.issued_on, 12 * (years + 1)) <= today:
                years += 1
            if years == 0:
                result[label.pk] = (False, None, None)
                continue
            start = add_months(label.issued_on, 12 * (years - 1))
            ended = add_months(label.issued_on, 12 * years)
            failing = not any(day >= start for day in uploads)
            result[label.pk] = (failing, None, ended if failing else None)
    return result


# Random data --------------------------------------------------------------------------------

percent = st.decimals(min_value=0, max_value=100, places=2)
moment = st.builds(
    lambda day, minutes: (
        timezone.make_aware(dt.datetime(2020, 1, 1), dt.UTC)
        + dt.timedelta(days=day, minutes=minutes)
    ),
    st.integers(0, 7 * 366),
    # Around midnight in Brussels and UTC alike.
    st.sampled_from([0, 30, 22 * 60 + 30, 23 * 60 + 30, 12 * 60]),
)


@st.composite
def a_report(draw, today):
    start = draw(st.sampled_from(quarters_before(today)))
    state = draw(st.sampled_from([State.DUE, State.SUBMITTED, State.RETURNED, State.ACCEPTED]))
    end = quarter_end(start)
    due_on = end + dt.timedelta(days=draw(st.sampled_from([10, 30, 60])))
    values = {}
    if draw(st.booleans()):
        values["occupancy_rate"] = str(draw(percent))
    if draw(st.booleans()):
        values["active_coworkers"] = draw(st.integers(0, 60))
    fields = {"due_on": due_on, "values": values}
    if state != State.DUE:
        filed = timezone.make_aware(
            dt.datetime.combine(due_on, dt.time(12)), dt.UTC
        ) + dt.timedelta(
            days=draw(st.integers(-40, 5)),
            minutes=draw(st.sampled_from([0, 10 * 60 + 30, 11 * 60 + 30, -12 * 60])),
        )
        fields["submitted_at"] = filed
        # Reports filed before the first filing was kept have only their last one.
        if draw(st.integers(0, 4)):
            fields["first_submitted_at"] = filed
    if state == State.ACCEPTED:
        fields["reviewed_at"] = timezone.make_aware(
            dt.datetime.combine(end, dt.time(23, 30)), dt.UTC
        ) + dt.timedelta(days=draw(st.integers(1, 80)))
    return start, state, fields


@st.composite
def a_label(draw, today):
    issued_on = today - dt.timedelta(days=draw(st.integers(0, 900)))
    return {
        "state": draw(st.sampled_from([Label.State.ACTIVE] * 5 + [Label.State.SUSPENDED])),
        "issued_on": issued_on,
        "valid_until": today + dt.timedelta(days=draw(st.integers(-20, 900))),
        "decimal": draw(st.booleans()),
        "desks": draw(st.none() | st.integers(0, 40)),
        "half": draw(st.booleans()),
        "charter": draw(st.none() | st.booleans()),
        "reports": draw(st.lists(a_report(today), max_size=8, unique_by=lambda r: r[0])),
        "uploads": draw(st.lists(moment, max_size=2)),
    }


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_every_kind_of_condition_matches_a_plain_computation(
    data, space_call, decimal_call, occupancy, coworkers, schedule
):
    programme = space_call.programme
    today = data.draw(st.dates(dt.date(2025, 3, 1), dt.date(2027, 1, 31)), label="today")
    drawn = data.draw(st.lists(a_label(today), min_size=1, max_size=5), label="labels")
    periods = data.draw(st.integers(1, 4), label="k")
    mean_threshold = data.draw(st.sampled_from([Decimal("30"), Decimal("50.5"), Decimal("80")]))
    with transaction.atomic():
        conditions = [
            condition(programme, Kind.ANSWER_AT_LEAST, question_code="desks", threshold=20),
            condition(programme, Kind.ANSWER_YES, question_code="charter"),
            condition(
                programme,
                Kind.INDICATOR_AT_LEAST,
                indicator=occupancy,
                threshold=Decimal("40"),
                periods=periods,
            ),
            condition(
                programme, Kind.INDICATOR_MEAN, indicator=occupancy, threshold=mean_threshold
            ),
            condition(programme, Kind.INDICATOR_MEAN, indicator=coworkers, threshold=20),
            condition(programme, Kind.REPORTS_ON_TIME),
            condition(programme, Kind.EVIDENCE, document_fr="Attestation d'assurance"),
        ]
        evidence_condition = conditions[-1]
        labels, reports, evidence = [], [], []
        for spec in drawn:
            if spec["decimal"]:
                call = decimal_call
                desks = spec["desks"]
                answers = (
                    {} if desks is None else {"desks": f"{desks}.5" if spec["half"] else str(desks)}
                )
            else:
                call = space_call
                answers = {}
                if spec["desks"] is not None:
                    answers["desks"] = spec["desks"]
                if spec["charter"] is not None:
                    answers["charter"] = spec["charter"]
            label = make_label(
                call,
                answers=answers,
                issued_on=spec["issued_on"],
                valid_until=spec["valid_until"],
                state=spec["state"],
                member=False,
            )
            label.refresh_from_db()
            labels.append(label)
            for start, state, fields in spec["reports"]:
                reports.append(make_report(label, start, state, **fields))
            for uploaded_at in spec["uploads"]:
                evidence.append(
                    Evidence.objects.create(
                        label=label,
                        condition=evidence_condition,
                        file="labels/evidence.pdf",
                        original_name="assurance.pdf",
                        size=1000,
                        content_type="application/pdf",
                        uploaded_at=uploaded_at,
                    )
                )
        for cond in conditions:
            cond.yes_no_call_id = space_call.pk
            expected = oracle(cond, labels, reports, evidence, today)
            measured = {
                label_id: (m.failing, m.value, m.as_of)
                for label_id, m in evaluation.evaluate(cond, today=today).items()
            }
            assert measured == expected, cond.kind

            failing = sum(1 for failed, _value, _as_of in expected.values() if failed)
            event(f"{cond.kind}: {len(expected)} measured, {failing} failing")
        transaction.set_rollback(True)
