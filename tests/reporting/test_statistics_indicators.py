"""Statistics follow each programme's own indicators: every aggregation (sum, mean, last
value, share of "yes") per period and per province equals a hand computation, choices and
texts are left out, and the number of queries does not grow with the indicators."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from applications.models import Application
from labels import services as label_services
from reporting import statistics, tallies
from reporting.indicatorlibrary import indicator, install
from reporting.models import ActivityReport, Indicator
from reporting.presentation import statistics_tables
from review.models import Decision
from tests.reporting.conftest import make_report
from tests.reporting.test_statistics import dossier

Kind, Aggregation = Indicator.Kind, Indicator.Aggregation
Q1, Q2 = dt.date(2026, 1, 1), dt.date(2026, 4, 1)
DEFINITIONS = [
    indicator("visitors", "visiteurs", "visitors"),
    indicator(
        "partner_municipalities",
        "communes partenaires",
        "partner municipalities",
        aggregation=Aggregation.LAST,
    ),
    indicator("wifi", "wifi public", "public wifi", Kind.YES_NO),
    indicator(
        "main_audience",
        "public principal",
        "main audience",
        Kind.CHOICE,
        aggregation=Aggregation.LAST,
        options=[{"code": "students", "label_fr": "étudiants", "label_en": "students"}],
    ),
    indicator(
        "occupancy", "occupation", "occupancy", Kind.PERCENTAGE, aggregation=Aggregation.MEAN
    ),
    # A rate by its last value: still never summed across spaces.
    indicator("coverage", "couverture", "coverage", Kind.PERCENTAGE, aggregation=Aggregation.LAST),
]


def space(call, postcode: str):
    application = dossier(call, Application.State.GRANTED, 10_000, postcode=postcode)
    Decision.objects.create(application=application, granted=True, amount=Decimal(10_000))
    return label_services.issue_label(application, today=dt.date(2025, 12, 15))


def report(label, start, **values):
    filed = make_report(label, start, ActivityReport.State.ACCEPTED, narrative="Rien à signaler.")
    ActivityReport.objects.filter(pk=filed.pk).update(values=values)
    tallies.refresh_report_group(filed.pk)  # as the transitions do, after commit
    return filed


@pytest.fixture
def spaces(call, programme):
    install(programme, DEFINITIONS)
    liege, namur = space(call, "4000"), space(call, "5000")
    base = {"main_audience": "students"}
    report(
        liege,
        Q1,
        visitors=10,
        partner_municipalities=3,
        wifi=True,
        occupancy="50.00",
        coverage="60.00",
        **base,
    )
    report(
        namur,
        Q1,
        visitors=20,
        partner_municipalities=5,
        wifi=False,
        occupancy="41.00",
        coverage="70.00",
    )
    report(liege, Q2, visitors=30, partner_municipalities=4, wifi=True, occupancy="60.00")
    report(namur, Q2, visitors=40, partner_municipalities=5)  # no answer about the wifi
    return liege, namur


def test_each_aggregation_per_period(spaces, programme):
    selection = statistics.StatisticsFilter(programme)
    indicators = statistics.programme_indicators(programme)
    first, second = statistics.indicators_by_period(selection, indicators)

    assert [i.code for i in indicators] == [
        "visitors",
        "partner_municipalities",
        "wifi",
        "occupancy",
        "coverage",
    ]  # a choice has no sum nor mean
    assert (first.sums["visitors"], first.means["visitors"]) == (30, Decimal("15.0"))
    # Within a period each space gives its last value: summed across spaces.
    assert (second.sums["partner_municipalities"], second.means["partner_municipalities"]) == (
        9,
        Decimal("4.5"),
    )
    assert (first.sums["wifi"], first.means["wifi"]) == (None, Decimal("50.0"))
    assert second.means["wifi"] == Decimal("100.0")  # among the reports that answered
    assert second.answered["wifi"] == 1
    assert (first.sums["occupancy"], first.means["occupancy"]) == (None, Decimal("45.5"))
    assert (first.sums["coverage"], first.means["coverage"]) == (None, Decimal("65.0"))


def test_each_aggregation_per_province(spaces, programme):
    provinces, total = statistics.indicators_by_province(statistics.StatisticsFilter(programme))

    liege, namur = provinces
    assert (liege.name, liege.reports, namur.name) == ("Liège", 2, "Namur")
    assert (liege.sums["visitors"], liege.means["visitors"]) == (40, Decimal("20.0"))
    # Over the periods, a last value is each space's latest one.
    assert liege.sums["partner_municipalities"] == 4
    assert (namur.means["wifi"], liege.means["wifi"]) == (Decimal("0.0"), Decimal("100.0"))
    assert (total.reports, total.sums["visitors"], total.means["visitors"]) == (
        4,
        100,
        Decimal("25.0"),
    )
    assert (total.sums["partner_municipalities"], total.means["partner_municipalities"]) == (
        9,
        Decimal("4.5"),
    )
    assert total.means["wifi"] == Decimal("66.7")  # two "yes" among three answers
    assert total.means["occupancy"] == Decimal("50.3")  # (50 + 41 + 60) / 3


def test_the_tables_show_each_aggregation_in_words(spaces, programme):
    with translation.override("fr-be"):
        tables = statistics_tables(
            statistics.programme_statistics(statistics.StatisticsFilter(programme))
        )
    periods = {row[0]: row[1:] for row in tables["periods"].rows}
    assert periods["Visiteurs"] == ["30\nmoyenne 15,0", "70\nmoyenne 35,0"]
    assert periods["Wifi public (part de «\xa0oui\xa0»)"] == ["50,0\xa0%", "100,0\xa0%"]
    assert periods["Occupation"] == ["moyenne 45,5\xa0%", "moyenne 60,0\xa0%"]
    assert periods["Couverture"][0] == "moyenne 65,0\xa0%"  # not "130,0 %"
    assert "Public principal" not in periods
    provinces = {row[0]: row[1:] for row in tables["provinces"].rows}
    assert tables["provinces"].header == ["Indicateur", "Liège", "Namur", "Toutes les provinces"]
    assert provinces["Communes partenaires"][-1] == "9\nmoyenne 4,5"
    assert [trend[0] for trend in tables["trends"].rows] == [
        "Visiteurs",
        "Communes partenaires",
        "Occupation",
        "Couverture",
    ]


def test_the_queries_do_not_grow_with_indicators_or_reports(
    spaces, call, programme, django_assert_max_num_queries
):
    selection = statistics.StatisticsFilter(programme)
    statistics.programme_statistics(selection)  # content types cached
    with django_assert_max_num_queries(9):
        statistics.programme_statistics(selection)

    install(
        programme,
        [indicator(f"count_{index}", f"compte {index}", f"count {index}") for index in range(20)],
    )
    for postcode in ("1300", "6000", "7000"):
        label = space(call, postcode)
        for start in (Q1, Q2, dt.date(2026, 7, 1)):
            report(label, start, visitors=5, wifi=True, count_3=2)
    with django_assert_max_num_queries(9):
        found = statistics.programme_statistics(selection)
    assert len(found.indicators) == 25  # the five numeric ones and the twenty counts
    assert found.province_total.reports == 13
