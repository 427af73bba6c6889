"""The benchmark's large import: a file of new reports, checked then written by the
background task's code, and its budgets."""

import pytest

from benchmark import budgets
from benchmark.imports import ReportImport
from benchmark.population import Sizes, populate
from portal.models import BackgroundImport
from reporting.models import ActivityReport

pytestmark = pytest.mark.django_db


def test_the_import_writes_every_row_and_its_figures_are_judged(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    populate(Sizes(dossiers=24, reviews=48, labels=4, reports=40))
    before = ActivityReport.objects.count()

    figures = ReportImport(60).measure()

    assert ActivityReport.objects.count() == before, "the written rows are rolled back"
    assert figures["rows"] == 60
    assert figures["check_rows_per_second"] > 0 and figures["import_rows_per_second"] > 0
    assert figures["check_peak_kib"] > 0
    assert set(BackgroundImport.objects.values_list("state", flat=True)) == {"checked"}
    slow = {**figures, "import_rows_per_second": budgets.IMPORT_ROWS_PER_SECOND - 1}
    missed = {budget.name for budget in budgets.import_budgets(slow) if not budget.met}
    assert "Import of 60 reports: import" in missed
    assert "Import check memory is bounded" not in missed
