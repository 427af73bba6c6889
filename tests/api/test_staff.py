"""The staff endpoints: a token reads the dossiers and reports of the programmes that its
scopes name *and* its owner reads now; filtered as on the staff pages; paged; a constant
number of queries. Each endpoint by role and scope below."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from tests.api.conftest import call_api, staff, token_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def applications_of(p):
    return reverse("api:applications", args=[p.call.slug])


def decisions_of(p):
    return reverse("api:decisions", args=[p.call.slug])


def references(response):
    return sorted(row["reference"] for row in response.json()["results"])


def labels_of_reports(response):
    return sorted(row["label"] for row in response.json()["results"])


# Who holds the token, which programmes its scopes name, and what it then reads of
# programme A's dossiers (the status) and of all reports (the programmes seen).
# fmt: off
SCOPE_MATRIX = [
    # owner          token's scopes  A's dossiers  B's dossiers  reports of
    ("officer_a",    "a",            200,          404,          {"a"}),
    ("officer_a",    "a b",          200,          404,          {"a"}),   # B: not the owner's
    ("officer_a",    "b",            404,          404,          set()),
    ("officer_a",    "",             404,          404,          set()),
    ("ministry_a",   "a",            200,          404,          {"a"}),
    ("officer_b",    "a b",          404,          200,          {"b"}),
    ("reviewer_a",   "a",            404,          404,          set()),   # not staff-side
    ("founder",      "a b",          404,          404,          set()),
    ("admin",        "a",            200,          404,          {"a"}),
    ("admin",        "a b",          200,          200,          {"a", "b"}),
]
# fmt: on


@pytest.fixture
def people(a, b, founder):
    return {
        "officer_a": staff(a.programme, "officer"),
        "ministry_a": staff(a.programme, "ministry"),
        "officer_b": staff(b.programme, "officer"),
        "reviewer_a": staff(a.programme, "reviewer"),
        "founder": founder,
        "admin": UserFactory(is_superuser=True, is_staff=True),
    }


@pytest.mark.parametrize(("owner", "scoped", "on_a", "on_b", "reports"), SCOPE_MATRIX)
def test_a_token_reads_what_its_scopes_and_its_owner_both_may(
    a, b, people, owner, scoped, on_a, on_b, reports
):
    programmes = {"a": a.programme, "b": b.programme}
    secret = token_for(people[owner], *(programmes[name] for name in scoped.split()))

    dossiers_a = call_api(applications_of(a), secret)
    dossiers_b = call_api(applications_of(b), secret)
    decisions = (call_api(decisions_of(a), secret), call_api(decisions_of(b), secret))
    seen = call_api(reverse("api:reports"), secret)

    assert (dossiers_a.status_code, dossiers_b.status_code) == (on_a, on_b)
    assert tuple(answer.status_code for answer in decisions) == (on_a, on_b)
    if on_a == 200:
        assert references(dossiers_a) == ["CALL-A-2026-0001", "CALL-A-2026-0002"]
    assert seen.status_code == 200
    assert {row["programme"].removeprefix("programme-") for row in seen.json()["results"]} == (
        reports
    )


@pytest.mark.parametrize("endpoint", ["applications", "decisions", "reports"])
def test_staff_endpoints_want_a_token(a, people, endpoint):
    url = {
        "applications": applications_of(a),
        "decisions": decisions_of(a),
        "reports": reverse("api:reports"),
    }[endpoint]

    response = call_api(url)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "spoil",
    [
        lambda token: token.revoke(),
        lambda token: ApiToken.objects.filter(pk=token.pk).update(
            expires_on=timezone.localdate() - dt.timedelta(days=1)
        ),
        lambda token: type(token.user).objects.filter(pk=token.user_id).update(is_active=False),
    ],
    ids=["revoked", "expired", "owner-deactivated"],
)
@pytest.mark.parametrize("endpoint", ["programmes", "reports"])
def test_a_revoked_or_expired_token_gets_401_everywhere(a, people, spoil, endpoint):
    secret = token_for(people["officer_a"], a.programme)
    assert call_api(reverse(f"api:{endpoint}"), secret).status_code == 200

    spoil(ApiToken.objects.get())

    assert call_api(reverse(f"api:{endpoint}"), secret).status_code == 401


def test_an_unknown_or_forged_token_gets_401(a, people):
    secret = token_for(people["officer_a"], a.programme)

    assert call_api(reverse("api:programmes"), secret[:-2] + "xx").status_code == 401
    assert call_api(reverse("api:programmes"), "not-a-token").status_code == 401


def test_a_token_whose_owner_lost_the_role_sees_nothing(a, people):
    officer = people["officer_a"]
    secret = token_for(officer, a.programme)
    assert references(call_api(applications_of(a), secret))

    a.programme.staff.filter(user=officer).delete()

    assert call_api(applications_of(a), secret).status_code == 404
    assert call_api(reverse("api:reports"), secret).json()["results"] == []


def test_dossiers_carry_their_answers_totals_and_decision(a, people):
    a.granted.answers = {"desks": 24}
    a.granted.save()
    secret = token_for(people["officer_a"], a.programme)

    rows = call_api(applications_of(a), secret, state="granted").json()["results"]

    assert len(rows) == 1
    assert rows[0]["answers"] == {"desks": 24}
    assert rows[0]["standing"]["total"] == "14.5000"
    assert rows[0]["decision"]["granted"] is True
    assert rows[0]["decision"]["amount"] == "50000.00"


def test_decisions_are_those_of_the_decisions_page(a, people):
    from decimal import Decimal

    from review.models import Decision
    from tests.api.conftest import submitted

    refused = submitted(a.call, a.granted.organisation, 3, state="refused")
    Decision.objects.create(application=refused, granted=False, reason="Hors budget")
    proposed = submitted(a.call, a.granted.organisation, 4, state="proposed")
    Decision.objects.create(application=proposed, granted=True, amount=Decimal("1"))  # reopened
    secret = token_for(people["ministry_a"], a.programme)

    rows = call_api(decisions_of(a), secret).json()["results"]

    assert [(r["reference"], r["granted"], r["amount"], r["reason"]) for r in rows] == [
        ("CALL-A-2026-0002", True, "50000.00", ""),
        ("CALL-A-2026-0003", False, None, "Hors budget"),
    ]


def test_filters_are_the_staff_pages_filters(a, people):
    secret = token_for(people["officer_a"], a.programme)

    by_search = call_api(applications_of(a), secret, q="0001")
    by_state = call_api(applications_of(a), secret, state="submitted")
    bad = call_api(applications_of(a), secret, state="dreaming")
    reports = call_api(reverse("api:reports"), secret, state="accepted")

    assert references(by_search) == ["CALL-A-2026-0001"]
    assert references(by_state) == ["CALL-A-2026-0001"]
    assert bad.status_code == 400
    assert reports.json()["results"] == []


def test_reports_carry_their_indicator_values(a, people):
    secret = token_for(people["officer_a"], a.programme)

    row = call_api(reverse("api:reports"), secret).json()["results"][0]

    assert (row["label"], row["values"]["active_coworkers"]) == (a.label.number, 12)
    assert row["narrative"] == "Bien."


def test_pages_have_a_maximum_size(a, people):
    secret = token_for(people["officer_a"], a.programme)

    first = call_api(applications_of(a), secret, page_size=1).json()
    huge = call_api(applications_of(a), secret, page_size=100000)

    assert (first["count"], len(first["results"])) == (2, 1)
    assert first["next"].endswith("page=2&page_size=1")
    assert huge.status_code == 200


def test_the_reports_are_paged_keys_first_newest_periods_first(a, people):
    """Every report once, newest periods first, through the pages; the last page by name;
    a page past the end is a 404, as on every list."""
    from tests.reporting.conftest import make_report

    for month in (4, 7, 10):
        make_report(a.label, dt.date(2025, month, 1), active_coworkers=month)
    secret = token_for(people["officer_a"], a.programme)
    reports = reverse("api:reports")

    pages = [call_api(reports, secret, page_size=2, page=n).json() for n in (1, 2)]
    last = call_api(reports, secret, page_size=2, page="last").json()
    beyond = call_api(reports, secret, page_size=2, page=3)

    starts = [row["period_start"] for page in pages for row in page["results"]]
    assert pages[0]["count"] == 4 and len(starts) == 4
    assert starts == sorted(starts, reverse=True)
    assert last["results"] == pages[1]["results"]
    assert beyond.status_code == 404


@pytest.mark.parametrize("rows", [2, 20])
@pytest.mark.parametrize("endpoint", ["applications", "decisions", "reports"])
def test_staff_lists_run_a_constant_number_of_queries(
    rows, endpoint, a, founder_org, django_assert_max_num_queries
):
    from review.models import Decision
    from tests.api.conftest import submitted
    from tests.reporting.conftest import make_report

    for n in range(rows - 2):
        submitted(a.call, founder_org, 10 + n)
    for n in range(rows - 1):
        make_report(a.label, dt.date(2020 + n // 4, 1 + 3 * (n % 4), 1), active_coworkers=n)
        refused = submitted(a.call, founder_org, 100 + n, state="refused")
        Decision.objects.create(application=refused, granted=False, reason="Non")
    secret = token_for(UserFactory(is_superuser=True, is_staff=True), a.programme)
    url = {
        "applications": applications_of(a),
        "decisions": decisions_of(a),
        "reports": reverse("api:reports"),
    }[endpoint]
    call_api(reverse("api:programmes"))  # the emails of the set-up go out at its end

    with django_assert_max_num_queries(10):
        body = call_api(url, secret)

    assert len(body.json()["results"]) == (rows * 2 - 1 if endpoint == "applications" else rows)


def test_a_persons_tokens_share_one_throttle(a, b, people, settings):
    settings.API_THROTTLE_RATES = {"token": "2/min", "anonymous": "1/min"}
    cache.clear()
    first = token_for(people["officer_a"], a.programme)
    second = token_for(people["officer_a"], a.programme)
    colleague = token_for(people["officer_b"], b.programme)

    answers = [call_api(reverse("api:reports"), first).status_code for _ in range(3)]
    # Another token of the same person buys no new calls; another person has their own.
    other = call_api(reverse("api:reports"), second).status_code
    anonymous = [call_api(reverse("api:programmes")).status_code for _ in range(2)]

    assert answers == [200, 200, 429]
    assert other == 429
    assert call_api(reverse("api:reports"), colleague).status_code == 200
    assert anonymous == [200, 429]


def test_dossiers_are_filtered_by_the_answers_to_the_calls_form(a, people):
    from applications import formbuilder

    formbuilder.install(
        a.call,
        {
            "sections": [
                {
                    "title_fr": "Projet",
                    "questions": [
                        {"code": "rural", "kind": "yes_no", "label_fr": "Rural", "required": False}
                    ],
                }
            ]
        },
    )
    a.granted.answers = {"rural": True}
    a.granted.save()
    secret = token_for(people["officer_a"], a.programme)

    rural = call_api(applications_of(a), secret, rural="yes")
    urban = call_api(applications_of(a), secret, rural="no")

    assert references(rural) == ["CALL-A-2026-0002"]
    assert references(urban) == []


def test_an_anonymous_caller_cannot_escape_the_throttle_by_forging_its_address(a, settings):
    settings.API_THROTTLE_RATES = {"token": "2/min", "anonymous": "1/min"}
    cache.clear()
    client = Client()

    first = client.get(reverse("api:programmes"), headers={"X-Forwarded-For": "192.0.2.1"})
    second = client.get(reverse("api:programmes"), headers={"X-Forwarded-For": "192.0.2.2"})

    assert (first.status_code, second.status_code) == (200, 429)
    assert second["Retry-After"]
