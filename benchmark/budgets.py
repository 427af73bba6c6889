"""The budgets of SPEC §8 as checks on the benchmark's results: each names what it holds
to, the limit and the measured value, so that the printed table and ``bench --check`` say
the same thing."""

from dataclasses import dataclass

PAGE_MS = 300
CSV_TO_DUMP = 1.5
DATASET_TO_CSV = 20
CERTIFICATE_MS = 100
# The statistics page and the programme report computed afresh, the statistics' cache
# cleared before each request: the summaries the transitions keep meet the page budget, not
# the cache (issue 23).
STATISTICS_COLD_MS = PAGE_MS
PROGRAMME_REPORT_MS = PAGE_MS
# A document drawn with every text field at its limit (``portal.textlimits``): what a worker
# may spend on one, whatever people typed; the certificate stays on its one page. The
# programme report, whose time goes to its figures (it prints names, not what people
# wrote), may not take more than this many times its time with ordinary names.
AT_CAPS_MS = 1000
AT_CAPS_REPORT_GROWTH = 1.25
# A streamed file's memory must not grow with its rows: the large export may hold at most
# this much more than the small one (a chunk of rows and the interpreter's own noise).
STREAM_GROWTH_KIB = 1024
XLSX_PEAK_KIB = 64 * 1024
# Our XLSX beside xlsxwriter in constant-memory mode writing the same cells from tuples
# already in memory (the floor: what the library itself needs).
XLSX_TO_FLOOR = 1.5
# Our ODS, written row by row into its zip, beside the same XLSX floor: no library writes
# ODS in a stream, so the XML is ours (``portal.ods``), with the same compression.
ODS_TO_XLSX_FLOOR = 3
# A large import, checked then written by the background task: fast enough that 100,000
# rows take minutes, not hours, in memory that does not hold the file.
IMPORT_ROWS_PER_SECOND = 300
IMPORT_PEAK_KIB = 128 * 1024
# The daily surveillance job on the whole programme, whatever it finds to do.
SURVEILLANCE_SECONDS = 10


@dataclass(frozen=True)
class Budget:
    name: str
    limit: str
    value: str
    met: bool

    def as_json(self) -> dict:
        return {"name": self.name, "limit": self.limit, "value": self.value, "met": self.met}


def budgets(results: dict) -> list[Budget]:
    """Every budget, met or not, for the results of one run."""
    checks = []
    for key, page in results["pages"].items():
        checks.append(
            Budget(
                f"{key}: queries do not grow",
                f"= {page['queries_small']}",
                str(page["queries_large"]),
                page["queries_large"] <= page["queries_small"],
            )
        )
        checks.append(
            Budget(
                f"{key}: median time",
                f"< {PAGE_MS} ms",
                f"{page['median_ms']} ms",
                page["median_ms"] < PAGE_MS,
            )
        )
    export = results["export"]
    checks += [
        Budget(
            "CSV export beside the database's dump",
            f"<= {CSV_TO_DUMP} x {export['dump_seconds']} s",
            f"{export['csv_seconds']} s",
            export["csv_seconds"] <= CSV_TO_DUMP * export["dump_seconds"],
        ),
    ]
    # The Dataset is left out above scale 1 (``runner.SKIPPED_AT_SCALE``).
    if "dataset_seconds" in export:
        checks.append(
            Budget(
                "CSV export beside import-export's Dataset",
                f">= {DATASET_TO_CSV} x faster",
                f"{export['dataset_seconds'] / max(export['csv_seconds'], 0.001):.0f} x faster",
                export["dataset_seconds"] >= DATASET_TO_CSV * export["csv_seconds"],
            )
        )
    checks += [
        Budget(
            "CSV export memory does not grow with the rows",
            f"<= {export['csv_peak_kib_small']} + {STREAM_GROWTH_KIB} KiB",
            f"{export['csv_peak_kib']} KiB",
            export["csv_peak_kib"] <= export["csv_peak_kib_small"] + STREAM_GROWTH_KIB,
        ),
        Budget(
            "XLSX export beside xlsxwriter's floor",
            f"<= {XLSX_TO_FLOOR} x {export['xlsx_floor_seconds']} s",
            f"{export['xlsx_seconds']} s",
            export["xlsx_seconds"] <= XLSX_TO_FLOOR * export["xlsx_floor_seconds"],
        ),
        Budget(
            "XLSX export memory is bounded",
            f"<= {XLSX_PEAK_KIB} KiB",
            f"{export['xlsx_peak_kib']} KiB",
            export["xlsx_peak_kib"] <= XLSX_PEAK_KIB,
        ),
        Budget(
            "ODS export beside xlsxwriter's floor",
            f"<= {ODS_TO_XLSX_FLOOR} x {export['xlsx_floor_seconds']} s",
            f"{export['ods_seconds']} s",
            export["ods_seconds"] <= ODS_TO_XLSX_FLOOR * export["xlsx_floor_seconds"],
        ),
        Budget(
            "ODS export memory does not grow with the rows (a tenth of them, then all)",
            f"<= {export['ods_peak_kib_tenth']} + {STREAM_GROWTH_KIB} KiB",
            f"{export['ods_peak_kib']} KiB",
            export["ods_peak_kib"] <= export["ods_peak_kib_tenth"] + STREAM_GROWTH_KIB,
        ),
        Budget(
            "Certificate PDF",
            f"< {CERTIFICATE_MS} ms",
            f"{results['pdf']['certificate_ms']} ms",
            results["pdf"]["certificate_ms"] < CERTIFICATE_MS,
        ),
    ]
    if "certificate_first_ms" in results["pdf"]:
        checks.append(
            Budget(
                "Certificate PDF, its QR code encoded afresh",
                f"< {PAGE_MS} ms",
                f"{results['pdf']['certificate_first_ms']} ms",
                results["pdf"]["certificate_first_ms"] < PAGE_MS,
            )
        )
    at_caps = results["pdf"].get("at_caps", {})
    for key in sorted(name.removesuffix("_ms") for name in at_caps if name.endswith("_ms")):
        limit, shown = AT_CAPS_MS, f"<= {AT_CAPS_MS} ms"
        if key == "programme_report":
            limit = AT_CAPS_REPORT_GROWTH * results["pdf"]["programme_report_ms"]
            shown = f"<= {AT_CAPS_REPORT_GROWTH} x {results['pdf']['programme_report_ms']} ms"
        checks.append(
            Budget(
                f"{key.replace('_', ' ').capitalize()} PDF at the text limits",
                shown,
                f"{at_caps[f'{key}_ms']} ms ({at_caps[f'{key}_pages']} pages)",
                at_caps[f"{key}_ms"] <= limit,
            )
        )
    if "certificate_pages" in at_caps:
        checks.append(
            Budget(
                "Certificate at the text limits fits its page",
                "= 1 page",
                f"{at_caps['certificate_pages']} pages",
                at_caps["certificate_pages"] == 1,
            )
        )
    checks += statistics_budgets(results)
    if "dossier_export" in results:
        checks += dossier_export_budgets(results["dossier_export"])
    if "import" in results:
        checks += import_budgets(results["import"])
    if "surveillance" in results:
        checks += surveillance_budgets(results["surveillance"])
    return checks


def statistics_budgets(results: dict) -> list[Budget]:
    """The statistics computed without their cache, on the page and in the programme
    report; and the report with the figures the page just computed (the PDF alone)."""
    checks = []
    if "statistics" in results["pages"]:
        cold = results["pages"]["statistics"]["cold_ms"]
        checks.append(
            Budget(
                "Statistics page without the cache",
                f"< {STATISTICS_COLD_MS} ms",
                f"{cold} ms",
                cold < STATISTICS_COLD_MS,
            )
        )
    pdf = results["pdf"]
    checks.append(
        Budget(
            "Programme report PDF",
            f"< {PROGRAMME_REPORT_MS} ms",
            f"{pdf['programme_report_ms']} ms",
            pdf["programme_report_ms"] < PROGRAMME_REPORT_MS,
        )
    )
    if "programme_report_cold_ms" in pdf:
        checks.append(
            Budget(
                "Programme report PDF without the cache",
                f"< {PROGRAMME_REPORT_MS} ms",
                f"{pdf['programme_report_cold_ms']} ms",
                pdf["programme_report_cold_ms"] < PROGRAMME_REPORT_MS,
            )
        )
    return checks


def dossier_export_budgets(figures: dict) -> list[Budget]:
    """The export of a call's dossiers with a column per question of its form: as many
    statements whatever the rows, and written by the database (answers read in SQL)."""
    return [
        Budget(
            "Dossier export with answers: queries do not grow",
            f"= {figures['queries_small']}",
            str(figures["queries_large"]),
            figures["queries_large"] <= figures["queries_small"],
        ),
        Budget(
            "Dossier CSV with answers written by the database",
            "yes",
            "yes" if figures["by_database"] else "no",
            figures["by_database"],
        ),
    ]


def import_budgets(figures: dict) -> list[Budget]:
    """The large import's: rows per second of each step, the check's peak memory."""
    return [
        *(
            Budget(
                f"Import of {figures['rows']} reports: {step}",
                f">= {IMPORT_ROWS_PER_SECOND} rows/s",
                f"{figures[f'{step}_rows_per_second']} rows/s",
                figures[f"{step}_rows_per_second"] >= IMPORT_ROWS_PER_SECOND,
            )
            for step in ("check", "import")
        ),
        Budget(
            "Import check memory is bounded",
            f"<= {IMPORT_PEAK_KIB} KiB",
            f"{figures['check_peak_kib']} KiB",
            figures["check_peak_kib"] <= IMPORT_PEAK_KIB,
        ),
    ]


def surveillance_budgets(figures: dict) -> list[Budget]:
    """The daily surveillance job's runs: the first (opening cases), the next day's
    (nothing new) and the one past the deadlines (flagging them)."""
    runs = (
        ("first", f"first run, {figures['opened']} cases opened"),
        ("next", "next day's run, nothing new"),
        ("flag", f"run past the deadlines, {figures['flagged']} cases flagged"),
    )
    return [
        Budget(
            f"Surveillance job on {figures['labels']} labels: {words}",
            f"< {SURVEILLANCE_SECONDS} s",
            f"{figures[f'{key}_seconds']} s",
            figures[f"{key}_seconds"] < SURVEILLANCE_SECONDS,
        )
        for key, words in runs
    ]
