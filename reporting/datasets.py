"""The labels directory and the programme statistics, published as open data (issue 22).

Both hold public facts only. The labels directory is what the public directory and the
verification page already show of a label — its number, the space's name, municipality and
province, the programme, its validity and its standing — never the street, the holder's name,
email or phone (a sole trader's address is a private address). A sole trader's space is
named after them until they name it otherwise (``issue_label`` copies the organisation's
name): such a name is the person's and is left empty. The statistics are counts and
sums per programme, year and province, computed in SQL.

- **year**: a dossier counts in the year of its first submission (Brussels time), as on the
  statistics page (``reporting.statistics``); a label counts in every year in which it was in
  force at least one day: issued on or before 31 December, valid until 1 January or later,
  not revoked before the year began, not replaced by its renewal before it began (a
  suspension does not interrupt it);
- **province**: the space's, as the statistics page counts it; published with its ISO
  3166-2 code so that other data can be joined to it.
"""

import csv
import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, TextIO

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from applications.models import Application, Programme
from labels.models import Label
from portal.exports import neutralise
from portal.folding import fold
from portal.models import LegalForm, StateChange
from portal.postcodes import Province
from reporting.opendata import as_number

# ISO 3166-2:BE codes of our province codes.
ISO_PROVINCES = {
    Province.BRUSSELS: "BE-BRU",
    Province.WALLOON_BRABANT: "BE-WBR",
    Province.HAINAUT: "BE-WHT",
    Province.LIEGE: "BE-WLG",
    Province.LUXEMBOURG: "BE-WLX",
    Province.NAMUR: "BE-WNA",
    Province.FLEMISH_BRABANT: "BE-VBR",
    Province.ANTWERP: "BE-VAN",
    Province.LIMBURG: "BE-VLI",
    Province.EAST_FLANDERS: "BE-VOV",
    Province.WEST_FLANDERS: "BE-VWV",
}

LABEL_FIELDS = (
    "number",
    "space_name",
    "municipality",
    "province",
    "programme",
    "programme_name",
    "valid_from",
    "valid_until",
    "standing",
)
# Free text a holder typed, which a spreadsheet could run.
LABEL_TEXT = {"space_name", "municipality", "programme_name"}

STATISTICS_FIELDS = (
    "programme",
    "programme_name",
    "year",
    "province",
    "applications_submitted",
    "applications_granted",
    "amount_granted",
    "labels_active",
)


def iso_province(code: str) -> str:
    """``BE-WNA`` for Namur; empty when the province is unknown (no postcode yet)."""
    return ISO_PROVINCES.get(code, "")


# Labels directory ------------------------------------------------------------------------------


def label_rows() -> Iterator[dict[str, Any]]:
    """Every label ever issued, by number, with its standing as a visitor reads it (a label
    past its validity reads "expired" before the daily job marks it: ``Label.lapsed``, the
    SQL twin of ``Label.effective_state``). One query, however many labels."""
    lapsed = Label.objects.lapsed().filter(pk=OuterRef("pk"))
    rows = (
        Label.objects.annotate(
            lapsed=Exists(lapsed),
            programme_slug=F("programme__slug"),
            programme_title=F("programme__name_fr"),
            sole_trader=Q(organisation__legal_form=LegalForm.SOLE_TRADER),
        )
        .order_by("number")
        .values(
            "number",
            "space_name",
            "municipality",
            "province",
            "programme_slug",
            "programme_title",
            "issued_on",
            "valid_until",
            "state",
            "lapsed",
            "sole_trader",
            "organisation__legal_name",
        )
    )
    for row in rows.iterator():
        space_name = row["space_name"]
        if row["sole_trader"] and fold(space_name) == fold(row["organisation__legal_name"]):
            space_name = ""
        yield {
            "number": row["number"],
            "space_name": space_name,
            "municipality": row["municipality"],
            "province": iso_province(row["province"]),
            "programme": row["programme_slug"],
            "programme_name": row["programme_title"],
            "valid_from": row["issued_on"].isoformat(),
            "valid_until": row["valid_until"].isoformat(),
            "standing": Label.State.EXPIRED.value if row["lapsed"] else row["state"],
        }


def labels_package() -> dict[str, list[dict[str, Any]]]:
    """The labels directory as JSON: ``{"labels": [...]}``."""
    return {"labels": list(label_rows())}


def write_labels_csv(out: TextIO) -> None:
    """The labels directory as CSV: :data:`LABEL_FIELDS` as header, free text neutralised."""
    writer = csv.writer(out)
    writer.writerow(LABEL_FIELDS)
    for row in label_rows():
        writer.writerow(
            neutralise(row[key]) if key in LABEL_TEXT else row[key] for key in LABEL_FIELDS
        )


# Programme statistics --------------------------------------------------------------------------


def _year_bounds(year: int) -> tuple[dt.date, dt.date, dt.datetime]:
    """First and last day of ``year``, and its first instant in Brussels."""
    first = dt.date(year, 1, 1)
    start = timezone.make_aware(dt.datetime(year, 1, 1), timezone.get_default_timezone())
    return first, dt.date(year, 12, 31), start


def _application_counts() -> list[dict[str, Any]]:
    """Submitted and granted dossiers and amounts granted per programme, submission year
    and province: one GROUP BY."""
    return list(
        Application.objects.filter(submitted_at__isnull=False)
        .annotate(year=ExtractYear("submitted_at"))
        .values("call__programme", "year", "province")
        .annotate(
            submitted=Count("pk"),
            granted=Count("pk", filter=Q(state=Application.State.GRANTED)),
            amount=Sum("decision__amount", filter=Q(decision__granted=True)),
        )
        .order_by()
    )


def _active_label_counts(years: range) -> list[dict[str, Any]]:
    """Labels in force at least one day of each year, per programme and province: one
    GROUP BY with a conditional count per year (see the module's docstring)."""
    revoked_at = (
        StateChange.objects.filter(
            content_type=ContentType.objects.get_for_model(Label),
            object_id=OuterRef("pk"),
            target=Label.State.REVOKED,
        )
        .order_by("-at")
        .values("at")[:1]
    )
    counts = {}
    for year in years:
        first, last, start = _year_bounds(year)
        counts[f"y{year}"] = Count(
            "pk",
            filter=Q(issued_on__lte=last, valid_until__gte=first)
            & (
                ~Q(state=Label.State.REVOKED)
                | Q(revoked_at__isnull=True)
                | Q(revoked_at__gte=start)
            )
            & (Q(superseded_by__isnull=True) | Q(superseded_by__issued_on__gt=first)),
        )
    if not counts:
        return []
    return list(
        Label.objects.annotate(revoked_at=Subquery(revoked_at))
        .values("programme", "province")
        .annotate(**counts)
        .order_by()
    )


def statistics_rows() -> list[dict[str, Any]]:
    """One row per programme, year and province with a dossier submitted or a label in
    force, by programme, year and province; years run from the first dossier or label to
    the current one. Four queries, however much data."""
    today = timezone.localdate()
    applications = _application_counts()
    first_issued = Label.objects.aggregate(first=Min("issued_on"))["first"]
    starts = [row["year"] for row in applications]
    if first_issued:
        starts.append(first_issued.year)
    years = range(min(starts), today.year + 1) if starts else range(0)
    figures: dict[tuple[int, int, str], dict[str, Any]] = {}

    def row(programme: int, year: int, province: str) -> dict[str, Any]:
        return figures.setdefault(
            (programme, year, province),
            {"submitted": 0, "granted": 0, "amount": Decimal(0), "labels": 0},
        )

    for counted in applications:
        figure = row(counted["call__programme"], counted["year"], counted["province"])
        figure["submitted"] += counted["submitted"]
        figure["granted"] += counted["granted"]
        figure["amount"] += counted["amount"] or Decimal(0)
    for counted in _active_label_counts(years):
        for year in years:
            if active := counted[f"y{year}"]:
                row(counted["programme"], year, counted["province"])["labels"] += active
    programmes = _programme_names({programme for programme, _year, _province in figures})
    province_order = {code: index for index, code in enumerate(Province.values)}

    def order(key: tuple[int, int, str]) -> tuple[str, int, int]:
        programme, year, province = key
        return programmes[programme][0], year, province_order.get(province, len(province_order))

    result = []
    for programme, year, province in sorted(figures, key=order):
        figure = figures[programme, year, province]
        slug, name = programmes[programme]
        result.append(
            {
                "programme": slug,
                "programme_name": name,
                "year": year,
                "province": iso_province(province),
                "applications_submitted": figure["submitted"],
                "applications_granted": figure["granted"],
                "amount_granted": as_number(figure["amount"]),
                "labels_active": figure["labels"],
            }
        )
    return result


def _programme_names(ids: set[int]) -> dict[int, tuple[str, str]]:
    return {
        pk: (slug, name)
        for pk, slug, name in Programme.objects.filter(pk__in=ids).values_list(
            "pk", "slug", "name_fr"
        )
    }


def write_statistics_csv(out: TextIO) -> None:
    """The programme statistics as CSV: :data:`STATISTICS_FIELDS` as header."""
    writer = csv.writer(out)
    writer.writerow(STATISTICS_FIELDS)
    for row in statistics_rows():
        writer.writerow(
            neutralise(row[key]) if key == "programme_name" else row[key]
            for key in STATISTICS_FIELDS
        )


# Coverage, for the catalogue -------------------------------------------------------------------


def coverage() -> dict[str, Any]:
    """What the catalogue says of each dataset's time: first and last days of the data and
    the day it last changed. Three queries."""
    awarded = Q(state=Application.State.GRANTED, decision__granted=True)
    applications = Application.objects.aggregate(
        first_submitted=Min("submitted_at"),
        last_submitted=Max("submitted_at"),
        first_award=Min("decision__decided_at", filter=awarded),
        last_award=Max("decision__decided_at", filter=awarded),
        last_decision=Max("decision__decided_at"),
    )
    labels = Label.objects.aggregate(
        first_issued=Min("issued_on"), last_issued=Max("issued_on"), last_valid=Max("valid_until")
    )
    label_change = StateChange.objects.filter(
        content_type=ContentType.objects.get_for_model(Label)
    ).aggregate(last=Max("at"))["last"]
    label_modified = _latest(labels["last_issued"], _day(label_change))
    statistics_modified = _latest(
        _day(applications["last_submitted"]), _day(applications["last_decision"]), label_modified
    )
    return {
        "grants": (
            _day(applications["first_award"]),
            _day(applications["last_award"]),
            _day(applications["last_award"]),
        ),
        "labels": (labels["first_issued"], labels["last_valid"], label_modified),
        "statistics": (
            dt.date(_day(applications["first_submitted"]).year, 1, 1)
            if applications["first_submitted"]
            else labels["first_issued"],
            timezone.localdate() if statistics_modified else None,
            statistics_modified,
        ),
    }


def _day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment else None


def _latest(*days: dt.date | None) -> dt.date | None:
    return max((day for day in days if day), default=None)
