"""``portal.transitions.perform_all`` on dossiers: what ``save`` would refresh is written too."""

import datetime as dt

import pytest
import time_machine

from applications.models import Application
from portal.transitions import history, perform_all

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
