"""Loading the register's open-data extract (``manage.py bce_import``): the monthly full file
or a daily update file, as published by the FPS Economy (docs/enterprise-register.md).

The files are read as streams, row by row, and written in bulk: PostgreSQL's ``COPY`` (the
fastest way in), ``executemany`` in batches elsewhere; memory stays flat whatever the size.
One extract is one transaction: a file that cannot be read, a missing column or more bad
rows than allowed roll everything back, so the register is never half loaded. Bad rows
(a malformed number or date, a missing value, a wrong number of columns) are skipped and
reported with their file and line. Loading the same extract twice gives the same rows:
an update deletes then inserts, as the register's cookbook says; a full file replaces what
it lists and marks the enterprises it no longer lists as gone (``left_register_on``).
"""

import csv
import datetime as dt
import io
import re
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.db import connection, transaction

from portal.registermodels import (
    Activity,
    Denomination,
    Enterprise,
    EnterpriseAddress,
    RegisterCode,
    RegisterExtract,
)

ENTERPRISE_NUMBER = re.compile(r"^[01]\d{3}\.\d{3}\.\d{3}$")
ESTABLISHMENT_NUMBER = re.compile(r"^\d\.\d{3}\.\d{3}\.\d{3}$")
BATCH = 5_000


class ExtractError(Exception):
    """The extract cannot be loaded; nothing was written."""


@dataclass
class BadRow:
    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


@dataclass
class Result:
    number: int
    kind: str
    snapshot_date: dt.date
    counts: dict[str, int] = field(default_factory=dict)
    bad_rows: list[BadRow] = field(default_factory=list)
    bad_row_count: int = 0


class RowError(ValueError):
    pass


# --- Reading values ---------------------------------------------------------------------


def _number(value: str) -> str | None:
    """An enterprise number as stored (ten digits); None for an establishment's number
    (rows about establishments are not kept); RowError otherwise."""
    if ENTERPRISE_NUMBER.match(value):
        return value.replace(".", "")
    if ESTABLISHMENT_NUMBER.match(value):
        return None
    raise RowError(f"not an enterprise number: {value!r}")


def _date(value: str, required: bool = False) -> str | None:
    """A dd-mm-yyyy date as ISO text (what both databases read into a date column)."""
    if not value:
        if required:
            raise RowError("missing date")
        return None
    try:
        return dt.datetime.strptime(value, "%d-%m-%Y").date().isoformat()
    except ValueError:
        raise RowError(f"not a dd-mm-yyyy date: {value!r}") from None


def _text(value: str, size: int, name: str, required: bool = False) -> str:
    if required and not value:
        raise RowError(f"missing {name}")
    if len(value) > size:
        raise RowError(f"{name} longer than {size} characters")
    return value


# --- The files --------------------------------------------------------------------------


@dataclass
class Layout:
    """A file of the extract: its columns as published, the table it fills and how a row
    becomes the table's values (None: a row to skip, such as an establishment's)."""

    name: str
    columns: tuple[str, ...]
    table: str
    fields: tuple[str, ...]
    convert: Callable[[dict[str, str]], tuple | None]


def _enterprise(row):
    number = _number(row["EnterpriseNumber"])
    if number is None:
        raise RowError("an establishment number in enterprise.csv")
    return (
        number,
        _text(row["Status"], 2, "status", required=True),
        _text(row["JuridicalSituation"], 3, "juridical situation", required=True),
        _text(row["TypeOfEnterprise"], 1, "type of enterprise", required=True),
        _text(row["JuridicalForm"], 3, "legal form"),
        _text(row["JuridicalFormCAC"], 3, "legal form (CAC)"),
        _date(row["StartDate"]),
    )


def _denomination(row):
    number = _number(row["EntityNumber"])
    if number is None:
        return None
    return (
        number,
        _text(row["Language"], 1, "language", required=True),
        _text(row["TypeOfDenomination"], 3, "type of name", required=True),
        _text(row["Denomination"], 320, "name", required=True),
    )


def _address(row):
    number = _number(row["EntityNumber"])
    if number is None:
        return None
    return (
        number,
        _text(row["TypeOfAddress"], 4, "type of address", required=True),
        _text(row["CountryNL"], 100, "country"),
        _text(row["CountryFR"], 100, "country"),
        _text(row["Zipcode"], 20, "postcode"),
        _text(row["MunicipalityNL"], 200, "municipality"),
        _text(row["MunicipalityFR"], 200, "municipality"),
        _text(row["StreetNL"], 200, "street"),
        _text(row["StreetFR"], 200, "street"),
        _text(row["HouseNumber"], 22, "house number"),
        _text(row["Box"], 20, "box"),
        _text(row["ExtraAddressInfo"], 80, "extra address information"),
        _date(row["DateStrikingOff"]),
    )


def _activity(row):
    number = _number(row["EntityNumber"])
    if number is None:
        return None
    return (
        number,
        _text(row["ActivityGroup"], 3, "activity group", required=True),
        _text(row["NaceVersion"], 4, "NACE version", required=True),
        _text(row["NaceCode"], 8, "NACE code", required=True),
        _text(row["Classification"], 4, "classification", required=True),
    )


def _code(row):
    return (
        _text(row["Category"], 40, "category", required=True),
        _text(row["Code"], 20, "code", required=True),
        _text(row["Language"], 2, "language", required=True),
        row["Description"],
    )


def _table(model) -> str:
    return model._meta.db_table


LAYOUTS = {
    "enterprise": Layout(
        "enterprise",
        (
            "EnterpriseNumber",
            "Status",
            "JuridicalSituation",
            "TypeOfEnterprise",
            "JuridicalForm",
            "JuridicalFormCAC",
            "StartDate",
        ),
        _table(Enterprise),
        (
            "number",
            "status",
            "juridical_situation",
            "type_of_enterprise",
            "juridical_form",
            "juridical_form_cac",
            "start_date",
        ),
        _enterprise,
    ),
    "denomination": Layout(
        "denomination",
        ("EntityNumber", "Language", "TypeOfDenomination", "Denomination"),
        _table(Denomination),
        ("number", "language", "type", "name"),
        _denomination,
    ),
    "address": Layout(
        "address",
        (
            "EntityNumber",
            "TypeOfAddress",
            "CountryNL",
            "CountryFR",
            "Zipcode",
            "MunicipalityNL",
            "MunicipalityFR",
            "StreetNL",
            "StreetFR",
            "HouseNumber",
            "Box",
            "ExtraAddressInfo",
            "DateStrikingOff",
        ),
        _table(EnterpriseAddress),
        (
            "number",
            "type",
            "country_nl",
            "country_fr",
            "zipcode",
            "municipality_nl",
            "municipality_fr",
            "street_nl",
            "street_fr",
            "house_number",
            "box",
            "extra",
            "struck_off_on",
        ),
        _address,
    ),
    "activity": Layout(
        "activity",
        ("EntityNumber", "ActivityGroup", "NaceVersion", "NaceCode", "Classification"),
        _table(Activity),
        ("number", "activity_group", "nace_version", "nace_code", "classification"),
        _activity,
    ),
    "code": Layout(
        "code",
        ("Category", "Code", "Language", "Description"),
        "register_s_code",
        ("category", "code", "language", "description"),
        _code,
    ),
}
CHILDREN = ("denomination", "address", "activity")
# The column that names the rows to delete, in each ``<file>_delete.csv``.
DELETE_COLUMN = {"enterprise": "EnterpriseNumber"}


# --- The extract on disk ----------------------------------------------------------------


class Extract:
    """The extract's files, in a zip file or a folder, by lower-case name (the register
    once published ``contact_insert.Csv``)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        if self.path.is_dir():
            self.zip = None
            self.members = {p.name.lower(): p for p in self.path.iterdir() if p.is_file()}
        elif zipfile.is_zipfile(self.path):
            self.zip = zipfile.ZipFile(self.path)
            self.members = {
                Path(info.filename).name.lower(): info
                for info in self.zip.infolist()
                if not info.is_dir()
            }
        else:
            raise ExtractError(f"{self.path}: neither a zip file nor a folder")

    def has(self, name: str) -> bool:
        return name in self.members

    def size(self, name: str) -> int:
        member = self.members[name]
        return member.file_size if self.zip else member.stat().st_size

    def open(self, name: str) -> IO[bytes]:
        member = self.members[name]
        return self.zip.open(member) if self.zip else member.open("rb")

    def close(self) -> None:
        if self.zip:
            self.zip.close()


class Progress:
    """A progress bar on stderr (bytes read of the file): no dependency, redrawn at most
    five times a second, silent when ``stream`` is None."""

    def __init__(self, stream: IO[str] | None):
        self.stream = stream
        self.shown = 0.0

    def update(self, name: str, done: int, total: int, rows: int, final: bool = False) -> None:
        if self.stream is None or (not final and time.monotonic() - self.shown < 0.2):
            return
        self.shown = time.monotonic()
        share = done / total if total else 1.0
        bar = "#" * int(share * 30)
        self.stream.write(f"\r{name:<28} [{bar:<30}] {share:6.1%} {rows:>11,} rows")
        if final:
            self.stream.write("\n")
        self.stream.flush()


class _Counting(io.RawIOBase):
    """A binary stream that counts the bytes read through it, for the progress bar."""

    def __init__(self, raw: IO[bytes]):
        self.raw, self.read_bytes = raw, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.raw.read(len(buffer))
        buffer[: len(data)] = data
        self.read_bytes += len(data)
        return len(data)


# --- Loading ----------------------------------------------------------------------------


def read_meta(extract: Extract) -> dict[str, str]:
    if not extract.has("meta.csv"):
        raise ExtractError("meta.csv is missing: is this an extract of the register?")
    with extract.open("meta.csv") as raw:
        rows = csv.reader(io.TextIOWrapper(raw, encoding="utf-8-sig", newline=""))
        meta = {row[0]: row[1] for row in rows if len(row) >= 2}
    try:
        meta["ExtractType"] = meta["ExtractType"].strip().lower()
        int(meta["ExtractNumber"])
        dt.datetime.strptime(meta["SnapshotDate"], "%d-%m-%Y")
    except (KeyError, ValueError):
        raise ExtractError(
            "meta.csv lacks a valid ExtractType, ExtractNumber or SnapshotDate"
        ) from None
    if meta["ExtractType"] not in ("full", "update"):
        raise ExtractError(f"meta.csv: unknown ExtractType {meta['ExtractType']!r}")
    return meta


class Loader:
    """One extract loaded in one transaction (``load``)."""

    def __init__(self, extract: Extract, *, max_bad_rows: int, progress: Progress):
        self.extract = extract
        self.max_bad_rows = max_bad_rows
        self.progress = progress
        self.bad_rows: list[BadRow] = []
        self.bad_row_count = 0
        self.postgres = connection.vendor == "postgresql"

    # Reading ----------------------------------------------------------------------------

    def rows(self, filename: str, layout: Layout, with_line: bool = False) -> Iterator[tuple]:
        """The converted rows of ``filename``; bad rows are recorded and skipped. With
        ``with_line``, each row ends with its line number (to name duplicates)."""
        total = self.extract.size(filename)
        with self.extract.open(filename) as raw:
            counting = _Counting(raw)
            text = io.TextIOWrapper(
                io.BufferedReader(counting, 1 << 20), encoding="utf-8-sig", newline=""
            )
            reader = csv.reader(text)
            header = next(reader, None)
            if header is None:
                raise ExtractError(f"{filename} is empty: it has no header line")
            header = [name.strip() for name in header]
            missing = [name for name in layout.columns if name not in header]
            if missing:
                raise ExtractError(f"{filename}: columns missing: {', '.join(missing)}")
            width = len(header)
            count = 0
            for values in reader:
                if not values:
                    continue
                if len(values) != width:
                    self.bad(filename, reader.line_num, f"{len(values)} values, not {width}")
                    continue
                try:
                    converted = layout.convert(dict(zip(header, values, strict=True)))
                except RowError as error:
                    self.bad(filename, reader.line_num, str(error))
                    continue
                if converted is None:
                    continue
                count += 1
                if count % 10_000 == 0:
                    self.progress.update(filename, counting.read_bytes, total, count)
                yield (*converted, str(reader.line_num)) if with_line else converted
            self.progress.update(filename, total, total, count, final=True)

    def numbers(self, filename: str, column: str) -> Iterator[tuple]:
        layout = Layout(filename, (column,), "", ("number",), lambda row: _delete(row, column))
        return self.rows(filename, layout)

    def bad(self, filename: str, line: int, reason: str) -> None:
        self.bad_row_count += 1
        if len(self.bad_rows) < 1000:
            self.bad_rows.append(BadRow(filename, line, reason))
        if self.bad_row_count > self.max_bad_rows:
            raise ExtractError(
                f"more than {self.max_bad_rows} bad rows (the last: {filename}, line {line}: "
                f"{reason}): nothing was loaded"
            )

    # Writing ----------------------------------------------------------------------------

    def execute(self, sql: str, params=()) -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount

    def write(self, table: str, fields: tuple[str, ...], rows: Iterator[tuple]) -> int:
        """Write ``rows`` into ``table`` in bulk; the number written."""
        quote = connection.ops.quote_name
        columns = ", ".join(quote(name) for name in fields)
        count = 0
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        count += 1
                return count
            marks = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {quote(table)} ({columns}) VALUES ({marks})"
            batch = []
            for row in rows:
                batch.append(row)
                if len(batch) >= BATCH:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
        return count

    def analyze(self, *tables: str) -> None:
        """Fresh statistics on PostgreSQL (autovacuum comes later): without them, the
        planner scans millions of rows to delete a few thousand."""
        if self.postgres:
            for table in tables:
                self.execute(f"ANALYZE {table}")

    def staging(self, name: str, fields: tuple[str, ...]) -> str:
        """A temporary table of text columns (a date column is read as text too)."""
        table = f"register_s_{name}"
        self.execute(f"DROP TABLE IF EXISTS {table}")
        columns = ", ".join(f"{field} varchar(400)" for field in fields)
        self.execute(f"CREATE TEMPORARY TABLE {table} ({columns})")
        return table

    # The extract ------------------------------------------------------------------------

    def load(self, meta: dict[str, str]) -> dict[str, int]:
        full = meta["ExtractType"] == "full"
        snapshot = dt.datetime.strptime(meta["SnapshotDate"], "%d-%m-%Y").date()
        counts: dict[str, int] = {}
        counts.update(self.load_codes())
        counts.update(self.load_enterprises(full, snapshot))
        for kind in CHILDREN:
            counts.update(self.load_children(kind, full))
        if full:
            self.analyze(
                *(
                    _table(model)
                    for model in (Enterprise, Denomination, EnterpriseAddress, Activity)
                )
            )
        # The staging tables go with the transaction when it fails, here when it succeeds.
        staged = [f"{kind}_{part}" for kind in CHILDREN for part in ("gone", "new")]
        for table in ("code", "enterprise", "gone", *staged):
            self.execute(f"DROP TABLE IF EXISTS register_s_{table}")
        return counts

    def load_codes(self) -> dict[str, int]:
        """code.csv, in full in both kinds of extract, replaces the codes."""
        if not self.extract.has("code.csv"):
            return {}
        layout = LAYOUTS["code"]
        staging = self.staging("code", layout.fields)
        written = self.write(staging, layout.fields, self.rows("code.csv", layout))
        table = _table(RegisterCode)
        self.execute(f"DELETE FROM {table}")
        # The same code twice in a language keeps one description.
        self.execute(
            f"INSERT INTO {table} (category, code, language, description) "
            f"SELECT category, code, language, MAX(description) FROM {staging} "
            "GROUP BY category, code, language"
        )
        return {"code.csv": written}

    def load_enterprises(self, full: bool, snapshot: dt.date) -> dict[str, int]:
        layout = LAYOUTS["enterprise"]
        name = "enterprise.csv" if full else "enterprise_insert.csv"
        staging = self.staging("enterprise", (*layout.fields, "line"))
        gone = self.staging("gone", ("number",))
        counts = {}
        if self.extract.has(name):
            counts[name] = self.write(
                staging, (*layout.fields, "line"), self.rows(name, layout, with_line=True)
            )
        elif full:
            raise ExtractError("enterprise.csv is missing from the full extract")
        if not full and self.extract.has("enterprise_delete.csv"):
            counts["enterprise_delete.csv"] = self.write(
                gone, ("number",), self.numbers("enterprise_delete.csv", "EnterpriseNumber")
            )
        self.execute(f"CREATE INDEX {staging}_number ON {staging} (number)")
        self.analyze(staging, gone)
        self.report_duplicates(staging, name)
        table = _table(Enterprise)
        fields = [f for f in layout.fields if f != "number"]
        updates = ", ".join(f"{f} = excluded.{f}" for f in fields)
        start = "CAST(start_date AS date)" if self.postgres else "start_date"
        selected = ", ".join(layout.fields[:-1])
        self.execute(
            f"INSERT INTO {table} ({', '.join(layout.fields)}, left_register_on) "
            f"SELECT {selected}, {start}, NULL FROM {staging} WHERE true "
            f"ON CONFLICT (number) DO UPDATE SET {updates}, left_register_on = NULL"
        )
        # The open data lists active enterprises only: one that is no longer listed (absent
        # from a full file, deleted and not inserted again by an update) has stopped.
        if full:
            absent = f"NOT EXISTS (SELECT 1 FROM {staging} s WHERE s.number = {table}.number)"
        else:
            absent = (
                f"number IN (SELECT number FROM {gone}) AND NOT EXISTS "
                f"(SELECT 1 FROM {staging} s WHERE s.number = {table}.number)"
            )
        counts["left the register"] = self.execute(
            f"UPDATE {table} SET left_register_on = %s WHERE left_register_on IS NULL AND {absent}",
            [snapshot],
        )
        return counts

    def report_duplicates(self, staging: str, filename: str) -> None:
        """An enterprise listed twice: the later lines are bad rows, the first one stays."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT s.line FROM {staging} s WHERE EXISTS (SELECT 1 FROM {staging} t "
                "WHERE t.number = s.number AND CAST(t.line AS integer) < CAST(s.line AS integer))"
            )
            lines = [int(line) for (line,) in cursor.fetchall()]
        for line in lines:
            self.bad(filename, line, "enterprise listed twice (the first line is kept)")
        if lines:
            self.execute(
                f"DELETE FROM {staging} WHERE EXISTS (SELECT 1 FROM {staging} t WHERE "
                f"t.number = {staging}.number AND "
                f"CAST(t.line AS integer) < CAST({staging}.line AS integer))"
            )

    def load_children(self, kind: str, full: bool) -> dict[str, int]:
        """Names, addresses or activities: the rows of the enterprises the file lists are
        replaced (full file), or those of the delete file deleted first (update)."""
        layout = LAYOUTS[kind]
        table = layout.table
        gone = self.staging(f"{kind}_gone", ("number",))
        counts = {}
        if full:
            name = f"{kind}.csv"
            if not self.extract.has(name):
                return counts
            # Every row of an enterprise the file lists goes, and any row left without its
            # enterprise: loading the same file twice gives the same rows.
            # Two statements, each a join the database plans well (an OR would not be).
            self.execute(
                f"DELETE FROM {table} WHERE number IN (SELECT number FROM register_s_enterprise)"
            )
            self.execute(
                f"DELETE FROM {table} WHERE NOT EXISTS (SELECT 1 FROM {_table(Enterprise)} e "
                f"WHERE e.number = {table}.number)"
            )
        else:
            # An update deletes the rows of the enterprises its delete file lists, and those
            # of the enterprises its insert file lists (applying it twice changes nothing).
            name = f"{kind}_insert.csv"
            deletes = f"{kind}_delete.csv"
            if self.extract.has(deletes):
                counts[deletes] = self.write(
                    gone, ("number",), self.numbers(deletes, "EntityNumber")
                )
            new = self.staging(f"{kind}_new", layout.fields)
            if self.extract.has(name):
                counts[name] = self.write(new, layout.fields, self.rows(name, layout))
            self.analyze(gone, new)
            for staged in (gone, new):
                self.execute(f"DELETE FROM {table} WHERE number IN (SELECT number FROM {staged})")
            columns = ", ".join(layout.fields)
            selected = columns
            if self.postgres and "struck_off_on" in layout.fields:
                selected = selected.replace("struck_off_on", "CAST(struck_off_on AS date)")
            self.execute(f"INSERT INTO {table} ({columns}) SELECT {selected} FROM {new}")
            return counts
        counts[name] = self.write(table, layout.fields, self.rows(name, layout))
        return counts


def _delete(row: dict[str, str], column: str) -> tuple | None:
    number = _number(row[column])
    return None if number is None else (number,)


def check_sequence(meta: dict[str, str], force: bool) -> None:
    """An update follows the extract loaded last (or repeats it); nothing goes backwards."""
    number = int(meta["ExtractNumber"])
    last = RegisterExtract.objects.first()
    if meta["ExtractType"] == "update" and last is None:
        raise ExtractError("No extract is loaded yet: load a full extract first.")
    if force or last is None:
        return
    if number < last.number:
        raise ExtractError(
            f"Extract {number} is older than extract {last.number}, already loaded "
            "(--force to load it anyway)."
        )
    if meta["ExtractType"] == "update" and number > last.number + 1:
        raise ExtractError(
            f"Update {number} does not follow extract {last.number}: load the updates "
            f"{last.number + 1} to {number - 1} first (--force to load it anyway)."
        )


def import_extract(
    path: Path | str,
    *,
    max_bad_rows: int = 100,
    force: bool = False,
    progress: IO[str] | None = None,
) -> Result:
    """Load the extract at ``path`` (a zip file or its unzipped folder) in one transaction;
    full or update as its meta.csv says. Raises ExtractError, and writes nothing, when it
    cannot be loaded."""
    extract = Extract(Path(path))
    try:
        meta = read_meta(extract)
        check_sequence(meta, force)
        loader = Loader(extract, max_bad_rows=max_bad_rows, progress=Progress(progress))
        with transaction.atomic():
            counts = loader.load(meta)
            snapshot = dt.datetime.strptime(meta["SnapshotDate"], "%d-%m-%Y").date()
            RegisterExtract.objects.update_or_create(
                number=int(meta["ExtractNumber"]),
                kind=meta["ExtractType"],
                defaults={
                    "snapshot_date": snapshot,
                    "extracted_at": meta.get("ExtractTimestamp", "")[:40],
                    "version": meta.get("Version", "")[:20],
                    "counts": counts,
                },
            )
    finally:
        extract.close()
    return Result(
        number=int(meta["ExtractNumber"]),
        kind=meta["ExtractType"],
        snapshot_date=snapshot,
        counts=counts,
        bad_rows=loader.bad_rows,
        bad_row_count=loader.bad_row_count,
    )


def default_progress() -> IO[str] | None:
    """stderr when it is a terminal (no bar in logs and cron mails)."""
    return sys.stderr if sys.stderr.isatty() else None
