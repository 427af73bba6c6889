"""The benchmark (``manage.py bench``): a run on a tiny population measures every page,
export and PDF, and ``--check`` fails when a budget is missed. Timings are not tested here;
the benchmark itself holds them to their budgets."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from applications.models import Call
from benchmark import budgets, runner
from benchmark.measures import PAGES, DocumentsAtCaps, at_caps
from benchmark.population import INDICATORS, Sizes, populate
from portal import textlimits
from reporting.models import ActivityReport

pytestmark = pytest.mark.django_db

TINY = Sizes(dossiers=24, reviews=48, labels=4, reports=40)
TINIER = Sizes(dossiers=8, reviews=16, labels=2, reports=10)


def test_a_run_measures_every_page_export_and_pdf_and_judges_the_budgets(settings):
    settings.ALLOWED_HOSTS = ["testserver"]

    results = runner.run(TINY, TINIER, say=lambda line: None)

    assert set(results["pages"]) == {page.key for page in PAGES}
    for page in results["pages"].values():
        assert page["queries_small"] == page["queries_large"]
        assert page["median_ms"] > 0
    export = results["export"]
    assert export["rows"] == ActivityReport.objects.count() > 0
    # Eight core columns, the programme's ten indicators and the narrative.
    assert export["columns"] == 8 + len(INDICATORS) + 1 == 19
    for form in ("csv", "dump", "dataset", "xlsx", "xlsx_floor", "ods"):
        assert export[f"{form}_seconds"] > 0
        assert export[f"{form}_peak_kib"] > 0
    assert export["ods_peak_kib_tenth"] > 0
    dossiers = results["dossier_export"]
    assert dossiers["rows"] > 0 and dossiers["by_database"]
    # The core columns, then the form's twenty questions (its table: total and rows).
    assert dossiers["columns"] == 14 + 21
    assert dossiers["queries_large"] == dossiers["queries_small"]
    assert dossiers["csv_seconds"] > 0 and dossiers["xlsx_seconds"] > 0
    assert results["pdf"]["certificate_ms"] > 0
    assert results["pdf"]["programme_report_ms"] > 0
    at_caps = results["pdf"]["at_caps"]
    for document in DocumentsAtCaps.DOCUMENTS:
        assert at_caps[f"{document}_ms"] > 0
        assert at_caps[f"{document}_pages"] >= 1
    assert at_caps["certificate_pages"] == 1
    assert at_caps["jury_minutes_pages"] > 1
    assert results["machine"]["database"]
    assert json.loads(json.dumps(results))["budgets"] == results["budgets"]

    # Each budget is judged on its own figures.
    results["pages"]["ranking"]["queries_large"] += 1
    results["pages"]["directory"]["median_ms"] = budgets.PAGE_MS
    results["export"]["csv_seconds"] = results["export"]["dump_seconds"] * 2
    results["export"]["xlsx_seconds"] = results["export"]["xlsx_floor_seconds"] * 1.6
    results["export"]["ods_seconds"] = results["export"]["xlsx_floor_seconds"] * 2.9
    results["export"]["ods_peak_kib"] = (
        results["export"]["ods_peak_kib_tenth"] + budgets.STREAM_GROWTH_KIB + 1
    )
    results["pdf"]["certificate_ms"] = 20
    results["pdf"]["at_caps"]["receipt_ms"] = budgets.AT_CAPS_MS + 1
    results["pdf"]["at_caps"]["certificate_pages"] = 2

    missed = {budget.name for budget in budgets.budgets(results) if not budget.met}

    assert "ranking: queries do not grow" in missed
    assert "directory: median time" in missed
    assert "CSV export beside the database's dump" in missed
    assert "XLSX export beside xlsxwriter's floor" in missed
    assert "ODS export beside xlsxwriter's floor" not in missed
    assert "ODS export memory does not grow with the rows (a tenth of them, then all)" in missed
    assert "Certificate PDF" not in missed
    assert "Receipt PDF at the text limits" in missed
    assert "Certificate at the text limits fits its page" in missed
    assert "Grant letter PDF at the text limits" not in missed
    assert "Dossier export with answers: queries do not grow" not in missed


def test_the_documents_at_the_limits_are_drawn_from_full_fields_and_nothing_is_kept(settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    cast = populate(TINIER)
    application = cast.label.application
    summary, rationale = application.summary, application.proposal.rationale

    results = DocumentsAtCaps(cast).run(1)

    # Every text field at its limit fills pages: the receipt's summary, the letters' reasons,
    # the minutes' rationales; the certificate keeps to its page.
    assert results["receipt_pages"] >= 2
    assert results["refusal_letter_pages"] > 3
    assert results["certificate_pages"] == 1
    application.refresh_from_db()
    application.proposal.refresh_from_db()
    assert (application.summary, application.proposal.rationale) == (summary, rationale)
    assert not Call.objects.filter(slug__endswith="-caps").exists()


def test_text_at_the_limits_fills_every_limited_field_and_names_to_their_length(settings):
    cast = populate(TINIER)

    values = at_caps(cast.label.application)

    assert len(values["summary"]) == textlimits.SUMMARY
    assert len(values["answers"]["budget_plan"]) == textlimits.LONG
    assert len(values["project_title"]) == 200
    assert "reference" not in values and "postcode" not in values


def page_results(forms=runner.EXPORT_FORMS) -> dict:
    """A run's results with made-up figures, the export measured in ``forms``."""
    page = {"queries_small": 5, "queries_large": 5, "median_ms": 12.0, "cold_ms": 30.0}
    return {
        "pages": {"ranking": page, "directory": {**page, "median_ms": 400.0}},
        "export": {
            **{f"{form}_seconds": 1.0 for form in forms},
            **{f"{form}_peak_kib": 100 for form in forms},
            "rows": 10,
            "columns": 21,
            "csv_peak_kib_small": 100,
            "ods_peak_kib_tenth": 100,
        },
        "pdf": {
            "certificate_ms": 20.0,
            "programme_report_ms": 250.0,
            "at_caps": {"receipt_ms": 80.0, "receipt_pages": 2, "certificate_pages": 1},
        },
    }


@pytest.fixture
def bench_database(monkeypatch):
    """The command's own database is the test database, neither created nor destroyed."""
    monkeypatch.setattr(
        "django.db.backends.base.creation.BaseDatabaseCreation.create_test_db",
        lambda self, **kwargs: self.connection.settings_dict["NAME"],
    )
    monkeypatch.setattr(
        "django.db.backends.base.creation.BaseDatabaseCreation.destroy_test_db",
        lambda self, *args, **kwargs: None,
    )


def test_check_fails_the_command_when_a_budget_is_missed(monkeypatch, tmp_path, bench_database):
    results = page_results()
    results["export"]["dataset_seconds"] = 30.0
    results["budgets"] = [budget.as_json() for budget in budgets.budgets(results)]
    monkeypatch.setattr("benchmark.management.commands.bench.run", lambda *a, **k: results)
    out = tmp_path / "bench.json"

    log = io.StringIO()

    with pytest.raises(CommandError, match="1 budget"):
        call_command("bench", "--quick", "--check", "--json", str(out), stdout=log)

    written = json.loads(out.read_text())["budgets"]
    assert [budget["name"] for budget in written if not budget["met"]] == ["directory: median time"]
    assert "MISSED" in log.getvalue()


def test_the_measures_run_without_the_statement_log(monkeypatch, settings, bench_database):
    """As in production: DEBUG would keep the text of every statement, a cost a server
    does not pay (over 100 MB in a large import)."""
    settings.DEBUG = True
    seen = {}

    def run(*args, **kwargs):
        seen["debug"] = settings.DEBUG
        results = page_results()
        results["budgets"] = []
        return results

    monkeypatch.setattr("benchmark.management.commands.bench.run", run)

    call_command("bench", "--quick", stdout=io.StringIO())

    assert seen == {"debug": False}
    assert settings.DEBUG is True


@pytest.mark.parametrize(
    ("options", "full", "scale"),
    [
        ([], Sizes(dossiers=20_000, reviews=60_000, labels=2_000, reports=100_000), 1),
        (["--quick"], Sizes(dossiers=2_000, reviews=6_000, labels=200, reports=10_000), 1),
        (
            ["--scale", "10"],
            Sizes(dossiers=200_000, reviews=600_000, labels=20_000, reports=1_000_000),
            10,
        ),
        (
            ["--scale", "10", "--quick"],
            Sizes(dossiers=20_000, reviews=60_000, labels=2_000, reports=100_000),
            10,
        ),
        (
            ["--scale", "0.5"],
            Sizes(dossiers=10_000, reviews=30_000, labels=1_000, reports=50_000),
            0.5,
        ),
    ],
)
def test_the_scale_multiplies_the_full_set_and_leaves_the_small_one(
    monkeypatch, bench_database, options, full, scale
):
    asked = {}

    def run(full, small, say, scale):
        asked.update(full=full, small=small, scale=scale)
        results = page_results()
        results["budgets"] = []
        return results

    monkeypatch.setattr("benchmark.management.commands.bench.run", run)

    call_command("bench", *options, stdout=io.StringIO())

    assert asked == {
        "full": full,
        "small": Sizes(dossiers=100, reviews=300, labels=10, reports=500),
        "scale": scale,
    }


@pytest.mark.parametrize("scale", ["0", "-1", "ten"])
def test_a_scale_must_be_a_number_above_zero(scale):
    with pytest.raises(CommandError, match="--scale"):
        call_command("bench", "--scale", scale, stdout=io.StringIO())


def test_without_the_dataset_its_budget_is_left_out_and_the_others_judged():
    """Above scale 1 the Dataset is not measured: no budget compares against it."""
    results = page_results(forms=[form for form in runner.EXPORT_FORMS if form != "dataset"])
    results["export"]["csv_seconds"] = 3.0  # beside a dump of 1 s

    checks = {check.name: check for check in budgets.budgets(results)}

    assert "CSV export beside import-export's Dataset" not in checks
    assert not checks["CSV export beside the database's dump"].met
    assert checks["XLSX export memory is bounded"].met
    assert not checks["directory: median time"].met


def test_a_run_at_scale_leaves_the_dataset_out_and_gives_seconds_per_100k_rows(
    settings, monkeypatch
):
    settings.ALLOWED_HOSTS = ["testserver"]
    monkeypatch.setattr(runner, "IMPORT_ROWS", 25)

    results = runner.run(TINY, TINIER, say=lambda line: None, scale=2)

    export = results["export"]
    assert results["scale"] == 2
    assert results["skipped"] == ["dataset"]
    assert "memory" in results["skipped_reasons"]["dataset"]
    assert "dataset_seconds" not in export and "dataset_peak_kib" not in export
    for form in ("csv", "dump", "xlsx", "xlsx_floor", "ods"):
        assert export[f"{form}_seconds_per_100k"] == runner.per_100k(
            export[f"{form}_seconds"], export["rows"]
        )
    dossiers = results["dossier_export"]
    assert dossiers["csv_seconds_per_100k"] == runner.per_100k(
        dossiers["csv_seconds"], dossiers["rows"]
    )
    # The import measures a throughput: capped, and the cap recorded.
    assert results["import"]["rows"] == 25 < TINY.reports
    assert results["import"]["capped"]
    names = {budget["name"] for budget in results["budgets"]}
    assert "CSV export beside import-export's Dataset" not in names
    assert "CSV export beside the database's dump" in names


def test_seconds_per_100k_rows_stay_put_when_the_time_follows_the_rows():
    assert runner.per_100k(0.73, 100_000) == 0.73
    assert runner.per_100k(7.3, 1_000_000) == 0.73
    assert runner.per_100k(1.5, 500) == 300.0
    assert runner.per_100k(0.2, 0) == 20_000.0  # no rows: no division by zero


def test_the_statistics_are_held_to_the_page_budget_without_their_cache():
    page = {"queries_small": 9, "queries_large": 9, "median_ms": 40.0, "cold_ms": 310.0}
    results = {
        "pages": {"statistics": page},
        "pdf": {"programme_report_ms": 180.0, "programme_report_cold_ms": 290.0},
    }

    checks = {check.name: check for check in budgets.statistics_budgets(results)}

    assert not checks["Statistics page without the cache"].met  # the cached 40 ms do not count
    assert checks["Programme report PDF"].met
    assert checks["Programme report PDF without the cache"].met
