"""Helpers shared by every export (CSV, XLSX, ODS, JSON)."""

import tablib

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulae(dataset: tablib.Dataset) -> tablib.Dataset:
    """Prefix text cells that a spreadsheet would run as a formula with an apostrophe.

    User text such as ``=HYPERLINK(…)`` must reach staff as text, never as a formula
    (OWASP "CSV injection"). Numbers and dates keep their type.
    """
    rows = [
        tuple(
            f"'{cell}" if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell
            for cell in row
        )
        for row in dataset
    ]
    neutralised = tablib.Dataset(*rows, headers=dataset.headers, title=dataset.title)
    return neutralised
