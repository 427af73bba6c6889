"""The reviewer pool: suggested assignments, their confirmation and the answers counted."""

from collections import Counter

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from applications.models import Application
from portal.models import OutgoingEmail, StateChange
from portal.transitions import TransitionRefused
from review import pool, services
from review.models import Assignment
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.review.conftest import admissible_application

# --- the pure function ---------------------------------------------------------------------


@st.composite
def situations(draw, *, free: bool = False):
    """Dossiers and reviewers by id, how many reviewers a dossier needs, a cap, loads and
    exclusions (none of the last three when ``free``)."""
    dossiers = draw(st.lists(st.integers(1, 40), max_size=10, unique=True))
    reviewers = draw(st.lists(st.integers(100, 120), max_size=8, unique=True))
    if free:
        return dossiers, reviewers, draw(st.integers(0, len(reviewers))), None, {}, {}
    if not dossiers or not reviewers:
        return dossiers, reviewers, draw(st.integers(0, 4)), None, {}, {}
    per_dossier = draw(st.integers(0, 4))
    cap = draw(st.none() | st.integers(0, 5))
    load = draw(st.dictionaries(st.sampled_from(reviewers), st.integers(0, 4)))
    excluded = draw(
        st.dictionaries(
            st.sampled_from(dossiers), st.frozensets(st.sampled_from(reviewers), max_size=4)
        )
    )
    return dossiers, reviewers, per_dossier, cap, load, excluded


@given(situations())
@settings(max_examples=200, deadline=None)
def test_a_suggestion_respects_the_cap_the_exclusions_and_names_each_reviewer_once(situation):
    dossiers, reviewers, per_dossier, cap, load, excluded = situation
    result = pool.suggest(
        dossiers, reviewers, per_dossier=per_dossier, cap=cap, load=load, excluded=excluded
    )
    assert set(result.plan) == set(dossiers)
    given_now = Counter(r for chosen in result.plan.values() for r in chosen)
    for dossier, chosen in result.plan.items():
        assert len(chosen) == len(set(chosen)) <= per_dossier
        assert not set(chosen) & set(excluded.get(dossier, ()))
        assert set(chosen) <= set(reviewers)
        assert result.short.get(dossier, 0) == per_dossier - len(chosen)
    for reviewer in reviewers:
        before = load.get(reviewer, 0)
        assert result.load[reviewer] == before + given_now[reviewer]
        if cap is not None and given_now[reviewer]:
            assert result.load[reviewer] <= cap


@given(situations(free=True))
@settings(max_examples=200, deadline=None)
def test_without_cap_or_exclusion_loads_differ_by_at_most_one(situation):
    dossiers, reviewers, per_dossier, cap, load, excluded = situation
    result = pool.suggest(
        dossiers, reviewers, per_dossier=per_dossier, cap=cap, load=load, excluded=excluded
    )
    assert not result.short
    if reviewers:
        assert max(result.load.values()) - min(result.load.values()) <= 1


@given(situations())
def test_a_suggestion_does_not_depend_on_the_order_of_its_input(situation):
    dossiers, reviewers, per_dossier, cap, load, excluded = situation
    kwargs = {"per_dossier": per_dossier, "cap": cap, "load": load, "excluded": excluded}
    assert pool.suggest(dossiers, reviewers, **kwargs) == pool.suggest(
        list(reversed(dossiers)), list(reversed(reviewers)), **kwargs
    )


def test_a_dossier_that_has_reviewers_asks_only_for_the_rest_and_the_least_loaded_come_first():
    result = pool.suggest(
        [1, 2],
        [10, 11, 12],
        per_dossier=2,
        cap=None,
        load={10: 3},
        excluded={},
        have={1: 1},
    )
    assert result.plan == {1: [11], 2: [12, 11]}
    assert result.load == {10: 3, 11: 2, 12: 1}


def test_the_most_constrained_dossier_is_served_first():
    # Dossier 2 may only have reviewer 10; served first, it gets them before the cap bites.
    result = pool.suggest([1, 2], [10, 11], per_dossier=1, cap=1, load={}, excluded={2: {11}})
    assert result.plan == {1: [11], 2: [10]}
    assert not result.short


# --- the plan read from the database -------------------------------------------------------


@pytest.fixture
def pool_reviewers(programme):
    people = [UserFactory(roles=["reviewer"], full_name=f"Expert {n}") for n in range(1, 5)]
    for person in people:
        programme.staff.create(user=person, role="reviewer")
    return people


def test_the_plan_leaves_out_members_and_earlier_conflicts_with_the_organisation(
    call, grid, officer, pool_reviewers, mailoutbox
):
    member, conflicted, *_rest = pool_reviewers
    application = admissible_application(call, officer)
    MembershipFactory(user=member, organisation=application.organisation)
    # On another call, the same organisation's dossier: Expert 2 declared a conflict.
    earlier_call = CallFactory(programme=call.programme)
    earlier = admissible_application(earlier_call, officer)
    earlier.organisation = application.organisation
    earlier.save()
    (assignment,) = services.assign([earlier], [conflicted], by=officer)
    services.declare_conflict(assignment, by=conflicted, reason="Associé du porteur")

    plan = pool.plan(call)

    (row,) = plan.rows
    assert row.application == application
    assert sorted(r.full_name for r in row.suggested) == ["Expert 3", "Expert 4"]
    assert plan.problems(application, member.pk) == (
        ["Expert 1 fait partie de l'organisation candidate."],
        [],
    )
    assert plan.problems(application, conflicted.pk) == (
        [],
        ["Expert 2 a déjà déclaré un conflit d'intérêts avec cette organisation."],
    )


def test_the_plan_stops_at_the_cap_and_reports_the_dossiers_left_short(
    call, grid, officer, pool_reviewers
):
    call.reviewer_cap = 1
    call.save()
    for _n in range(3):
        admissible_application(call, officer)

    plan = pool.plan(call)

    assert [len(row.suggested) for row in plan.rows] == [2, 2, 0]
    assert [row.missing for row in plan.rows] == [0, 0, 2]
    assert sorted(plan.load_after.values()) == [1, 1, 1, 1]


def test_the_plan_counts_the_call_s_assignments_and_skips_those_already_assigned(
    call, grid, officer, pool_reviewers
):
    first, second, *_rest = pool_reviewers
    application = admissible_application(call, officer)
    (assignment,) = services.assign([application], [first], by=officer)
    services.decline(assignment, by=first)
    services.assign([application], [second], by=officer)

    plan = pool.plan(call)

    (row,) = plan.rows
    assert row.active == 1
    assert len(row.suggested) == 1
    assert {first.pk, second.pk}.isdisjoint(r.pk for r in row.suggested)
    assert plan.load[second.pk] == 1 and plan.load[first.pk] == 0


def test_a_dossier_with_enough_reviewers_is_not_in_the_plan(call, grid, officer, pool_reviewers):
    application = admissible_application(call, officer)
    services.assign([application], pool_reviewers[:2], by=officer)

    assert pool.plan(call).rows == []


def test_pair_problems_refuse_a_member_and_warn_of_an_earlier_conflict_and_the_cap(
    call, grid, officer, pool_reviewers
):
    member, conflicted, busy, _free = pool_reviewers
    call.reviewer_cap = 1
    call.save()
    application = admissible_application(call, officer)
    MembershipFactory(user=member, organisation=application.organisation)
    other = admissible_application(call, officer)
    services.assign([other], [busy], by=officer)
    earlier = admissible_application(CallFactory(programme=call.programme), officer)
    earlier.organisation = application.organisation
    earlier.save()
    (assignment,) = services.assign([earlier], [conflicted], by=officer)
    services.declare_conflict(assignment, by=conflicted, reason="Associé")

    refusals, warnings = pool.pair_problems(application, member)
    assert refusals and not warnings
    refusals, warnings = pool.pair_problems(application, conflicted)
    assert (refusals, warnings) == (
        [],
        ["Expert 2 a déjà déclaré un conflit d'intérêts avec cette organisation."],
    )
    refusals, warnings = pool.pair_problems(application, busy)
    assert (refusals, warnings) == (
        [],
        ["Expert 3 dépasserait le plafond\u00a0: 2 dossiers de cet appel (au plus 1)."],
    )


# --- confirmation --------------------------------------------------------------------------


def test_confirming_invites_through_the_service_with_history_and_email(
    call, grid, officer, pool_reviewers, mailoutbox, django_capture_on_commit_callbacks
):
    application = admissible_application(call, officer)
    mailoutbox.clear()
    plan = pool.plan(call)
    pairs = [(application.pk, r.pk) for r in plan.rows[0].suggested]

    with django_capture_on_commit_callbacks(execute=True):
        created = pool.confirm(call, pairs, by=officer)

    assert len(created) == 2
    assert {a.reviewer_id for a in created} == {pk for _a, pk in pairs}
    assert all(a.state == Assignment.State.INVITED and a.assigned_by == officer for a in created)
    history = StateChange.objects.filter(
        content_type=ContentType.objects.get_for_model(Assignment),
        object_id__in=[a.pk for a in created],
    )
    assert [(h.transition, h.by) for h in history] == [("create", officer)] * 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted(a.reviewer.email for a in created)


def test_a_member_of_the_applicant_is_refused_and_nothing_is_invited(
    call, grid, officer, pool_reviewers, mailoutbox
):
    member, free, *_rest = pool_reviewers
    application = admissible_application(call, officer)
    MembershipFactory(user=member, organisation=application.organisation)
    mailoutbox.clear()

    with pytest.raises(TransitionRefused) as refused:
        pool.confirm(call, [(application.pk, free.pk), (application.pk, member.pk)], by=officer)

    assert refused.value.reasons == [
        f"{application.reference}\u00a0: Expert 1 fait partie de l'organisation candidate."
    ]
    assert not Assignment.objects.exists()
    assert not OutgoingEmail.objects.filter(recipient=free.email).exists()


# --- the page ------------------------------------------------------------------------------


def url(call):
    return reverse("review:suggested_assignments", args=[call.slug])


def test_the_officer_sees_the_plan_ticked_and_confirms_it_adjusted(
    client, call, grid, officer, pool_reviewers, mailoutbox
):
    first = admissible_application(call, officer)
    second = admissible_application(call, officer)
    client.force_login(officer)

    page = client.get(url(call))

    assert page.status_code == 200
    html = page.content.decode()
    plan = page.context["plan"]
    for row in plan.rows:
        for reviewer in row.suggested:
            assert f'name="reviewers_{row.application.pk}" value="{reviewer.pk}" checked' in html
    assert reverse("review:assignments", args=[call.slug]) in html

    kept = plan.rows[0].suggested[0]
    added = next(r for r in pool_reviewers if r not in plan.rows[0].suggested)
    response = client.post(
        url(call),
        {
            f"reviewers_{first.pk}": [kept.pk],
            f"add_{first.pk}": added.pk,
            f"reviewers_{second.pk}": [r.pk for r in plan.rows[1].suggested],
            f"add_{second.pk}": "",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("review:assignments", args=[call.slug])
    assert "4 experts sont invités." in response.content.decode()
    assert set(first.assignments.values_list("reviewer", flat=True)) == {kept.pk, added.pk}
    assert second.assignments.count() == 2


def test_a_refused_pair_is_shown_on_the_page_and_nothing_is_invited(
    client, call, grid, officer, pool_reviewers
):
    member = pool_reviewers[0]
    application = admissible_application(call, officer)
    MembershipFactory(user=member, organisation=application.organisation)
    client.force_login(officer)

    response = client.post(url(call), {f"reviewers_{application.pk}": [member.pk]})

    assert response.status_code == 200
    assert "Expert 1" in str(response.context["form"].non_field_errors())
    assert not Assignment.objects.exists()


def test_nothing_ticked_is_refused(client, call, grid, officer, pool_reviewers):
    application = admissible_application(call, officer)
    client.force_login(officer)

    response = client.post(url(call), {f"add_{application.pk}": ""})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Assignment.objects.exists()


def test_the_ministry_reads_the_plan_without_acting(client, call, grid, officer, ministry):
    admissible_application(call, officer)
    client.force_login(ministry)

    page = client.get(url(call))

    assert page.status_code == 200
    assert b'type="submit"' not in page.content.split(b"<main", 1)[-1].split(b"</main>")[0]
    assert client.post(url(call), {}).status_code == 404


def test_strangers_get_404(client, call, grid, pool_reviewers):
    stranger = UserFactory(roles=["officer"])
    CallFactory().programme.staff.create(user=stranger, role="officer")
    for person in (stranger, pool_reviewers[0]):
        client.force_login(person)
        assert client.get(url(call)).status_code == 404
        assert client.post(url(call), {}).status_code == 404


def test_the_page_runs_a_bounded_number_of_queries(
    client, call, grid, officer, programme, django_assert_max_num_queries
):
    people = [UserFactory(roles=["reviewer"]) for _n in range(30)]
    for person in people:
        programme.staff.create(user=person, role="reviewer")
    for _n in range(60):
        membership = MembershipFactory()
        ApplicationFactory(
            call=call, organisation=membership.organisation, state=Application.State.ADMISSIBLE
        )
    client.force_login(officer)

    with django_assert_max_num_queries(25):
        page = client.get(url(call))

    assert page.status_code == 200
    assert len(page.context["plan"].rows) == 60


# --- declines and conflicts counted ---------------------------------------------------------


def test_declines_and_conflicts_are_counted_per_reviewer_on_the_assignments_page(
    client, call, grid, officer, pool_reviewers
):
    decliner, conflicted, *_rest = pool_reviewers
    first = admissible_application(call, officer)
    second = admissible_application(call, officer)
    for application in (first, second):
        for assignment in services.assign([application], [decliner], by=officer):
            services.decline(assignment, by=decliner)
    (assignment,) = services.assign([first], [conflicted], by=officer)
    services.declare_conflict(assignment, by=conflicted, reason="Ancien salarié")
    # Answers on another programme's dossiers are not counted here.
    elsewhere = CallFactory()
    elsewhere.programme.staff.create(user=decliner, role="reviewer")
    their_officer = UserFactory(roles=["officer"])
    elsewhere.programme.staff.create(user=their_officer, role="officer")
    far = ApplicationFactory(
        call=elsewhere, organisation=OrganisationFactory(), state=Application.State.ADMISSIBLE
    )
    for assignment in services.assign([far], [decliner], by=their_officer):
        services.decline(assignment, by=decliner)

    counts = pool.answer_counts(call.programme)
    assert counts[decliner.pk] == {"declined": 2, "conflicted": 0}
    assert counts[conflicted.pk] == {"declined": 0, "conflicted": 1}

    client.force_login(officer)
    page = client.get(reverse("review:assignments", args=[call.slug]))
    rows = {row["user"].pk: row for row in page.context["reviewer_rows"]}
    assert (rows[decliner.pk]["declined"], rows[decliner.pk]["conflicted"]) == (2, 0)
    assert (rows[conflicted.pk]["declined"], rows[conflicted.pk]["conflicted"]) == (0, 1)
    html = page.content.decode()
    assert reverse("review:suggested_assignments", args=[call.slug]) in html
    assert "Désignations en cours" in html and "Refusées" in html


def test_a_reviewer_added_despite_an_earlier_conflict_is_invited_with_the_warning_repeated(
    client, call, grid, officer, pool_reviewers
):
    conflicted = pool_reviewers[1]
    application = admissible_application(call, officer)
    earlier = admissible_application(CallFactory(programme=call.programme), officer)
    earlier.organisation = application.organisation
    earlier.save()
    (assignment,) = services.assign([earlier], [conflicted], by=officer)
    services.declare_conflict(assignment, by=conflicted, reason="Associé")
    client.force_login(officer)
    page = client.get(url(call))
    assert conflicted not in page.context["plan"].rows[0].suggested
    assert "Expert 2 a déjà déclaré un conflit" in page.content.decode().replace("&#x27;", "'")

    response = client.post(
        url(call),
        {f"reviewers_{application.pk}": [], f"add_{application.pk}": conflicted.pk},
        follow=True,
    )

    assert list(application.assignments.values_list("reviewer", flat=True)) == [conflicted.pk]
    text = response.content.decode().replace("&#x27;", "'")
    assert "1 expert est invité." in text
    assert "Expert 2 a déjà déclaré un conflit d'intérêts avec cette organisation." in text
