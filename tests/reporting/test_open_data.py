import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from applications.models import Application
from reporting.opendata import recipient_identifier
from review.models import Decision
from tests.factories import ApplicationFactory
from tests.labels.conftest import granted

pytestmark = pytest.mark.django_db

UTC = dt.UTC
WALLOON_REGION = "BE-BCE_KBO-0316381039"

# The 360Giving fields the issue lists: every one required, with its JSON type.
GRANT_FIELDS = {
    "id": str,
    "title": str,
    "description": str,
    "currency": str,
    "amountAwarded": (int, float),
    "awardDate": str,
    "fundingOrganization": list,
}
ORGANISATION_FIELDS = {"id": str, "name": str}
RECIPIENT_ID = re.compile(r"^BE-BCE_KBO-\d{10}$")
CSV_TITLES = [
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Awarded",
    "Award Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Recipient Ind:Identifier",
    "Recipient Ind:Name",
    "Funding Org:Identifier",
    "Funding Org:Name",
]


def award(call, amount, decided_at, *, refused=False, **organisation):
    """A dossier of ``call`` granted ``amount`` (or refused) by the minister at ``decided_at``."""
    application = granted(call, **organisation)
    if refused:
        Application.objects.filter(pk=application.pk).update(state=Application.State.REFUSED)
    Decision.objects.create(
        application=application,
        granted=not refused,
        amount=None if refused else Decimal(amount),
        reason="Budget épuisé." if refused else "",
        decided_at=decided_at,
    )
    return application


@pytest.fixture
def grants(call, programme):
    programme.funder_identifier = WALLOON_REGION
    programme.save()
    # 23:30 UTC on 31 March is already 1 April in Brussels.
    late = award(
        call,
        "12500.50",
        dt.datetime(2026, 3, 31, 23, 30, tzinfo=UTC),
        legal_name="La Forge Namuroise ASBL",
        enterprise_number="0566.988.259",
    )
    early = award(
        call, "80000", dt.datetime(2026, 2, 10, 9, 0, tzinfo=UTC), legal_name="Le Quai SRL"
    )
    return [early, late]


def get_json(client):
    response = client.get(reverse("reporting:open_data_json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def get_csv(client):
    response = client.get(reverse("reporting:open_data_csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="grants.csv"'
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8")))
    rows = list(reader)
    assert reader.fieldnames == CSV_TITLES
    return rows


def assert_valid_360giving(package):
    assert set(package) == {"grants"}
    for grant in package["grants"]:
        for field, kind in GRANT_FIELDS.items():
            assert isinstance(grant.get(field), kind), (field, grant.get(field))
        assert not isinstance(grant["amountAwarded"], bool)
        assert grant["id"] and grant["title"] and grant["description"]
        assert re.fullmatch(r"[A-Z]{3}", grant["currency"])
        assert dt.date.fromisoformat(grant["awardDate"]).isoformat() == grant["awardDate"]
        # A recipient is an organisation or an individual (a sole trader), never both.
        recipient = (
            "recipientIndividual" if "recipientIndividual" in grant else "recipientOrganization"
        )
        assert "recipientOrganization" not in grant or recipient == "recipientOrganization"
        for key in (recipient, "fundingOrganization"):
            assert len(grant[key]) == 1
            for field, kind in ORGANISATION_FIELDS.items():
                assert isinstance(grant[key][0].get(field), kind)
                assert grant[key][0][field]
        if recipient == "recipientOrganization":
            assert RECIPIENT_ID.match(grant["recipientOrganization"][0]["id"])


def test_open_data_validates_against_the_field_list(client, grants):
    package = get_json(client)

    assert_valid_360giving(package)
    early, late = grants
    assert package["grants"] == [
        {
            "id": f"360G-guichet-{early.reference}",
            "title": early.project_title,
            "description": early.summary,
            "currency": "EUR",
            "amountAwarded": 80000,
            "awardDate": "2026-02-10",
            "recipientOrganization": [
                {
                    "id": f"BE-BCE_KBO-{early.organisation.enterprise_number}",
                    "name": "Le Quai SRL",
                }
            ],
            "fundingOrganization": [{"id": WALLOON_REGION, "name": "Gouvernement wallon"}],
        },
        {
            "id": f"360G-guichet-{late.reference}",
            "title": late.project_title,
            "description": late.summary,
            "currency": "EUR",
            "amountAwarded": 12500.5,
            "awardDate": "2026-04-01",
            "recipientOrganization": [
                {"id": "BE-BCE_KBO-0566988259", "name": "La Forge Namuroise ASBL"}
            ],
            "fundingOrganization": [{"id": WALLOON_REGION, "name": "Gouvernement wallon"}],
        },
    ]


def test_the_csv_holds_the_same_grants_under_the_standard_titles(client, grants):
    early, late = grants

    assert get_csv(client) == [
        {
            "Identifier": f"360G-guichet-{early.reference}",
            "Title": early.project_title,
            "Description": early.summary,
            "Currency": "EUR",
            "Amount Awarded": "80000",
            "Award Date": "2026-02-10",
            "Recipient Org:Identifier": f"BE-BCE_KBO-{early.organisation.enterprise_number}",
            "Recipient Org:Name": "Le Quai SRL",
            "Recipient Ind:Identifier": "",
            "Recipient Ind:Name": "",
            "Funding Org:Identifier": WALLOON_REGION,
            "Funding Org:Name": "Gouvernement wallon",
        },
        {
            "Identifier": f"360G-guichet-{late.reference}",
            "Title": late.project_title,
            "Description": late.summary,
            "Currency": "EUR",
            "Amount Awarded": "12500.5",
            "Award Date": "2026-04-01",
            "Recipient Org:Identifier": "BE-BCE_KBO-0566988259",
            "Recipient Org:Name": "La Forge Namuroise ASBL",
            "Recipient Ind:Identifier": "",
            "Recipient Ind:Name": "",
            "Funding Org:Identifier": WALLOON_REGION,
            "Funding Org:Name": "Gouvernement wallon",
        },
    ]


def test_only_granted_dossiers_are_published(client, call, grants):
    award(call, "0", dt.datetime(2026, 2, 11, tzinfo=UTC), refused=True)
    ApplicationFactory(call=call, state=Application.State.PROPOSED, reference="CW-2026-0900")

    published = {grant["id"] for grant in get_json(client)["grants"]}
    assert published == {f"360G-guichet-{application.reference}" for application in grants}
    assert {row["Identifier"] for row in get_csv(client)} == published


def test_formula_like_text_is_neutralised_in_the_csv_only(client, call, grants):
    application = grants[0]
    Application.objects.filter(pk=application.pk).update(
        project_title='=HYPERLINK("http://evil.example","Cliquez")', summary="-2+3"
    )

    row = next(row for row in get_csv(client) if row["Identifier"].endswith(application.reference))
    assert row["Title"] == '\'=HYPERLINK("http://evil.example","Cliquez")'
    assert row["Description"] == "'-2+3"
    assert row["Identifier"] == f"360G-guichet-{application.reference}"
    assert row["Amount Awarded"] == "80000"
    grant = get_json(client)["grants"][0]
    assert grant["title"] == '=HYPERLINK("http://evil.example","Cliquez")'


def test_the_funding_body_falls_back_to_an_identifier_under_our_prefix(
    client, call, programme, settings
):
    settings.OPEN_DATA_PREFIX = "360G-wallonie"
    application = award(call, "5000", dt.datetime(2026, 5, 4, 8, tzinfo=UTC))

    grant = get_json(client)["grants"][0]
    assert grant["id"] == f"360G-wallonie-{application.reference}"
    assert grant["fundingOrganization"] == [
        {"id": f"360G-wallonie-{programme.slug}", "name": programme.funding_body}
    ]


def test_anyone_downloads_the_open_data_with_get_only(client, grants):
    for name in ("reporting:open_data_json", "reporting:open_data_csv"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert "public" in response["Cache-Control"]
        assert client.post(reverse(name)).status_code == 405


def test_an_empty_programme_publishes_an_empty_package(client, db):
    assert get_json(client) == {"grants": []}
    assert get_csv(client) == []


def test_the_open_data_runs_a_constant_number_of_queries(
    client, call, grants, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        client.get(reverse("reporting:open_data_json"))
    for day in range(1, 11):
        award(call, "1000", dt.datetime(2026, 6, day, 10, tzinfo=UTC))
    for name in ("reporting:open_data_json", "reporting:open_data_csv"):
        with django_assert_max_num_queries(2):
            response = client.get(reverse(name))
        assert response.status_code == 200
    assert len(get_json(client)["grants"]) == 12


def test_recipient_identifiers_come_from_the_normalised_enterprise_number():
    assert recipient_identifier("BE 0566.988.259") == "BE-BCE_KBO-0566988259"
    assert recipient_identifier("566988259") == "BE-BCE_KBO-0566988259"


def test_a_grant_to_a_sole_trader_names_no_person(client, call, grants):
    """A sole trader is a natural person: the grant goes to an individual recipient known
    by the grant's reference, without the person's name or enterprise number."""
    person = award(
        call,
        "7500",
        dt.datetime(2026, 4, 2, 9, tzinfo=UTC),
        legal_name="Dubois Marie",
        trade_name="",
        legal_form="PP",
        enterprise_number="0413.000.160",
    )

    package = get_json(client)
    assert_valid_360giving(package)
    grant = next(grant for grant in package["grants"] if grant["id"].endswith(person.reference))
    assert grant["recipientIndividual"] == [
        {"id": f"360G-guichet-IND-{person.reference}", "name": "Individual Recipient"}
    ]
    assert "recipientOrganization" not in grant
    row = next(row for row in get_csv(client) if row["Identifier"].endswith(person.reference))
    assert row["Recipient Org:Identifier"] == row["Recipient Org:Name"] == ""
    assert row["Recipient Ind:Identifier"] == f"360G-guichet-IND-{person.reference}"
    assert row["Recipient Ind:Name"] == "Individual Recipient"
    for text in (get_csv(client), package):
        assert "Dubois" not in str(text) and "0413000160" not in str(text)
