from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from applications.models import Application
from review import ranking
from review.models import Assignment, Criterion, Proposal, Review, Score
from review.ranking import RANKED_STATES
from tests.factories import ApplicationFactory, CallFactory, UserFactory
from tests.pages import text_of
from tests.queries import assert_same_count, queries_of

pytestmark = pytest.mark.django_db

weights = st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=4)
score = st.integers(min_value=0, max_value=20).map(lambda n: Decimal(n) / 2)


def reviewed(call, reviewers, score_rows, grid, requested=Decimal("50000"), offset=0):
    """A reviewed dossier with one submitted review per row of scores, written directly (as
    the benchmark's population does), so its standing is refreshed as the services would."""
    application = ApplicationFactory(
        call=call,
        state=Application.State.REVIEWED,
        submitted_at=timezone.now() - timedelta(days=10) + timedelta(minutes=offset),
        content={"requested_amount": requested},
    )
    for reviewer, row in zip(reviewers, score_rows, strict=False):
        assignment = Assignment.objects.create(
            application=application, reviewer=reviewer, state=Assignment.State.ACCEPTED
        )
        review = Review.objects.create(assignment=assignment, state=Review.State.SUBMITTED)
        for criterion, value in zip(grid, row, strict=True):
            Score.objects.create(review=review, criterion=criterion, value=value)
    ranking.refresh_standings([application.pk])
    return application


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), weights=weights)
def test_totals_and_order_match_a_plain_computation(db, data, weights):
    call = CallFactory(budget=Decimal("120000"))
    grid = [
        Criterion.objects.create(call=call, code=f"c{n}", title=f"C{n}", weight=Decimal(w))
        for n, w in enumerate(weights)
    ]
    reviewers = [UserFactory() for _ in range(3)]
    expected = {}
    for index in range(data.draw(st.integers(min_value=1, max_value=4))):
        rows = data.draw(
            st.lists(
                st.lists(score, min_size=len(grid), max_size=len(grid)), min_size=1, max_size=3
            )
        )
        application = reviewed(call, reviewers, rows, grid, offset=index)
        means = [sum(row[i] for row in rows) / len(rows) for i in range(len(grid))]
        # The ranking rounds totals to 4 decimals, so that equal totals tie on every
        # database; the plain computation does the same (else 56.50…01 beats 56.5).
        total = sum(c.weight * m for c, m in zip(grid, means, strict=True))
        expected[application.pk] = (total.quantize(Decimal("0.0001")), application.submitted_at)

    result = list(ranking.ranked(call))

    order = sorted(expected, key=lambda pk: (-expected[pk][0], expected[pk][1], pk))
    assert [a.pk for a in result] == order
    assert [a.rank for a in result] == list(range(1, len(order) + 1))
    for application in result:
        assert abs(Decimal(application.total) - expected[application.pk][0]) < Decimal("0.001")
    assert result[-1].running_requested == Decimal("50000") * len(result)


@pytest.mark.parametrize(("budget", "second_within"), [("100000", True), ("99999.99", False)])
def test_threshold_and_funding_line_edges(db, budget, second_within):
    call = CallFactory(budget=Decimal(budget))
    quality = Criterion.objects.create(
        call=call, code="q", title="Q", weight=Decimal(1), threshold=Decimal("5")
    )
    reviewers = [UserFactory()]
    top = reviewed(call, reviewers, [[Decimal("9")]], [quality], offset=1)
    at_threshold = reviewed(call, reviewers, [[Decimal("5")]], [quality], offset=2)
    below = reviewed(call, reviewers, [[Decimal("4.5")]], [quality], offset=3)

    _columns, rows = ranking.rows(call)
    by_pk = {row.pk: row for row in rows}

    assert [row.pk for row in rows] == [top.pk, at_threshold.pk, below.pk]
    assert not by_pk[at_threshold.pk].below_threshold
    assert by_pk[below.pk].below_threshold
    # 50 000 + 50 000: on the line when the budget is exactly 100 000, beyond it otherwise.
    assert by_pk[at_threshold.pk].within_budget is second_within
    # A dossier under a threshold cannot be funded: it adds nothing to the running sum.
    assert by_pk[below.pk].running_requested == Decimal("100000")


def test_equal_totals_tie_on_postgresql_too_and_go_to_the_earlier_submission(db):
    call = CallFactory()
    criterion = Criterion.objects.create(call=call, code="q", title="Q", weight=Decimal(3))
    reviewers = [UserFactory(), UserFactory(), UserFactory()]
    # Means of 4/3 (x 3 = 4, a long decimal on PostgreSQL) and exactly 4/3 again.
    later = reviewed(
        call, reviewers, [[Decimal(1)], [Decimal(1)], [Decimal(2)]], [criterion], offset=5
    )
    earlier = reviewed(
        call, reviewers, [[Decimal(2)], [Decimal(1)], [Decimal(1)]], [criterion], offset=1
    )

    result = list(ranking.ranked(call))

    assert [row.pk for row in result] == [earlier.pk, later.pk]
    assert result[0].total == result[1].total == Decimal("4")


def test_disagreement_is_flagged_above_the_tolerance(db):
    call = CallFactory(disagreement_tolerance=Decimal("2"))
    criterion = Criterion.objects.create(call=call, code="q", title="Q", weight=Decimal(1))
    reviewers = [UserFactory(), UserFactory()]
    close = reviewed(call, reviewers, [[Decimal(6)], [Decimal(8)]], [criterion], offset=1)
    apart = reviewed(call, reviewers, [[Decimal(3)], [Decimal(8)]], [criterion], offset=2)

    flags = {row.pk: row.disagreement for row in ranking.ranked(call)}

    assert flags == {close.pk: False, apart.pk: True}


def test_the_ranking_page_runs_the_same_queries_for_1_and_21_dossiers(
    client, call, grid, reviewers, officer
):
    client.force_login(officer)
    url = reverse("review:ranking", args=[call.slug])
    reviewed(call, reviewers[:1], [[Decimal(7), Decimal(6)]], grid)
    few = queries_of(client, url)
    # Twenty more dossiers of as many organisations, reviewed by two or three experts (one
    # more declined, one left a draft), in every ranked state, with jury proposals.
    for index in range(20):
        rows = [[Decimal((index + n) % 11), Decimal(10 - (index * n) % 11)] for n in range(3)]
        application = reviewed(call, reviewers[: 2 + index % 2], rows, grid, offset=1 + index)
        Assignment.objects.create(
            application=application, reviewer=UserFactory(), state=Assignment.State.DECLINED
        )
        draft_review = Review.objects.create(
            assignment=Assignment.objects.create(
                application=application, reviewer=UserFactory(), state=Assignment.State.ACCEPTED
            )
        )
        Score.objects.create(review=draft_review, criterion=grid[0], value=Decimal(0))
        state = RANKED_STATES[index % len(RANKED_STATES)]
        Application.objects.filter(pk=application.pk).update(state=state)
        if state != Application.State.REVIEWED:
            proposed = state != Application.State.NOT_PROPOSED
            Proposal.objects.create(application=application, proposed=proposed, rationale="Jury")
    many = queries_of(client, url)
    # The jury's state is read three times (the closed jury shown; may the officer still
    # propose; may they close it) and the officer's role twice: the rules ask afresh for
    # each permission.
    assert_same_count(few, many, ceiling=16)
    page = text_of(client.get(url))
    assert page.count("Enregistrer") == 5  # the jury's form on each dossier still reviewed
    assert all(a.organisation.trade_name in page for a in Application.objects.all())


def test_totals_equal_to_four_decimals_tie_and_the_earlier_dossier_ranks_first(db):
    """Found by the property above: 56.5 from thirds (5 * 6.8333… + …) and 56.5 from whole
    scores are the same total; the dossier submitted first ranks first."""
    call = CallFactory()
    grid = [
        Criterion.objects.create(call=call, code=f"c{n}", title=f"C{n}", weight=Decimal(w))
        for n, w in enumerate([1, 5, 3, 2])
    ]
    reviewers = [UserFactory() for _ in range(3)]
    d = Decimal
    thirds = reviewed(
        call,
        reviewers,
        [
            [d("0.5"), d("6"), d("8"), d("3.5")],
            [d("1"), d("8.5"), d("1.5"), d("1.5")],
            [d("4.5"), d("6"), d("7.5"), d("0")],
        ],
        grid,
        offset=0,
    )
    whole = reviewed(call, reviewers, [[d("9.5"), d("4"), d("9"), d("0")]], grid, offset=1)

    result = list(ranking.ranked(call))

    assert [(a.pk, a.total) for a in result] == [(thirds.pk, d("56.5")), (whole.pk, d("56.5"))]


def test_a_long_ranking_is_paged_with_ranks_and_running_sums_of_the_whole_call(
    client, call, grid, reviewers, officer, monkeypatch
):
    monkeypatch.setattr("review.views.staff.RANKING_PAGE", 2)
    for index, value in enumerate([9, 7, 5]):
        reviewed(call, reviewers[:1], [[Decimal(value), Decimal(value)]], grid, offset=index)
    client.force_login(officer)
    url = reverse("review:ranking", args=[call.slug])

    first = client.get(url)
    second = client.get(url, {"page": 2})

    assert [d.rank for d in first.context["dossiers"]] == [1, 2]
    last = second.context["dossiers"]
    assert [(d.rank, d.running_requested) for d in last] == [(3, Decimal("150000"))]
    assert "Page 2 sur 2" in text_of(second)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    dossiers=st.lists(
        st.tuples(
            st.sampled_from([None, Decimal(4), Decimal(6), Decimal(8)]),  # None: no review
            st.sampled_from([0, 1, None]),  # minutes after the first submission; None: never
            st.sampled_from([None, Decimal("30000"), Decimal("50000")]),
        ),
        min_size=1,
        max_size=9,
    ),
    size=st.integers(min_value=1, max_value=4),
)
def test_pages_and_a_dossiers_line_read_what_the_windows_over_the_call_compute(db, dossiers, size):
    """Without windows, a page's ranks and running sums and a dossier's line count the
    dossiers above them: equal to the window functions over the whole call, with equal
    totals, equal submission moments, dossiers never submitted and dossiers under the
    threshold (which take nothing from the budget)."""
    call = CallFactory(budget=Decimal("100000"))
    grid = [
        Criterion.objects.create(
            call=call, code="q", title="Q", weight=Decimal(1), threshold=Decimal(5)
        )
    ]
    reviewers = [UserFactory()]
    moment = timezone.now() - timedelta(days=10)
    for value, minutes, requested in dossiers:
        application = reviewed(
            call, reviewers, [[value]] if value is not None else [], grid, requested=requested
        )
        application.submitted_at = None if minutes is None else moment + timedelta(minutes=minutes)
        application.save(update_fields=["submitted_at"])

    expected = list(ranking.figures(call))
    pages = ranking.Pages(call)
    read = [row for start in range(0, len(expected), size) for row in pages[start : start + size]]

    assert pages.count() == len(expected) == len(dossiers)
    assert read == expected
    for row in expected:
        own = ranking.line(Application.objects.get(pk=row["pk"]))
        assert own.pop("out_of") == len(expected)
        assert own == row


def test_a_draft_review_is_left_out_of_the_totals(call, grid, reviewers):
    dossier = reviewed(
        call, reviewers[:2], [[Decimal(8), Decimal(8)], [Decimal(2), Decimal(2)]], grid
    )
    Review.objects.filter(assignment__reviewer=reviewers[1]).update(state=Review.State.DRAFT)

    ranking.refresh_standings([dossier.pk])

    assert ranking.ranked(call).get(pk=dossier.pk).total == 2 * 8 + 1 * 8
