"""``portal.transitions.perform_all`` on dossiers: what ``save`` would refresh is written too."""

import datetime as dt

import pytest
import time_machine

from applications.models import Application
from portal.models import StateChange
from portal.transitions import _alike, history, perform_all

pytestmark = pytest.mark.django_db


def test_a_bulk_transition_writes_the_last_saved_moment_as_save_would(admissible):
    later = dt.datetime(2031, 3, 2, 9, 30, tzinfo=dt.UTC)
    with time_machine.travel(later, tick=False):
        changed = perform_all([admissible], "start_review", comment=lambda dossier: "jury ready")

    stored = Application.objects.get(pk=admissible.pk)
    assert changed == [admissible]
    assert (stored.state, stored.updated_at) == (Application.State.IN_REVIEW, later)
    step = history(stored)[-1]
    assert (step.transition, step.source, step.target, step.comment, step.by) == (
        "start_review",
        "admissible",
        "in_review",
        "jury ready",
        None,
    )


def test_a_dossier_changed_in_bulk_can_be_saved_again_and_each_object_counts_once(admissible):
    """As after ``save``: django-fsm's next conditional save expects the state written."""
    perform_all([admissible], "start_review", comment=lambda dossier: "")
    admissible.project_title = "Un atelier partagé"
    admissible.save()

    assert Application.objects.get(pk=admissible.pk).project_title == "Un atelier partagé"
    with pytest.raises(ValueError):
        perform_all([admissible, admissible], "complete_review", comment=lambda dossier: "")


def test_dossiers_given_the_same_values_are_written_together_others_row_by_row(admissible):
    """``perform_all`` writes alike objects with one ``UPDATE``; a value that cannot be
    compared (the answers, a dictionary) sends its object to ``bulk_update``."""
    other = Application.objects.get(pk=admissible.pk)
    other.pk = None  # an unsaved twin is enough to group
    left = StateChange(source="admissible")

    alike = _alike([admissible, other], [left, left], {"state", "updated_at"})
    apart = _alike([admissible], [left], {"state", "answers"})

    assert list(alike.values()) == [[admissible, other]]
    assert apart == {("admissible", None): [admissible]}
