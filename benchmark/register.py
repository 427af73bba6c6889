"""A generated extract of the enterprise register at full scale, in the published layout
(docs/enterprise-register.md), for ``manage.py bench_register``.

Written as a stream into a zip file: the generator keeps no row in memory. Its shape follows
the published figures of the open data (about two million active enterprises): one or two
names per enterprise, a registered seat for legal persons, four activities (two NACE
versions, two activity groups), and an establishment for one enterprise in four, whose rows
the import reads and skips. Numbers carry valid check digits (``portal.bce``).
"""

import csv
import io
import zipfile
from pathlib import Path

from portal import bce
from portal.registerimport import LAYOUTS

# The published columns of each file, as the import reads them.
HEADERS = {
    name: LAYOUTS[name].columns for name in ("enterprise", "denomination", "address", "activity")
}
FORMS = ("017", "610", "014", "706", "011")
NACE = ("68202", "82110", "62010", "70220", "94991", "56101", "47190", "43999")
PLACES = (("4000", "Luik", "Liège"), ("5000", "Namen", "Namur"), ("1000", "Brussel", "Bruxelles"))


def number_of(index: int) -> str:
    """The ``index``-th generated enterprise number, dotted as in the files."""
    first_eight = f"{2_000_000 + index * 3:08d}"
    return bce.display(first_eight + bce.check_digits(first_eight))


def establishment_of(index: int) -> str:
    digits = f"{2_000_000_000 + index:010d}"
    return f"{digits[0]}.{digits[1:4]}.{digits[4:7]}.{digits[7:]}"


def _writer(archive: zipfile.ZipFile, name: str):
    handle = io.TextIOWrapper(archive.open(name, "w", force_zip64=True), "utf-8", newline="")
    writer = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
    return handle, writer


def _meta(kind: str, number: int) -> str:
    return (
        '"Variable","Value"\n"SnapshotDate","27-11-2026"\n'
        '"ExtractTimestamp","29-11-2026 07:00:00"\n'
        f'"ExtractType","{kind}"\n"ExtractNumber","{number}"\n"Version","1.0.0"\n'
    )


def _rows(index: int, situation: str = "000"):
    """The rows of the ``index``-th enterprise, by file."""
    number = number_of(index)
    natural = index % 10 == 0
    form = "" if natural else FORMS[index % len(FORMS)]
    yield "enterprise", (number, "AC", situation, "1" if natural else "2", form, "", "01-01-2010")
    yield "denomination", (number, "1", "001", f"Entreprise générée {index}")
    if index % 3 == 0:
        yield "denomination", (number, "1", "003", f"Enseigne {index}")
    postcode, nl, fr = PLACES[index % len(PLACES)]
    if not natural:
        street = ("REGO", "", "", postcode, nl, fr, "Straat", "Rue", str(index % 200), "", "", "")
        yield "address", (number, *street)
    for version in ("2008", "2025"):
        for group in ("001", "006"):
            yield "activity", (number, group, version, NACE[index % len(NACE)], "MAIN")
    if index % 4 == 0:
        establishment = establishment_of(index)
        yield "denomination", (establishment, "1", "003", f"Siège d'exploitation {index}")
        yield (
            "address",
            (establishment, "BAET", "", "", postcode, nl, fr, "Kaai", "Quai", "1", "", "", ""),
        )
        yield "activity", (establishment, "001", "2025", NACE[index % len(NACE)], "MAIN")


def write_full(path: Path, enterprises: int, code_csv: Path, number: int = 300) -> dict:
    """A full extract of ``enterprises`` enterprises at ``path``; rows written per file (a
    zip file is written one member at a time: one pass over the enterprises per file)."""
    counts = dict.fromkeys(HEADERS, 0)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("meta.csv", _meta("full", number))
        archive.write(code_csv, "code.csv")
        for name, header in HEADERS.items():
            handle, writer = _writer(archive, f"{name}.csv")
            writer.writerow(header)
            for index in range(enterprises):
                for kind, row in _rows(index):
                    if kind == name:
                        writer.writerow(row)
                        counts[name] += 1
            handle.close()
    return counts


def write_update(path: Path, enterprises: int, changed: int, code_csv: Path, number: int) -> None:
    """An update of the extract ``write_full`` made: ``changed`` enterprises spread over the
    register change (deleted and inserted again, one in ten bankrupt), as many new ones."""
    step = max(enterprises // changed, 1)
    indexes = [*range(0, enterprises, step)][:changed]
    indexes += range(enterprises, enterprises + changed)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("meta.csv", _meta("update", number))
        archive.write(code_csv, "code.csv")
        for name, header in HEADERS.items():
            handle, writer = _writer(archive, f"{name}_delete.csv")
            writer.writerow(["EnterpriseNumber" if name == "enterprise" else "EntityNumber"])
            for index in indexes:
                if index < enterprises:
                    writer.writerow([number_of(index)])
            handle.close()
            handle, writer = _writer(archive, f"{name}_insert.csv")
            writer.writerow(header)
            for index in indexes:
                situation = "050" if index % 10 == 0 else "000"
                for kind, row in _rows(index, situation):
                    if kind == name:
                        writer.writerow(row)
            handle.close()
