"""The public endpoints: anyone reads programmes, open calls, labels with their standing and
the grants as in the open data; nothing personal."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from api.models import ApiCall
from labels import services as label_services
from reporting import opendata
from surveillance.models import Condition, NonConformity
from tests.api.conftest import call_api, token_for

pytestmark = pytest.mark.django_db


def test_programmes_and_open_calls(a, b):
    programmes = call_api(reverse("api:programmes")).json()
    calls = call_api(reverse("api:calls"), programme="programme-b").json()

    assert {p["slug"] for p in programmes["results"]} == {"programme-a", "programme-b"}
    assert [c["slug"] for c in calls["results"]] == ["call-b"]
    assert calls["results"][0]["programme"] == "programme-b"


def test_a_closed_call_is_not_listed(a):
    a.call.closes_at = a.call.opens_at + dt.timedelta(days=1)
    a.call.save()

    assert call_api(reverse("api:calls")).json()["count"] == 0


def test_labels_with_their_standing(a, b, officer_a):
    condition = Condition.objects.create(
        programme=a.programme, kind=Condition.Kind.REPORTS_ON_TIME, label_fr="Rapports"
    )
    NonConformity.objects.create(
        label=a.label, condition=condition, deadline=dt.date.today() + dt.timedelta(days=30)
    )
    label_services.suspend(b.label, by=staff_of(b), reason="Fermé")

    listed = call_api(reverse("api:labels")).json()["results"]
    suspended = call_api(reverse("api:label", args=[b.label.number])).json()

    assert [(label["number"], label["under_review"]) for label in listed] == [
        (a.label.number, True)
    ]
    assert (suspended["state"], suspended["under_review"]) == ("suspended", False)
    # Out of the directory, a label is answered as the verification page answers it:
    # never its address or public profile.
    assert "street" not in suspended and "latitude" not in suspended
    assert "street" in call_api(reverse("api:label", args=[a.label.number])).json()
    assert call_api(reverse("api:label", args=["XX-LBL-2026-999"])).status_code == 404


def staff_of(p):
    from tests.api.conftest import staff

    return staff(p.programme, "officer")


def test_grants_are_the_open_data_and_hold_nothing_personal(a, b, founder):
    body = call_api(reverse("api:grants"))

    grants = body.json()["results"]
    assert grants == opendata.package()["grants"]
    assert {g["amountAwarded"] for g in grants} == {50000}
    assert founder.email not in body.content.decode()
    assert founder.full_name not in body.content.decode()


def test_a_page_of_grants_is_the_open_datas_and_reads_only_its_page(a, b):
    every = opendata.package()["grants"]
    assert len(every) == 2

    with CaptureQueriesContext(connection) as captured:
        second = call_api(reverse("api:grants"), page_size=1, page=2).json()

    assert (second["count"], second["results"]) == (2, every[1:])
    # The count, then the page's rows: never every grant.
    grant_reads = [q["sql"] for q in captured.captured_queries if "review_decision" in q["sql"]]
    assert len(grant_reads) == 2
    assert any("LIMIT 1" in sql and "OFFSET 1" in sql for sql in grant_reads)


def test_the_schema_and_its_documentation_are_served_by_the_portal(a):
    schema = call_api(reverse("api:schema"), format="json")
    docs = call_api(reverse("api:docs"))

    paths = json.loads(schema.content)["paths"]
    assert "/api/v1/calls/{slug}/applications/" in paths
    assert "/api/v1/reports/" in paths
    html = docs.content.decode()
    assert docs.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "<script>" not in html and "cdn" not in html.lower()


def test_a_token_without_the_public_scope_is_refused_on_public_endpoints(a, officer_a):
    secret = token_for(officer_a, a.programme, public=False)

    assert call_api(reverse("api:programmes"), secret).status_code == 403
    assert call_api(reverse("api:programmes"), token_for(officer_a)).status_code == 200


def test_every_call_is_logged(a, officer_a):
    secret = token_for(officer_a)
    call_api(reverse("api:programmes"))
    call_api(reverse("api:labels"), secret, page=1)
    call_api(reverse("api:reports"))

    logged = list(ApiCall.objects.order_by("pk").values_list("user", "method", "path", "status"))
    assert logged == [
        (None, "GET", "/api/v1/programmes/", 200),
        (officer_a.pk, "GET", "/api/v1/labels/?page=1", 200),
        (None, "GET", "/api/v1/reports/", 401),
    ]
    assert ApiCall.objects.filter(token__user=officer_a).count() == 1


@pytest.mark.parametrize("rows", [2, 20])
def test_the_labels_list_runs_a_constant_number_of_queries(
    rows, founder_org, django_assert_max_num_queries
):
    from tests.api.conftest import build_programme

    for n in range(rows // 2):
        build_programme(f"q{n}", founder_org)
    call_api(reverse("api:programmes"))  # the emails of the set-up go out at its end

    with django_assert_max_num_queries(4):
        body = call_api(reverse("api:labels"))

    assert body.json()["count"] == rows // 2
