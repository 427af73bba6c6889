"""The enterprise register's import (``manage.py bce_import``): the sample full file and
update file of fixtures/register, bad rows, nothing half loaded, idempotence."""

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from portal.registerimport import ExtractError, import_extract
from portal.registermodels import (
    Activity,
    Denomination,
    Enterprise,
    EnterpriseAddress,
    RegisterCode,
    RegisterExtract,
)

SAMPLE = Path(settings.BASE_DIR) / "fixtures" / "register"
FULL = SAMPLE / "KboOpenData_0210_2026_11_Full"
UPDATE = SAMPLE / "KboOpenData_0211_2026_11_Update"

pytestmark = pytest.mark.django_db


def zipped(folder: Path, tmp_path: Path, edit=None) -> Path:
    """The extract of ``folder`` as the register publishes it, a zip file; ``edit`` may
    change its files' text first (name → text → text)."""
    target = tmp_path / f"{folder.name}.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            text = path.read_text(encoding="utf-8")
            if edit is not None:
                text = edit(path.name, text)
            if text is not None:
                archive.writestr(path.name, text)
    return target


def snapshot() -> dict:
    """Every row of the register, without ids, to compare two loads."""
    return {
        "enterprises": sorted(Enterprise.objects.values_list()),
        "names": sorted(Denomination.objects.values_list("number", "language", "type", "name")),
        "addresses": sorted(
            EnterpriseAddress.objects.values_list("number", "type", "zipcode", "street_fr")
        ),
        "activities": sorted(
            Activity.objects.values_list(
                "number", "activity_group", "nace_version", "nace_code", "classification"
            )
        ),
        "codes": RegisterCode.objects.count(),
    }


def test_the_sample_full_file_loads(tmp_path):
    out = io.StringIO()
    call_command("bce_import", str(zipped(FULL, tmp_path)), "--no-progress", stdout=out)
    assert "Extract 210 (full, 27/11/2026) loaded." in out.getvalue()
    assert Enterprise.objects.count() == 6
    forge = Enterprise.objects.get(number="0566988259")
    assert (forge.status, forge.juridical_situation, forge.juridical_form) == ("AC", "000", "017")
    assert forge.start_date == dt.date(2009, 3, 2)
    assert forge.left_register_on is None
    # Rows about establishments (2.345.678.901) are not kept.
    assert not Denomination.objects.filter(name="Atelier Dubois").exists()
    assert Denomination.objects.filter(number="0734567835").count() == 2
    seat = EnterpriseAddress.objects.get(number="0712345630")
    assert (seat.street_fr, seat.house_number, seat.box, seat.zipcode) == (
        "Rue Haute",
        "40",
        "2",
        "5000",
    )
    assert Activity.objects.filter(number="0566988259").count() == 4
    assert RegisterCode.objects.get(category="JuridicalSituation", code="050", language="FR")
    extract = RegisterExtract.objects.get()
    assert (extract.number, extract.kind, extract.counts["enterprise.csv"]) == (210, "full", 6)


def test_an_update_file_applies_deletes_then_inserts(tmp_path):
    import_extract(FULL)
    result = import_extract(zipped(UPDATE, tmp_path))
    assert result.kind == "update"
    assert Enterprise.objects.count() == 7  # one new; the one gone stays, marked
    gone = Enterprise.objects.get(number="0723456781")
    assert gone.left_register_on == dt.date(2026, 11, 30)
    assert not Denomination.objects.filter(number="0723456781").exists()
    colabo = Enterprise.objects.get(number="0734567835")
    assert colabo.juridical_situation == "050" and colabo.left_register_on is None
    assert Denomination.objects.filter(number="0734567835").count() == 2  # untouched
    moved = EnterpriseAddress.objects.get(number="0845123485")
    assert moved.street_fr == "Grand-Place"
    assert Denomination.objects.get(number="0756789050").name == "Nouveau Tiers-Lieu"
    assert set(Enterprise.objects.stopped().values_list("number", flat=True)) == {
        "0723456781",
        "0734567835",
    }


def test_loading_the_same_extract_twice_gives_the_same_rows(tmp_path):
    import_extract(FULL)
    once = snapshot()
    import_extract(FULL)
    assert snapshot() == once
    import_extract(UPDATE)
    updated = snapshot()
    import_extract(UPDATE)
    assert snapshot() == updated
    assert RegisterExtract.objects.count() == 2


def test_a_full_file_marks_the_enterprises_it_no_longer_lists(tmp_path):
    import_extract(FULL)

    def drop_forge(name, text):
        if name == "meta.csv":
            return text.replace('"210"', '"212"')
        return "\n".join(line for line in text.split("\n") if "0566.988.259" not in line)

    import_extract(zipped(FULL, tmp_path, drop_forge))
    forge = Enterprise.objects.get(number="0566988259")
    assert forge.left_register_on == dt.date(2026, 11, 27)
    assert Denomination.objects.filter(number="0566988259").exists()  # its last known name


def test_bad_rows_are_reported_with_file_and_line_and_skipped(tmp_path):
    def spoil(name, text):
        if name == "enterprise.csv":
            return text + (
                '"0999.999.99","AC","000","2","017",,01-01-2020\n'  # a short number
                '"0756.789.050","AC","000","2","017",,31-02-2020\n'  # no such date
                '"0767.890.107","AC","000","2"\n'  # columns missing
                '"0566.988.259","AC","000","2","017",,02-03-2009\n'  # listed twice
            )
        if name == "denomination.csv":
            return text + '"0712.345.630","1","001",""\n'  # a name missing
        return text

    out, err = io.StringIO(), io.StringIO()
    call_command("bce_import", str(zipped(FULL, tmp_path, spoil)), stdout=out, stderr=err)
    reported = err.getvalue()
    assert "bad row: enterprise.csv:8: not an enterprise number: '0999.999.99'" in reported
    assert "enterprise.csv:9: not a dd-mm-yyyy date: '31-02-2020'" in reported
    assert "enterprise.csv:10: 4 values, not 7" in reported
    assert "enterprise.csv:11: enterprise listed twice" in reported
    assert "denomination.csv:12: missing name" in reported
    assert "bad rows skipped: 5" in out.getvalue()
    assert Enterprise.objects.count() == 6
    assert not Enterprise.objects.filter(number="0756789050").exists()


def test_too_many_bad_rows_load_nothing(tmp_path):
    def spoil(name, text):
        return text.replace('"AC"', '"ACTIVE"') if name == "enterprise.csv" else text

    with pytest.raises(CommandError, match="more than 2 bad rows"):
        call_command("bce_import", str(zipped(FULL, tmp_path, spoil)), "--max-bad-rows", "2")
    assert not Enterprise.objects.exists()
    assert not RegisterCode.objects.exists()
    assert not RegisterExtract.objects.exists()


def test_a_failing_file_leaves_the_register_as_it_was(tmp_path):
    import_extract(FULL)
    before = snapshot()

    def break_activities(name, text):
        if name == "activity.csv":
            return '"EntityNumber","ActivityGroup","NaceVersion"\n"0566.988.259","001","2025"\n'
        if name == "meta.csv":
            return text.replace('"210"', '"212"')
        return text.replace("La Forge Coworking", "La Forge renamed")

    with pytest.raises(ExtractError, match=r"activity\.csv: columns missing: NaceCode"):
        import_extract(zipped(FULL, tmp_path, break_activities))
    assert snapshot() == before
    assert Denomination.objects.filter(name="La Forge Coworking").exists()
    assert list(RegisterExtract.objects.values_list("number", flat=True)) == [210]


def test_an_update_needs_a_full_extract_and_its_predecessor(tmp_path):
    with pytest.raises(ExtractError, match="load a full extract first"):
        import_extract(UPDATE)

    def later(name, text):
        return text.replace('"211"', '"214"') if name == "meta.csv" else text

    import_extract(FULL)
    with pytest.raises(ExtractError, match="load the updates 211 to 213 first"):
        import_extract(zipped(UPDATE, tmp_path, later))
    import_extract(UPDATE)
    with pytest.raises(ExtractError, match="older than extract 211"):
        import_extract(zipped(FULL, tmp_path, lambda name, text: text.replace('"210"', '"209"')))


def test_the_progress_bar_is_drawn_on_the_stream_given():
    bar = io.StringIO()
    import_extract(FULL, progress=bar)
    lines = bar.getvalue().split("\n")
    assert any(line.startswith("\renterprise.csv") and "100.0%" in line for line in lines)
    assert any("activity.csv" in line and "10 rows" in line for line in lines)


def test_the_sql_and_python_rules_of_a_stopped_enterprise_agree():
    import_extract(FULL)
    import_extract(UPDATE)
    Enterprise.objects.filter(number="0566988259").update(status="ST")
    in_sql = set(Enterprise.objects.stopped().values_list("number", flat=True))
    in_python = {e.number for e in Enterprise.objects.all() if e.stop_reason is not None}
    assert in_sql == in_python == {"0566988259", "0723456781", "0734567835"}


def test_not_an_extract(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(CommandError, match="neither a zip file nor a folder"):
        call_command("bce_import", str(tmp_path / "notes.txt"))
    with pytest.raises(CommandError, match=r"meta\.csv is missing"):
        call_command("bce_import", str(tmp_path))
