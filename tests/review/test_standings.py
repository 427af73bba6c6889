"""The ranking's standings are refreshed by the operations that change what they read, once
per dossier, after commit: a review submitted, the grid or the tolerance changed; never by a
draft, nor by an edit of a call that leaves its tolerance as it was."""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.forms import MultiWidget
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import services as application_services
from review import ranking, services
from review.forms import CriterionFormSet
from review.models import Standing
from tests.pages import text_of
from tests.review.conftest import admissible_application
from tests.review.test_ranking import reviewed
from tests.review.test_reviewing import review

pytestmark = pytest.mark.django_db


def ranking_queries(captured) -> list[str]:
    """The statements that compute or write standings: they read the scores' means."""
    return [
        entry["sql"]
        for entry in captured.captured_queries
        if "review_standing" in entry["sql"] or "AVG(" in entry["sql"].upper()
    ]


def ranking_page(client, call) -> str:
    return text_of(client.get(reverse("review:ranking", args=[call.slug])))


def accepted(application, reviewers, officer):
    assignments = services.assign([application], reviewers, by=officer)
    for assignment in assignments:
        services.accept(assignment, by=assignment.reviewer, declaration="")
    return assignments


def test_saving_a_draft_review_runs_no_ranking_query(client, admissible, reviewers, officer, grid):
    (assignment,) = accepted(admissible, reviewers[:1], officer)
    client.force_login(reviewers[0])
    draft = {f"score_{grid[0].pk}": "6", f"score_{grid[1].pk}": "5", "recommendation": "fund"}

    # The request's after-commit work included, as a server runs it.
    with CaptureQueriesContext(connection) as saving:
        response = client.post(reverse("review:assignment", args=[assignment.pk]), draft)

    assert response.status_code == 302
    assert assignment.review.scores.get(criterion=grid[0]).value == Decimal(6)
    assert ranking_queries(saving) == []


def test_the_last_review_submitted_ranks_its_dossier_with_its_total(
    client, call, admissible, reviewers, officer, grid, django_capture_on_commit_callbacks
):
    other = admissible_application(call, officer)
    with django_capture_on_commit_callbacks(execute=True):
        for assignment in accepted(other, reviewers[:2], officer):
            review(assignment, grid, 6, 6)
    first, second = accepted(admissible, reviewers[:2], officer)
    review(first, grid, 9, 8)
    client.force_login(reviewers[1])

    client.post(
        reverse("review:assignment", args=[second.pk]),
        {f"score_{grid[0].pk}": "9", f"score_{grid[1].pk}": "8", "recommendation": "fund"}
        | {"submit": "1"},
    )

    client.force_login(officer)
    page = ranking_page(client, call)
    # 2 * 9 + 8 = 26 before 2 * 6 + 6 = 18.
    assert page.index(admissible.reference) < page.index(other.reference)
    assert "26,00" in page and "18,00" in page


def test_reviews_submitted_together_refresh_each_dossier_once_after_commit(
    call, admissible, reviewers, officer, grid, django_capture_on_commit_callbacks
):
    other = admissible_application(call, officer)
    assignments = accepted(admissible, reviewers[:2], officer) + accepted(
        other, reviewers[:2], officer
    )

    with (
        CaptureQueriesContext(connection) as submitting,
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        for assignment in assignments:
            review(assignment, grid, 7, 7)
        before_commit = Standing.objects.count()

    assert before_commit == 0
    writes = [sql for sql in ranking_queries(submitting) if "INSERT" in sql.upper()]
    assert len(writes) == 1
    assert dict(Standing.objects.values_list("application", "total")) == {
        admissible.pk: Decimal(21),
        other.pk: Decimal(21),
    }


def test_a_refresh_asked_in_a_rolled_back_savepoint_does_not_lose_the_next(
    call, grid, reviewers, django_capture_on_commit_callbacks
):
    dossier = reviewed(call, reviewers[:1], [[Decimal(8), Decimal(6)]], grid)
    Standing.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        try:
            with transaction.atomic():
                ranking.refresh_after_commit([dossier.pk])
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        ranking.refresh_after_commit([dossier.pk])

    assert Standing.objects.get(application=dossier).total == Decimal(22)


def test_a_wider_tolerance_clears_the_disagreement_on_the_ranking_page(
    client, call, grid, reviewers, officer, django_capture_on_commit_callbacks
):
    # Quality scored 8 and 4: four points apart, over the tolerance of 2.
    reviewed(call, reviewers[:2], [[Decimal(8), Decimal(6)], [Decimal(4), Decimal(6)]], grid)
    client.force_login(officer)
    assert "écart entre experts" in ranking_page(client, call)

    call.disagreement_tolerance = Decimal(10)
    with django_capture_on_commit_callbacks(execute=True):
        application_services.save_call(call)

    assert "écart entre experts" not in ranking_page(client, call)


def test_editing_a_call_without_changing_its_tolerance_runs_no_ranking_query(
    call, grid, reviewers, django_capture_on_commit_callbacks
):
    reviewed(call, reviewers[:1], [[Decimal(8), Decimal(6)]], grid)
    call.refresh_from_db()
    call.title = "Appel renommé"
    call.disagreement_tolerance = Decimal("2.00")  # as the form gives it back

    with (
        CaptureQueriesContext(connection) as saving,
        django_capture_on_commit_callbacks(execute=True),
    ):
        application_services.save_call(call)

    assert ranking_queries(saving) == []


def formset_data(call, **changes) -> dict:
    """The criteria page's POST for the call's grid as it is, with ``changes`` by code."""
    formset = CriterionFormSet(instance=call)
    data = {
        f"{formset.prefix}-TOTAL_FORMS": len(formset.initial_forms),
        f"{formset.prefix}-INITIAL_FORMS": len(formset.initial_forms),
    }
    for form in formset.initial_forms:
        values = {name: form[name].value() for name in form.fields if name != "DELETE"}
        values |= changes.get(form.instance.code, {})
        for name, value in values.items():
            data[form.add_prefix(name)] = "" if value is None else str(value)
    return data


def test_a_grid_changed_through_the_service_changes_the_totals_on_the_ranking_page(
    client, call, grid, reviewers, officer, django_capture_on_commit_callbacks
):
    reviewed(call, reviewers[:1], [[Decimal(8), Decimal(6)]], grid)
    client.force_login(officer)
    assert "22,00" in ranking_page(client, call)  # 2 * 8 + 1 * 6
    formset = CriterionFormSet(formset_data(call, territory={"weight": "3"}), instance=call)
    assert formset.is_valid(), formset.errors

    with django_capture_on_commit_callbacks(execute=True):
        services.save_criteria(formset)

    assert "34,00" in ranking_page(client, call)  # 2 * 8 + 3 * 6


def post_data(form) -> dict:
    """A form's fields as the browser posts them back, unchanged."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        widget = form.fields[name].widget
        if isinstance(widget, MultiWidget):  # the admin's date and time boxes
            for index, part in enumerate(widget.decompress(value)):
                data[f"{form.add_prefix(name)}_{index}"] = "" if part is None else str(part)
            continue
        if value is None or value is False:
            continue
        if isinstance(value, list | tuple):
            value = [str(item) for item in value]
        elif value is True:
            value = "on"
        data[form.add_prefix(name)] = value if isinstance(value, list) else str(value)
    return data


def test_a_tolerance_changed_in_the_admin_clears_the_disagreement(
    client, call, grid, reviewers, admin_user, officer
):
    reviewed(call, reviewers[:2], [[Decimal(8), Decimal(6)], [Decimal(4), Decimal(6)]], grid)
    client.force_login(admin_user)
    url = reverse("admin:applications_call_change", args=[call.pk])
    page = client.get(url)
    data = post_data(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        data |= post_data(formset.management_form)
        for form in formset.forms:
            data |= post_data(form)

    response = client.post(url, data | {"disagreement_tolerance": "10"})

    assert response.status_code == 302, response.context["adminform"].form.errors
    client.force_login(officer)
    assert "écart entre experts" not in ranking_page(client, call)
