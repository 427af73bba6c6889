"""Belgian postcodes and the province each one belongs to."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


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


def validate_postcode(value: str) -> None:
    if not (len(value) == 4 and value.isdigit() and value[0] != "0"):
        raise ValidationError(
            _("A Belgian postcode has four digits, from 1000 to 9999."), code="postcode"
        )


def province_for(postcode: str) -> str:
    """The province code of a valid Belgian postcode."""
    validate_postcode(postcode)
    number = int(postcode)
    for first, last, province in _RANGES:
        if first <= number <= last:
            return province
    raise AssertionError(f"postcode {postcode} falls in no range")  # pragma: no cover
