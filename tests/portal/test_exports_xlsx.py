"""The XLSX file of a list export, read back as a spreadsheet reads it: typed cells, text
that is never a formula nor a link, the sheet named after the export."""

import datetime as dt
import io
from decimal import Decimal

from django.utils.safestring import mark_safe
from openpyxl import load_workbook

from portal import exports


def written(lines, name="Rapports d'activité", header=("A", "B", "C", "D", "E", "F")):
    out = io.BytesIO()
    exports.write("xlsx", list(header), iter(lines), out, name)
    return load_workbook(io.BytesIO(out.getvalue())).active


def test_cells_keep_their_type_with_a_date_format():
    submitted = dt.datetime(2026, 3, 4, 23, 59, 7)
    sheet = written([[dt.date(2026, 1, 1), submitted, Decimal("61.50"), 31, True, None]])

    header, row = list(sheet.iter_rows(values_only=True))
    assert header == ("A", "B", "C", "D", "E", "F")
    assert row == (dt.datetime(2026, 1, 1), submitted, 61.5, 31, True, None)
    date, stamp = sheet["A2"], sheet["B2"]
    assert date.is_date and date.number_format == "yyyy-mm-dd"
    assert stamp.is_date and stamp.number_format == "yyyy-mm-dd hh:mm:ss"
    assert sheet["C2"].data_type == sheet["D2"].data_type == "n"


def test_text_is_never_a_formula_nor_a_link_nor_a_number():
    formula = '=HYPERLINK("http://evil.example")'
    sheet = written(
        [[formula, "https://example.org", "0042", "@SUM(A1)", mark_safe("-1"), "Liège"]]
    )

    cells = sheet[2]
    assert [cell.value for cell in cells] == [
        "'" + formula,
        "https://example.org",
        "0042",
        "'@SUM(A1)",
        "'-1",
        "Liège",
    ]
    assert {cell.data_type for cell in cells} == {"s"}
    assert not any(cell.hyperlink for cell in cells)


def test_the_sheet_is_named_within_excels_rules():
    assert written([], name="'Rapports: 2026/T1'").title == "Rapports  2026 T1"
    assert written([], name="").title == "Export"
