"""``manage.py bench``: the benchmark of SPEC §8, on a database of its own."""

import json
import tempfile
from argparse import ArgumentTypeError
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings

from benchmark.population import Sizes, scaled
from benchmark.runner import EXPORT_FORMS, run, run_surveillance

SMALL_FRACTION = 0.005
QUICK_FRACTION = 0.1


def positive(text: str) -> float:
    """A ``--scale``: a number above zero."""
    value = float(text)
    if not value > 0:
        raise ArgumentTypeError(f"{text}: the scale must be above zero.")
    return value


def full_sizes(scale: float, quick: bool) -> Sizes:
    """The full set of a run: ``LARGE`` times ``scale``, a tenth of that with ``--quick``."""
    return scaled(scale * (QUICK_FRACTION if quick else 1))


class Command(BaseCommand):
    help = (
        "Generate a programme of 20,000 dossiers, 60,000 reviews, 2,000 labels and 100,000 "
        "activity reports in a separate database, measure pages, exports and PDFs, and "
        "compare them with the budgets of SPEC §8."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quick", action="store_true", help="A tenth of the data.")
        parser.add_argument(
            "--scale",
            type=positive,
            default=1.0,
            metavar="N",
            help="The full set N times over (10: 200,000 dossiers, 1,000,000 reports); "
            "--quick takes a tenth of that. The small set stays as it is.",
        )
        parser.add_argument(
            "--json", dest="json_file", metavar="FILE", help="Write the results to FILE."
        )
        parser.add_argument(
            "--check", action="store_true", help="Exit with status 1 when a budget is missed."
        )
        parser.add_argument(
            "--keep", action="store_true", help="Keep the benchmark database afterwards."
        )
        parser.add_argument(
            "--only",
            choices=["surveillance"],
            help="Measure only this (on the full population): the daily surveillance job.",
        )

    def handle(self, *args, quick, json_file, check, keep, scale=1.0, only=None, **options):
        full = full_sizes(scale, quick)
        small = scaled(SMALL_FRACTION)
        name = self.database_name()
        self.stdout.write(f"Benchmark database: {name}")
        # As in production, no statement is logged: DEBUG keeps the text of each one, which
        # costs time on every page and, in a large import, over 100 MB. The test client's
        # host, and no email leaves (none should be sent).
        quiet = override_settings(
            DEBUG=False,
            ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        )
        test_settings = connection.settings_dict.get("TEST", {})
        connection.settings_dict["TEST"] = {**test_settings, "NAME": name}
        original = connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False
        )
        try:
            with quiet:
                if only == "surveillance":
                    results = run_surveillance(full, say=self.stdout.write)
                else:
                    results = run(full, small, say=self.stdout.write, scale=scale)
        finally:
            connection.creation.destroy_test_db(original, verbosity=0, keepdb=keep)
            connection.settings_dict["TEST"] = test_settings
        self.print_table(results)
        if json_file:
            Path(json_file).write_text(json.dumps(results, indent=2) + "\n")
            self.stdout.write(f"Results written to {json_file}.")
        missed = [budget for budget in results["budgets"] if not budget["met"]]
        if check and missed:
            raise CommandError(f"{len(missed)} budget(s) missed.", returncode=1)

    def database_name(self) -> str:
        """A file in the temporary folder for SQLite, ``<database>_bench`` otherwise: never
        the database the portal serves."""
        if connection.vendor == "sqlite":
            return str(Path(tempfile.gettempdir()) / "guichet-bench.sqlite3")
        return f"{connection.settings_dict['NAME']}_bench"

    def print_table(self, results: dict) -> None:
        write = self.stdout.write
        if "pages" in results:
            self.print_pages(results)
        if figures := results.get("surveillance"):
            write("")
            write(
                f"Surveillance job on {figures['labels']} labels, {figures['reports']} reports, "
                f"{figures['conditions']} conditions: first run {figures['first_seconds']} s "
                f"({figures['opened']} cases opened, {figures['opening_emails']} emails), next "
                f"day {figures['next_seconds']} s ({figures['next_queries']} queries), past "
                f"the deadlines {figures['flag_seconds']} s ({figures['flagged']} flagged)"
            )
        write("")
        for budget in results["budgets"]:
            mark = "ok    " if budget["met"] else "MISSED"
            write(f"{mark} {budget['name']}: {budget['value']} (budget {budget['limit']})")

    def print_pages(self, results: dict) -> None:
        write = self.stdout.write
        write("")
        write(
            f"{'Page':<32}{'queries small':>15}{'queries large':>15}{'median ms':>12}"
            f"{'cold ms':>12}"
        )
        for key, page in results["pages"].items():
            write(
                f"{key:<32}{page['queries_small']:>15}{page['queries_large']:>15}"
                f"{page['median_ms']:>12}{page['cold_ms']:>12}"
            )
        export = results["export"]
        write("")
        write(f"Export of {export['rows']} activity reports, {export['columns']} columns")
        write(f"{'':<24}{'seconds':>15}{'s per 100k':>15}{'peak KiB':>15}")
        for form in EXPORT_FORMS:
            if f"{form}_seconds" not in export:
                continue
            write(
                f"{form:<24}{export[form + '_seconds']:>15}"
                f"{export.get(form + '_seconds_per_100k', ''):>15}"
                f"{export[form + '_peak_kib']:>15}"
            )
        for form in results.get("skipped", []):
            write(f"Not measured: {form} ({results['skipped_reasons'][form]})")
        if dossiers := results.get("dossier_export"):
            write("")
            write(
                f"Export of {dossiers['rows']} dossiers with their answers, "
                f"{dossiers['columns']} columns: CSV {dossiers['csv_seconds']} s, "
                f"XLSX {dossiers['xlsx_seconds']} s, {dossiers['queries_large']} queries "
                f"(per 100k rows: CSV {dossiers.get('csv_seconds_per_100k')} s, "
                f"XLSX {dossiers.get('xlsx_seconds_per_100k')} s)"
            )
        write("")
        write(f"Certificate PDF: {results['pdf']['certificate_ms']} ms")
        write(f"Programme report PDF: {results['pdf']['programme_report_ms']} ms")
        if figures := results.get("import"):
            capped = " (capped)" if figures.get("capped") else ""
            write(
                f"Import of {figures['rows']} reports{capped}: check {figures['check_seconds']} s "
                f"({figures['check_rows_per_second']} rows/s, "
                f"peak {figures['check_peak_kib']} KiB), import {figures['import_seconds']} s "
                f"({figures['import_rows_per_second']} rows/s)"
            )
