"""Who may run each transition: every transition of every state machine, for every role,
asked of ``portal.transitions.perform`` itself.

The views are not the only callers of ``perform``: a management command, an admin action or
a task reaches it through a service, with no view in front. So the permission a transition
names is a contract tested here, below the views: ``TABLE`` holds one row per transition of
every model with an ``FSMField`` (discovered from the models, so a new transition without a
row, or a row whose transition is gone, fails ``test_the_table_has_one_row_per_transition``),
and each row gives the answer of each role of ``ROLES``.

Each cell puts the object in the transition's source state (every source of a transition
with several), calls ``perform`` as that role, and expects:

- ``DONE``: the transition ran and the object is stored in its target state (each row's
  setup meets the transition's conditions, so that the allowed path really succeeds);
- ``DENIED``: ``PermissionError``, and the object unchanged.

The system actor (``perform(..., by=None, system=True)``: a scheduled job, the demo) runs
every transition without a permission; transitions marked ``custom=SYSTEM`` run only that
way and are refused to every person, administrators included. Every cell runs in a
savepoint rolled back afterwards, in one world built once for the module.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
import rules
from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django_fsm import FSMFieldMixin

from applications.models import Application, Mailing
from labels import services as label_services
from labels.models import Label
from portal.models import StateChange
from portal.transitions import TransitionRefused, is_system_transition, perform
from review.models import Assignment, Complaint, Consensus, Hearing, JurySession, Review
from surveillance.models import NonConformity, VisitorReport
from tests.factories import ApplicationFactory, CallFactory, MembershipFactory, UserFactory
from tests.reporting.conftest import FILLED, make_report

pytestmark = pytest.mark.django_db

# The columns of the table, in this order in every row.
ROLES = (
    "member",  # a (plain) member of the organisation that holds the dossier, label and report
    "stranger",  # a member of another organisation
    "reviewer",  # in the programme's reviewer pool, assigned to the dossier
    "pool",  # in the programme's reviewer pool, not assigned
    "officer",  # officer of the programme
    "officer2",  # officer of another programme only
    "ministry",  # ministry staff of the programme
    "ministry2",  # ministry staff of another programme only
    "admin",  # superuser
    "system",  # the portal itself: perform(..., by=None, system=True)
)
ANSWERS = {"DONE", "DENIED"}

# fmt: off
#                     member strngr review pool   office offic2 minist minis2 admin  system
MEMBERS            = "DONE   DENIED DENIED DENIED DENIED DENIED DENIED DENIED DENIED DONE"
OFFICERS_AND_ADMIN = "DENIED DENIED DENIED DENIED DONE   DENIED DENIED DENIED DONE   DONE"
MINISTRY           = "DENIED DENIED DENIED DENIED DENIED DENIED DONE   DENIED DENIED DONE"
ASSIGNED_REVIEWER  = "DENIED DENIED DONE   DENIED DENIED DENIED DENIED DENIED DENIED DONE"
SYSTEM_ONLY        = "DENIED DENIED DENIED DENIED DENIED DENIED DENIED DENIED DENIED DONE"
PROGRAMME_STAFF    = "DENIED DENIED DENIED DENIED DONE   DENIED DONE   DENIED DONE   DONE"
# fmt: on


# ---------------------------------------------------------------------------------------
# The world every cell is played in.


@dataclass
class World:
    users: dict
    objects: dict  # one object per state machine, by model label


def build_world() -> World:
    call = CallFactory()  # open now, asking no document and no question
    programme = call.programme
    other_programme = CallFactory().programme

    def staff(role, on=programme):
        user = UserFactory(roles=[role])
        on.staff.create(user=user, role=role)
        return user

    member = MembershipFactory(role="member").user
    organisation = member.memberships.get().organisation
    reviewer = staff("reviewer")
    users = {
        "member": member,
        "stranger": MembershipFactory().user,
        "reviewer": reviewer,
        "pool": staff("reviewer"),
        "officer": staff("officer"),
        "officer2": staff("officer", on=other_programme),
        "ministry": staff("ministry"),
        "ministry2": staff("ministry", on=other_programme),
        "admin": UserFactory(is_superuser=True, is_staff=True),
        "system": None,
    }

    # A dossier complete in every section: submitting it only needs the call open.
    dossier = ApplicationFactory(call=call, organisation=organisation)
    assignment = Assignment.objects.create(
        application=dossier, reviewer=reviewer, state=Assignment.State.ACCEPTED
    )
    review = Review.objects.create(assignment=assignment)
    jury = JurySession.objects.create(call=call)
    mailing = Mailing.objects.create(call=call, kind=Mailing.Kind.DECISIONS)
    hearing = Hearing.objects.create(
        application=dossier, starts_at=timezone.now() + dt.timedelta(days=7), place="Namur"
    )
    consensus = Consensus.objects.create(application=dossier, rapporteur=reviewer)
    complaint = Complaint.objects.create(
        application=dossier, about="evaluation", reasons="Mal évalué", due_on=timezone.localdate()
    )
    granted = ApplicationFactory(
        call=call,
        organisation=organisation,
        state=Application.State.GRANTED,
        reference="CW-2026-0900",
        submitted_at=timezone.now() - dt.timedelta(days=90),
    )
    label = label_services.issue_label(granted)
    report = make_report(label, dt.date(2026, 1, 1), **FILLED)  # complete: it may be filed
    case = NonConformity.objects.create(
        label=label, summary="Moins de 20 postes", deadline=timezone.localdate()
    )
    visitor_report = VisitorReport.objects.create(label=label, message="Fermé depuis un mois.")

    machines = (
        dossier,
        mailing,
        assignment,
        review,
        jury,
        hearing,
        consensus,
        complaint,
        label,
        report,
        case,
        visitor_report,
    )
    objects = {obj._meta.label: obj for obj in machines}
    return World(users=users, objects=objects)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One world for the module, in a transaction rolled back at the end; each cell runs in
    a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


# ---------------------------------------------------------------------------------------
# The table.


def nothing(world: World) -> None:
    pass


@dataclass
class Row:
    """Who may run one transition (``who``: one answer per role of ``ROLES``), what it
    takes as arguments and what the object needs, beyond its source state, for the
    transition's conditions to hold."""

    who: str
    kwargs: Callable[[], dict] = dict
    prepare: Callable[[World], None] = field(default=nothing)

    def answers(self) -> list[str]:
        words = self.who.split()
        assert len(words) == len(ROLES), f"{len(words)} answers for {len(ROLES)} roles"
        assert set(words) <= ANSWERS, set(words) - ANSWERS
        return words


def in_ten_days() -> dict:
    return {"due_at": timezone.now() + dt.timedelta(days=10)}


def a_new_date() -> dict:
    return {"starts_at": timezone.now() + dt.timedelta(days=14), "place": "Liège"}


def validity_passed(world: World) -> None:
    label = world.objects["labels.Label"]
    Label.objects.filter(pk=label.pk).update(
        valid_until=timezone.localdate() - dt.timedelta(days=1)
    )


TABLE: dict[tuple[str, str], Row] = {
    # --- a dossier -------------------------------------------------------------------
    ("applications.Application", "submit"): Row(MEMBERS),
    ("applications.Application", "request_changes"): Row(OFFICERS_AND_ADMIN, in_ten_days),
    ("applications.Application", "resubmit"): Row(MEMBERS),
    ("applications.Application", "extend_changes_deadline"): Row(OFFICERS_AND_ADMIN, in_ten_days),
    ("applications.Application", "close_change_request"): Row(OFFICERS_AND_ADMIN),
    ("applications.Application", "withdraw"): Row(MEMBERS),
    ("applications.Application", "declare_inadmissible"): Row(OFFICERS_AND_ADMIN),
    ("applications.Application", "declare_admissible"): Row(OFFICERS_AND_ADMIN),
    ("applications.Application", "start_review"): Row(SYSTEM_ONLY),
    ("applications.Application", "complete_review"): Row(SYSTEM_ONLY),
    ("applications.Application", "shortlist"): Row(OFFICERS_AND_ADMIN),
    ("applications.Application", "propose"): Row(OFFICERS_AND_ADMIN),
    ("applications.Application", "not_propose"): Row(OFFICERS_AND_ADMIN),
    # The minister decides; administrators do not.
    ("applications.Application", "grant"): Row(MINISTRY),
    ("applications.Application", "refuse"): Row(MINISTRY),
    # An upheld complaint sends the dossier back to the review or the admissibility check.
    ("applications.Application", "reopen_review"): Row(OFFICERS_AND_ADMIN),
    ("applications.Application", "readmit"): Row(OFFICERS_AND_ADMIN),
    # A call's mailing (its decisions, its hearing invitations) is sent by its staff.
    ("applications.Mailing", "send"): Row(PROGRAMME_STAFF),
    # --- the review ------------------------------------------------------------------
    ("review.Assignment", "accept"): Row(ASSIGNED_REVIEWER),
    ("review.Assignment", "decline"): Row(ASSIGNED_REVIEWER),
    ("review.Assignment", "declare_conflict"): Row(ASSIGNED_REVIEWER),
    ("review.Assignment", "supersede"): Row(OFFICERS_AND_ADMIN),
    ("review.Review", "submit"): Row(ASSIGNED_REVIEWER),
    ("review.JurySession", "close"): Row(
        OFFICERS_AND_ADMIN, lambda: {"members_present": "Anne Dupont\nLuc Peeters"}
    ),
    # Only an upheld complaint on an evaluation reconvenes a closed jury.
    ("review.JurySession", "reconvene"): Row(SYSTEM_ONLY),
    ("review.Hearing", "reschedule"): Row(OFFICERS_AND_ADMIN, a_new_date),
    ("review.Hearing", "record_attendance"): Row(OFFICERS_AND_ADMIN),
    ("review.Hearing", "record_absence"): Row(OFFICERS_AND_ADMIN),
    # The rapporteur (the assigned reviewer here) writes the consensus; officers approve it.
    ("review.Consensus", "submit"): Row(ASSIGNED_REVIEWER),
    ("review.Consensus", "send_back"): Row(OFFICERS_AND_ADMIN),
    ("review.Consensus", "approve"): Row(OFFICERS_AND_ADMIN),
    # --- a complaint -----------------------------------------------------------------
    ("review.Complaint", "examine"): Row(OFFICERS_AND_ADMIN),
    ("review.Complaint", "uphold"): Row(OFFICERS_AND_ADMIN),
    ("review.Complaint", "reject"): Row(OFFICERS_AND_ADMIN),
    # --- a label ---------------------------------------------------------------------
    ("labels.Label", "suspend"): Row(OFFICERS_AND_ADMIN),
    ("labels.Label", "reinstate"): Row(OFFICERS_AND_ADMIN),
    ("labels.Label", "revoke"): Row(OFFICERS_AND_ADMIN),
    ("labels.Label", "expire"): Row(SYSTEM_ONLY, prepare=validity_passed),
    ("labels.Label", "renew"): Row(SYSTEM_ONLY),
    # --- an activity report ----------------------------------------------------------
    ("reporting.ActivityReport", "submit"): Row(MEMBERS),
    ("reporting.ActivityReport", "accept"): Row(OFFICERS_AND_ADMIN),
    ("reporting.ActivityReport", "return_for_corrections"): Row(OFFICERS_AND_ADMIN),
    # --- a label's non-conformity and a visitor's report ----------------------------
    ("surveillance.NonConformity", "answer"): Row(MEMBERS),
    ("surveillance.NonConformity", "resolve"): Row(OFFICERS_AND_ADMIN),
    ("surveillance.NonConformity", "flag"): Row(SYSTEM_ONLY),
    ("surveillance.NonConformity", "sanction"): Row(OFFICERS_AND_ADMIN),
    ("surveillance.VisitorReport", "dismiss"): Row(OFFICERS_AND_ADMIN),
    ("surveillance.VisitorReport", "confirm"): Row(OFFICERS_AND_ADMIN),
}


def transitions():
    """Every transition of every state machine of the project, as django-fsm knows them:
    (model, its state field, the transition), one per source state."""
    found = []
    for model in apps.get_models():
        for state_field in model._meta.concrete_fields:
            if isinstance(state_field, FSMFieldMixin):
                found += [(model, state_field, t) for t in state_field.get_all_transitions(model)]
    return found


TRANSITIONS = transitions()
CELLS = [
    pytest.param(model, state_field, t, id=f"{model._meta.label}.{t.name}[{t.source}]")
    for model, state_field, t in sorted(
        TRANSITIONS, key=lambda c: (c[0]._meta.label, c[2].name, str(c[2].source))
    )
]


# ---------------------------------------------------------------------------------------
# The tests.


def test_the_table_has_one_row_per_transition():
    machines = {(model._meta.label, t.name) for model, _field, t in TRANSITIONS}

    missing, stale = sorted(machines - set(TABLE)), sorted(set(TABLE) - machines)

    assert not missing and not stale, (
        f"transitions without a row in TABLE: {missing}; rows of TABLE for no transition: {stale}"
    )
    # Every machine of the project is played (a new one needs an object in the world).
    assert {label for label, _name in machines} == {
        "applications.Application",
        "applications.Mailing",
        "review.Assignment",
        "review.Review",
        "review.JurySession",
        "review.Hearing",
        "review.Consensus",
        "review.Complaint",
        "labels.Label",
        "reporting.ActivityReport",
        "surveillance.NonConformity",
        "surveillance.VisitorReport",
    }


def test_every_transition_a_person_runs_names_a_rule_and_only_those():
    """A transition that people run names a rules permission that exists; a transition the
    portal runs itself (``custom=SYSTEM``) names none, and its row says so."""
    wrong = []
    for model, _field, t in TRANSITIONS:
        name = f"{model._meta.label}.{t.name}"
        system = is_system_transition(getattr(model, t.name))
        row = TABLE.get((model._meta.label, t.name))
        if system:
            if t.permission is not None:
                wrong.append(f"{name}: run by the system, yet names a permission")
        elif t.permission is None:
            wrong.append(f"{name}: names no permission")
        elif not rules.perm_exists(getattr(t.permission, "__name__", "")):
            wrong.append(f"{name}: its permission is not a rule of rules.py (portal.rules.rule)")
        if row is not None and system != (row.who == SYSTEM_ONLY):
            wrong.append(f"{name}: its row does not match custom=SYSTEM")
    assert not wrong, "\n".join(wrong)


def play(world: World, model, state_field, t, role: str, row: Row) -> str:
    """One cell, in a savepoint rolled back afterwards: the object in ``t.source``, the
    transition performed by ``role``, the answer in the table's words."""
    stored = world.objects[model._meta.label]
    rows = model._default_manager.filter(pk=stored.pk)
    with transaction.atomic():
        rows.update(**{state_field.name: t.source})
        row.prepare(world)
        obj = rows.get()
        system = role == "system"
        try:
            change = perform(
                obj, t.name, by=world.users[role], system=system, comment="Motif", **row.kwargs()
            )
        except PermissionError:
            state = state_field.value_from_object(rows.get())
            answer = "DENIED" if state == t.source else f"DENIED, yet stored as {state}"
        except TransitionRefused as refused:
            answer = f"refused for another reason: {refused.reasons}"
        else:
            state = state_field.value_from_object(rows.get())
            ok = (
                state == t.target
                and change.target == t.target
                and change.by_id == (None if system else world.users[role].pk)
            )
            answer = "DONE" if ok else f"ran, but stored as {state}"
        transaction.set_rollback(True)
    return answer


@pytest.mark.parametrize(("model", "state_field", "t"), CELLS)
def test_who_may_run_the_transition(world, model, state_field, t):
    row = TABLE.get((model._meta.label, t.name))
    if row is None:
        pytest.fail(f"{model._meta.label}.{t.name} has no row in TABLE", pytrace=False)
    changes_before = StateChange.objects.count()

    wrong = [
        f"{role}: expected {expected}, got {got}"
        for role, expected in zip(ROLES, row.answers(), strict=True)
        if (got := play(world, model, state_field, t, role, row)) != expected
    ]

    assert not wrong, "\n  ".join([f"{model._meta.label}.{t.name} from {t.source}:", *wrong])
    assert StateChange.objects.count() == changes_before  # each cell was rolled back
