"""The staff list filters dossiers by the answers to the call's own questions, in SQL, in
the same number of queries whatever the number of questions."""

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import formbuilder
from tests.applications.callform_samples import (
    FIRST,
    SECOND,
    _q,
    install_sample_form,
    submitted,
)
from tests.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossiers(call):
    install_sample_form(call)
    return (
        submitted(call, "CW-2027-0001", FIRST),
        submitted(call, "CW-2027-0002", SECOND),
        submitted(call, "CW-2027-0003", {}),
    )


def listed(client, call, **query):
    url = reverse("applications:staff_call", args=[call.slug]) + "?" + urlencode(query)
    response = client.get(url)
    assert response.status_code == 200
    page = text_of(response)
    return {f"CW-2027-000{n}" for n in (1, 2, 3) if f"CW-2027-000{n}" in page}, page


def test_the_list_filters_by_choice_yes_no_and_ranges(client, call, officer, dossiers):
    client.force_login(officer)

    assert listed(client, call)[0] == {"CW-2027-0001", "CW-2027-0002", "CW-2027-0003"}
    assert listed(client, call, legal_form="srl")[0] == {"CW-2027-0002"}
    assert listed(client, call, services="coffee")[0] == {"CW-2027-0001"}
    assert listed(client, call, services="wifi")[0] == {"CW-2027-0001", "CW-2027-0002"}
    assert listed(client, call, charter="yes")[0] == {"CW-2027-0001"}
    assert listed(client, call, charter="no")[0] == {"CW-2027-0002"}
    assert listed(client, call, desks_min="20")[0] == {"CW-2027-0002"}
    assert listed(client, call, desks_max="20")[0] == {"CW-2027-0001"}
    assert listed(client, call, rent_min="9000", rent_max="9000.00")[0] == {"CW-2027-0001"}
    assert listed(client, call, budget_min="2000")[0] == {"CW-2027-0002"}
    assert listed(client, call, budget_max="1500.50", charter="yes")[0] == {"CW-2027-0001"}
    assert listed(client, call, desks_min="13", desks_max="39")[0] == set()


def test_the_filters_are_labelled_by_the_questions(client, call, officer, dossiers):
    client.force_login(officer)

    page = listed(client, call)[1]

    assert "Forme juridique" in page and "Société" in page
    assert "Postes de travail : au moins" in page
    assert "Budget (total) : au plus" in page
    client.post(reverse("portal:set_language"), {"language": "en"})
    page = listed(client, call)[1]
    assert "Legal form" in page and "Workstations: at least" in page


def test_bad_input_is_answered_next_to_the_filter_and_ignored(client, call, officer, dossiers):
    client.force_login(officer)

    references, page = listed(client, call, desks_min="abc", legal_form="asbl")

    assert references == {"CW-2027-0001"}
    assert "Saisissez un nombre." in page


def test_the_list_reads_the_questions_once(
    client, call, officer, dossiers, django_assert_max_num_queries
):
    client.force_login(officer)
    query = {"desks_min": "1", "charter": "yes"}
    listed(client, call, **query)
    with django_assert_max_num_queries(50) as one_form:
        listed(client, call, **query)
    count = len(one_form.captured_queries)
    formbuilder.install(
        call,
        {
            "sections": [
                {
                    "title_fr": "Encore",
                    "title_en": "More",
                    "questions": [
                        _q(f"extra_{n}", "integer", f"Extra {n}", f"Extra {n}") for n in range(20)
                    ],
                }
            ]
        },
    )
    with django_assert_max_num_queries(count):
        references, page = listed(client, call, **query)
    assert references == {"CW-2027-0001"}
    assert "Extra 19 : au moins" in page


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_on_postgresql_a_choice_or_yes_no_filter_is_a_containment_the_index_serves(
    client, call, officer, dossiers
):
    """The answers' GIN index (``jsonb_path_ops``) serves ``answers @> {...}``: the filters on
    a choice, several choices and a yes/no are written so (the ranges read the number)."""
    client.force_login(officer)
    with CaptureQueriesContext(connection) as captured:
        references, _page = listed(client, call, legal_form="srl", services="wifi", charter="no")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'application_answers_contain'"
        )
        (indexdef,) = cursor.fetchone()

    assert references == {"CW-2027-0002"}
    assert "USING gin (answers jsonb_path_ops)" in indexdef
    filtered = [q["sql"] for q in captured.captured_queries if "@>" in q["sql"]]
    assert filtered  # the page and its count
    for sql in filtered:
        assert sql.count('"applications_application"."answers" @>') == 3, sql
