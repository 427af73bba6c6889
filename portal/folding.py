"""Place names compared as people type them: "liege" is Liège, "braine l'alleud" is
Braine-l'Alleud.

One rule, written twice because it runs on both sides of a comparison: what a person typed
is folded in Python by :func:`fold`; a column is folded in SQL by :func:`folded`. Both take
the accents off (PostgreSQL's ``unaccent`` extension, installed by ``labels`` migration 0004;
on SQLite the same-named function registered by :func:`add_sqlite_unaccent`, which is
:func:`strip_accents`), lower the case and read hyphens and apostrophes as spaces.
``tests/labels/test_directory.py`` compares the database's folding with :func:`fold` on every
locality of bpost's list.

Both trim the ends ("'s Gravenwezel" is "s gravenwezel") and write one space between words
("Sint-Job-in-'t-Goor" is "sint job in t goor"): :func:`fold` whatever the run of spaces a
person typed, SQL for runs of up to four, enough for names as they are stored (bpost's
spelling, checked by the forms).
"""

import unicodedata

from django.db import models
from django.db.models.functions import Lower, Replace, Trim

# What PostgreSQL's unaccent rules rewrite beyond "a letter and its accents": letters that
# decompose into no base letter (ligatures, ß, Ø) and typographic apostrophes.
_UNACCENT_EXTRAS = str.maketrans(
    {
        "Œ": "OE",
        "œ": "oe",
        "Æ": "AE",
        "æ": "ae",
        "ß": "ss",
        "Ø": "O",
        "ø": "o",
        "\u2018": "'",
        "\u2019": "'",
    }
)
# Read as a space, so that "Braine-l'Alleud", "Braine l'Alleud" and "braine l alleud" meet.
_SEPARATORS = ("-", "'")


def strip_accents(value: str | None) -> str | None:
    """``value`` without accents, as PostgreSQL's ``unaccent`` writes it (SQLite's UNACCENT)."""
    if value is None:
        return None
    decomposed = unicodedata.normalize("NFKD", value.translate(_UNACCENT_EXTRAS))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def fold(value: str | None) -> str:
    """What a person typed, as :func:`folded` reads a column: no accents, lower case,
    hyphens and apostrophes as spaces, one space between words."""
    folded_value = strip_accents(value or "").lower()
    for separator in _SEPARATORS:
        folded_value = folded_value.replace(separator, " ")
    return " ".join(folded_value.split())


class Unaccent(models.Func):
    function = "UNACCENT"
    output_field = models.CharField()


def folded(field: str | models.Expression) -> models.Func:
    """SQL: the column ``field`` (or an expression) folded as :func:`fold` folds typed text."""
    expression = Lower(Unaccent(models.F(field) if isinstance(field, str) else field))
    for separator in _SEPARATORS:
        expression = Replace(expression, models.Value(separator), models.Value(" "))
    # "Sint-Job-in-'t-Goor": two separators in a row leave two spaces; twice covers up to four.
    for _pass in range(2):
        expression = Replace(expression, models.Value("  "), models.Value(" "))
    return Trim(expression)


def add_sqlite_unaccent(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: SQLite's ``UNACCENT``."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("unaccent", 1, strip_accents, deterministic=True)
