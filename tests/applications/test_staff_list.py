import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from applications import services
from applications.filters import submitted_applications
from applications.models import Application
from tests.factories import ApplicationFactory, MembershipFactory, OrganisationFactory, complete
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def submit_many(call, count, **content):
    applications = []
    for _ in range(count):
        membership = MembershipFactory(organisation=OrganisationFactory())
        application = complete(
            ApplicationFactory(call=call, organisation=membership.organisation, content=content)
        )
        services.submit(application, by=membership.user)
        applications.append(application)
    return applications


def list_url(call, **query):
    from urllib.parse import urlencode

    return reverse("applications:staff_call", args=[call.slug]) + "?" + urlencode(query)


def test_the_list_filters_by_state_province_text_and_dates(client, call, officer):
    namur = submit_many(call, 2)
    liege = submit_many(call, 1, postcode="4000", municipality="Liège", project_title="La Verrière")
    services.request_changes(
        namur[0], by=officer, message="x", due_at=timezone.now() + timedelta(days=2)
    )
    client.force_login(officer)

    def references(**query):
        page = text_of(client.get(list_url(call, **query)))
        return {a.reference for a in namur + liege if a.reference in page}

    assert references() == {a.reference for a in namur + liege}
    assert references(state="changes_requested") == {namur[0].reference}
    assert references(province="LIE") == {liege[0].reference}
    assert references(q="verrière") == {liege[0].reference}
    today = timezone.localdate().isoformat()
    assert len(references(submitted_after=today, submitted_before=today)) == 3
    assert references(submitted_before="2020-01-01") == set()


def test_drafts_are_not_listed(client, call, officer, draft):
    client.force_login(officer)

    page = text_of(client.get(list_url(call)))

    assert "Aucun dossier ne correspond" in page


def test_the_csv_export_parses_back_to_the_rows_shown(client, call, officer):
    applications = submit_many(call, 3)
    submit_many(call, 1, postcode="4000", municipality="Liège")
    client.force_login(officer)

    response = client.get(
        reverse("applications:staff_call_export", args=[call.slug, "csv"]) + "?province=NAM"
    )

    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert sorted(row["Référence"] for row in rows) == sorted(a.reference for a in applications)
    assert {row["Province"] for row in rows} == {"Namur"}
    assert rows[0]["Montant demandé (EUR)"] == "80000.00"


def test_the_xlsx_export_holds_the_same_rows(client, call, officer):
    applications = submit_many(call, 2)
    client.force_login(officer)

    response = client.get(reverse("applications:staff_call_export", args=[call.slug, "xlsx"]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][0] == "Référence"
    assert sorted(row[0] for row in values[1:]) == sorted(a.reference for a in applications)


def test_the_list_runs_the_same_queries_for_5_and_50_dossiers(
    client, call, officer, django_assert_max_num_queries
):
    client.force_login(officer)
    submit_many(call, 5)
    client.get(list_url(call))
    with django_assert_max_num_queries(12) as five:
        client.get(list_url(call))
    five = len(five.captured_queries)  # read now: the log keeps the last 9,000 queries only
    submit_many(call, 45)
    client.get(list_url(call))  # the submissions' emails go once a request ends
    with django_assert_max_num_queries(five):
        response = client.get(list_url(call))
    assert "50 dossiers" in text_of(response)


def test_the_excel_csv_uses_semicolons_and_escapes_formulae(client, call, officer):
    (application,) = submit_many(call, 1, project_title='=HYPERLINK("http://x")')
    client.force_login(officer)

    response = client.get(reverse("applications:staff_call_export", args=[call.slug, "csv-excel"]))

    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig")), delimiter=";"))
    assert rows[0]["Référence"] == application.reference
    assert not rows[0]["Titre du projet"].startswith("=")


def test_the_first_page_is_read_from_the_index_not_sorted_whole(call):
    """The list's page of the newest dossiers is read from the end of the call's index of
    submitted dossiers: at 200,000 dossiers, 25 rows read instead of all of them sorted.
    (The planner is told to avoid full scans and sorts where it can, as it does on a large
    table: on a handful of rows it would rather scan.)"""
    submit_many(call, 3)
    page = submitted_applications(call, {}).qs[:25]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
        sql, params = page.query.sql_with_params()
        prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        cursor.execute(prefix + sql, params)
        plan = " ".join(str(row) for row in cursor.fetchall())

    assert "application_call_submitted" in plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan and "Sort" not in plan.split("Limit")[-1]


def test_the_counts_by_state_are_read_from_the_index_alone(call):
    """The list's counts per state read the call's index of states, which holds what they
    count: at 200,000 dossiers, 21 ms instead of 128 (every dossier's row visited). On
    PostgreSQL the index includes the key the counts read (which plan a handful of rows
    gets is the planner's choice); SQLite's indexes hold the key, and its plan says so."""
    submit_many(call, 3)
    with CaptureQueriesContext(connection) as captured:
        counts = call.applications.counts_by_state()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'application_call_state'"
            )
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + captured.captured_queries[0]["sql"])
        plan = " ".join(str(row) for row in cursor.fetchall())

    assert counts == {Application.State.SUBMITTED: 3}
    if connection.vendor == "postgresql":
        assert "(call_id, state) INCLUDE (id, submitted_at, requested_amount)" in plan
    else:
        assert "COVERING INDEX application_call_state" in plan
