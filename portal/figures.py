"""Numbers, amounts and rates written for the language of the reader, the same on pages,
in PDFs and in letters."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats
from django.utils.translation import get_language


def _language() -> str:
    return (get_language() or "fr").split("-")[0]


def _percent(figure: str) -> str:
    """English and Dutch write "44.4%" / "44,4%"; French and German "44,4 %"."""
    return f"{figure}%" if _language() in ("en", "nl") else f"{figure}\u00a0%"


def number(value, decimals: int | None = None) -> str:
    """A number for the active language (``1 234,5`` in French), or a dash when missing."""
    if value is None:
        return "—"
    return formats.number_format(value, decimals, use_l10n=True, force_grouping=True)


def exact(value) -> str:
    """A number as given, without trailing zeros: ``33,33``, ``20`` (not ``20,00``)."""
    if value is None or value == "":
        return "—"
    value = Decimal(str(value))
    return number(value.to_integral() if value == value.to_integral() else value.normalize())


def share(value) -> str:
    """A percentage as given (a limit, an answer): ``33,33 %`` or ``33.33%``."""
    if value is None or value == "":
        return "—"
    return _percent(exact(value))


def days(value) -> str:
    """A number of days, whole: a median of 435.9 days reads "436"."""
    if value is None:
        return "—"
    return number(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def euros(value, decimals: int = 2) -> str:
    """An amount in euros for the active language: ``1 234,00 €`` (French), ``1.234,00 €``
    (German), ``€ 1.234,00`` (Dutch) or ``€1,234.00`` (English)."""
    if value is None:
        return "—"
    amount = number(value, decimals)
    return {"en": f"€{amount}", "nl": f"€\u00a0{amount}"}.get(_language(), f"{amount}\u00a0€")


def percent(value) -> str:
    """A rate in percent for the active language: ``44,4 %`` or ``44.4%``."""
    if value is None:
        return "—"
    return _percent(number(value, 1))
