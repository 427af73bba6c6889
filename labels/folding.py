"""Accent- and case-insensitive matching for the directory ("liege" finds Liège).

Both sides are folded: the column in SQL with ``UNACCENT`` — PostgreSQL's ``unaccent``
extension (installed by migration ``0004``), on SQLite a Python function registered on each
connection — then ``LOWER``; what the visitor typed by :func:`fold`, the same rule in Python.
The SQLite function *is* :func:`strip_accents`, and a test compares PostgreSQL's with it.
"""

import unicodedata

from django.db import models
from django.db.models.functions import Lower

# Letters that decompose into no base letter + accent, as PostgreSQL's unaccent rules write them.
LIGATURES = str.maketrans(
    {"Œ": "OE", "œ": "oe", "Æ": "AE", "æ": "ae", "ß": "ss", "Ø": "O", "ø": "o"}
)


def strip_accents(value: str | None) -> str | None:
    if value is None:
        return None
    decomposed = unicodedata.normalize("NFKD", value.translate(LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def fold(value: str) -> str:
    """What a visitor typed, as the folded column reads: without accents, in lower case."""
    return strip_accents(value).lower()


class Unaccent(models.Func):
    function = "UNACCENT"
    output_field = models.CharField()


def folded(field: str) -> Lower:
    """SQL: ``field`` without accents, in lower case (compare with :func:`fold`)."""
    return Lower(Unaccent(models.F(field)))


def add_sqlite_unaccent(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: SQLite's ``UNACCENT``."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("unaccent", 1, strip_accents, deterministic=True)
