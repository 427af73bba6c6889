"""CSV files written by the database itself (SPEC §8: "at a speed close to the database's
own dump").

Reading rows into Python and formatting them there costs far more than the query: Django's
per-value converters, then one Python call per cell. Here each column of an export resource
becomes an SQL expression that yields the cell as the person reads it — a state's label, a
time in Brussels, a formula neutralised — so that the database formats the rows and Python
only moves text: PostgreSQL answers ``COPY (…) TO STDOUT`` and its CSV is passed on as it
comes; SQLite joins and quotes each line itself (:class:`CsvLine`), so that Python reads one
string a row; on other databases the export is written from Python.

A column whose ``display`` has no SQL form (see :class:`~portal.exports.Column`), or another
database, makes :func:`lines` answer ``None``, and the export is written from Python.
"""

import datetime as dt
import functools
import os
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from django.db import connections, models
from django.db.models import Case, CharField, F, Value, When
from django.db.models.functions import Concat, Left
from django.db.models.lookups import In
from django.utils import timezone

from portal.exports import FORMULA_STARTS, ExportResource

# Rows read and written at a time: about 250 KB of text, whatever the size of the export.
CHUNK_ROWS = 500
# COPY hands over one row at a time: rows are gathered into pieces of about this size.
CHUNK_BYTES = 64 * 1024
# Cells joined by one call of SQLite's printf (:class:`CsvLine`).
PRINTF_CELLS = 100


class DecimalText(models.Func):
    """A decimal with all its places, as text: "1250.50", or "1250,50" with a decimal
    ``comma`` (the semicolon CSV, see :func:`portal.exports.decimal_comma`). PostgreSQL's
    numeric prints so; SQLite keeps numbers as floats (1250.5) and is told the places."""

    output_field = CharField()

    def __init__(self, expression, places: int, comma: bool = False):
        super().__init__(expression)
        self.places = places
        self.comma = comma

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        if self.comma:
            return f"replace(CAST({sql} AS text), '.', ',')", params
        return sql, params

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        text = f"printf('%%.{self.places}f', {sql})"
        if self.comma:
            text = f"replace({text}, '.', ',')"
        return f"CASE WHEN {sql} IS NULL THEN NULL ELSE {text} END", (*params, *params)


class LocalTime(models.Func):
    """A moment as a person reads it: the current time zone's local time to the second,
    as text ("2026-01-21 00:30:15", what :func:`portal.exports.cell` writes)."""

    output_field = CharField()

    def __init__(self, expression):
        super().__init__(expression, Value(timezone.get_current_timezone_name()))

    def as_sqlite(self, compiler, connection, **extra):
        moment, zone = self.source_expressions
        if zone.value == os.environ.get("TZ"):
            # Django sets the process's zone to TIME_ZONE: SQLite's C conversion knows it.
            sql, params = compiler.compile(moment)
            return f"datetime({sql}, 'localtime')", params
        # Django's own conversion (``django_datetime_trunc``) costs 2 s per 100,000 rows.
        return super().as_sql(compiler, connection, function="guichet_local_time", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="to_char(%(expressions)s, 'YYYY-MM-DD HH24:MI:SS')",
            arg_joiner=" AT TIME ZONE ",
            **extra,
        )


def _sqlite_local_time(stored: str | None, zone: str) -> str | None:
    """SQLite keeps moments as UTC text without zone (Django's format). Written for speed
    (a call per row): parsed with its zone, shown without it."""
    if stored is None:
        return None
    moment = dt.datetime.fromisoformat(stored + "+00:00").astimezone(ZoneInfo(zone))
    return moment.isoformat(" ", "seconds")[:19]


def add_sqlite_functions(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: the SQL functions this module needs on SQLite."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "guichet_local_time", 2, _sqlite_local_time, deterministic=True
        )


def neutralised(path: str) -> Case:
    """Text that a spreadsheet would run as a formula, with an apostrophe in front (the SQL
    form of :func:`portal.exports.neutralise`)."""
    return Case(
        When(
            In(Left(F(path), 1), list(FORMULA_STARTS)),
            then=Concat(Value("'"), F(path), output_field=CharField()),
        ),
        default=F(path),
        output_field=CharField(),
    )


class CsvLine(models.Func):
    """A whole CSV line of ``cells``, joined and quoted by SQLite as ``COPY`` does on
    PostgreSQL, so that Python reads one string a row instead of a value a cell. A cell
    whose ``probe`` (the stored text it shows) holds the delimiter, a quote or a line break
    is put in quotes, its quotes doubled; a cell without a probe never needs it."""

    output_field = CharField()

    def __init__(self, cells: list, probes: list, delimiter: str):
        super().__init__(*cells, *(probe for probe in probes if probe is not None))
        self.probed = [probe is not None for probe in probes]
        self.delimiter = delimiter

    def as_sqlite(self, compiler, connection, **extra):
        cells = self.source_expressions[: len(self.probed)]
        probes = iter(self.source_expressions[len(self.probed) :])
        parts, params = [], []
        for cell, probed in zip(cells, self.probed, strict=True):
            sql, cell_params = compiler.compile(cell)
            if not probed:
                parts.append((sql, list(cell_params)))
                continue
            probe, probe_params = compiler.compile(next(probes))
            parts.append(
                (
                    f"CASE WHEN instr({probe}, '\"') OR instr({probe}, %s) "
                    f"OR instr({probe}, char(10)) OR instr({probe}, char(13)) "
                    f"THEN '\"' || replace({sql}, '\"', '\"\"') || '\"' ELSE {sql} END",
                    [
                        *probe_params,
                        *probe_params,
                        self.delimiter,
                        *probe_params,
                        *probe_params,
                        *cell_params,
                        *cell_params,
                    ],
                )
            )
        # The cells joined by printf, which writes NULL as nothing: one string built per
        # row, where concatenating builds one per cell (a tenth of the export's time). A
        # call takes at most PRINTF_CELLS cells (SQLite allows 127 arguments).
        pieces = []
        for start in range(0, len(parts), PRINTF_CELLS):
            chunk = parts[start : start + PRINTF_CELLS]
            if start:
                pieces.append("%s")
                params.append(self.delimiter)
            params.append(self.delimiter.join(["%s"] * len(chunk)))
            for _sql, cell_params in chunk:
                params += cell_params
            pieces.append(f"printf(%s, {', '.join(sql for sql, _params in chunk)})")
        return "(" + " || ".join(pieces) + ")", params


SEPARATORS = ('"', ",", ";", "\n", "\r")


def cell(
    queryset: models.QuerySet, column, delimiter: str = ","
) -> tuple[models.Expression, object] | None:
    """The SQL for ``column``'s cell as a person reads it, and its probe for
    :class:`CsvLine` (the stored text, in which a separator would call for quotes; None
    when there can be none); None when the column's display is Python only. Decimals
    have a comma in the semicolon CSV."""
    if column.display is not None:
        if column.sql_display is None:
            return None
        expression = column.sql_display(column.path)
        labels = getattr(column.display, "labels", {})
        if labels and not any(c in str(label) for label in labels.values() for c in SEPARATORS):
            return expression, None
        return expression, expression
    if column.plain:
        # An expression on a sort column costs PostgreSQL a quarter of the export.
        return F(column.path), None
    field = queryset.query.resolve_ref(column.path, allow_joins=True).output_field
    if isinstance(field, models.DateTimeField):
        return LocalTime(F(column.path)), None
    if isinstance(field, models.DecimalField):
        return DecimalText(F(column.path), field.decimal_places, comma=delimiter == ";"), None
    if isinstance(field, CharField | models.TextField):
        text = F(column.path) if field.choices else neutralised(column.path)
        return text, F(column.path)
    return F(column.path), None


def lines(resource: ExportResource, queryset: models.QuerySet, delimiter: str) -> Iterator:
    """The CSV lines of ``queryset`` without a header, written by the database; None on a
    database other than SQLite and PostgreSQL, or if a column's display is Python only
    (see :func:`cell`)."""
    queryset = resource.prepare(queryset)
    connection = connections[queryset.db]
    if connection.vendor not in ("sqlite", "postgresql"):
        return None
    cells = [cell(queryset.all(), column, delimiter) for column in resource.columns()]
    if None in cells:
        return None
    expressions, probes = zip(*cells, strict=True)
    if connection.vendor == "sqlite":
        line = CsvLine(expressions, probes, delimiter)
        sql, params = (
            queryset.annotate(csv_line=line).values_list("csv_line").query.sql_with_params()
        )
        return _joined(connection, sql, params)
    names = {f"cell_{index}": expression for index, expression in enumerate(expressions)}
    sql, params = queryset.annotate(**names).values_list(*names).query.sql_with_params()
    return _copied(connection, sql, params, delimiter)


def _copied(connection, sql: str, params, delimiter: str) -> Iterator[bytes]:
    """PostgreSQL's own CSV of the query, in pieces of about :data:`CHUNK_BYTES`. The COPY
    is started through the connection's execute wrappers, as every query is, and its
    errors are Django's (a lost database is then answered with the 503 page)."""
    statement = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, DELIMITER '{delimiter}')"
    with connection.cursor() as cursor, connection.wrap_database_errors:

        def start(sql, params, many, context):
            return cursor.cursor.copy(sql, params)

        context = {"connection": connection, "cursor": cursor}
        for wrapper in reversed(connection.execute_wrappers):
            start = functools.partial(wrapper, start)
        with start(statement, params, False, context) as copy:
            piece, size = [], 0
            for row in copy:
                piece.append(row)
                size += len(row)
                if size >= CHUNK_BYTES:
                    yield b"".join(piece)
                    piece, size = [], 0
            if piece:
                yield b"".join(piece)


def _joined(connection, sql: str, params) -> Iterator[str]:
    """The query's lines, already written by the database, a chunk at a time."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK_ROWS):
            yield "".join(f"{line}\n" for (line,) in rows)
