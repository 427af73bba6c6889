"""One benchmark run: populate a small set and measure the pages' SQL, populate the rest up
to the full size, then measure everything (SPEC §8)."""

import dataclasses
import os
import platform
import time
from collections.abc import Callable

import django
from django.db import connection

from benchmark import measures
from benchmark.budgets import budgets, surveillance_budgets
from benchmark.imports import IMPORT_ROWS, ReportImport
from benchmark.population import Sizes, populate

PAGE_RUNS = 7
COLD_RUNS = 3
PDF_RUNS = 5
EXPORT_FORMS = ("csv", "dump", "dataset", "xlsx", "xlsx_floor", "ods")
# Forms left out above the large set (``bench --scale`` over 1), and why.
SKIPPED_AT_SCALE = {
    "dataset": "import-export's Dataset holds every row in memory: 170 MiB for 100,000 rows, "
    "and minutes per 100,000; its budget is judged at scale 1",
}


def per_100k(seconds: float, rows: int) -> float:
    """Seconds for 100,000 rows: a figure that stays put when a measure is linear in its
    rows, whatever the scale."""
    return round(seconds * 100_000 / max(rows, 1), 3)


def _difference(full: Sizes, small: Sizes) -> Sizes:
    return Sizes(
        **{
            name: max(getattr(full, name) - getattr(small, name), 0)
            for name in ("dossiers", "reviews", "labels", "reports")
        }
    )


def analyse() -> None:
    """Refresh the planner's statistics after the bulk inserts, as autovacuum (PostgreSQL)
    or ``PRAGMA optimize`` (SQLite) would on a database in service. PostgreSQL's tables are
    vacuumed too, as autovacuum does after inserts: until then no page is marked all-visible,
    and a count read from an index visits every row's page (at 200,000 dossiers, 146 ms
    instead of 27). Inside a transaction (the tests), where VACUUM cannot run, analysed only."""
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


def machine() -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version"
        )
        version = cursor.fetchone()[0]
    return {
        "database": f"{connection.vendor} {version}",
        "cpus": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "system": platform.platform(),
    }


def run(full: Sizes, small: Sizes, say: Callable[[str], None], scale: float = 1) -> dict:
    """Measure; ``say`` reports progress. Returns the results, budgets included. Above
    ``scale`` 1 the forms of :data:`SKIPPED_AT_SCALE` are left out and the import is capped
    at :data:`~benchmark.imports.IMPORT_ROWS` (it measures a throughput)."""
    skipped = [form for form in EXPORT_FORMS if scale > 1 and form in SKIPPED_AT_SCALE]
    results = {
        "machine": machine(),
        "scale": scale,
        "sizes": dataclasses.asdict(full),
        "small_sizes": dataclasses.asdict(small),
        "pages": {},
    }
    elapsed, cast = measures.seconds(lambda: populate(small))
    analyse()
    say(f"Small set populated in {elapsed} s.")
    for page in measures.PAGES:
        client = measures.client_for(page.visitor(cast))
        results["pages"][page.key] = {
            "title": page.title,
            "url": page.path(cast),
            "queries_small": measures.queries(client, page.path(cast)),
        }
    csv_peak_small = measures.peak_kib(measures.ReportExport(cast).csv)
    dossier_queries_small = measures.DossierExport(cast).figures()["queries"]

    elapsed, cast = measures.seconds(lambda: populate(_difference(full, small)))
    start = time.perf_counter()
    analyse()
    results["populate_seconds"] = elapsed
    say(f"Full set populated in {elapsed} s (analysed in {time.perf_counter() - start:.1f} s).")
    for page in measures.PAGES:
        client = measures.client_for(page.visitor(cast))
        url = page.path(cast)
        results["pages"][page.key]["queries_large"] = measures.queries(client, url)
        results["pages"][page.key]["median_ms"] = measures.median_ms(
            lambda client=client, url=url: measures.fetch(client, url), PAGE_RUNS
        )
        # The same page with nothing cached (the statistics keep their figures a while).
        results["pages"][page.key]["cold_ms"] = measures.median_ms(
            lambda client=client, url=url: measures.fetch(client, url, cold=True), COLD_RUNS
        )
        say(f"Page {page.key}: {results['pages'][page.key]['median_ms']} ms.")

    export = measures.ReportExport(cast)
    figures = {"rows": export.rows(), "columns": len(export.columns)}
    export.fetch()
    for form in EXPORT_FORMS:
        if form in skipped:
            continue
        function = getattr(export, form)
        figures[f"{form}_seconds"], _size = measures.seconds(function)
        figures[f"{form}_seconds_per_100k"] = per_100k(figures[f"{form}_seconds"], figures["rows"])
        say(f"Export {form}: {figures[f'{form}_seconds']} s.")
        figures[f"{form}_peak_kib"] = measures.peak_kib(function)
        say(f"Export {form}: peak {figures[f'{form}_peak_kib']} KiB.")
    del export.fetched
    figures["csv_peak_kib_small"] = csv_peak_small
    # The ODS written from a tenth of the rows: both fill the rows' chunks of 2,000 (the
    # small set, 500 rows, does not), so that what differs is what follows the rows.
    figures["ods_peak_kib_tenth"] = measures.peak_kib(lambda: export.ods(figures["rows"] // 10))
    results["export"] = figures
    if skipped:
        results["skipped"] = skipped
        results["skipped_reasons"] = {form: SKIPPED_AT_SCALE[form] for form in skipped}

    dossiers = measures.DossierExport(cast)
    figures = dossiers.figures()
    figures["queries_small"], figures["queries_large"] = (
        dossier_queries_small,
        figures.pop("queries"),
    )
    for form in ("csv", "xlsx"):
        figures[f"{form}_seconds"], _size = measures.seconds(getattr(dossiers, form))
        figures[f"{form}_seconds_per_100k"] = per_100k(figures[f"{form}_seconds"], figures["rows"])
    results["dossier_export"] = figures
    say(f"Export of the call's dossiers with their answers: {figures}.")

    holder = measures.client_for(cast.applicant)
    ministry = measures.client_for(cast.ministry)
    results["pdf"] = {
        "certificate_ms": measures.median_ms(
            lambda: measures.fetch(holder, measures.certificate_url(cast)), PDF_RUNS
        ),
        # Its QR code encoded afresh, as for the first download of a label's certificate.
        "certificate_first_ms": measures.median_ms(
            lambda: measures.fetch(holder, measures.certificate_url(cast), fresh_qr=True),
            PDF_RUNS,
        ),
        "programme_report_ms": measures.median_ms(
            lambda: measures.fetch(ministry, measures.programme_report_url(cast)), PDF_RUNS
        ),
        # The statistics computed again for each report, as if the page had not been seen.
        "programme_report_cold_ms": measures.median_ms(
            lambda: measures.fetch(ministry, measures.programme_report_url(cast), cold=True),
            PDF_RUNS,
        ),
        "at_caps": measures.DocumentsAtCaps(cast).run(PDF_RUNS),
    }
    say(f"PDFs at the text limits: {results['pdf']['at_caps']}.")
    rows = min(full.reports, IMPORT_ROWS)
    results["import"] = {
        **ReportImport(rows).measure(),
        "capped": rows < full.reports,
        "cap": IMPORT_ROWS,
    }
    say(f"Import of {rows} reports: {results['import']}.")
    # Last: it leaves the non-conformities it opens in the database.
    results["surveillance"] = measures.SurveillanceJob(cast).measure()
    say(f"Surveillance job: {results['surveillance']}.")
    results["budgets"] = [budget.as_json() for budget in budgets(results)]
    return results


def run_surveillance(full: Sizes, say: Callable[[str], None]) -> dict:
    """Only the daily surveillance job, on the full population (``bench --only
    surveillance``)."""
    results = {"machine": machine(), "sizes": dataclasses.asdict(full)}
    elapsed, cast = measures.seconds(lambda: populate(full))
    analyse()
    results["populate_seconds"] = elapsed
    say(f"Populated in {elapsed} s.")
    results["surveillance"] = measures.SurveillanceJob(cast).measure()
    say(f"Surveillance job: {results['surveillance']}.")
    results["budgets"] = [
        budget.as_json() for budget in surveillance_budgets(results["surveillance"])
    ]
    return results
