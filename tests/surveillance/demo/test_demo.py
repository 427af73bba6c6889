"""The demo's surveillance (``surveillance.demo``): the Creative Wallonia coworking labels
carry their conditions, one space has an open non-conformity, one a resolved one, one a
visitor report waiting for triage; loading it again changes nothing."""

import io

import pytest

from labels.models import Label
from portal.transitions import history
from surveillance import demo as surveillance_demo
from surveillance import watch
from surveillance.models import Condition, NonConformity, VisitorReport

pytestmark = [pytest.mark.xdist_group("demo"), pytest.mark.usefixtures("demo")]


def test_the_coworking_labels_are_watched():
    conditions = Condition.objects.filter(programme__slug="creative-wallonia-coworking")
    assert set(conditions.values_list("kind", flat=True)) == {
        "answer_at_least",
        "reports_on_time",
        "indicator_mean",
        "evidence",
    }
    insurance = conditions.get(kind="evidence")
    cases = NonConformity.objects.filter(condition=insurance)
    assert cases.filter(state="open").count() == 1
    resolved = cases.get(state="resolved")
    assert resolved.answers.get().comment
    steps = [step.transition for step in history(resolved)]
    assert steps[-2:] == ["answer", "resolve"]
    assert watch.OPENED in [step.transition for step in history(resolved.label)]
    waiting = VisitorReport.objects.get(state="new")
    assert waiting.label.state == Label.State.ACTIVE
    assert waiting.label not in {case.label for case in cases}


def test_loading_the_demo_again_changes_nothing():
    counts = (NonConformity.objects.count(), VisitorReport.objects.count())
    surveillance_demo.load(io.StringIO())
    assert (NonConformity.objects.count(), VisitorReport.objects.count()) == counts
    assert watch.run() == (0, 0)
