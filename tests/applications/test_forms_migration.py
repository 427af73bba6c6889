"""The migration that turns the coworking columns into answers of each call's own form, run
forwards on dossiers written the old way, then backwards."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# Organisations are created as they were then: before the register's columns as well.
BEFORE = [("applications", "0009_call_forms"), ("portal", "0010_external_identities")]


def latest():
    """Every app's newest migration, where the test must leave the database: going back
    to ``BEFORE`` also unapplied the migrations of other apps that depend on later ones."""
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_coworking_columns_become_answers_and_come_back(reference_data):
    old = migrate(BEFORE)
    Programme = old.get_model("applications", "Programme")
    Call = old.get_model("applications", "Call")
    Organisation = old.get_model("portal", "Organisation")
    Application = old.get_model("applications", "Application")
    Service = old.get_model("applications", "Service")
    EligibilityQuestion = old.get_model("applications", "EligibilityQuestion")
    programme = Programme.objects.create(
        name="Creative Wallonia", slug="cw", reference_prefix="CW", label_name="Label"
    )
    moment = dt.datetime(2011, 6, 8, 9, tzinfo=dt.UTC)
    call = Call.objects.create(
        programme=programme,
        title="Coworking 2011",
        slug="cw-2011",
        rules="…",
        opens_at=moment,
        closes_at=moment + dt.timedelta(days=90),
        budget=Decimal("600000"),
        max_amount=Decimal("100000"),
    )
    EligibilityQuestion.objects.create(call=call, text="20 postes ?", figure="desks", minimum=20)
    organisation = Organisation.objects.create(
        legal_name="Namur Coworking ASBL", enterprise_number="0880003794", postcode="5000"
    )
    full = Application.objects.create(
        call=call,
        organisation=organisation,
        project_title="Espace de Namur",
        surface_m2=360,
        desks=30,
        meeting_rooms=3,
        opening_hours="Du lundi au vendredi",
        target_public="Indépendants",
        partners="Ville de Namur",
        business_model="Abonnements",
        budget_plan="Trois ans",
        total_cost=Decimal("300000"),
        state="changes_requested",
        # As answers_snapshot wrote it when the officer asked for changes.
        changes_snapshot={
            "project_title": "Espace de Namur",
            "desks": "28",
            "surface_m2": "360",
            "meeting_rooms": None,
            "opening_hours": "Du lundi au vendredi",
            "target_public": "",
            "partners": "Ville de Namur",
            "business_model": "Abonnements",
            "budget_plan": "Trois ans",
            "services": ["wifi"],
            "question:1": True,
        },
    )
    full.services.set(Service.objects.filter(code__in=["wifi", "kitchen"]))
    Service.objects.create(code="sauna", name_fr="Sauna", name_en="Sauna")
    empty = Application.objects.create(call=call, organisation=organisation)

    new = migrate(latest())
    Application = new.get_model("applications", "Application")
    Question = new.get_model("applications", "Question")
    assert Application.objects.get(pk=full.pk).answers == {
        "surface_m2": 360,
        "desks": 30,
        "meeting_rooms": 3,
        "opening_hours": "Du lundi au vendredi",
        "services": ["kitchen", "wifi"],
        "target_public": "Indépendants",
        "partners": "Ville de Namur",
        "business_model": "Abonnements",
        "budget_plan": "Trois ans",
    }
    assert Application.objects.get(pk=empty.pk).answers == {}
    assert Application.objects.get(pk=full.pk).form_version == 1
    assert list(
        Question.objects.filter(call_id=call.pk)
        .order_by("section__position", "position")
        .values_list("code", "kind")
    ) == [
        ("surface_m2", "integer"),
        ("desks", "integer"),
        ("meeting_rooms", "integer"),
        ("opening_hours", "short_text"),
        ("services", "choices"),
        ("target_public", "long_text"),
        ("partners", "long_text"),
        ("business_model", "long_text"),
        ("budget_plan", "long_text"),
    ]
    assert Application.objects.get(pk=full.pk).changes_snapshot == {
        "project_title": "Espace de Namur",
        "answer:desks": 28,
        "answer:surface_m2": 360,
        "answer:opening_hours": "Du lundi au vendredi",
        "answer:partners": "Ville de Namur",
        "answer:business_model": "Abonnements",
        "answer:budget_plan": "Trois ans",
        "answer:services": ["wifi"],
        "question:1": True,
    }
    assert dict(
        Question.objects.filter(call_id=call.pk)
        .exclude(directory="")
        .values_list("code", "directory")
    ) == {"desks": "capacity", "opening_hours": "opening_hours", "services": "services"}
    services = Question.objects.get(call_id=call.pk, code="services")
    assert services.options.count() == 17
    assert services.options.filter(code="sauna", label_en="Sauna").exists()
    assert new.get_model("applications", "FormChange").objects.get(call_id=call.pk).version == 1

    old = migrate(BEFORE)
    Application = old.get_model("applications", "Application")
    back = Application.objects.get(pk=full.pk)
    assert (back.desks, back.surface_m2, back.opening_hours, back.budget_plan) == (
        30,
        360,
        "Du lundi au vendredi",
        "Trois ans",
    )
    assert sorted(back.services.values_list("code", flat=True)) == ["kitchen", "wifi"]
    assert back.changes_snapshot["desks"] == "28"
    assert back.changes_snapshot["services"] == ["wifi"]
    migrate(latest())
