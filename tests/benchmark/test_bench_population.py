"""The benchmark's population: a tiny set has exactly the rows asked for, a second run adds
to the first without a clash and keeps the cast, and the measured pages answer its cast."""

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.urls import reverse
from freezegun import freeze_time

from applications.models import Application
from benchmark import population
from benchmark.population import Sizes, populate, scaled
from labels.models import Label
from portal.models import Counter, Organisation, StateChange, User
from reporting.models import ActivityReport
from review import ranking
from review.models import Assignment, Criterion, Decision, Review, Score, Standing

TINY = Sizes(dossiers=30, reviews=60, labels=5, reports=40)
MORE = Sizes(dossiers=50, reviews=90, labels=8, reports=70)


def counts() -> dict[str, int]:
    return {
        "dossiers": Application.objects.count(),
        "reviews": Review.objects.count(),
        "labels": Label.objects.count(),
        "reports": ActivityReport.objects.count(),
    }


@pytest.fixture
def cast(db):
    return populate(TINY)


def test_the_rows_match_the_sizes(cast):
    assert counts() == {"dossiers": 30, "reviews": 60, "labels": 5, "reports": 40}
    # Each review is an accepted assignment, scored on every criterion of its call.
    assert Assignment.objects.filter(state=Assignment.State.ACCEPTED).count() == 60
    assert Score.objects.count() == 60 * Criterion.objects.filter(call=cast.call).count()
    # Each label sits on a granted dossier with its decision.
    assert Decision.objects.filter(granted=True, application__label__isnull=False).count() == 5
    # The applicant's dossiers share one organisation; every other dossier has its own.
    applicant_dossiers = Application.objects.of_member(cast.applicant).count()
    assert 2 <= applicant_dossiers <= 3
    assert Organisation.objects.count() == 30 - applicant_dossiers + 1


def test_the_cast_is_what_the_pages_need(cast):
    assert cast.officer.programme_roles.filter(programme=cast.programme, role="officer").exists()
    assert cast.ministry.programme_roles.filter(programme=cast.programme, role="ministry").exists()
    assert cast.call.programme == cast.programme
    assert cast.call.applications.count() >= 20  # nearly all dossiers
    assert cast.label.state == Label.State.ACTIVE
    assert cast.label.organisation.memberships.filter(user=cast.applicant).exists()
    assert cast.label.reports.count() >= 2
    states = set(Application.objects.of_member(cast.applicant).values_list("state", flat=True))
    assert Application.State.GRANTED in states and len(states) >= 2


def test_the_history_leads_to_each_state(cast):
    """Every submitted dossier's last recorded transition reaches its current state."""
    history = StateChange.objects.filter(
        content_type=ContentType.objects.get_for_model(Application)
    )
    for application in Application.objects.filter(submitted_at__isnull=False):
        last = history.filter(object_id=application.pk).order_by("at", "pk").last()
        assert last is not None and last.target == application.state, application.reference


def test_a_second_run_adds_rows_and_keeps_the_cast(cast):
    again = populate(MORE, seed=1)

    assert counts() == {"dossiers": 80, "reviews": 150, "labels": 13, "reports": 110}
    assert (again.officer, again.ministry, again.applicant) == (
        cast.officer,
        cast.ministry,
        cast.applicant,
    )
    assert (again.programme, again.call, again.label) == (cast.programme, cast.call, cast.label)
    assert User.objects.filter(email=cast.officer.email).count() == 1


def test_the_counters_run_past_every_number_used(cast):
    """A real submission or label after the benchmark takes a free number."""
    populate(MORE, seed=1)
    prefix = cast.programme.reference_prefix
    for counter in Counter.objects.filter(key__startswith=f"application:{cast.programme.pk}:"):
        year = counter.key.rsplit(":", 1)[1]
        used = Application.objects.filter(reference__startswith=f"{prefix}-{year}-")
        assert used.count() == counter.value
        assert not used.filter(reference=f"{prefix}-{year}-{counter.value + 1:04d}").exists()
    for counter in Counter.objects.filter(key__startswith=f"label:{cast.programme.pk}:"):
        year = counter.key.rsplit(":", 1)[1]
        assert Label.objects.filter(number__startswith=f"{prefix}-LBL-{year}-").count() == (
            counter.value
        )


def test_new_rows_after_the_benchmark_take_free_ids(cast):
    """Ids were handed out by the population: the database's own sequences follow them."""
    largest = Application.objects.aggregate(largest=Max("pk"))["largest"]
    application = Application.objects.create(call=cast.call, organisation=cast.label.organisation)
    assert application.pk > largest


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("officer", lambda cast: reverse("applications:staff_call", args=[cast.call.slug])),
        ("officer", lambda cast: reverse("review:ranking", args=[cast.call.slug])),
        ("officer", lambda cast: reverse("reporting:statistics")),
        ("ministry", lambda cast: reverse("reporting:statistics")),
        ("officer", lambda cast: reverse("reporting:staff_list")),
        (None, lambda cast: reverse("labels:directory")),
        ("applicant", lambda cast: reverse("portal:role_dashboard", args=["applicant"])),
        ("applicant", lambda cast: reverse("reporting:list")),
        ("applicant", lambda cast: reverse("labels:certificate", args=[cast.label.number])),
    ],
)
def test_the_measured_pages_answer_the_cast(client, cast, who, url):
    if who:
        client.force_login(getattr(cast, who))
    response = client.get(url(cast))
    assert response.status_code == 200


def test_the_pages_show_the_data(client, cast):
    client.force_login(cast.officer)
    reference = cast.call.applications.exclude(reference=None).order_by("-submitted_at").first()
    assert (
        reference.reference
        in client.get(reverse("applications:staff_call", args=[cast.call.slug])).content.decode()
    )
    assert cast.label.number in client.get(reverse("reporting:staff_list")).content.decode()
    client.force_login(cast.applicant)
    assert cast.label.number in client.get(reverse("reporting:list")).content.decode()


def test_scored_dossiers_are_ranked_as_their_receivers_would_rank_them(cast):

    scored = Application.objects.filter(assignments__review__state="submitted").distinct()
    assert Standing.objects.count() >= scored.count() > 0
    stored = dict(Standing.objects.values_list("application", "total"))
    computed = dict(ranking.results(cast.call).filter(pk__in=stored).values_list("pk", "total"))
    assert computed and all(stored[pk] == total for pk, total in computed.items())


def test_the_call_has_a_form_of_20_questions_that_the_answers_pass(cast):
    """Every kind of question, a table among them; each dossier's answers are what the
    applicant form would have stored, and the budget table adds up to the total cost."""
    from applications.questionnaire import Questionnaire, form_field, to_initial, to_json

    questionnaire = Questionnaire.of(cast.call)
    assert len(questionnaire.questions) == 20
    assert {q.kind for q in questionnaire.questions} >= {"integer", "choices", "table", "yes_no"}
    dossiers = list(cast.call.applications.exclude(answers={}))
    assert len(dossiers) == cast.call.applications.count()
    for dossier in dossiers[:10]:
        for question in questionnaire.questions:
            stored = dossier.answers.get(question.code)
            if stored is None:
                continue
            field = form_field(question)
            value = to_initial(question, stored)
            if question.kind == "yes_no":
                value = "yes" if stored else "no"
            assert to_json(question, field.clean(value)) == stored, question.code
        if "budget" in dossier.answers and dossier.total_cost is not None:
            assert dossier.answers["budget"]["total"] == str(dossier.total_cost)


def test_the_labels_take_their_capacity_from_the_answers(cast):
    label = Label.objects.select_related("application").get(pk=cast.label.pk)
    assert label.capacity == label.application.answers["desks"]


def rows_written(sizes: Sizes) -> dict[str, list[tuple]]:
    """Every row a population of ``sizes`` writes, by model, in id order; the population
    rolled back after. The sequences are first set back to the tables' largest id, so that a
    second call hands out the same ids (PostgreSQL's sequences ignore a rollback)."""
    tables = [model for model in apps.get_models() if model._meta.managed]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), tables):
            cursor.execute(statement)
    models = (
        User,
        Organisation,
        Application,
        StateChange,
        Assignment,
        Review,
        Score,
        Decision,
        Label,
        Label.services.through,
        ActivityReport,
        Counter,
    )
    with transaction.atomic():
        populate(sizes)
        # Passwords are salted afresh each time; everything else is drawn from the seed.
        written = {
            model._meta.label: list(
                model.objects.order_by("pk").values_list(
                    *(f.attname for f in model._meta.concrete_fields if f.name != "password")
                )
            )
            for model in models
        }
        transaction.set_rollback(True)
    return written


@freeze_time("2026-11-20 10:00:00")
def test_rows_written_in_chunks_are_the_rows_written_at_once(db, monkeypatch):
    """A table holds at most a chunk of rows before writing them (``bench --scale 10``):
    chunks far smaller than the tables give the very rows one chunk gives."""
    sizes = scaled(0.02)
    monkeypatch.setattr(population, "CHUNK", 10**9)
    at_once = rows_written(sizes)
    monkeypatch.setattr(population, "CHUNK", 37)
    in_chunks = rows_written(sizes)

    assert len(at_once["reporting.ActivityReport"]) == sizes.reports > 37 * 10
    assert len(at_once["review.Score"]) > 37 * 10
    assert in_chunks == at_once
