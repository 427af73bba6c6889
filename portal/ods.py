"""OpenDocument spreadsheets (ODS) written as a stream: one row of XML after the other into
the zip, in flat memory, whatever the number of rows.

odfpy (through tablib) builds the whole document as a tree of Python objects before writing a
byte: 100,000 reports took over a gigabyte and minutes. An ODS file is a zip whose
``content.xml`` is a table of rows; that XML is simple enough to be written here directly,
with the few rules of the format (ODF 1.2, part 1, §9 "Tables" and §19 attributes):

- the ``mimetype`` entry comes first, stored without compression, so that a program knows
  the file from its first bytes;
- numbers carry their value in ``office:value``, dates in ``office:date-value`` (ISO 8601,
  local time without zone, as the other spreadsheets), with a date style so that a
  spreadsheet shows them as dates;
- text is one ``text:p`` per line, with runs of spaces and tabs written as ``text:s`` and
  ``text:tab`` (XML would collapse them), and without the characters XML cannot hold (control
  characters other than tab and line breaks), which no form lets anyone type.

Reading ODS (imports, the admin) stays with tablib.
"""

import datetime as dt
import math
import re
import zipfile
from collections.abc import Iterable
from decimal import Decimal

from django.utils import timezone

MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
# No whitespace between the body's elements: readers such as odfpy keep it as text nodes.
# Rows of XML kept before they are written to the zip (some hundred kilobytes).
BATCH = 100

# What XML 1.0 cannot hold at all: removed.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# What text:p would collapse or lose: written with its own element.
_NEEDS_ELEMENTS = re.compile(r"[\n\r\t]|  |^ | $")
# Tabs, and the spaces a reader would drop: at either end of a line, in runs, beside a tab.
_SPACES = re.compile(r"\t| {2,}|^ | $|(?<=\t) | (?=\t)")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})

_MANIFEST = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" \
manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" \
manifest:media-type="{MIMETYPE}"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""

_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'office:version="1.2"'
)

_STYLES = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {_NAMESPACES}>
 <office:styles>
  <style:default-style style:family="table-cell"/>
 </office:styles>
</office:document-styles>
"""

# Dates as ``2026-03-31`` and moments as ``2026-03-31 14:05:00``, as in the XLSX files; the
# header row in bold.
_CONTENT_START = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content {_NAMESPACES}>
<office:automatic-styles>
<number:date-style style:name="date"><number:year number:style="long"/>\
<number:text>-</number:text><number:month number:style="long"/><number:text>-</number:text>\
<number:day number:style="long"/></number:date-style>
<number:date-style style:name="moment"><number:year number:style="long"/>\
<number:text>-</number:text><number:month number:style="long"/><number:text>-</number:text>\
<number:day number:style="long"/><number:text> </number:text>\
<number:hours number:style="long"/><number:text>:</number:text>\
<number:minutes number:style="long"/><number:text>:</number:text>\
<number:seconds number:style="long"/></number:date-style>
<style:style style:name="d" style:family="table-cell" style:data-style-name="date"/>
<style:style style:name="m" style:family="table-cell" style:data-style-name="moment"/>
<style:style style:name="h" style:family="table-cell">\
<style:text-properties fo:font-weight="bold"/></style:style>
</office:automatic-styles>
<office:body><office:spreadsheet>"""
_CONTENT_END = "</table:table></office:spreadsheet></office:body></office:document-content>\n"

_EMPTY = "<table:table-cell/>"


def _meta(now: dt.datetime) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {_NAMESPACES}>'
        f"<office:meta><meta:generator>Guichet</meta:generator>"
        f"<meta:creation-date>{now:%Y-%m-%dT%H:%M:%S}</meta:creation-date></office:meta>"
        "</office:document-meta>\n"
    )


def _spaces(match: re.Match) -> str:
    found = match.group()
    if found == "\t":
        return "<text:tab/>"
    return "<text:s/>" if len(found) == 1 else f'<text:s text:c="{len(found)}"/>'


def text(value: str) -> str:
    """The paragraphs of a text cell: escaped, without what XML cannot hold, with its line
    breaks, tabs and runs of spaces kept."""
    value = _ILLEGAL.sub("", value).translate(_ESCAPES)
    if not _NEEDS_ELEMENTS.search(value):
        return f"<text:p>{value}</text:p>"
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "".join(f"<text:p>{_SPACES.sub(_spaces, line)}</text:p>" for line in lines)


def _number(value) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("INF" if value > 0 else "-INF")
    return str(value)


def _cell(value) -> str:
    """One cell of any other type than the common ones :func:`row` writes itself."""
    if value is None:
        return _EMPTY
    if isinstance(value, bool):
        return (
            f'<table:table-cell office:value-type="boolean" '
            f'office:boolean-value="{"true" if value else "false"}"/>'
        )
    if isinstance(value, int | float | Decimal):
        return f'<table:table-cell office:value-type="float" office:value="{_number(value)}"/>'
    if isinstance(value, dt.datetime):
        moment = value.replace(tzinfo=None, microsecond=0).isoformat()
        return (
            f'<table:table-cell table:style-name="m" office:value-type="date" '
            f'office:date-value="{moment}"/>'
        )
    if isinstance(value, dt.date):
        return (
            f'<table:table-cell table:style-name="d" office:value-type="date" '
            f'office:date-value="{value.isoformat()}"/>'
        )
    return f'<table:table-cell office:value-type="string">{text(str(value))}</table:table-cell>'


def row(line: Iterable) -> str:
    """The XML of one row. Text is written as it comes: neutralising formulae is the
    caller's (a text cell is never a formula in ODS, but a spreadsheet may make it one when
    the cell is edited)."""
    cells = []
    add = cells.append
    for value in line:
        kind = type(value)
        if kind is str:
            add(f'<table:table-cell office:value-type="string">{text(value)}</table:table-cell>')
        elif kind is int or kind is Decimal:
            add(f'<table:table-cell office:value-type="float" office:value="{value}"/>')
        elif value is None:
            add(_EMPTY)
        elif kind is dt.datetime and value.tzinfo is None and not value.microsecond:
            add(
                '<table:table-cell table:style-name="m" office:value-type="date" '
                f'office:date-value="{value.isoformat()}"/>'
            )
        else:
            add(_cell(value))
    return "<table:table-row>" + "".join(cells) + "</table:table-row>"


def _header(header: list[str]) -> str:
    cells = "".join(
        '<table:table-cell table:style-name="h" office:value-type="string">'
        f"{text(str(name))}</table:table-cell>"
        for name in header
    )
    return f"<table:table-row>{cells}</table:table-row>"


def write(header: list[str], lines: Iterable[Iterable], out, title: str) -> None:
    """Write an ODS file of one sheet called ``title`` to the binary file ``out``: the
    ``header`` in bold, then ``lines`` one by one. (The header is a plain first row, not
    ``table:table-header-rows``, which tablib's reader, the admin's imports, skips.)"""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE, zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", _MANIFEST)
        archive.writestr("meta.xml", _meta(timezone.localtime()))
        archive.writestr("styles.xml", _STYLES)
        name = _ILLEGAL.sub("", title).translate(_ESCAPES).replace('"', "&quot;")
        with archive.open("content.xml", "w", force_zip64=True) as content:
            content.write(_CONTENT_START.encode())
            content.write(
                f'<table:table table:name="{name}">'
                f'<table:table-column table:number-columns-repeated="{max(len(header), 1)}"/>'
                f"{_header(header)}".encode()
            )
            batch = []
            for line in lines:
                batch.append(row(line))
                if len(batch) == BATCH:
                    content.write("".join(batch).encode())
                    batch.clear()
            content.write(("".join(batch) + _CONTENT_END).encode())
