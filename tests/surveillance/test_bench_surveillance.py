"""The benchmark's measure of the daily surveillance job (``bench --only surveillance``) on a
tiny population: it opens cases, then finds nothing new the next day, then flags them."""

import pytest

from benchmark import budgets, runner
from benchmark.population import Sizes

pytestmark = pytest.mark.django_db

TINY = Sizes(dossiers=24, reviews=48, labels=6, reports=60)


def test_the_surveillance_job_is_measured_and_judged(settings):
    results = runner.run_surveillance(TINY, say=lambda line: None)

    figures = results["surveillance"]
    assert figures["conditions"] == 4 and figures["labels"] > 0
    assert figures["next_opened"] == 0
    assert figures["flagged"] == figures["opened"]
    assert figures["first_seconds"] > 0 and figures["next_queries"] > 0
    assert len(results["budgets"]) == 3

    figures["next_seconds"] = budgets.SURVEILLANCE_SECONDS
    missed = [b.name for b in budgets.surveillance_budgets(figures) if not b.met]
    assert missed == [
        f"Surveillance job on {figures['labels']} labels: next day's run, nothing new"
    ]
