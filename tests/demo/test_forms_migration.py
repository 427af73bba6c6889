"""The application forms became data with nothing lost: the demo's 2011 export and open data
read as they did when the coworking answers were columns of the dossier (files in ``data/``,
exported by the portal before the change), and each demo call asks its own form."""

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from applications.models import Application, Call
from review.models import Consensus

pytestmark = pytest.mark.xdist_group("demo")

DATA = Path(__file__).parent / "data"
# The one header that changed: the export's "Workstations" column is now the question's
# own label.
RENAMED = {"Postes de travail": "Postes de travail individuels"}


def rows_by_reference(text: str) -> dict[str, dict[str, str]]:
    return {row["Référence"]: row for row in csv.DictReader(io.StringIO(text))}


def test_the_2011_export_reads_as_before_the_forms(client, demo):
    client.force_login(demo.admin)
    response = client.get(
        reverse("applications:staff_call_export", args=["creative-wallonia-coworking-2011", "csv"])
    )
    after = rows_by_reference(b"".join(response.streaming_content).decode("utf-8-sig"))
    before = rows_by_reference(
        (DATA / "coworking-2011-export-before-forms.csv").read_text("utf-8-sig")
    )
    assert after.keys() == before.keys()
    # Since the consensus, the dossier whose reviewers disagreed is ranked on its approved
    # consensus: the reviewers' means per criterion rounded to the half point (85.00, where
    # the file has their unrounded means, 84.75). Its other columns read as before.
    agreed = Consensus.objects.filter(
        application__call__slug="creative-wallonia-coworking-2011",
        state=Consensus.State.APPROVED,
    )
    assert {c.application.reference: c.application.standing.total for c in agreed} == {
        "CW-2011-0002": Decimal("85.0000")
    }
    assert before["CW-2011-0002"]["Note totale"] == "84.7500"
    before["CW-2011-0002"]["Note totale"] = "85.0000"
    for reference, old in before.items():
        new = after[reference]
        assert {header: new[RENAMED.get(header, header)] for header in old} == old, reference


def test_open_data_reads_as_before_the_forms(client, demo):
    for name in ("grants.csv", "grants.json"):
        response = client.get(f"/open-data/{name}")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        before = (DATA / f"grants-before-forms.{name.split('.')[1]}").read_bytes()
        if name.endswith(".json"):
            assert json.loads(body) == json.loads(before)
        else:
            # Since issue 22 the CSV also has the columns of a grant to an individual (a sole
            # trader), empty for the demo's organisations; the other cells read as before.
            after = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
            old = list(csv.DictReader(io.StringIO(before.decode("utf-8-sig"))))
            assert [{header: row[header] for header in old[0]} for row in after] == old
            assert {
                (row["Recipient Ind:Identifier"], row["Recipient Ind:Name"]) for row in after
            } == {("", "")}


def test_each_demo_call_asks_its_own_form(demo):
    codes = {
        call.slug: set(call.questions.values_list("code", flat=True)) for call in Call.objects.all()
    }
    assert {"desks", "services", "business_model"} <= codes["creative-wallonia-coworking-2011"]
    assert {"partner_municipalities", "rural_role", "budget"} <= codes[
        "coworking-milieu-rural-2017"
    ]
    assert {"machines", "open_hours_per_week"} <= codes["creative-wallonia-fab-labs"]
    assert Call.objects.get(slug="creative-wallonia-fab-labs").is_open()


def test_the_rural_dossiers_keep_the_one_third_equipment_rule(demo):
    for application in Application.objects.filter(call__slug="coworking-milieu-rural-2017"):
        assert not application.questionnaire.problems(application), application.reference
        budget = application.answers["budget"]
        assert budget["total"] == f"{application.total_cost:.2f}"
