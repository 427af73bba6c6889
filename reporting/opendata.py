"""Grants awarded, published as 360Giving open data (SPEC §6).

One list of columns (:data:`COLUMNS`) gives both the CSV column titles of the 360Giving
standard and the place of each value in its JSON package, so the two downloads cannot drift
apart. A grant is a granted dossier with its ministerial decision; recipients are identified
by their Belgian enterprise number as ``BE-BCE_KBO-<10 digits>`` (org-id.guide).

A sole trader is a natural person: their name and enterprise number are personal data, so
their grant names an individual recipient instead (360Giving's ``recipientIndividual``),
identified by the grant's own reference under our prefix and called
:data:`INDIVIDUAL_RECIPIENT`, as the standard's guidance on grants to individuals advises.
"""

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple, TextIO

from django.conf import settings
from django.db import models
from django.db.models.functions import TruncDate

from applications.models import Application
from portal import bce
from portal.exports import neutralise
from portal.models import LegalForm

BELGIAN_ENTERPRISE = "BE-BCE_KBO-"
INDIVIDUAL_RECIPIENT = "Individual Recipient"


def prefix() -> str:
    """The publisher's 360Giving identifier prefix (setting ``OPEN_DATA_PREFIX``)."""
    return settings.OPEN_DATA_PREFIX


class Grant(NamedTuple):
    """One grant awarded, flat, its values in the order of :data:`COLUMNS`."""

    identifier: str
    title: str
    description: str
    currency: str
    amount_awarded: int | float
    award_date: str
    recipient_identifier: str
    recipient_name: str
    individual_identifier: str
    individual_name: str
    funder_identifier: str
    funder_name: str


@dataclass(frozen=True)
class Column:
    """A 360Giving field: its CSV column title, its path in a JSON grant (``org.key`` for the
    first organisation of a list), and whether it holds free text a spreadsheet could run."""

    title: str
    path: str
    text: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("Identifier", "id"),
    Column("Title", "title", text=True),
    Column("Description", "description", text=True),
    Column("Currency", "currency"),
    Column("Amount Awarded", "amountAwarded"),
    Column("Award Date", "awardDate"),
    Column("Recipient Org:Identifier", "recipientOrganization.id"),
    Column("Recipient Org:Name", "recipientOrganization.name", text=True),
    Column("Recipient Ind:Identifier", "recipientIndividual.id"),
    Column("Recipient Ind:Name", "recipientIndividual.name"),
    Column("Funding Org:Identifier", "fundingOrganization.id"),
    Column("Funding Org:Name", "fundingOrganization.name", text=True),
)
assert len(COLUMNS) == len(Grant._fields), "one column per value of a grant"


def recipient_identifier(enterprise_number: str) -> str:
    """``BE-BCE_KBO-0566988259`` for the enterprise number ``0566.988.259``."""
    return BELGIAN_ENTERPRISE + bce.normalise(enterprise_number)


def funder_identifier(identifier: str, programme_slug: str) -> str:
    """The programme's funding body identifier, or one made under our prefix when unknown."""
    return identifier.strip() or f"{prefix()}-{programme_slug}"


def as_number(amount: Decimal) -> int | float:
    """A JSON number for an amount: ``80000`` or ``12500.5``, never a string."""
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def awarded() -> models.QuerySet:
    """The raw values of every granted dossier with a granted decision, by award date
    (Brussels) then reference; one query, however many grants (a page of them for the API)."""
    return (
        Application.objects.filter(
            state=Application.State.GRANTED,
            reference__isnull=False,
            decision__granted=True,
            decision__amount__isnull=False,
        )
        .annotate(award_date=TruncDate("decision__decided_at"))
        .order_by("award_date", "reference")
        .values(
            "reference",
            "project_title",
            "summary",
            "award_date",
            "decision__amount",
            "organisation__enterprise_number",
            "organisation__legal_name",
            "organisation__legal_form",
            "call__programme__slug",
            "call__programme__currency",
            "call__programme__funder_identifier",
            "call__programme__funding_body",
        )
    )


def grants(rows: Iterable[dict[str, Any]] | None = None) -> Iterator[Grant]:
    """Every grant awarded (or those of ``rows``, a slice of :func:`awarded`), ready for
    either format. A missing summary falls back to the title, a missing title to the
    reference: 360Giving requires both. A sole trader's grant has an individual recipient
    and no organisation (see the module's docstring)."""
    for row in awarded().iterator() if rows is None else rows:
        title = row["project_title"].strip() or row["reference"]
        individual = row["organisation__legal_form"] == LegalForm.SOLE_TRADER
        yield Grant(
            identifier=f"{prefix()}-{row['reference']}",
            title=title,
            description=row["summary"].strip() or title,
            currency=row["call__programme__currency"],
            amount_awarded=as_number(row["decision__amount"]),
            award_date=row["award_date"].isoformat(),
            recipient_identifier=""
            if individual
            else recipient_identifier(row["organisation__enterprise_number"]),
            recipient_name="" if individual else row["organisation__legal_name"],
            individual_identifier=f"{prefix()}-IND-{row['reference']}" if individual else "",
            individual_name=INDIVIDUAL_RECIPIENT if individual else "",
            funder_identifier=funder_identifier(
                row["call__programme__funder_identifier"], row["call__programme__slug"]
            ),
            funder_name=row["call__programme__funding_body"],
        )


def as_360giving(grant: Grant) -> dict[str, Any]:
    """A grant as a 360Giving JSON object; organisations are lists of one, and the
    recipient is either an organisation or an individual, never both."""
    record: dict[str, Any] = {}
    for column, value in zip(COLUMNS, grant, strict=True):
        if "." in column.path and not value:
            continue
        if "." in column.path:
            organisation, key = column.path.split(".")
            record.setdefault(organisation, [{}])[0][key] = value
        else:
            record[column.path] = value
    return record


def package() -> dict[str, list[dict[str, Any]]]:
    """The 360Giving JSON package of every grant awarded: ``{"grants": [...]}``."""
    return {"grants": [as_360giving(grant) for grant in grants()]}


def write_csv(out: TextIO) -> None:
    """Every grant awarded as 360Giving CSV into ``out``: the standard's column titles, then
    one row per grant; free text is neutralised, identifiers and numbers stay as they are."""
    writer = csv.writer(out)
    writer.writerow(column.title for column in COLUMNS)
    for grant in grants():
        writer.writerow(
            neutralise(value) if column.text else value
            for column, value in zip(COLUMNS, grant, strict=True)
        )
