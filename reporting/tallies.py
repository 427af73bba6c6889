"""The summaries the programme statistics read instead of every report and every state
change (SPEC §6, §8): at 100,000 reports and 90,000 history rows, computing the indicators
from the reports' JSON values and the time in each state from the history took seconds; the
summaries hold a few thousand rows and give the same figures.

- ``ReportTally``: per programme, call, province and period, the number of counted reports
  and each aggregated indicator's sum and answers, computed by the same SQL expressions as
  the statistics once used (``reporting.indicators.value_expression``);
- ``DossierDuration``: per submitted dossier, each stay in a state that is over, and the time
  from its first submission to the decision, read from its history;
- ``DossierTally``: per programme, call, year of first submission and province, the funnel
  (dossiers submitted, admissible, reviewed, proposed, granted), the amounts requested and
  granted, and how many durations each stage holds: at 200,000 dossiers, counting the
  funnel from the dossiers, their proposals and decisions took 170 ms, and the durations
  per stage 117 ms; the groups hold a few hundred rows.

They are kept fresh, after commit, once per object and operation:

- a dossier's durations and its group's tallies when it changes state (the proposal and
  the decision are written in the transition's transaction), a report's group when the
  report does
  (django-fsm's ``post_transition``, received in ``reporting/apps.py``: every transition goes
  through ``portal.transitions.perform``, or ``perform_all`` for a job's chunk);
- the tallies of the programmes an import of reports wrote to (``ActivityReportResource``).
  A change to an indicator needs none: once reports give it values, nothing that changes
  what they mean may change (``reporting.indicatorbuilder``), and without values its tally
  is what an empty one reads;
- every summary of the programmes an import of legacy dossiers wrote to
  (``applications.signals.dossiers_imported``);
- everything, by the daily reporting job (``manage.py report_jobs``): it also catches what
  no transition announces, such as a labelled space moved to another province, or a
  dossier's amount corrected, by an administrator. ``rebuild()`` after writing rows in bulk
  (the demo, the benchmark).

The tests compare the statistics read from the summaries with the former computation from
the reports and the history, on random data (``tests/reporting/test_statistics_summaries.py``).
"""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from itertools import pairwise

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from applications.models import Application, Programme
from portal.models import StateChange
from reporting.indicators import value_expression
from reporting.models import (
    ActivityReport,
    DossierDuration,
    DossierTally,
    Indicator,
    ReportTally,
)

COUNTED_REPORTS = (ActivityReport.State.SUBMITTED, ActivityReport.State.ACCEPTED)
State = Application.State
# States a dossier waits in, in the order of the machine (SPEC §3); terminal ones are left out.
TIMED_STATES = (
    State.SUBMITTED,
    State.CHANGES_REQUESTED,
    State.ADMISSIBLE,
    State.IN_REVIEW,
    State.REVIEWED,
    State.SHORTLISTED,
    State.PROPOSED,
    State.NOT_PROPOSED,
)
DECIDED = (State.GRANTED, State.REFUSED)
# The funnel's stages and the states a dossier is in once it has passed each of them.
REACHED_ADMISSIBLE = (
    State.ADMISSIBLE,
    State.IN_REVIEW,
    State.REVIEWED,
    State.SHORTLISTED,
    State.PROPOSED,
    State.NOT_PROPOSED,
    State.GRANTED,
    State.REFUSED,
)
REACHED_REVIEWED = (
    State.REVIEWED,
    State.SHORTLISTED,
    State.PROPOSED,
    State.NOT_PROPOSED,
    State.GRANTED,
    State.REFUSED,
)
BATCH = 2_000


def aggregated(indicators: Iterable[Indicator]) -> list[Indicator]:
    """The indicators statistics combine as figures: numbers and yes/no answers (a choice or
    a text has no sum nor mean; the report itself shows it)."""
    return [
        indicator
        for indicator in indicators
        if indicator.kind in Indicator.NUMBERS or indicator.kind == Indicator.Kind.YES_NO
    ]


def _lock(programme_ids: Iterable[int]) -> None:
    """Take the programmes' rows for the rest of the transaction: a programme's summaries are
    written by one refresh at a time (two refreshes of the same group, each deleting then
    inserting, would otherwise count it twice). Nothing else waits on them for long."""
    list(
        Programme.objects.select_for_update()
        .filter(pk__in=sorted(programme_ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


# Reports ------------------------------------------------------------------------------------

GROUP = {
    "group_programme": F("label__programme_id"),
    "group_call": F("label__application__call_id"),
    "group_province": F("label__province"),
}


def _tally_rows(reports: QuerySet[ActivityReport], indicators: list[Indicator]) -> list:
    """The tallies of the groups of ``reports`` (counted ones only): one grouped query."""
    aggregates = {"n": Count("pk")}
    for indicator in indicators:
        value = value_expression(indicator)
        aggregates[f"sum_{indicator.pk}"] = Sum(value)
        aggregates[f"n_{indicator.pk}"] = Count(value)
    rows = (
        reports.filter(state__in=COUNTED_REPORTS)
        .values(**GROUP, start=F("period_start"), end=F("period_end"))
        .annotate(**aggregates)
        .order_by()
    )
    tallies = []
    for row in rows:
        group = {
            "programme_id": row["group_programme"],
            "call_id": row["group_call"],
            "province": row["group_province"] or "",
            "period_start": row["start"],
            "period_end": row["end"],
        }
        tallies.append(ReportTally(**group, reports=row["n"]))
        tallies += [
            ReportTally(
                **group,
                indicator_id=indicator.pk,
                total=row[f"sum_{indicator.pk}"],
                answered=row[f"n_{indicator.pk}"],
            )
            for indicator in indicators
        ]
    return tallies


def _indicators(programme_ids: Iterable[int]) -> dict[int, list[Indicator]]:
    found: dict[int, list[Indicator]] = {pk: [] for pk in programme_ids}
    indicators = Indicator.objects.filter(programme_id__in=found).only(
        "programme_id", "kind", "code"
    )
    for indicator in aggregated(indicators):
        found[indicator.programme_id].append(indicator)
    return found


@transaction.atomic
def refresh_programmes(programme_ids: Iterable[int]) -> None:
    """Compute again every tally of these programmes."""
    programme_ids = set(programme_ids)
    _lock(programme_ids)
    for programme_id, indicators in _indicators(programme_ids).items():
        ReportTally.objects.filter(programme_id=programme_id).delete()
        reports = ActivityReport.objects.filter(label__programme_id=programme_id)
        ReportTally.objects.bulk_create(_tally_rows(reports, indicators), batch_size=BATCH)


@transaction.atomic
def refresh_report_group(report_id: int) -> None:
    """Compute again the tallies of the group of one report (its programme, call, province
    and period): what a transition of the report may change."""
    report = (
        ActivityReport.objects.filter(pk=report_id)
        .values(**GROUP, start=F("period_start"), end=F("period_end"))
        .first()
    )
    if report is None:
        return
    programme_id, call_id = report["group_programme"], report["group_call"]
    _lock([programme_id])
    province = report["group_province"] or ""
    period = {"period_start": report["start"], "period_end": report["end"]}
    group = {
        "label__programme_id": programme_id,
        "label__application__call_id": call_id,  # None: labels without a dossier
        "label__province": province,
        **period,
    }
    ReportTally.objects.filter(
        programme_id=programme_id, call_id=call_id, province=province, **period
    ).delete()
    indicators = _indicators([programme_id])[programme_id]
    ReportTally.objects.bulk_create(_tally_rows(ActivityReport.objects.filter(**group), indicators))


# Dossiers -----------------------------------------------------------------------------------


def _durations(dossiers: list[dict], changes: list[dict]) -> list[DossierDuration]:
    """The durations of ``dossiers`` from their history (``changes``, ordered by dossier,
    time and id): each stay in a timed state from the change that entered it to the next
    change, and from the first change into "submitted" to the first into a decision."""
    by_dossier: dict[int, list[dict]] = {}
    for change in changes:
        by_dossier.setdefault(change["object_id"], []).append(change)
    rows = []
    for dossier in dossiers:
        history = by_dossier.get(dossier["pk"], [])
        common = {
            "application_id": dossier["pk"],
            "programme_id": dossier["call__programme_id"],
            "call_id": dossier["call_id"],
            "year": _year(dossier["submitted_at"]),
            "province": dossier["province"],
        }
        for entered, left in pairwise(history):
            if entered["target"] in TIMED_STATES:
                rows.append(
                    DossierDuration(
                        **common, stage=entered["target"], duration=left["at"] - entered["at"]
                    )
                )
        submitted = next((c["at"] for c in history if c["target"] == State.SUBMITTED), None)
        decided = next((c["at"] for c in history if c["target"] in DECIDED), None)
        if submitted is not None and decided is not None:
            rows.append(
                DossierDuration(
                    **common, stage=DossierDuration.DECISION, duration=decided - submitted
                )
            )
    return rows


def _year(moment: dt.datetime) -> int:
    """The year of ``moment`` in Brussels: the year a dossier is filed under."""
    return timezone.localtime(moment, timezone.get_default_timezone()).year


# What the durations and the tallies read of a dossier.
DOSSIER = ("pk", "call_id", "call__programme_id", "submitted_at", "province")


def _refresh_dossiers(dossiers: QuerySet[Application]) -> list[dict]:
    """Write the durations of the submitted ones of ``dossiers``; those dossiers, as read."""
    dossiers = list(dossiers.filter(submitted_at__isnull=False).values(*DOSSIER))
    changes = (
        StateChange.objects.filter(
            content_type=ContentType.objects.get_for_model(Application),
            object_id__in=[dossier["pk"] for dossier in dossiers],
        )
        .order_by("object_id", "at", "pk")
        .values("object_id", "target", "at")
    )
    DossierDuration.objects.bulk_create(_durations(dossiers, list(changes)), batch_size=BATCH)
    return dossiers


# The funnel of a group of dossiers: a dossier counts as *proposed* if the jury proposed it,
# even when the minister later refused it; requested amounts are those of every submitted
# dossier, granted amounts those of the ministerial decisions.
FUNNEL = {
    "submitted": Count("pk"),
    "admissible": Count("pk", filter=Q(state__in=REACHED_ADMISSIBLE)),
    "reviewed": Count("pk", filter=Q(state__in=REACHED_REVIEWED)),
    "proposed": Count(
        "pk", filter=Q(proposal__proposed=True) | Q(state__in=(State.PROPOSED, State.GRANTED))
    ),
    "granted": Count("pk", filter=Q(state=State.GRANTED)),
    "requested_amount": Coalesce(Sum("requested_amount"), Value(Decimal(0))),
    "granted_amount": Coalesce(
        Sum("decision__amount", filter=Q(decision__granted=True)), Value(Decimal(0))
    ),
}
# What a dossier is filed under (``DossierDuration`` and ``DossierTally``).
FILED = ("call_id", "year", "province")


def _dossier_tallies(
    dossiers: QuerySet[Application], durations: QuerySet[DossierDuration]
) -> list[DossierTally]:
    """The tallies of the groups of ``dossiers`` (submitted ones only) and ``durations``:
    two grouped queries."""
    year = ExtractYear("submitted_at", tzinfo=timezone.get_default_timezone())
    funnel = (
        dossiers.filter(submitted_at__isnull=False)
        .values("province", programme=F("call__programme_id"), call_key=F("call_id"), year=year)
        .annotate(**FUNNEL)
        .order_by()
    )
    rows = [
        DossierTally(
            programme_id=row.pop("programme"),
            call_id=row.pop("call_key"),
            year=row.pop("year"),
            **row,
        )
        for row in funnel
    ]
    stays = durations.values("programme_id", *FILED, "stage").annotate(stays=Count("pk"))
    rows += [DossierTally(**row) for row in stays.order_by()]
    return rows


def _refresh_groups(groups: Iterable[tuple]) -> None:
    """Compute again the tallies of these groups (programme, call, year, province)."""
    zone = timezone.get_default_timezone()
    for programme_id, call_id, year, province in groups:
        group = {"call_id": call_id, "year": year, "province": province}
        DossierTally.objects.filter(programme_id=programme_id, **group).delete()
        dossiers = Application.objects.filter(
            call_id=call_id,
            province=province,
            submitted_at__gte=dt.datetime(year, 1, 1, tzinfo=zone),
            submitted_at__lt=dt.datetime(year + 1, 1, 1, tzinfo=zone),
        )
        durations = DossierDuration.objects.filter(programme_id=programme_id, **group)
        DossierTally.objects.bulk_create(_dossier_tallies(dossiers, durations))


@transaction.atomic
def refresh_dossier(application_id: int) -> None:
    """Compute again the durations of one dossier from its history, and the tallies of its
    group, and of the groups it was filed under before if they differ: a dossier whose
    changes were requested may come back with its space in another province (its stay in
    "submitted", over, was filed under the former one). Everything is read once the
    programmes' rows are locked."""
    stays = DossierDuration.objects.filter(application_id=application_id)
    programmes = Application.objects.filter(pk=application_id).values_list(
        "call__programme", flat=True
    )
    _lock({*programmes, *stays.values_list("programme_id", flat=True)})
    groups = set(stays.values_list("programme_id", *FILED))
    stays.delete()
    for dossier in _refresh_dossiers(Application.objects.filter(pk=application_id)):
        groups.add(
            (
                dossier["call__programme_id"],
                dossier["call_id"],
                _year(dossier["submitted_at"]),
                dossier["province"],
            )
        )
    _refresh_groups(sorted(groups))


def rebuild(programme: Programme | None = None) -> None:
    """Compute every summary again (of one programme, or of all): after rows written in
    bulk, and daily."""
    programmes = [programme.pk] if programme else Programme.objects.values_list("pk", flat=True)
    rebuild_programmes(programmes)


@transaction.atomic
def rebuild_programmes(programme_ids: Iterable[int]) -> None:
    """Compute every summary of these programmes again."""
    programmes = sorted(set(programme_ids))
    _lock(programmes)
    refresh_programmes(programmes)
    DossierDuration.objects.filter(programme_id__in=programmes).delete()
    ids = list(
        Application.objects.filter(call__programme_id__in=programmes, submitted_at__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), BATCH):
        _refresh_dossiers(Application.objects.filter(pk__in=ids[start : start + BATCH]))
    DossierTally.objects.filter(programme_id__in=programmes).delete()
    DossierTally.objects.bulk_create(
        _dossier_tallies(
            Application.objects.filter(call__programme_id__in=programmes),
            DossierDuration.objects.filter(programme_id__in=programmes),
        ),
        batch_size=BATCH,
    )


# After commit, once per object ----------------------------------------------------------------


def on_transition(sender, instance, **kwargs) -> None:
    """django-fsm's ``post_transition``: a dossier's durations or a report's tally are
    computed again once the change commits (nothing, if it rolls back)."""
    if sender is Application:
        transaction.on_commit(lambda: refresh_dossier(instance.pk))
    elif sender is ActivityReport:
        transaction.on_commit(lambda: refresh_report_group(instance.pk))


def on_dossiers_imported(sender, programme_ids, **kwargs) -> None:
    """``applications.signals.dossiers_imported``: every summary of these programmes
    computed again once the import commits (its dossiers came without their transitions)."""
    programme_ids = set(programme_ids)
    transaction.on_commit(lambda: rebuild_programmes(programme_ids))


def refresh_programmes_after_commit(programme_ids: Iterable[int]) -> None:
    """The tallies of these programmes computed again once the change commits."""
    programme_ids = set(programme_ids)
    transaction.on_commit(lambda: refresh_programmes(programme_ids))
