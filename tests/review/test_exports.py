"""A call's dossiers with their review results, and its reviews, exported for staff."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from review import ranking
from review.models import Decision, Proposal
from tests.factories import CallFactory, UserFactory
from tests.review.test_ranking import reviewed

pytestmark = pytest.mark.django_db


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8"))))


@pytest.fixture
def dossiers(call, reviewers, grid):
    best = reviewed(call, reviewers, [[Decimal(8), Decimal(6)], [Decimal(6), Decimal(4)]], grid)
    other = reviewed(call, reviewers[:1], [[Decimal(3), Decimal("7.5")]], grid, offset=1)
    for number, dossier in enumerate((best, other), 1):
        dossier.reference = f"CW-2026-{number:04d}"
        dossier.save()
    Proposal.objects.create(application=best, proposed=True, rationale="Le meilleur")
    Decision.objects.create(application=best, granted=True, amount=Decimal("50000"))
    return best, other


def test_the_reviews_have_one_column_per_criterion_and_a_weighted_total(
    client, call, officer, dossiers
):
    client.force_login(officer)

    response = client.get(reverse("review:reviews_export", args=[call.slug, "xlsx"]))

    workbook = load_workbook(io.BytesIO(response.content))
    header, *rows = workbook.active.values
    # Criteria are headed by their titles, not their codes ("quality", "territory").
    assert header[5:7] == ("Qualité du projet", "Ancrage territorial")
    assert not {"quality", "territory"} & {word for cell in header for word in cell.split()}
    # "évaluations" once the review catalogue has it (reviews in English).
    assert re.match(
        rf'attachment; filename="(evaluations|reviews)-{call.slug}-',
        response["Content-Disposition"],
    )
    best, other = dossiers
    assert [(row[0], row[2], row[5], row[6], row[7]) for row in rows] == sorted(
        [
            (best.reference, "Expert 1", 8, 6, 22),
            (best.reference, "Expert 2", 6, 4, 16),
            (other.reference, "Expert 1", 3, 7.5, 13.5),
        ]
    )


def test_the_dossiers_show_total_score_proposal_and_decision(client, call, officer, dossiers):
    client.force_login(officer)

    response = client.get(reverse("applications:staff_call_export", args=[call.slug, "csv"]))
    rows = csv_rows(response)
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="dossiers-{call.slug}-'
    )

    totals = {dossier.reference: dossier.total for dossier in ranking.ranked(call)}
    by_reference = {row["Référence"]: list(row.values()) for row in rows}
    best, other = dossiers
    assert Decimal(by_reference[best.reference][10]) == totals[best.reference] == Decimal(19)
    assert Decimal(by_reference[other.reference][10]) == totals[other.reference]
    assert by_reference[best.reference][11:14] == ["proposé par le jury", "octroyé", "50000.00"]
    assert by_reference[other.reference][11:14] == ["", "", ""]


def test_reviews_are_exported_for_staff_of_the_programme_only(client, call, dossiers, reviewers):
    other_officer = UserFactory(roles=["officer"])
    CallFactory().programme.staff.create(user=other_officer, role="officer")
    url = reverse("review:reviews_export", args=[call.slug, "csv"])
    for stranger in (other_officer, reviewers[0]):
        client.force_login(stranger)
        assert client.get(url).status_code == 404
