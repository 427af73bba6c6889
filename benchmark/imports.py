"""The large import the benchmark measures (issue 15): a file of 100,000 new activity
reports, checked then imported through the background task's own code, as the admin's
import page hands it over. Rows per second for each step, and the check's peak memory
(``tracemalloc``, in a run of its own: tracing slows Python several times)."""

import csv
import datetime as dt
import io
import itertools
import tempfile
import time
import tracemalloc

from django.core.files.base import ContentFile
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from labels.models import Label
from portal.imports import run_import
from portal.models import BackgroundImport, User
from reporting.models import ActivityReport, Indicator
from reporting.resources import ActivityReportResource, indicator_columns

IMPORT_ROWS = 100_000
# A week's figures, in range for any period of a week, by indicator code (the population's
# programme asks the first ten).
WEEK = {
    "active_coworkers": "12",
    "desks": "20",
    "occupancy_rate": "55.5",
    "days_open": "5",
    "events_held": "1",
    "event_attendance": "25",
    "businesses_hosted": "8",
    "businesses_created": "0",
    "jobs_created": "0.5",
    "turnover": "1250.00",
    "public_funding_used": "800.00",
    "partnerships": "1",
    "narrative": "Une semaine ordinaire.",
}


def report_file(rows: int) -> bytes:
    """``rows`` accepted weekly reports of the population's labels, none of them already
    there (the population's periods are quarters, which start on a month's first day; these
    never do), each within its label's validity."""
    indicators = list(
        Indicator.objects.filter(programme__labels__isnull=False)
        .distinct()
        .order_by("programme", "position")
    )
    with translation.override("fr-be"):
        resource = ActivityReportResource()
        names = ["label", "period_start", "period_end", "due_on", "state"]
        # The indicators headed as the export heads them.
        columns = list(indicator_columns(indicators).values())
        header = [
            *(str(resource.fields[name].column_name) for name in names),
            *(str(column.column_name) for column in columns),
            str(resource.fields["narrative"].column_name),
        ]
    codes = [column.code for column in columns]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    written = 0
    labels = list(
        Label.objects.exclude(state=Label.State.RENEWED)
        .order_by("pk")
        .values_list("number", "issued_on", "valid_until")
    )
    for week in itertools.count():
        added = written
        for number, issued, until in labels:
            start = issued + dt.timedelta(days=week * 7 + 1)
            if start.day == 1:
                start += dt.timedelta(days=1)
            end = start + dt.timedelta(days=5)
            if end > until:
                continue
            due = end + dt.timedelta(days=30)
            values = [number, start.isoformat(), end.isoformat(), due.isoformat(), "accepted"]
            writer.writerow([*values, *(WEEK.get(code, "") for code in codes), WEEK["narrative"]])
            written += 1
            if written == rows:
                return out.getvalue().encode("utf-8")
        if written == added:
            raise RuntimeError("The population's labels cannot hold so many weekly reports.")


class ReportImport:
    """A large file of reports, checked and imported as the background task does it."""

    def __init__(self, rows: int = IMPORT_ROWS):
        self.owner = User.objects.filter(is_superuser=True).first() or User.objects.create(
            email="import@bench.guichet.test", is_staff=True, is_superuser=True
        )
        self.content = report_file(rows)
        self.rows = rows

    def job(self, state) -> BackgroundImport:
        job = BackgroundImport(
            owner=self.owner,
            model="reporting.activityreport",
            format="csv",
            file_name="rapports.csv",
            language="fr-be",
            state=state,
        )
        job.file.save("upload.csv", ContentFile(self.content), save=False)
        job.save()
        return job

    def step(self, state) -> BackgroundImport:
        job = self.job(state)
        run_import(job)
        job.refresh_from_db()
        expected = "checked" if state == BackgroundImport.State.CHECKING else "done"
        if job.state != expected:
            raise RuntimeError(f"The import ended {job.state}: {job.row_errors[:3]}")
        return job

    def measure(self) -> dict:
        """Check, then import, the file; the check's peak memory in a third run. The import
        is rolled back once measured, so that the population stays as it was."""
        before = ActivityReport.objects.count()
        with (
            tempfile.TemporaryDirectory() as folder,
            override_settings(
                STORAGES={
                    "default": {
                        "BACKEND": "django.core.files.storage.FileSystemStorage",
                        "OPTIONS": {"location": folder},
                    }
                }
            ),
        ):
            start = time.perf_counter()
            self.step(BackgroundImport.State.CHECKING)
            check = time.perf_counter() - start
            tracemalloc.start()
            try:
                self.step(BackgroundImport.State.CHECKING)
                _current, peak = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
            # The population stays as it was: the written rows are rolled back after.
            with transaction.atomic():
                start = time.perf_counter()
                self.step(BackgroundImport.State.IMPORTING)
                written = time.perf_counter() - start
                if ActivityReport.objects.count() - before != self.rows:
                    raise RuntimeError("The import did not write every row.")
                transaction.set_rollback(True)
        return {
            "rows": self.rows,
            "file_kib": round(len(self.content) / 1024),
            "check_seconds": round(check, 1),
            "check_rows_per_second": round(self.rows / check),
            "import_seconds": round(written, 1),
            "import_rows_per_second": round(self.rows / written),
            "check_peak_kib": round(peak / 1024),
        }
