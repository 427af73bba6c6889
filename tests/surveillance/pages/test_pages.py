"""The surveillance's pages: who sees what (a stranger gets 404), the standing on the
public pages, and the staff list's constant number of queries."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from surveillance.filters import overdue_condition
from surveillance.models import Condition, NonConformity
from tests.factories import MembershipFactory
from tests.pages import text_of
from tests.queries import assert_same_count, queries_of
from tests.surveillance.pages.conftest import open_case

pytestmark = pytest.mark.django_db


def test_the_public_page_shows_the_conditions_and_the_standing_without_details(client, label, case):
    page = text_of(client.get(reverse("labels:space", args=[label.number])))

    assert "Chaque rapport trimestriel remis dans son délai" in page
    assert "En cours d'examen" in page
    assert "1 rapport remis en retard" not in page  # no measured value for visitors

    NonConformity.objects.filter(pk=case.pk).update(state=NonConformity.State.RESOLVED)
    page = text_of(client.get(reverse("labels:verify", args=[label.number])))
    assert "En règle" in page and "En cours d'examen" not in page


def test_the_verification_of_a_revoked_label_shows_no_standing(client, label, case):
    from labels.models import Label

    Label.objects.filter(pk=label.pk).update(state=Label.State.REVOKED)

    page = text_of(client.get(reverse("labels:verify", args=[label.number])))

    assert "En cours d'examen" not in page and "En règle" not in page


@pytest.mark.parametrize(
    "name, args",
    [
        ("surveillance:staff_case", lambda case, label, programme: [case.pk]),
        ("surveillance:case", lambda case, label, programme: [case.pk]),
        ("surveillance:conditions", lambda case, label, programme: [programme.slug]),
        (
            "surveillance:condition_edit",
            lambda case, label, programme: [programme.slug, case.condition_id],
        ),
        ("surveillance:evidence", lambda case, label, programme: [label.number]),
    ],
)
def test_a_stranger_gets_404(client, case, label, programme, other_officer, name, args):
    Condition.objects.create(
        programme=programme, kind=Condition.Kind.EVIDENCE, label_fr="Assurance", document_fr="x"
    )
    url = reverse(name, args=args(case, label, programme))
    for stranger in (other_officer, MembershipFactory().user):
        client.force_login(stranger)
        assert client.get(url).status_code == 404
        # A read-only page answers 405 to a POST, whoever asks: that leaks nothing.
        expected = 405 if name == "surveillance:conditions" else 404
        assert client.post(url, {"action": "resolve"}).status_code == expected


def test_the_holder_reads_their_case_and_the_officer_theirs(
    client, case, holder, officer, ministry
):
    client.force_login(holder)
    assert client.get(reverse("surveillance:case", args=[case.pk])).status_code == 200
    assert client.get(reverse("surveillance:staff_case", args=[case.pk])).status_code == 404
    client.force_login(officer)
    page = text_of(client.get(reverse("surveillance:staff_case", args=[case.pk])))
    assert "1 rapport remis en retard" in page and "Clôturer la non-conformité" in page
    client.force_login(ministry)
    page = text_of(client.get(reverse("surveillance:staff_case", args=[case.pk])))
    assert "1 rapport remis en retard" in page and "Clôturer la non-conformité" not in page
    assert (
        client.post(
            reverse("surveillance:staff_case", args=[case.pk]),
            {"action": "resolve", "resolve-comment": "Vu"},
        ).status_code
        == 404
    )


def test_only_officers_define_conditions(client, programme, officer, ministry):
    url = reverse("surveillance:conditions", args=[programme.slug])
    client.force_login(ministry)
    assert client.get(url).status_code == 404
    client.force_login(officer)
    assert client.get(url).status_code == 200


def test_the_label_staff_page_shows_its_surveillance(client, label, case, officer):
    client.force_login(officer)

    page = text_of(client.get(reverse("labels:staff_detail", args=[label.number])))

    assert "Chaque rapport trimestriel remis dans son délai" in page
    assert "1 rapport remis en retard" in page


def test_the_holder_dashboard_and_my_labels_list_the_cases(client, case, holder):
    client.force_login(holder)

    assert case.condition.label_fr in text_of(client.get(reverse("labels:mine")))
    assert case.condition.label_fr in text_of(
        client.get(reverse("portal:role_dashboard", args=["applicant"]))
    )


def test_the_officer_dashboard_counts_the_cases(client, case, officer):
    client.force_login(officer)

    page = text_of(client.get(reverse("portal:role_dashboard", args=["officer"])))

    assert "Suivi des labels" in page and "Signalements de visiteurs à trier" in page


def test_the_staff_list_runs_a_constant_number_of_queries(client, call, label, condition, officer):
    from labels import services as label_services
    from tests.labels.conftest import granted

    open_case(label, condition)
    client.force_login(officer)
    url = reverse("surveillance:staff_cases")
    few = queries_of(client, url)
    for _ in range(4):
        other = label_services.issue_label(granted(call))
        open_case(other, condition)
        open_case(other, summary="Fermé le mardi")
    many = queries_of(client, url)
    assert_same_count(few, many, ceiling=14)


def test_the_staff_list_filters_on_state_and_deadline(client, label, condition, officer):
    late = open_case(label, condition, days_left=-2)
    open_case(label, summary="Fermé le mardi")
    client.force_login(officer)

    page = text_of(client.get(reverse("surveillance:staff_cases"), {"overdue": "on"}))

    assert "1 non-conformité" in page and late.condition.label_fr in page


def test_the_sql_overdue_is_the_python_one(label, condition):
    today = timezone.localdate()
    for days, state in [
        (-3, "open"),
        (-3, "answered"),
        (2, "open"),
        (-3, "flagged"),
        (-3, "resolved"),
    ]:
        case = NonConformity.objects.create(
            label=label, summary=f"{days} {state}", deadline=today + dt.timedelta(days=days)
        )
        NonConformity.objects.filter(pk=case.pk).update(state=state)
    cases = NonConformity.objects.all()
    in_sql = set(cases.filter(overdue_condition()).values_list("pk", flat=True))
    assert in_sql == {case.pk for case in cases if case.is_overdue}
    assert len(in_sql) == 2


def test_an_officer_adds_a_condition_with_only_the_fields_its_kind_needs(
    client, call, programme, officer
):
    from applications import formbuilder

    formbuilder.install(
        call,
        {
            "sections": [
                {
                    "title_fr": "Espace",
                    "questions": [
                        {"code": "workstations", "kind": "integer", "label_fr": "Postes"},
                        {"code": "meeting_room", "kind": "yes_no", "label_fr": "Salle"},
                    ],
                }
            ]
        },
    )
    client.force_login(officer)
    url = reverse("surveillance:condition_add", args=[programme.slug])
    data = {
        "kind": "answer_at_least",
        "label_fr": "Au moins 20 postes de travail",
        "grace_days": "60",
        "question_code": "meeting_room",
        "threshold": "20",
        "document_fr": "Sans objet",
    }

    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "Choisissez une question chiffrée pour ce type." in text_of(refused)

    assert client.post(url, {**data, "question_code": "workstations"}).status_code == 302
    condition = Condition.objects.get()
    assert (condition.question_code, condition.threshold) == ("workstations", 20)
    assert condition.document_fr == "" and condition.programme == programme
