"""Belgian postcodes, the localities each one serves and the province it belongs to.

The postcodes that exist come from bpost's list, kept as data in ``portal/data/`` (see its
README): a postcode is accepted only if bpost knows it, and the municipality typed must be one
of its localities, whatever its accents, case, hyphens and apostrophes (``portal.folding``,
the rule the directory's search follows too). The province follows from the postcode's range,
so records imported from before a postcode was listed still get one.
"""

import csv
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.folding import fold


class Province(models.TextChoices):
    BRUSSELS = "BRU", _("Brussels-Capital Region")
    WALLOON_BRABANT = "WBR", _("Walloon Brabant")
    HAINAUT = "HAI", _("Hainaut")
    LIEGE = "LIE", _("Liège")
    LUXEMBOURG = "LUX", _("Luxembourg")
    NAMUR = "NAM", _("Namur")
    FLEMISH_BRABANT = "VBR", _("Flemish Brabant")
    ANTWERP = "ANT", _("Antwerp")
    LIMBURG = "LIM", _("Limburg")
    EAST_FLANDERS = "OVL", _("East Flanders")
    WEST_FLANDERS = "WVL", _("West Flanders")


WALLOON_PROVINCES = (
    Province.WALLOON_BRABANT,
    Province.HAINAUT,
    Province.LIEGE,
    Province.LUXEMBOURG,
    Province.NAMUR,
)

# (first postcode, last postcode, province), as bpost allocates them.
_RANGES = (
    (1000, 1299, Province.BRUSSELS),
    (1300, 1499, Province.WALLOON_BRABANT),
    (1500, 1999, Province.FLEMISH_BRABANT),
    (2000, 2999, Province.ANTWERP),
    (3000, 3499, Province.FLEMISH_BRABANT),
    (3500, 3999, Province.LIMBURG),
    (4000, 4999, Province.LIEGE),
    (5000, 5999, Province.NAMUR),
    (6000, 6599, Province.HAINAUT),
    (6600, 6999, Province.LUXEMBOURG),
    (7000, 7999, Province.HAINAUT),
    (8000, 8999, Province.WEST_FLANDERS),
    (9000, 9999, Province.EAST_FLANDERS),
)


POSTCODES_FILE = Path(__file__).resolve().parent / "data" / "belgian-postcodes.csv"


@cache
def _localities() -> dict[str, tuple[str, ...]]:
    """bpost's list: postcode → the localities it serves, in alphabetical order."""
    served: dict[str, list[str]] = {}
    with POSTCODES_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            served.setdefault(row["postcode"], []).append(row["locality"])
    return {code: tuple(sorted(names, key=fold)) for code, names in served.items()}


def localities(postcode: str) -> tuple[str, ...]:
    """The localities bpost serves under ``postcode`` (empty for an unknown postcode)."""
    return _localities().get((postcode or "").strip(), ())


def locality_named(postcode: str, typed: str) -> str | None:
    """bpost's spelling of the locality ``typed`` under ``postcode``, or None if it has none."""
    wanted = fold(typed)
    return next((name for name in localities(postcode) if fold(name) == wanted), None)


def _validate_format(value: str) -> None:
    if not (len(value) == 4 and value.isdigit() and value[0] != "0"):
        raise ValidationError(
            _("A Belgian postcode has four digits, from 1000 to 9999."), code="postcode"
        )


def validate_postcode(value: str) -> None:
    """Model and form validator: four digits that bpost uses as a postcode."""
    _validate_format(value)
    if not localities(value):
        raise ValidationError(
            _("The postcode %(postcode)s does not exist in Belgium."),
            code="postcode_unknown",
            params={"postcode": value},
        )


def province_for(postcode: str) -> str:
    """The province code of a Belgian postcode (from its range: four digits suffice)."""
    _validate_format(postcode)
    number = int(postcode)
    for first, last, province in _RANGES:
        if first <= number <= last:
            return province
    raise AssertionError(f"postcode {postcode} falls in no range")  # pragma: no cover
