"""The daily surveillance job and the evaluation after an accepted report: cases opened
once, told once, flagged past their deadline, closed cases left closed on the same facts,
and queries that do not grow with the number of labels."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from labels.models import Label
from portal.models import OutgoingEmail
from portal.transitions import ConcurrentTransition, history, perform, perform_all
from reporting import services as reporting_services
from reporting.models import ActivityReport
from surveillance import evaluation, services, watch
from surveillance.evaluation import labels_in_force
from surveillance.models import Condition, Evidence, NonConformity
from tests.queries import assert_same_count
from tests.surveillance.conftest import condition, make_label, make_report

Kind = Condition.Kind
TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def desks_condition(space_call):
    return condition(
        space_call.programme,
        Kind.ANSWER_AT_LEAST,
        question_code="desks",
        threshold=20,
        grace_days=30,
        label_fr="Au moins 20 postes de travail",
        label_en="At least 20 workstations",
    )


@pytest.fixture
def small(space_call):
    """A space of 12 workstations, its member reading English."""
    label = make_label(space_call, answers={"desks": 12, "charter": True})
    member = label.organisation.memberships.get().user
    member.language = "en"
    member.save()
    return label


@pytest.fixture
def large(space_call):
    return make_label(space_call, answers={"desks": 30, "charter": True})


def emails_to(label):
    member = label.organisation.memberships.get().user
    return OutgoingEmail.objects.filter(recipient=member.email)


def test_a_failing_condition_opens_a_case_told_to_the_holder_in_their_language(
    desks_condition, small, large
):
    assert watch.run(TODAY) == (1, 0)

    case = NonConformity.objects.get()
    assert (case.label, case.condition, case.state) == (small, desks_condition, "open")
    assert (case.opened_on, case.deadline) == (TODAY, dt.date(2026, 7, 15))
    assert case.measured == "12"
    [email] = emails_to(small)
    assert email.subject == f"Label {small.number}: a condition is no longer met"
    assert "At least 20 workstations" in email.body
    assert "To be put right by 15 July 2026." in email.body
    assert not emails_to(large).exists()
    step = history(small)[-1]
    assert step.transition == watch.OPENED
    assert str(step.target_label) == "non-conformité ouverte"
    assert "Au moins 20 postes de travail" in step.comment


def test_running_the_job_twice_opens_nothing_twice_and_sends_nothing_twice(
    desks_condition, small, officer
):
    watch.run(TODAY)
    emails = OutgoingEmail.objects.count()
    assert watch.run(TODAY) == (0, 0)
    assert watch.run(TODAY + dt.timedelta(days=1)) == (0, 0)
    assert NonConformity.objects.count() == 1
    assert OutgoingEmail.objects.count() == emails

    # Past the deadline: flagged once, officers told once.
    late = dt.date(2026, 7, 16)
    assert watch.run(late) == (0, 1)
    assert watch.run(late) == (0, 0)
    case = NonConformity.objects.get()
    assert case.state == "flagged" and case.flag_notice_sent_on == late
    [told] = OutgoingEmail.objects.filter(recipient=officer.email)
    assert small.number in told.body
    assert history(small)[-1].transition == watch.FLAGGED
    assert NonConformity.objects.count() == 1


def test_a_case_answered_in_time_is_flagged_too_when_the_deadline_passes(desks_condition, small):
    watch.run(TODAY)
    case = NonConformity.objects.get()
    holder = small.organisation.memberships.get().user
    perform(case, "answer", by=holder, comment="Nous ajoutons dix postes.")
    watch.run(dt.date(2026, 7, 15))
    assert NonConformity.objects.get().state == "answered"
    watch.run(dt.date(2026, 7, 16))
    assert NonConformity.objects.get().state == "flagged"


def test_an_answer_to_a_flagged_case_keeps_it_flagged_night_after_night(desks_condition, small):
    watch.run(TODAY)
    watch.run(dt.date(2026, 7, 16))
    case = NonConformity.objects.get()
    assert case.state == "flagged"
    holder = small.organisation.memberships.get().user

    services.answer(case, by=holder, comment="Dix postes arrivent lundi.")
    watch.run(dt.date(2026, 7, 17))

    case.refresh_from_db()
    assert case.state == "flagged" and case.answers.get().comment == "Dix postes arrivent lundi."
    flags = [c for c in history(small) if c.transition == watch.FLAGGED]
    assert len(flags) == 1


def test_nothing_is_flagged_on_a_label_or_a_condition_no_longer_in_force(desks_condition, small):
    watch.run(TODAY)
    Label.objects.filter(pk=small.pk).update(valid_until=dt.date(2026, 7, 1))
    watch.run(dt.date(2026, 7, 16))
    assert NonConformity.objects.get().state == "open"

    Label.objects.filter(pk=small.pk).update(valid_until=dt.date(2029, 7, 1))
    Condition.objects.filter(pk=desks_condition.pk).update(active=False)
    watch.run(dt.date(2026, 7, 16))
    assert NonConformity.objects.get().state == "open"


def test_an_answer_at_award_resolved_by_the_officer_is_not_opened_again(
    desks_condition, small, officer
):
    watch.run(TODAY)
    perform(NonConformity.objects.get(), "resolve", by=officer, comment="Dérogation accordée.")
    assert watch.run(TODAY + dt.timedelta(days=1)) == (0, 0)
    assert NonConformity.objects.get().state == "resolved"


def test_a_report_condition_opens_again_only_on_a_report_accepted_after_the_closing(
    space_call, occupancy, officer, schedule
):
    label = make_label(space_call, answers={"desks": 30})
    condition(
        space_call.programme,
        Kind.INDICATOR_AT_LEAST,
        indicator=occupancy,
        threshold=Decimal("30"),
        periods=2,
    )
    accepted = dt.datetime(2026, 5, 2, 10, tzinfo=dt.UTC)
    make_report(
        label,
        dt.date(2026, 1, 1),
        values={"occupancy_rate": "20.00"},
        reviewed_at=accepted,
        first_submitted_at=accepted,
    )
    assert watch.run(TODAY) == (1, 0)
    with time_machine.travel(dt.datetime(2026, 6, 16, 10, tzinfo=dt.UTC), tick=False):
        perform(NonConformity.objects.get(), "resolve", by=officer)
    assert watch.run(dt.date(2026, 6, 17)) == (0, 0)

    # A new quarter, still below, accepted after the closing: a new case.
    accepted = dt.datetime(2026, 8, 2, 10, tzinfo=dt.UTC)
    make_report(
        label,
        dt.date(2026, 4, 1),
        values={"occupancy_rate": "25.00"},
        reviewed_at=accepted,
        first_submitted_at=accepted,
    )
    assert watch.run(dt.date(2026, 8, 3)) == (1, 0)
    assert NonConformity.objects.get(state="open").measured == (
        "le plus bas des 2 dernières périodes\u00a0: 20\u00a0%"
    )


def test_only_labels_in_force_are_watched(desks_condition, space_call):
    make_label(space_call, answers={"desks": 5}, state=Label.State.SUSPENDED)
    make_label(space_call, answers={"desks": 5}, valid_until=TODAY - dt.timedelta(days=1))
    make_label(space_call, answers={"desks": 5}, issued_on=TODAY + dt.timedelta(days=1))
    Condition.objects.create(
        programme=space_call.programme,
        kind=Kind.ANSWER_YES,
        question_code="charter",
        label_fr="Charte",
        active=False,
    )
    make_label(space_call, answers={"desks": 25, "charter": False})
    assert watch.run(TODAY) == (0, 0)


def test_an_accepted_report_below_the_mean_opens_a_case_at_once(
    space_call, occupancy, officer, django_capture_on_commit_callbacks
):
    label = make_label(space_call, answers={"desks": 30})
    condition(
        space_call.programme, Kind.INDICATOR_MEAN, indicator=occupancy, threshold=Decimal("30")
    )
    report = make_report(
        label,
        dt.date(2026, 1, 1),
        state=ActivityReport.State.SUBMITTED,
        values={"occupancy_rate": "12.50"},
        first_submitted_at=dt.datetime(2026, 4, 10, 10, tzinfo=dt.UTC),
    )
    with django_capture_on_commit_callbacks(execute=True):
        reporting_services.accept(report, by=officer)
    case = NonConformity.objects.get()
    assert case.label == label and case.opening_notice_sent_on is not None
    assert emails_to(label).filter(subject__contains=label.number).count() == 1


def test_the_command_says_what_it_did(desks_condition, small, capsys):
    call_command("surveillance_jobs")
    assert "1 non-conformity(ies) opened, 0 flagged" in capsys.readouterr().out


def a_space(call, evidence_condition, *, failing: bool) -> Label:
    """A label with its dossier's answers, three accepted quarters and an evidence document:
    all above every condition of ``every_kind``, or all below (and late, and no document)."""
    label = make_label(call, answers={"desks": 10 if failing else 30, "charter": not failing})
    for start in (dt.date(2025, 7, 1), dt.date(2025, 10, 1), dt.date(2026, 1, 1)):
        filed = dt.datetime.combine(start, dt.time(10), tzinfo=dt.UTC) + dt.timedelta(
            days=150 if failing else 95
        )
        make_report(
            label,
            start,
            values={
                "occupancy_rate": "20.00" if failing else "60.00",
                "active_coworkers": 10 if failing else 40,
            },
            first_submitted_at=filed,
            reviewed_at=filed,
        )
    if not failing:
        Evidence.objects.create(
            label=label,
            condition=evidence_condition,
            file="labels/evidence.pdf",
            original_name="assurance.pdf",
            size=1000,
            content_type="application/pdf",
            uploaded_at=dt.datetime(2026, 4, 1, 10, tzinfo=dt.UTC),
        )
    return label


@pytest.fixture
def every_kind(space_call, occupancy, coworkers, schedule) -> Condition:
    """A condition of each kind for the programme; the evidence one is returned."""
    programme = space_call.programme
    condition(programme, Kind.ANSWER_AT_LEAST, question_code="desks", threshold=20)
    condition(programme, Kind.ANSWER_YES, question_code="charter")
    condition(programme, Kind.INDICATOR_AT_LEAST, indicator=occupancy, threshold=40, periods=2)
    condition(programme, Kind.INDICATOR_MEAN, indicator=occupancy, threshold=40)
    condition(programme, Kind.INDICATOR_MEAN, indicator=coworkers, threshold=20)
    condition(programme, Kind.REPORTS_ON_TIME)
    return condition(programme, Kind.EVIDENCE, document_fr="Attestation d'assurance")


def evaluation_queries(programme) -> tuple[list[str], int]:
    """The SQL of evaluating the programme's conditions and opening the cases of the labels
    failing them (the first step of the daily job), and the number opened; rolled back."""
    with transaction.atomic():
        with CaptureQueriesContext(connection) as captured:
            conditions = Condition.objects.filter(programme=programme, active=True)
            opened = sum(
                watch.open_failing(condition, labels_in_force(programme.pk, TODAY), TODAY)
                for condition in conditions.select_related("indicator")
            )
        transaction.set_rollback(True)
    return [entry["sql"] for entry in captured.captured_queries], opened


def test_evaluating_the_conditions_runs_the_same_queries_for_2_and_20_labels(
    space_call, every_kind
):
    """Set-based: a few queries per condition, whatever the number of labels, whether they
    pass or fail (the cases are opened in bulk). Only telling each holder costs a few
    queries per label, which the daily job does after the evaluation."""
    for failing in (False, True):
        a_space(space_call, every_kind, failing=failing)
    few, opened = evaluation_queries(space_call.programme)
    assert opened == 7  # the failing label fails each condition
    for n in range(18):
        a_space(space_call, every_kind, failing=n % 2 == 1)
    many, opened = evaluation_queries(space_call.programme)
    assert opened == 7 * 10
    assert_same_count(few, many, ceiling=35)


def test_the_daily_job_runs_the_same_queries_for_2_and_20_labels_that_pass(space_call, every_kind):
    for _ in range(2):
        a_space(space_call, every_kind, failing=False)
    with CaptureQueriesContext(connection) as captured:
        assert watch.run(TODAY) == (0, 0)
    few = [entry["sql"] for entry in captured.captured_queries]
    for _ in range(18):
        a_space(space_call, every_kind, failing=False)
    with CaptureQueriesContext(connection) as captured:
        assert watch.run(TODAY) == (0, 0)
    many = [entry["sql"] for entry in captured.captured_queries]
    assert_same_count(few, many, ceiling=20)
    # Every label was measured, and passes: not left out for want of facts.
    for measured in every_kind.programme.label_conditions.all():
        measures = evaluation.evaluate(measured, today=TODAY).values()
        assert len(measures) == 20 and not any(m.failing for m in measures), measured.kind


def test_the_daily_job_runs_the_same_statements_whatever_the_number_of_labels_failing(
    space_call, every_kind, officer
):
    """Opening, telling and flagging thousands of cases: the emails print each label's
    programme, holder and dossier, read with the cases, and a programme's wording, read once;
    the notices are claimed, the history written, the cases flagged (each row locked and
    checked, as ``perform`` does) and the messages written (inbox lines, unread counts,
    emails) a chunk at a time."""

    def statements(failing: int) -> list[str]:
        while Label.objects.count() < failing:
            a_space(space_call, every_kind, failing=True)
        with transaction.atomic():
            with CaptureQueriesContext(connection) as captured:
                opened, _flagged = watch.run(TODAY)
                _opened, flagged = watch.run(TODAY + dt.timedelta(days=60))
            assert (opened, flagged) == (7 * failing, 7 * failing)
            flagged_cases = NonConformity.objects.filter(state=NonConformity.State.FLAGGED)
            assert flagged_cases.count() == 7 * failing
            assert all(history(case)[-1].transition == "flag" for case in flagged_cases)
            transaction.set_rollback(True)
        return [entry["sql"] for entry in captured.captured_queries]

    ContentType.objects.get_for_models(Label, NonConformity)  # a running server's cache
    few = statements(2)
    many = statements(6)
    assert_same_count(few, many, ceiling=100)


@pytest.mark.parametrize("count", [2, 6])
def test_flagging_in_bulk_writes_one_update_per_state_left(space_call, desks_condition, count):
    """A job's transition gives its cases the same values: one plain ``UPDATE`` for those
    left open and one for those answered, however many."""
    cases = [
        NonConformity.objects.create(
            label=make_label(space_call, answers={"desks": 5}),
            condition=desks_condition,
            opened_on=TODAY,
            deadline=TODAY,
            state=NonConformity.State.ANSWERED if index % 2 else NonConformity.State.OPEN,
        )
        for index in range(count)
    ]

    with CaptureQueriesContext(connection) as captured:
        changed = perform_all(cases, "flag", comment=lambda case: "late")

    assert changed == cases
    stored = NonConformity.objects.filter(pk__in=[case.pk for case in cases])
    assert set(stored.values_list("state", flat=True)) == {NonConformity.State.FLAGGED}
    assert sorted(step.source for case in cases for step in history(case)) == sorted(
        ["open", "answered"] * (count // 2)
    )
    table = 'UPDATE "surveillance_nonconformity"'
    updates = [q["sql"] for q in captured.captured_queries if q["sql"].startswith(table)]
    assert len(updates) == 2
    assert not any("CASE WHEN" in sql for sql in updates)  # the same values for each row


def test_flagging_in_bulk_leaves_out_a_case_changed_since_it_was_read(
    space_call, desks_condition, small, large
):
    """``perform_all``: each row locked and read again; a case answered meanwhile is left as
    it is, one already flagged is not flagged twice; each flag has its history row; a
    transition a person runs is refused in bulk."""
    labels = (small, large, make_label(space_call, answers={"desks": 5}))
    cases = [
        NonConformity.objects.create(
            label=label, condition=desks_condition, opened_on=TODAY, deadline=TODAY
        )
        for label in labels
    ]
    # The holder answered after the job read the case: left for the next run, as
    # ``perform`` leaves it (its state changed since it was read).
    NonConformity.objects.filter(pk=cases[1].pk).update(state=NonConformity.State.ANSWERED)
    NonConformity.objects.filter(pk=cases[2].pk).update(state=NonConformity.State.FLAGGED)
    cases[2].refresh_from_db()

    changed = perform_all(cases, "flag", comment=lambda case: f"case {case.pk}")

    assert changed == [cases[0]]
    states = dict(NonConformity.objects.values_list("pk", "state"))
    assert [states[case.pk] for case in cases] == ["flagged", "answered", "flagged"]
    assert [(step.transition, step.comment) for step in history(cases[0])] == [
        ("flag", f"case {cases[0].pk}")
    ]
    assert history(cases[2]) == []
    with pytest.raises(PermissionError):
        perform_all(cases, "sanction", comment=str)


def test_flagging_in_bulk_writes_nothing_if_a_case_changed_between_its_reading_and_writing(
    space_call, desks_condition, small, large
):
    """What SQLite, which locks no row, may let happen: the holder answers while the job
    flags. The chunk is refused whole (``ConcurrentTransition``) and left for the next run."""
    first, second = (
        NonConformity.objects.create(
            label=label, condition=desks_condition, opened_on=TODAY, deadline=TODAY
        )
        for label in (small, large)
    )

    def answered_meanwhile(case) -> str:
        NonConformity.objects.filter(pk=second.pk).update(state=NonConformity.State.ANSWERED)
        return "late"

    with pytest.raises(ConcurrentTransition):
        perform_all([first, second], "flag", comment=answered_meanwhile)

    # Rolled back whole, here with the answer that happened inside the same transaction.
    states = dict(NonConformity.objects.values_list("pk", "state"))
    assert (states[first.pk], states[second.pk]) == ("open", "open")
    assert history(first) == history(second) == []
