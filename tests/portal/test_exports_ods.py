"""The ODS file of a list export, read back by odfpy (as tablib, the admin's imports, reads
it) and by LibreOffice where it is installed: a valid OpenDocument package, typed cells,
text kept to the space and line, the sheet named after the export, and memory that does
not grow with the rows."""

import datetime as dt
import io
import tracemalloc
import xml.etree.ElementTree as ET
import zipfile
from decimal import Decimal

import pytest
import tablib
from django.utils.safestring import mark_safe
from hypothesis import given
from hypothesis import strategies as st
from odf import opendocument, teletype
from odf.table import Table, TableCell, TableRow
from odf.text import P
from openpyxl import load_workbook

from portal import exports, ods
from tests import libreoffice

OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def written(lines, name="Rapports d'activité", header=("A", "B", "C", "D", "E", "F")) -> bytes:
    out = io.BytesIO()
    exports.write("ods", list(header), iter(lines), out, name)
    return out.getvalue()


def cells(content: bytes) -> list[list]:
    """Each row's cells as odfpy elements."""
    sheet = opendocument.load(io.BytesIO(content)).spreadsheet.getElementsByType(Table)[0]
    return [row.getElementsByType(TableCell) for row in sheet.getElementsByType(TableRow)]


def shown(cell) -> str:
    """A text cell as a spreadsheet holds it: its paragraphs are its lines."""
    return "\n".join(teletype.extractText(p) for p in cell.getElementsByType(P))


def test_the_package_starts_with_its_media_type_and_lists_its_parts():
    with zipfile.ZipFile(io.BytesIO(written([["x"] * 6]))) as archive:
        first = archive.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        manifest = archive.read("META-INF/manifest.xml").decode()
        for part in ("content.xml", "styles.xml", "meta.xml"):
            assert f'manifest:full-path="{part}"' in manifest
            ET.fromstring(archive.read(part))  # well-formed


def test_cells_keep_their_type_with_a_date_style():
    submitted = dt.datetime(2026, 3, 4, 23, 59, 7)
    content = written([[dt.date(2026, 1, 1), submitted, Decimal("61.50"), 31, True, None]])

    header, row = cells(content)
    assert [shown(cell) for cell in header] == ["A", "B", "C", "D", "E", "F"]
    attributes = [
        (
            cell.getAttrNS(OFFICE, "value-type"),
            cell.getAttrNS(OFFICE, "date-value")
            or cell.getAttrNS(OFFICE, "value")
            or cell.getAttrNS(OFFICE, "boolean-value"),
        )
        for cell in row
    ]
    assert attributes == [
        ("date", "2026-01-01"),
        ("date", "2026-03-04T23:59:07"),
        ("float", "61.50"),
        ("float", "31"),
        ("boolean", "true"),
        (None, None),
    ]
    styles = {cell.getAttrNS(TABLE, "style-name") for cell in row[:2]}
    assert len(styles) == 2 and None not in styles
    # tablib, which the admin's imports use, reads the same values.
    dataset = tablib.Dataset().load(content, format="ods")
    assert dataset[0] == (dt.date(2026, 1, 1), submitted, 61.5, 31.0, True, "")


def test_text_is_never_a_formula():
    formula = '=HYPERLINK("http://evil.example")'
    content = written([[formula, "https://example.org", "0042", "@SUM(A1)", mark_safe("-1"), ""]])

    row = cells(content)[1]
    assert [shown(cell) for cell in row] == [
        "'" + formula,
        "https://example.org",
        "0042",
        "'@SUM(A1)",
        "'-1",
        "",
    ]
    assert {cell.getAttrNS(OFFICE, "value-type") for cell in row} == {"string"}
    assert not any(cell.getAttrNS(TABLE, "formula") for cell in row)


def test_text_keeps_its_lines_spaces_and_tabs_and_loses_what_xml_cannot_hold():
    typed = [
        "Rue Haute 40\nboîte 2",
        "  deux espaces devant",
        "a\t b",
        "fin ",
        '<b>&amp; "cité"</b>',
        "bip\x07\x0b\x1bfin\r\nsuite",
    ]
    row = cells(written([typed]))[1]
    assert [shown(cell) for cell in row] == [
        "Rue Haute 40\nboîte 2",
        "  deux espaces devant",
        "a\t b",
        "fin ",
        '<b>&amp; "cité"</b>',
        "bipfin\nsuite",
    ]


@given(st.text())
def test_any_text_reads_back_as_typed_without_what_xml_cannot_hold(typed):
    """The writer itself, without the neutralising of formulae the export adds."""
    expected = ods._ILLEGAL.sub("", typed).replace("\r\n", "\n").replace("\r", "\n")
    out = io.BytesIO()
    ods.write(["A"], [[typed]], out, "x")
    assert shown(cells(out.getvalue())[1][0]) == expected


def test_the_sheet_is_named_within_excels_rules():
    assert tablib.Dataset().load(written([], name="'Rapports: 2026/T1'"), format="ods").title == (
        "Rapports  2026 T1"
    )
    assert tablib.Dataset().load(written([], name='Les "espaces" & co'), format="ods").title == (
        'Les "espaces" & co'
    )
    assert tablib.Dataset().load(written([], name=""), format="ods").title == "Export"


def peak_while_writing(count: int) -> int:
    line = ["CW-LBL-2026-001", "Espace de coworking de Liège", dt.date(2026, 1, 1), 12, "x" * 80]

    class Discard(io.RawIOBase):
        position = 0

        def writable(self):
            return True

        def write(self, data):
            self.position += len(data)
            return len(data)

        def tell(self):
            return self.position

    tracemalloc.start()
    try:
        ods.write(["a", "b", "c", "d", "e"], (list(line) for _ in range(count)), Discard(), "x")
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_rows():
    small, large = peak_while_writing(2_000), peak_while_writing(40_000)
    assert large < small + 256 * 1024, (small, large)


@pytest.mark.skipif(not libreoffice.INSTALLED, reason="LibreOffice is not installed")
def test_libreoffice_opens_it_with_the_values_and_lines(tmp_path):
    source = tmp_path / "export.ods"
    source.write_bytes(
        written(
            [["Rue Haute 40\nboîte 2", dt.date(2026, 1, 1), dt.datetime(2026, 3, 4, 23, 59, 7)]],
            header=("Adresse", "Début", "Envoyé le"),
        )
    )
    converted = libreoffice.convert(source, "xlsx")
    sheet = load_workbook(converted).active
    assert sheet.title == "Rapports d'activité"
    assert list(sheet.iter_rows(values_only=True)) == [
        ("Adresse", "Début", "Envoyé le"),
        ("Rue Haute 40\nboîte 2", dt.datetime(2026, 1, 1), dt.datetime(2026, 3, 4, 23, 59, 7)),
    ]
    assert sheet["B2"].number_format.replace("\\", "").lower() == "yyyy-mm-dd"
    assert sheet["C2"].number_format.replace("\\", "").lower() == "yyyy-mm-dd hh:mm:ss"
