"""The reporting app's part of the demo (SPEC §9): a quarterly schedule for each programme
and two years of activity reports of its labelled spaces (the 2011 Creative Wallonia spaces,
the 2017 rural ones), in every state.

The reports cover the eight quarters that ended before the demo is loaded, so that the
statistics show a living programme: most reports accepted, one returned and corrected, one
returned and waiting, one submitted, one draft, and the suspended space two quarters behind
(the reason it was suspended).
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from applications.models import Programme
from labels.models import Label
from portal.models import User
from portal.transitions import perform
from reporting import indicatorlibrary, services, tallies
from reporting.indicators import to_json
from reporting.models import ActivityReport, Indicator, ReportingSchedule

# The indicators of each demo programme: the rural spaces keep the twelve of the
# coworking spaces, so that their statistics read as before indicators were data.
INDICATOR_SETS = {
    "creative-wallonia-coworking": indicatorlibrary.COWORKING,
    "coworking-milieu-rural": indicatorlibrary.COWORKING,
    "creative-wallonia-fab-labs": indicatorlibrary.FAB_LAB,
}

NARRATIVES = [
    "Trimestre régulier : la communauté s'agrandit et les ateliers du jeudi font salle comble.",
    "Deux nouvelles entreprises hébergées ; partenariat signé avec la haute école voisine.",
    "Animation renforcée autour de l'entrepreneuriat numérique ; fréquentation en hausse.",
    "Travaux d'aménagement d'une salle de réunion ; activité un peu ralentie en août.",
]


def values(position: int, quarter: int, desks: int | None = None, funding=None) -> dict:
    """Plausible indicators of a space, growing slowly quarter after quarter: a space of
    ``desks`` workstations using ``funding`` euros of public money a quarter (by default
    those of the Creative Wallonia spaces)."""
    slot = position % 5  # five profiles of space, taken in turn
    usual_desks = [30, 24, 22, 36, 20][slot]
    desks = desks or usual_desks
    coworkers = round([38, 27, 24, 45, 16][slot] * desks / usual_desks * (1 + 0.05 * quarter))
    events = 3 + (position + quarter) % 5
    return {
        "active_coworkers": coworkers,
        "desks": desks,
        "occupancy_rate": Decimal(min(92, 42 + 3 * quarter + 4 * slot)),
        "days_open": 60 + (quarter % 3),
        "events_held": events,
        "event_attendance": events * (18 + 2 * slot),
        "businesses_hosted": coworkers // 2,
        "businesses_created": (position + quarter) % 3,
        "jobs_created": Decimal("0.5") * ((position + quarter) % 4),
        "turnover": Decimal(9000 + 1500 * quarter + 2000 * slot),
        "public_funding_used": funding or Decimal([25000, 25000, 12500, 25000, 12500][slot]),
        "partnerships": 1 + (quarter + position) % 4,
        "narrative": NARRATIVES[(position + quarter) % len(NARRATIVES)],
    }


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 30)))


def _fill(report: ActivityReport, position: int, quarter: int, *, rural: bool) -> None:
    """The figures of a report; a rural space reports its own workstations and a twelfth
    of its grant, which covers three years."""
    label = report.label
    if rural:
        figures = values(
            position,
            quarter,
            desks=label.capacity,
            funding=(label.application.requested_amount / 12).quantize(Decimal("1")),
        )
    else:
        figures = values(position, quarter)
    report.narrative = figures.pop("narrative")
    indicators = {indicator.code: indicator for indicator in report.asked_indicators()}
    report.values = {
        code: to_json(indicators[code], value)
        for code, value in figures.items()
        if code in indicators
    }
    report.save()


def _submit(report: ActivityReport, holder: User | None, day: dt.date) -> None:
    """Filed by the holder's member, or, for spaces without an account in the demo, entered
    by the agency from the paper report."""
    if holder is None:
        comment = "Encodé par l'agence à partir du rapport papier."
        perform(report, "submit", by=None, system=True, at=_at(day), comment=comment)
    else:
        perform(report, "submit", by=holder, at=_at(day))
    ActivityReport.objects.filter(pk=report.pk).update(
        submitted_at=_at(day), first_submitted_at=_at(day)
    )


def load_programme(programme: Programme, officer: User, *, rural: bool = False) -> int:
    """The programme's quarterly schedule, starting two years back from the current quarter,
    and the reports of its spaces in force, brought to their states; the number of spaces
    reporting. A programme whose reports were already filled is left alone."""
    today = timezone.localdate()
    schedule, _created = ReportingSchedule.objects.get_or_create(
        programme=programme,
        defaults={
            "frequency": ReportingSchedule.Frequency.QUARTERLY,
            "days_allowed": 60,
            "reminder_days": 10,
            "starts_on": today.replace(year=today.year - 2, month=1, day=1),
        },
    )
    reports = ActivityReport.objects.filter(label__programme=programme)
    if reports.exclude(state=ActivityReport.State.DUE).exists():
        return 0  # already filled
    # Two years back from the current quarter.
    start = schedule.period_containing(today)[0]
    first = start.replace(year=start.year - 2)
    ReportingSchedule.objects.filter(pk=schedule.pk).update(starts_on=first)
    services.generate_reports(today)
    labels = (
        Label.objects.filter(
            programme=programme, state__in=[Label.State.ACTIVE, Label.State.SUSPENDED]
        )
        .select_related("application")
        .order_by("number")
    )
    for position, label in enumerate(labels):
        holder = User.objects.filter(memberships__organisation=label.organisation_id).first()
        quarters = list(label.reports.order_by("period_start"))
        last = len(quarters) - 1
        for quarter, report in enumerate(quarters):
            report.label = label
            filed = report.period_end + dt.timedelta(days=20)
            reviewed = filed + dt.timedelta(days=6)
            if label.state == Label.State.SUSPENDED and quarter >= last - 1:
                continue  # two quarters behind: due, then overdue
            if position == 3 and quarter == last:
                _fill(report, position, quarter, rural=rural)
                report.values.pop("desks", None)
                ActivityReport.objects.filter(pk=report.pk).update(
                    values=report.values, narrative=""
                )
                continue  # a draft
            if position == 1 and quarter == last:
                continue  # not started yet
            _fill(report, position, quarter, rural=rural)
            _submit(report, holder, filed)
            if position == 0 and quarter == last:
                continue  # waits for the officer
            if (position == 2 and quarter == last) or (position == 1 and quarter == last - 1):
                perform(
                    report,
                    "return_for_corrections",
                    by=officer,
                    at=_at(reviewed),
                    comment="Le nombre d'entreprises hébergées dépasse celui des coworkers "
                    "actifs : pouvez-vous vérifier ?",
                )
                if position == 2:
                    continue  # waits for the holder
                _submit(report, holder, reviewed + dt.timedelta(days=3))
                reviewed += dt.timedelta(days=5)
            perform(report, "accept", by=officer, at=_at(reviewed))
    return len(labels)


def install_indicators() -> None:
    """Give each demo programme its indicators, unless it has some (idempotent; the
    programmes the demo creates come after the migration that gave the existing ones
    theirs)."""
    for slug, definitions in INDICATOR_SETS.items():
        programme = Programme.objects.filter(slug=slug).first()
        if programme and not Indicator.objects.filter(programme=programme).exists():
            indicatorlibrary.install(programme, definitions)


def load(stdout) -> None:
    install_indicators()
    spaces = load_programme(
        Programme.objects.get(slug="creative-wallonia-coworking"),
        User.objects.get(email="agent@demo.guichet.be"),
    )
    spaces += load_programme(
        Programme.objects.get(slug="coworking-milieu-rural"),
        User.objects.get(email="agent.rural@demo.guichet.be"),
        rural=True,
    )
    # The dossiers' histories and the reports were written with their dates set afterwards
    # (the past replayed): the statistics' summaries are computed once, from what is stored.
    tallies.rebuild()
    if spaces:
        reports = ActivityReport.objects.count()
        stdout.write(f"  {reports} activity reports of {spaces} labelled spaces")
