"""The statistics read from the summaries (``reporting.tallies``) equal those computed from
every report and the whole history (``statistics_oracle``, the former computation), on
random programmes and for every kind of filter; and the summaries follow the transitions,
imports and the daily job that change what they count."""

import datetime as dt
import io
import random
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from applications import services as application_services
from applications.models import Application
from labels import services as label_services
from portal.models import StateChange
from reporting import services, statistics, tallies
from reporting.indicatorlibrary import indicator, install
from reporting.indicators import to_json
from reporting.models import ActivityReport, DossierDuration, Indicator, ReportTally
from review.models import Decision, Proposal
from tests.factories import ADMISSIBLE_CHECKLIST, ApplicationFactory, CallFactory, complete
from tests.reporting import statistics_oracle as oracle
from tests.reporting.conftest import make_report
from tests.reporting.test_statistics import BRUSSELS, FILLED, dossier

Kind, Aggregation, State = Indicator.Kind, Indicator.Aggregation, Application.State
# Every kind of aggregated indicator, and every aggregation.
DEFINITIONS = [
    indicator("visitors", "visiteurs", "visitors"),
    indicator("members", "membres", "members", aggregation=Aggregation.LAST),
    indicator("hours", "heures", "hours", Kind.DECIMAL, aggregation=Aggregation.MEAN),
    indicator(
        "occupancy", "occupation", "occupancy", Kind.PERCENTAGE, aggregation=Aggregation.LAST
    ),
    indicator("turnover", "chiffre", "turnover", Kind.AMOUNT),
    indicator("wifi", "wifi", "wifi", Kind.YES_NO),
]
POSTCODES = ["1000", "1300", "4000", "5000", "6000", "6700", "7000"]
QUARTERS = [dt.date(year, month, 1) for year in (2025, 2026) for month in (1, 4, 7, 10)]
PATHS = [
    ["submitted"],
    ["submitted", "changes_requested", "submitted", "inadmissible"],
    ["submitted", "admissible", "in_review", "reviewed", "not_proposed", "refused"],
    ["submitted", "admissible", "in_review", "reviewed", "proposed", "granted"],
    ["submitted", "admissible", "in_review", "reviewed", "proposed", "refused"],
    ["submitted", "admissible", "in_review", "reviewed", "shortlisted", "proposed", "granted"],
    ["submitted", "admissible", "in_review"],
    ["submitted", "withdrawn"],
]
COUNTED_OR_NOT = [
    ActivityReport.State.ACCEPTED,
    ActivityReport.State.ACCEPTED,
    ActivityReport.State.SUBMITTED,
    ActivityReport.State.RETURNED,
    ActivityReport.State.DUE,
]


def value(definition: dict, rng: random.Random):
    """A random answer to ``definition``, or None (not answered) now and then."""
    if rng.random() < 0.15:
        return None
    kind = definition["kind"]
    if kind == Kind.INTEGER:
        return rng.randint(0, 400)
    if kind == Kind.DECIMAL:
        return Decimal(rng.randint(0, 4000)) / 10
    if kind == Kind.PERCENTAGE:
        return Decimal(rng.randint(0, 10000)) / 100
    if kind == Kind.AMOUNT:
        return Decimal(rng.randint(0, 5_000_000)) / 100
    return rng.random() < 0.6


def random_programme(call, seed: int) -> dict:
    """Dossiers of two calls with random histories (some at the same instant), labels in
    random provinces (some moved to another while their changes were requested), and reports
    of random periods, states and values: the summaries kept as the transitions would, one
    object at a time."""
    rng = random.Random(seed)
    programme = call.programme
    indicators = {i.code: i for i in install(programme, DEFINITIONS)}
    calls = [call, CallFactory(programme=programme, opens_at=call.opens_at)]
    content_type = ContentType.objects.get_for_model(Application)
    for number in range(rng.randint(12, 24)):
        path = rng.choice(PATHS)
        submitted = dt.datetime(rng.choice([2025, 2026]), rng.randint(1, 12), rng.randint(1, 28))
        application = dossier(
            rng.choice(calls),
            path[-1],
            rng.randint(5, 90) * 1000,
            postcode=rng.choice(POSTCODES),
            submitted=submitted.date().isoformat(),
        )
        moment = submitted.replace(tzinfo=BRUSSELS)
        source = "draft"
        for target in path:
            StateChange.objects.create(
                content_type=content_type,
                object_id=application.pk,
                transition="test",
                source=source,
                target=target,
                at=moment,
            )
            source = target
            # Some changes at the same instant: the history's order is then its ids'.
            moment += dt.timedelta(hours=rng.choice([0, 1, 7, 30, 200, 900]), minutes=number)
            # What the transition writes with the change, in its transaction.
            if target in (State.PROPOSED, State.NOT_PROPOSED):
                Proposal.objects.create(application=application, proposed=target == "proposed")
            elif target in (State.GRANTED, State.REFUSED):
                Decision.objects.create(
                    application=application,
                    granted=target == State.GRANTED,
                    amount=Decimal(rng.randint(5, 50) * 1000) if target == State.GRANTED else None,
                )
            tallies.refresh_dossier(application.pk)  # as each transition does, after commit
            if target == State.CHANGES_REQUESTED and rng.random() < 0.7:
                # The founder corrects the dossier: the space may be in another province.
                application.postcode = rng.choice(POSTCODES)
                application.requested_amount = rng.randint(5, 90) * 1000
                application.save()
        if path[-1] != State.GRANTED:
            continue
        label = label_services.issue_label(application, today=dt.date(2024, 12, 20))
        for start in rng.sample(QUARTERS, rng.randint(1, len(QUARTERS))):
            report = make_report(label, start, rng.choice(COUNTED_OR_NOT))
            report.values = {
                code: to_json(indicators[code], answer)
                for code, answer in (
                    (definition["code"], value(definition, rng)) for definition in DEFINITIONS
                )
                if answer is not None
            }
            report.save(update_fields=["values"])
            tallies.refresh_report_group(report.pk)
    return {"programme": programme, "calls": calls}


def filters(programme, calls) -> list[statistics.StatisticsFilter]:
    Filter = statistics.StatisticsFilter
    return [
        Filter(programme),
        Filter(programme, call=calls[1]),
        Filter(programme, year=2025),
        Filter(programme, year=2026, province="WLG"),
        Filter(programme, province="WNA"),
        Filter(programme, call=calls[0], year=2026),
    ]


def close(new, old, places: str) -> bool:
    """Equal to ``places``; SQL's AVG over the reports was a binary float on SQLite, the
    summaries' mean is an exact decimal: a mean may differ in its last place."""
    if new is None or old is None:
        return new is None and old is None
    return abs(Decimal(str(new)) - Decimal(str(old))) <= Decimal(places)


def assert_same_figures(new, old) -> None:
    assert new.reports == old.reports
    assert new.answered == old.answered
    for code in old.sums:
        assert close(new.sums[code], old.sums[code], "0.01"), code
        assert close(new.means[code], old.means[code], "0.1"), code


@pytest.mark.parametrize("seed", range(6))
def test_the_summaries_give_the_figures_of_every_report_and_the_whole_history(call, seed):
    built = random_programme(call, seed)

    for selection in filters(built["programme"], built["calls"]):
        indicators = statistics.programme_indicators(selection.programme)
        old_periods = oracle.indicators_by_period(selection, indicators)
        new_periods = statistics.indicators_by_period(selection, indicators)
        assert [(p.start, p.end) for p in new_periods] == [(p.start, p.end) for p in old_periods]
        for new, old in zip(new_periods, old_periods, strict=True):
            assert_same_figures(new, old)

        old_provinces, old_total = oracle.indicators_by_province(selection, indicators)
        new_provinces, new_total = statistics.indicators_by_province(selection, indicators)
        assert [p.province for p in new_provinces] == [p.province for p in old_provinces]
        for new, old in zip([*new_provinces, new_total], [*old_provinces, old_total], strict=True):
            assert_same_figures(new, old)

        assert statistics.funnel(selection) == oracle.funnel(selection)
        assert statistics.time_in_states(selection) == oracle.time_in_states(selection)
        assert statistics.submission_to_decision(selection) == oracle.submission_to_decision(
            selection
        )


def test_a_dossier_is_counted_in_the_year_of_its_submission_in_brussels(call):
    """23:30 on 31 December in Brussels is still that year; 00:30 on 1 January, 23:30 UTC
    the day before, is the next one."""
    for moment in (dt.datetime(2025, 12, 31, 23, 30), dt.datetime(2026, 1, 1, 0, 30)):
        application = dossier(call, State.SUBMITTED, 10_000)
        Application.objects.filter(pk=application.pk).update(
            submitted_at=moment.replace(tzinfo=BRUSSELS)
        )
        tallies.refresh_dossier(application.pk)

    for year in (2025, 2026):
        selection = statistics.StatisticsFilter(call.programme, year=year)
        assert statistics.funnel(selection)[1].submitted == 1
        assert statistics.funnel(selection) == oracle.funnel(selection)


def test_a_rebuild_gives_the_same_summaries_as_the_transitions(call):
    built = random_programme(call, seed=11)
    kept = statistics.programme_statistics(statistics.StatisticsFilter(built["programme"]))

    tallies.rebuild()

    rebuilt = statistics.programme_statistics(statistics.StatisticsFilter(built["programme"]))
    assert (rebuilt.calls, rebuilt.total) == (kept.calls, kept.total)
    assert rebuilt.periods == kept.periods
    assert rebuilt.provinces == kept.provinces
    assert rebuilt.states == kept.states
    assert rebuilt.decision == kept.decision


# What keeps the summaries fresh ---------------------------------------------------------------


def counted(programme) -> int:
    row = ReportTally.objects.filter(programme=programme, indicator=None)
    return sum(row.values_list("reports", flat=True))


def test_filing_and_accepting_a_report_counts_it_once_committed(
    label, holder, officer, django_capture_on_commit_callbacks
):
    report = make_report(label, dt.date(2026, 1, 1), narrative="Un trimestre.", **FILLED)
    assert counted(label.programme) == 0

    with django_capture_on_commit_callbacks(execute=False) as pending:
        services.submit(report, by=holder)
    assert counted(label.programme) == 0  # nothing before the commit
    for callback in pending:
        callback()
    assert counted(label.programme) == 1

    with django_capture_on_commit_callbacks(execute=True):
        services.return_for_corrections(report, by=officer, comment="Le total ne va pas.")
    assert counted(label.programme) == 0  # a returned report holds no figures anyone vouches for


def test_a_dossier_that_changes_state_gets_its_stay_counted(
    call, organisation, applicant, officer, django_capture_on_commit_callbacks
):
    draft = ApplicationFactory(call=call, organisation=organisation)
    total = statistics.StatisticsFilter(call.programme)
    with django_capture_on_commit_callbacks(execute=True):
        application_services.submit(complete(draft, by=applicant), by=applicant)
    assert not DossierDuration.objects.filter(application=draft).exists()  # still in it
    counted_now = statistics.funnel(total)[1]
    assert (counted_now.submitted, counted_now.admissible) == (1, 0)

    with django_capture_on_commit_callbacks(execute=True):
        application_services.declare_admissible(draft, by=officer, checklist=ADMISSIBLE_CHECKLIST)

    stays = DossierDuration.objects.filter(application=draft)
    assert list(stays.values_list("stage", "programme", "call")) == [
        ("submitted", draft.call.programme_id, draft.call_id)
    ]
    assert statistics.funnel(total)[1].admissible == 1
    assert statistics.stage_medians(total)["submitted"]["count"] == 1


def test_the_daily_job_computes_everything_again(label, db):
    make_report(label, dt.date(2026, 1, 1), ActivityReport.State.ACCEPTED, active_coworkers=7)
    assert counted(label.programme) == 0  # written without a transition

    call_command("report_jobs", stdout=io.StringIO())

    assert counted(label.programme) == 1
