"""Exports of staff lists as CSV, XLSX, ODS and JSON, always for the list's current filter.

Each exported model has one import-export resource: the single definition of its columns
and translated headers. Its columns are :class:`Column` fields, which also name their ORM
path, so that files are written from ``queryset.values_list(<paths>).iterator()`` — flat
memory, no model instances, no ``tablib.Dataset`` — rather than through ``Resource.export()``
(SPEC §10: 68 s and 180 MB for 100,000 rows against 2 s). ``Resource.export()`` still works,
with the same cells, for the admin.

CSV always streams, formatted by the database when it can be (:mod:`portal.database_csv`:
within a fraction of the database's own dump). The other formats are answered at once up to
:data:`BACKGROUND_THRESHOLD` rows; above it, a :class:`~portal.models.BackgroundExport` is
recorded and written by a task on the ``exports`` queue, which rebuilds the same queryset
from its owner, kind and query string through :data:`KINDS`.
"""

import csv
import datetime as dt
import functools
import io
import itertools
import json
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

import tablib
import xlsxwriter
from django.core.files import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.functions import Cast
from django.http import Http404, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.encoding import force_str
from django.utils.text import slugify
from import_export import fields, resources
from import_export.formats.base_formats import JSON

from portal import ods

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Above this many rows, XLSX, ODS and JSON files are written by a background task.
BACKGROUND_THRESHOLD = 2_000
PROGRESS_EVERY = 1_000

# The kinds of export: each app registers, in its ``AppConfig.ready``, a function
# ``(user, query, scope) -> Source`` that raises Http404 when the user may not export it.
# A background task finds the same function by the kind's name in its worker.
KINDS: dict[str, Callable] = {}


def register(kind: str, source_for: Callable) -> None:
    KINDS[kind] = source_for


@dataclass(frozen=True)
class Format:
    content_type: str
    extension: str
    background: bool = True


FORMATS = {
    # Commas between cells, points in numbers: for English spreadsheets and programs.
    "csv": Format("text/csv; charset=utf-8", "csv", background=False),
    # French (and Belgian) Excel expects semicolons, decimal commas and a byte-order mark
    # to read UTF-8.
    "csv-excel": Format("text/csv; charset=utf-8", "csv", background=False),
    "xlsx": Format("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ods": Format("application/vnd.oasis.opendocument.spreadsheet", "ods"),
    "json": Format("application/json", "json"),
}


def neutralise(value):
    """Text that a spreadsheet would run as a formula gets an apostrophe in front.

    User text such as ``=HYPERLINK(…)`` must reach staff as text, never as a formula (OWASP
    "CSV injection"). Numbers and dates keep their type. Only files a spreadsheet opens
    (CSV, XLSX, ODS) are neutralised: JSON is read by programs, which must get the text as
    it was typed.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_formulae(dataset: tablib.Dataset) -> tablib.Dataset:
    """A copy of ``dataset`` with every text cell neutralised (see :func:`neutralise`)."""
    rows = [tuple(neutralise(cell) for cell in row) for row in dataset]
    return tablib.Dataset(*rows, headers=dataset.headers, title=dataset.title)


def spreadsheet_line(line: list) -> list:
    """A line of cells as a spreadsheet file holds it: formulae neutralised."""
    return [neutralise(value) for value in line]


def cell(value):
    """A value as a person reads it: local time without zone, lazy text evaluated. Written
    to a spreadsheet, it is also neutralised (:func:`spreadsheet_line`)."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)
    if isinstance(value, str | int | float | Decimal | dt.date) or value is None:
        return value
    return force_str(value)


def local_cells() -> Callable:
    """:func:`cell` for the rows of one file: the time zone read once rather than per cell,
    and the common types passed through without a test of each (most of a file's time)."""
    zone = timezone.get_current_timezone()
    plain = {str, int, Decimal, float, bool, dt.date, type(None)}

    def convert(value):
        kind = type(value)
        if kind in plain:
            return value
        if kind is dt.datetime and value.tzinfo is not None:
            return value.astimezone(zone).replace(tzinfo=None, microsecond=0)
        return cell(value)

    return convert


class ChoiceLabels:
    """A ``display`` for a field with choices: the stored value's translated label, in
    Python or, for the database-written CSV, as an SQL ``CASE``."""

    def __init__(self, choices):
        self.labels = dict(choices)

    def __call__(self, value):
        return self.labels.get(value, value)

    def translated(self) -> Callable:
        """The display in the current language, the labels translated once."""
        labels = {value: str(label) for value, label in self.labels.items()}
        return lambda value: labels.get(value, value)

    def expression(self, path: str) -> models.Case:
        whens = [
            models.When(**{path: value}, then=models.Value(str(label)))
            for value, label in self.labels.items()
        ]
        stored = Cast(models.F(path), models.CharField())
        return models.Case(*whens, default=stored, output_field=models.CharField())


def _shown(value, convert, display, to_cell):
    """A stored value as its cell: made the column's type, displayed, then a cell (the
    steps of :meth:`Column.show`, each of which may be None)."""
    if value is not None:
        if convert is not None:
            value = convert(value)
        if display is not None:
            value = display(value)
    return to_cell(value)


class Column(fields.Field):
    """A resource field that names its ORM ``path`` (read with ``values_list``) and, if the
    stored value is not what a person reads, a ``display`` function (a state's label) with,
    when it can be written in SQL, its ``sql_display`` (:class:`ChoiceLabels` has both).

    ``attribute`` (for imports) defaults to the path; a foreign key imported by a natural
    key sets ``attribute="organisation"`` and ``path="organisation__enterprise_number"``.
    """

    def __init__(
        self,
        path: str,
        header,
        display: Callable | None = None,
        sql_display: Callable | None = None,
        plain: bool = False,
        **kwargs,
    ):
        kwargs.setdefault("attribute", path)
        self.widget_given = "widget" in kwargs
        super().__init__(column_name=header, **kwargs)
        self.path = path
        self.display = display
        # The same display as an SQL expression of the path, for the database-written CSV.
        self.sql_display = sql_display or getattr(display, "expression", None)
        # A validated identifier (a label number): written as stored, never a formula.
        self.plain = plain

    def convert(self, value):
        """The stored value (never None) as the column's type, before its display:
        subclasses round decimals, make whole numbers of JSON numbers…"""
        return value

    def show(self, value):
        return _shown(value, self.convert, self.display, cell)

    def shower(self) -> Callable:
        """:meth:`show` for the rows of one file, with the labels translated and the time
        zone read once (:func:`rows`)."""
        to_cell = local_cells()
        convert = self.convert if type(self).convert is not Column.convert else None
        display = self.display
        if isinstance(display, ChoiceLabels):
            display = display.translated()
        if convert is None and display is None:
            return to_cell
        return functools.partial(_shown, convert=convert, display=display, to_cell=to_cell)

    def export(self, instance, **kwargs):
        """The cell of one model instance (``Resource.export()``, the admin's export)."""
        value = instance
        for name in self.path.split("__"):
            value = getattr(value, name, None)
            if value is None:
                break
        return self.show(value)


class ExportResource(resources.ModelResource):
    """Base of the exported resources: ``prepare`` adds what the columns' paths need
    (annotations); ``Resource.export()`` neutralises formulae like the list exports, unless
    told the file is JSON (``neutralise=False``, see :class:`FormulaSafeExportMixin`)."""

    def prepare(self, queryset: models.QuerySet) -> models.QuerySet:
        return queryset

    def columns(self) -> list[Column]:
        return self.get_export_fields()

    def export(self, queryset=None, *, neutralise: bool = True, **kwargs) -> tablib.Dataset:
        if queryset is None:
            queryset = self.get_queryset()
        dataset = super().export(self.prepare(queryset), **kwargs)
        return neutralise_formulae(dataset) if neutralise else dataset


class FormulaSafeExportMixin:
    """For a ModelAdmin with import-export's export: the spreadsheet formats (and any other
    but JSON) get neutralised cells, the JSON the text as typed."""

    def get_export_data(self, file_format, request, queryset, **kwargs):
        kwargs["neutralise"] = not isinstance(file_format, JSON)
        return super().get_export_data(file_format, request, queryset, **kwargs)


@dataclass
class Source:
    """What a kind of export returns: the resource, the filtered queryset, and a name for
    a person (translatable: "Rapports d'activité"), which names the file and its sheet."""

    resource: ExportResource
    queryset: models.QuerySet
    name: str


def source(kind: str, user, query: QueryDict, scope: str = "") -> Source:
    if kind not in KINDS:
        raise Http404
    return KINDS[kind](user, query, scope)


def headers(resource: ExportResource) -> list[str]:
    return [str(column.column_name) for column in resource.columns()]


def rows(resource: ExportResource, queryset: models.QuerySet) -> Iterator[list]:
    """The cells of each row, read straight from the database in chunks; not neutralised
    (the spreadsheet writers do it, see :func:`write`)."""
    columns = resource.columns()
    values = resource.prepare(queryset).values_list(*(column.path for column in columns))
    shows = [column.shower() for column in columns]
    for row in values.iterator(chunk_size=2_000):
        yield [show(value) for show, value in zip(shows, row, strict=True)]


class _Echo:
    """A file-like object whose ``write`` returns the line, for a streaming csv.writer."""

    def write(self, value: str) -> str:
        return value


def decimal_comma(value):
    """A decimal number with a comma (``61,5``), as the semicolon CSV writes it: French
    Excel reads ``1.5`` as the first of May. Other values as they are."""
    if isinstance(value, Decimal | float) and not isinstance(value, bool):
        return str(value).replace(".", ",")
    return value


def csv_lines(header: list[str], lines: Iterable[list], fmt: str) -> Iterator[str]:
    excel = fmt == "csv-excel"
    writer = csv.writer(_Echo(), delimiter=";" if excel else ",", lineterminator="\n")
    if excel:
        yield "\ufeff"
    yield writer.writerow(header)
    for line in lines:
        cells = ["" if value is None else value for value in spreadsheet_line(line)]
        yield writer.writerow([decimal_comma(value) for value in cells] if excel else cells)


def csv_file(resource: ExportResource, queryset: models.QuerySet, header, fmt: str) -> Iterator:
    """A whole CSV file, written by the database when every column can be (see
    :mod:`portal.database_csv`), else from :func:`rows`."""
    from portal import database_csv

    delimiter = ";" if fmt == "csv-excel" else ","
    written = database_csv.lines(resource, queryset, delimiter)
    if written is None:
        yield from csv_lines(header, rows(resource, queryset), fmt)
        return
    if fmt == "csv-excel":
        yield "\ufeff"
    yield csv_line(header, delimiter)
    yield from written


def csv_line(cells: list, delimiter: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerow(cells)
    return out.getvalue()


def sheet_title(name) -> str:
    """A spreadsheet's sheet name: the export's name without the characters a sheet name
    may not hold, in the 31 characters Excel allows, neither starting nor ending with an
    apostrophe."""
    return re.sub(r"[\[\]:*?/\\]", " ", str(name)).strip()[:31].strip(" '") or "Export"


def write(fmt: str, header: list[str], lines: Iterable[list], out, name: str = "") -> None:
    """Write a whole file to the binary file ``out``: XLSX streamed by xlsxwriter in constant
    memory (:func:`write_xlsx`), ODS row by row into its zip (:mod:`portal.ods`), JSON one
    object after the other. Spreadsheets' sheet is called after the export's ``name``,
    and their cells are neutralised; JSON holds the text as typed."""
    if fmt in ("csv", "csv-excel"):
        for text in csv_lines(header, lines, fmt):
            out.write(text.encode())
    elif fmt == "xlsx":
        write_xlsx(header, lines, out, name)
    elif fmt == "ods":
        ods.write(header, map(spreadsheet_line, lines), out, sheet_title(name))
    elif fmt == "json":
        out.write(b"[")
        for index, line in enumerate(lines):
            item = json.dumps(dict(zip(header, line, strict=True)), cls=DjangoJSONEncoder)
            out.write((",\n" if index else "\n").encode() + item.encode())
        out.write(b"\n]\n")
    else:
        raise ValueError(fmt)


XLSX_DATE = "yyyy-mm-dd"
XLSX_DATETIME = "yyyy-mm-dd hh:mm:ss"


def write_xlsx(header: list[str], lines: Iterable[list], out, name: str = "") -> None:
    """An XLSX file written by xlsxwriter in constant-memory mode: each row goes to a
    temporary file as it comes (no row is kept), the zip is then written to ``out``.

    Cells keep their type (numbers, dates with a date format, booleans); text is always
    text, never a formula nor a link, and neutralised (:func:`neutralise`) like the other
    spreadsheet files. Cells are written by type rather than through ``Worksheet.write``,
    which guesses from the value what each string is: this is most of the file's time.
    """
    workbook = xlsxwriter.Workbook(
        out,
        {
            "constant_memory": True,
            "in_memory": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    try:
        sheet = workbook.add_worksheet(sheet_title(name))
        date = workbook.add_format({"num_format": XLSX_DATE})
        stamp = workbook.add_format({"num_format": XLSX_DATETIME})
        sheet.write_row(0, 0, [str(text) for text in header])
        string, number = sheet.write_string, sheet.write_number
        moment, boolean = sheet.write_datetime, sheet.write_boolean
        for row, line in enumerate(lines, 1):
            for column, value in enumerate(line):
                kind = type(value)
                if value is None:
                    continue
                if kind is str:
                    string(row, column, "'" + value if value.startswith(FORMULA_STARTS) else value)
                elif kind is int or kind is Decimal or kind is float:
                    number(row, column, value)
                elif kind is dt.datetime:
                    moment(row, column, value, stamp)
                elif kind is dt.date:
                    moment(row, column, value, date)
                elif kind is bool:
                    boolean(row, column, value)
                else:  # a subclass (a safe string, an enum's value): by what it is
                    _xlsx_cell(sheet, row, column, value, date, stamp)
    finally:
        workbook.close()


def _xlsx_cell(sheet, row: int, column: int, value, date, stamp) -> None:
    if isinstance(value, bool):
        sheet.write_boolean(row, column, value)
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(row, column, value)
    elif isinstance(value, dt.datetime):
        sheet.write_datetime(row, column, value.replace(tzinfo=None), stamp)
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, column, value, date)
    else:
        sheet.write_string(row, column, neutralise(str(value)))


def filename(name: str, fmt: str) -> str:
    """The export's name in the reader's language as a file name, with the local time:
    ``rapports-dactivite-20270304-2359.csv``."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return f"{slugify(str(name)) or 'export'}-{stamp}.{FORMATS[fmt].extension}"


def attachment(response: HttpResponse, name: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _translated(language: str, lines: Iterable) -> Iterator:
    """Evaluate the lines in ``language``: a streamed body is read after the view returns."""
    with translation.override(language):
        yield from lines


class _Started:
    """A streamed body whose first lines (the header and the first row) are read at once, in
    the view, so that a database out of reach is answered with the error page rather than a
    download cut short after its 200. Closing it (the server does, when the response ends or
    the client goes) closes the rows' database cursor."""

    def __init__(self, lines: Iterator, count: int = 3):
        self.lines = lines
        self.head = list(itertools.islice(lines, count))

    def __iter__(self) -> Iterator:
        yield from self.head
        yield from self.lines

    def close(self) -> None:
        self.lines.close()


def respond(request, kind: str, fmt: str, scope: str = "") -> HttpResponse:
    """The shared body of every list export view: the current filter of ``kind`` in
    ``fmt`` — streamed (CSV), answered at once (small files) or written in the background
    (a redirect to its progress page)."""
    if fmt not in FORMATS:
        raise Http404
    export = source(kind, request.user, request.GET, scope)
    header = headers(export.resource)
    if not FORMATS[fmt].background:
        lines = csv_file(export.resource, export.queryset, header, fmt)
        body = _Started(_translated(translation.get_language(), lines))
        response = StreamingHttpResponse(body, content_type=FORMATS[fmt].content_type)
        return attachment(response, filename(export.name, fmt))
    total = export.queryset.count()
    if total > BACKGROUND_THRESHOLD:
        return redirect(start_background_export(request, kind, fmt, scope, total))
    out = io.BytesIO()
    write(fmt, header, rows(export.resource, export.queryset), out, export.name)
    response = HttpResponse(out.getvalue(), content_type=FORMATS[fmt].content_type)
    return attachment(response, filename(export.name, fmt))


def start_background_export(request, kind: str, fmt: str, scope: str, total: int):
    """Record a large export and enqueue its writing once the record is committed."""
    from portal.models import BackgroundExport
    from portal.tasks import write_export

    record = BackgroundExport.objects.create(
        owner=request.user,
        kind=kind,
        scope=scope,
        format=fmt,
        query=request.GET.urlencode(),
        language=translation.get_language() or "",
        rows_total=total,
    )
    transaction.on_commit(lambda: write_export.using(queue_name="exports").enqueue(str(record.pk)))
    return record


def run_background_export(record) -> None:
    """Write ``record``'s file (the task's body): the queryset is rebuilt from the owner's
    current rights, rows are written in chunks and the progress saved every
    :data:`PROGRESS_EVERY` rows. Idempotent: a finished export is left alone."""
    from portal.models import BackgroundExport

    if record.state == BackgroundExport.State.DONE:
        return
    progress = BackgroundExport.objects.filter(pk=record.pk)
    progress.update(state=BackgroundExport.State.RUNNING, rows_done=0)
    try:
        with translation.override(record.language or None):
            export = source(record.kind, record.owner, QueryDict(record.query), record.scope)
            total = export.queryset.count()
            progress.update(rows_total=total)

            def counted(lines):
                for done, line in enumerate(lines, 1):
                    if done % PROGRESS_EVERY == 0:
                        progress.update(rows_done=done)
                    yield line

            with tempfile.TemporaryFile() as out:
                lines = counted(rows(export.resource, export.queryset))
                write(record.format, headers(export.resource), lines, out, export.name)
                out.seek(0)
                record.file.save(filename(export.name, record.format), File(out), save=False)
    except Exception as error:
        progress.update(
            state=BackgroundExport.State.FAILED, error=repr(error), finished_at=timezone.now()
        )
        raise
    finished = progress.update(
        state=BackgroundExport.State.DONE,
        file=record.file.name,
        rows_done=total,
        finished_at=timezone.now(),
    )
    if not finished:
        # The record went while the file was written (its owner deleted their account, or
        # the purge ran): the file must not outlive it.
        record.file.delete(save=False)
