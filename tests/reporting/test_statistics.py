"""Programme statistics: figures equal hand-computed values on a small fixture, the page's
query count does not depend on the data, strangers get 404, charts come as escaped SVG."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation

from applications.models import Application
from labels import services as label_services
from labels.models import Label
from portal.models import StateChange
from reporting import statistics, tallies
from reporting.indicatorlibrary import COWORKING, install
from reporting.indicators import to_json
from reporting.models import ActivityReport, Indicator
from review.models import Decision, Proposal
from tests.factories import ApplicationFactory, CallFactory, UserFactory
from tests.pages import text_of
from tests.queries import assert_same_count, queries_of
from tests.reporting.conftest import make_report

BRUSSELS = ZoneInfo("Europe/Brussels")
State = Application.State


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=BRUSSELS)


def dossier(call, state, requested, postcode="5000", submitted="2026-01-01", **extra):
    application = ApplicationFactory(
        call=call,
        state=state,
        submitted_at=at(submitted) if submitted else None,
        content={"requested_amount": Decimal(requested), "postcode": postcode, **extra},
    )
    tallies.refresh_dossier(application.pk)  # as its last transition would, after commit
    return application


def history(application, *steps):
    """State changes of ``application``: (target, day) pairs, each leaving the previous one."""
    content_type = ContentType.objects.get_for_model(Application)
    source = "draft"
    for target, day in steps:
        StateChange.objects.create(
            content_type=content_type,
            object_id=application.pk,
            transition="test",
            source=source,
            target=target,
            at=at(day),
        )
        source = target
    # As the transitions do, after commit.
    tallies.refresh_dossier(application.pk)


# A complete, plausible quarter of a space: the twelve indicators of SPEC §6.
FILLED = {
    "active_coworkers": 42,
    "desks": 30,
    "occupancy_rate": Decimal("61.5"),
    "days_open": 64,
    "events_held": 6,
    "event_attendance": 180,
    "businesses_hosted": 25,
    "businesses_created": 2,
    "jobs_created": Decimal("1.5"),
    "turnover": Decimal("18250.00"),
    "public_funding_used": Decimal("12500.00"),
    "partnerships": 4,
}


def indicators_of(programme) -> dict[str, Indicator]:
    """The programme's indicators by code: the twelve of SPEC §6 unless it has its own."""
    if not Indicator.objects.filter(programme=programme).exists():
        install(programme, COWORKING)
    return {
        indicator.code: indicator for indicator in Indicator.objects.filter(programme=programme)
    }


def filed(label, start, state, **figures):
    """A report of the quarter starting on ``start`` giving ``figures`` (by indicator code)."""
    report = make_report(label, start, state, narrative="Un trimestre animé.")
    indicators = indicators_of(label.programme)
    report.values = {
        code: to_json(indicators[code], value)
        for code, value in figures.items()
        if value is not None
    }
    report.save(update_fields=["values"])
    tallies.refresh_report_group(report.pk)  # as the transitions do, after commit
    return report


@pytest.fixture
def dataset(call, programme):
    return build_dataset(call, programme)


def build_dataset(call, programme) -> dict:
    """The small programme of the hand computations in the tests below.

    Call A (``call``): six submitted dossiers and a draft; call B ("Appel & <deux>"): a
    granted dossier and one withdrawn after its submission in 2025.
    """
    other = CallFactory(programme=programme, title="Appel & <deux>", opens_at=call.opens_at)
    d1 = dossier(call, State.SUBMITTED, 80_000)
    dossier(call, State.INADMISSIBLE, 40_000)
    dossier(call, State.IN_REVIEW, 60_000)
    d4 = dossier(call, State.REFUSED, 50_000)
    d5 = dossier(call, State.GRANTED, 100_000, postcode="4000", municipality="Liège")
    d6 = dossier(call, State.REFUSED, 70_000)
    dossier(call, State.DRAFT, 30_000, submitted=None)
    d8 = dossier(other, State.GRANTED, 50_000)
    dossier(other, State.WITHDRAWN, 20_000, submitted="2025-11-05")
    Proposal.objects.create(application=d4, proposed=False, rationale="Sous le seuil")
    Proposal.objects.create(application=d5, proposed=True, rationale="Premier")
    Proposal.objects.create(application=d6, proposed=True, rationale="Deuxième")
    Proposal.objects.create(application=d8, proposed=True, rationale="Seul")
    Decision.objects.create(application=d4, granted=False, reason="Non proposé")
    Decision.objects.create(application=d5, granted=True, amount=Decimal("90000"))
    Decision.objects.create(application=d6, granted=False, reason="Budget épuisé")
    Decision.objects.create(application=d8, granted=True, amount=Decimal("50000"))

    history(d1, ("submitted", "2026-01-01"))
    history(
        d4,
        ("submitted", "2026-01-01"),
        ("changes_requested", "2026-01-03"),
        ("submitted", "2026-01-13"),
        ("admissible", "2026-01-14"),
        ("in_review", "2026-01-16"),
        ("reviewed", "2026-02-15"),
        ("not_proposed", "2026-02-20"),
        ("refused", "2026-03-12"),
    )
    history(
        d5,
        ("submitted", "2026-01-01"),
        ("admissible", "2026-01-11"),
        ("in_review", "2026-01-15"),
        ("reviewed", "2026-02-14"),
        ("proposed", "2026-02-20"),
        ("granted", "2026-03-02"),
    )
    history(
        d6,
        ("submitted", "2026-01-01"),
        ("admissible", "2026-01-05"),
        ("in_review", "2026-01-07"),
        ("reviewed", "2026-02-06"),
        ("proposed", "2026-02-08"),
        ("refused", "2026-03-01"),
    )

    liege = label_services.issue_label(d5, today=dt.date(2026, 3, 15))
    namur = label_services.issue_label(d8, today=dt.date(2026, 3, 16))
    Label.objects.filter(pk=namur.pk).update(state=Label.State.SUSPENDED)

    Accepted, Submitted = ActivityReport.State.ACCEPTED, ActivityReport.State.SUBMITTED
    filed(liege, dt.date(2026, 1, 1), Accepted, **FILLED)
    filed(
        namur,
        dt.date(2026, 1, 1),
        Submitted,
        **{
            **FILLED,
            "active_coworkers": 20,
            "occupancy_rate": Decimal("40.5"),
            "turnover": Decimal("6000"),
        },
    )
    filed(liege, dt.date(2026, 4, 1), Accepted, **{**FILLED, "active_coworkers": 50})
    # Neither returned nor due reports count.
    filed(namur, dt.date(2026, 4, 1), ActivityReport.State.RETURNED, **{**FILLED, "desks": 777})
    filed(liege, dt.date(2026, 7, 1), ActivityReport.State.DUE, active_coworkers=999)
    # Most dossiers were written without their transitions: their tallies as the daily job
    # computes them.
    tallies.rebuild(programme)
    return {"call": call, "other": other, "liege": liege, "namur": namur}


def test_funnel_and_amounts_per_call(dataset, programme):
    calls, total = statistics.funnel(statistics.StatisticsFilter(programme))

    first, second = calls
    assert first.title == dataset["call"].title
    # submitted, admissible, reviewed, proposed, granted
    assert [count for _name, count, _rate in first.stages()] == [6, 4, 3, 2, 1]
    assert [rate for _name, _count, rate in first.stages()] == [
        Decimal("100.0"),
        Decimal("66.7"),
        Decimal("50.0"),
        Decimal("33.3"),
        Decimal("16.7"),
    ]
    assert (first.requested_amount, first.granted_amount) == (Decimal(400_000), Decimal(90_000))
    assert (second.submitted, second.granted) == (2, 1)
    assert (second.requested_amount, second.granted_amount) == (Decimal(70_000), Decimal(50_000))
    assert [count for _name, count, _rate in total.stages()] == [8, 5, 4, 3, 2]
    assert [rate for _name, _count, rate in total.stages()][1:] == [
        Decimal("62.5"),
        Decimal("50.0"),
        Decimal("37.5"),
        Decimal("25.0"),
    ]
    assert (total.requested_amount, total.granted_amount) == (Decimal(470_000), Decimal(140_000))
    assert total.granted_share == Decimal("29.8")


def test_filters_narrow_the_dossiers(dataset, programme):
    liege = statistics.StatisticsFilter(programme, province="LIE")
    calls, total = statistics.funnel(liege)
    assert [count for _name, count, _rate in total.stages()] == [1, 1, 1, 1, 1]
    assert total.granted_amount == Decimal(90_000)
    # A call without a dossier of the filter keeps its row, with zeros.
    assert [row.submitted for row in calls] == [1, 0]

    in_2025 = statistics.StatisticsFilter(programme, year=2025)
    assert statistics.funnel(in_2025)[1].submitted == 1
    assert statistics.funnel(in_2025)[1].requested_amount == Decimal(20_000)

    only_b = statistics.StatisticsFilter(programme, call=dataset["other"])
    calls, total = statistics.funnel(only_b)
    assert [row.title for row in calls] == ["Appel & <deux>"]
    assert total.submitted == 2
    assert statistics.labels_by_province(only_b).total == 1


def test_labels_by_province_and_state(dataset, programme):
    table = statistics.labels_by_province(statistics.StatisticsFilter(programme))

    states = [code for code, _name in table.states]
    assert states[:2] == ["active", "suspended"]
    assert [(name, total) for name, _values, total in table.rows] == [
        ("Liège", 1),
        ("Namur", 1),
    ]
    assert table.rows[0][1][states.index("active")] == 1
    assert table.rows[1][1][states.index("suspended")] == 1
    assert table.total == 2
    assert (
        statistics.labels_by_province(statistics.StatisticsFilter(programme, year=2025)).rows == []
    )


def test_indicators_summed_and_averaged_per_period(dataset, programme):
    periods = statistics.indicators_by_period(statistics.StatisticsFilter(programme))

    first, second = periods
    assert (first.start, first.reports, second.start, second.reports) == (
        dt.date(2026, 1, 1),
        2,
        dt.date(2026, 4, 1),
        1,
    )
    assert first.sums["active_coworkers"] == 62
    assert first.means["active_coworkers"] == Decimal("31.0")
    assert first.sums["turnover"] == Decimal("24250")
    assert first.means["occupancy_rate"] == Decimal("51.0")
    assert first.sums["occupancy_rate"] is None  # a sum of rates means nothing
    assert first.sums["jobs_created"] == Decimal("3.0")
    assert second.sums["active_coworkers"] == 50
    assert second.sums["desks"] == 30  # the returned report's 777 desks do not count

    indicators = statistics.programme_indicators(programme)
    found = {trend.indicator.code: trend for trend in statistics.trends(periods, indicators)}
    coworkers = found["active_coworkers"]
    # Means per report: the second period has one report so far, the first had two.
    assert (coworkers.previous, coworkers.latest, coworkers.change) == (
        Decimal("31.0"),
        Decimal("50.0"),
        Decimal("61.3"),
    )
    occupancy = found["occupancy_rate"]
    assert (occupancy.previous, occupancy.latest) == (Decimal("51.0"), Decimal("61.5"))


def test_median_days_in_each_state_and_to_the_decision(dataset, programme):
    selection = statistics.StatisticsFilter(programme)

    medians = {
        row.state: (row.count, row.median_days) for row in statistics.time_in_states(selection)
    }
    assert medians == {
        "submitted": (4, Decimal("3.0")),  # 1, 2, 4, 10 days (the open stay is left out)
        "changes_requested": (1, Decimal("10.0")),
        "admissible": (3, Decimal("2.0")),  # 2, 2, 4
        "in_review": (3, Decimal("30.0")),
        "reviewed": (3, Decimal("5.0")),  # 2, 5, 6
        "shortlisted": (0, None),  # the call has no shortlist: no stay, no median
        "proposed": (2, Decimal("15.5")),  # 10, 21
        "not_proposed": (1, Decimal("20.0")),
    }
    decision = statistics.submission_to_decision(selection)
    assert (decision.count, decision.median_days) == (3, Decimal("60.0"))  # 59, 60, 70

    liege = statistics.StatisticsFilter(programme, province="LIE")
    assert statistics.submission_to_decision(liege).median_days == Decimal("60.0")
    assert statistics.time_in_states(liege)[0].median_days == Decimal("10.0")


def test_medians_with_no_history(programme):
    selection = statistics.StatisticsFilter(programme)
    assert all(row.median_days is None for row in statistics.time_in_states(selection))
    assert statistics.submission_to_decision(selection).count == 0


# The page --------------------------------------------------------------------------------------


def url(name: str = "statistics") -> str:
    return reverse(f"reporting:{name}")


def test_the_page_shows_the_figures_and_escaped_charts(client, dataset, officer):
    client.force_login(officer)
    response = client.get(url())

    assert response.status_code == 200
    page = response.content.decode()
    # Funnel, amounts, labels, and the indicators' six (counts by four, one per unit).
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg"') == 9
    assert 'role="img"' in page
    assert "style=" not in page.split("<svg", 1)[1]  # the CSP forbids inline styles
    # A call title from the data is escaped in the tables and inside the SVG alike.
    assert "Appel & <deux>" not in page
    assert "Appel &amp; &lt;deux&gt;" in page
    assert "470\xa0000,00\xa0€" in page
    assert "62,5\xa0%" in page


def test_the_page_filters_by_call_year_and_province(client, dataset, ministry, programme):
    client.force_login(ministry)
    response = client.get(
        url(), {"programme": programme.pk, "call": dataset["other"].pk, "year": 2025}
    )
    assert response.status_code == 200
    assert response.context["statistics"].total.submitted == 1

    response = client.get(url(), {"programme": programme.pk, "province": "LIE"})
    assert response.context["statistics"].total.granted_amount == Decimal(90_000)


def test_a_call_of_another_programme_is_an_error(client, dataset, officer, programme):
    client.force_login(officer)
    stranger = CallFactory()
    response = client.get(url(), {"programme": programme.pk, "call": stranger.pk})
    assert response.status_code == 400
    assert "statistics" not in response.context


def test_query_count_does_not_depend_on_the_data(client, call, programme, officer):
    client.force_login(officer)
    dossier(call, State.SUBMITTED, 10_000)
    few = queries_of(client, url())
    # The small programme above, then three more calls (choices of the filter) with twelve
    # dossiers decided in six provinces, their history, labels and reports.
    build_dataset(call, programme)
    calls = [CallFactory(programme=programme, opens_at=call.opens_at) for _ in range(3)]
    postcodes = ["1000", "1300", "4000", "5000", "6000", "6700"]
    for index in range(12):
        granted = index % 2 == 0
        application = dossier(
            calls[index % 3],
            State.GRANTED if granted else State.REFUSED,
            10_000 + index,
            postcode=postcodes[index % 6],
        )
        history(
            application,
            ("submitted", "2026-01-01"),
            ("admissible", f"2026-01-0{2 + index % 5}"),
            ("granted" if granted else "refused", "2026-03-01"),
        )
        Decision.objects.create(
            application=application, granted=granted, amount=10_000 if granted else None
        )
        if granted:
            label = label_services.issue_label(application, today=dt.date(2026, 3, 15))
            for quarter in (dt.date(2026, 4, 1), dt.date(2026, 7, 1)):
                filed(label, quarter, ActivityReport.State.ACCEPTED, **FILLED)
    many = queries_of(client, url())
    assert_same_count(few, many, ceiling=20)
    assert client.get(url()).context["statistics"].total.submitted == 21


def test_strangers_get_404(client, dataset, other_officer, programme):
    client.force_login(other_officer)
    assert client.get(url(), {"programme": programme.pk}).status_code == 404
    assert client.get(url("statistics_report"), {"programme": programme.pk}).status_code == 404


def test_staff_of_no_programme_get_404(client, db):
    client.force_login(UserFactory(roles=["officer"]))
    assert client.get(url()).status_code == 404


def test_anonymous_visitors_sign_in_first(client, db):
    response = client.get(url())
    assert response.status_code == 302
    assert reverse("portal:login") in response["Location"]


def test_recent_figures_are_reused_and_dated(client, call, programme, officer, settings):
    settings.STATISTICS_CACHE_SECONDS = 600
    client.force_login(officer)
    dossier(call, State.SUBMITTED, 10_000)
    first = client.get(url())

    dossier(call, State.SUBMITTED, 20_000)
    again = queries_of(client, url())
    reused = client.get(url())

    assert not any("portal_statechange" in sql for sql in again)
    assert reused.context["statistics"].total.submitted == 1
    assert "Chiffres calculés le" in text_of(first)
    assert text_of(reused) == text_of(first)


def test_activity_charts_draw_the_mean_per_space(dataset, programme):
    """Q1 has two reports and Q2 one so far: sums would show activity halving (62 then 50
    coworkers) where the spaces' mean rose from 31 to 50."""
    from reportlab.graphics.charts.linecharts import HorizontalLineChart

    from reporting.presentation import statistics_charts

    with translation.override("fr-be"):
        drawn = statistics_charts(
            statistics.programme_statistics(statistics.StatisticsFilter(programme))
        )

    def lines(chart):
        return next(c for c in chart.contents if isinstance(c, HorizontalLineChart)).data

    titles = [chart.title.replace("\xa0", " ") for chart in drawn["activity"]]
    # Counts by four, then rates, days, full-time equivalents and euros, each on their axis.
    assert titles == [
        "Activité par période : moyenne par espace labellisé",
        "Activité par période : moyenne par espace labellisé",
        "Taux d'occupation (%) par période : moyenne par espace labellisé",
        "Jours d'ouverture par période : moyenne par espace labellisé",
        "Emplois créés (ETP) par période : moyenne par espace labellisé",
        "Montants par période : moyenne par espace labellisé",
    ]
    counts = drawn["activity"][0]
    assert list(lines(counts)[0]) == [31.0, 50.0]  # active coworkers
    assert list(lines(drawn["activity"][5])[0]) == [12125.0, 18250.0]  # (18250 + 6000) / 2
