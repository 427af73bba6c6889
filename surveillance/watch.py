"""The surveillance of labels at work: the daily job and the evaluation that follows an
accepted report.

The daily job (``manage.py surveillance_jobs``, ``run``) evaluates every condition in force of
every programme (``surveillance.evaluation``) and opens a non-conformity on each label that
fails one and has no case pending for it, in bulk; it tells the holder once, and writes the
opening in the label's history. It then flags for suspension the cases still open or
answered past their deadline, and tells the programme's officers once, who decide (the
labels app's suspension or revocation). Holders whose enterprise has stopped in the
enterprise register are flagged at once (``surveillance.holders``).

Idempotent: one pending case per label and condition (a constraint settles two runs at
once), and each email goes after its case was marked sent by an UPDATE that only one run
can make (``opening_notice_sent_on``, ``flag_notice_sent_on``). A case an officer closed
stands until a newer fact fails the condition again (``Measure.as_of``).
"""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from applications.services import members_by_organisation, officers_of
from labels import services as label_services
from labels.models import Label
from portal import messages
from portal.dates import long_date
from portal.emails import send_to_users
from portal.transitions import ConcurrentTransition, perform_all
from surveillance.evaluation import REPORT_KINDS, evaluate, labels_in_force
from surveillance.holders import flag_stopped_holders
from surveillance.models import Condition, NonConformity

State = NonConformity.State
# Labels (or cases) handled per transaction: few commits, and a write lock held briefly.
CHUNK = 200
# Cases claimed per statement: well below the parameters a statement may take (SQLite).
CLAIMED_AT_ONCE = 1000
# What an email about a case prints of its label and dossier (``labels.messages``): read
# with each case, and the few programmes and calls once each (read with every case, they
# were thousands of identical objects).
ABOUT_LABEL = ("label__organisation", "label__application__organisation")
SHARED_BY_LABELS = ("label__programme", "label__application__call__programme")
# The steps this module writes in a label's history (named in ``services.NOTES``).
OPENED, FLAGGED = "non_conformity_opened", "non_conformity_flagged"


def run(today: dt.date | None = None) -> tuple[int, int]:
    """The daily job: open the cases of failing conditions, flag those past their deadline,
    and send the emails not sent yet. Returns (cases opened, cases flagged)."""
    today = today or timezone.localdate()
    opened = 0
    conditions = Condition.objects.filter(active=True).select_related("indicator")
    for condition in conditions:
        opened += open_failing(condition, labels_in_force(condition.programme_id, today), today)
    with messages.wordings_kept():
        announce_opened(today)
        flagged = flag_overdue(today) + flag_stopped_holders(today)
        announce_flagged(today)
    return opened, flagged


def evaluate_label(label: Label, today: dt.date | None = None) -> int:
    """Evaluate the conditions on reports of ``label`` (one of its reports was accepted) and
    open the cases of those it fails; the number opened."""
    today = today or timezone.localdate()
    opened = 0
    conditions = Condition.objects.filter(
        programme=label.programme_id, active=True, kind__in=REPORT_KINDS
    ).select_related("indicator")
    in_force = labels_in_force(label.programme_id, today).filter(pk=label.pk)
    for condition in conditions:
        opened += open_failing(condition, in_force, today)
    if opened:
        announce_opened(today, NonConformity.objects.filter(label=label))
    return opened


def open_failing(condition: Condition, labels: QuerySet, today: dt.date) -> int:
    """Open a case of ``condition`` on each of ``labels`` that fails it, has none pending,
    and whose last closed case (if any) was closed before the failure's newest fact. The
    measure is written in the site's language: it is shown to holders and officers alike."""
    with translation.override(settings.LANGUAGE_CODE):
        measures = evaluate(condition, labels, today)
    failing = {label_id: m for label_id, m in measures.items() if m.failing}
    if not failing:
        return 0
    cases = NonConformity.objects.filter(condition=condition)
    pending = set(cases.pending().values_list("label_id", flat=True))
    closed = dict(
        cases.filter(state__in=[State.RESOLVED, State.SANCTIONED])
        .values("label_id")
        .annotate(last=Max("closed_on"))
        .values_list("label_id", "last")
    )
    deadline = today + dt.timedelta(days=condition.grace_days)
    new = [
        NonConformity(
            label_id=label_id,
            condition=condition,
            measured=measure.words[:200],
            opened_on=today,
            deadline=deadline,
        )
        for label_id, measure in failing.items()
        if label_id not in pending
        and not (closed.get(label_id) and measure.as_of and measure.as_of <= closed[label_id])
    ]
    # A run at the same moment may have opened some: the constraint keeps one of each.
    NonConformity.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    return len(new)


def _claim(cases: list[NonConformity], field: str, today: dt.date) -> set[int]:
    """Mark ``field`` as sent today on each of ``cases`` that no other run marked, in one
    statement; the keys of those marked here: only the run that marks a case sends.
    ``UPDATE … RETURNING`` (PostgreSQL, SQLite 3.35+), which Django's ``update`` does not
    write: a run at the same moment waits for the rows and finds them marked."""
    quote = connection.ops.quote_name
    table = quote(NonConformity._meta.db_table)
    column = quote(NonConformity._meta.get_field(field).column)
    key = quote(NonConformity._meta.pk.column)
    mine = set()
    with connection.cursor() as cursor:
        for chunk in _chunks([case.pk for case in cases], CLAIMED_AT_ONCE):
            cursor.execute(
                f"UPDATE {table} SET {column} = %s WHERE {key} IN "
                f"({', '.join(['%s'] * len(chunk))}) AND {column} IS NULL RETURNING {key}",
                [connection.ops.adapt_datefield_value(today), *chunk],
            )
            mine.update(row[0] for row in cursor.fetchall())
    return mine


def announce_opened(today: dt.date | None = None, cases: QuerySet | None = None) -> int:
    """Write each opened case of a condition not announced yet in its label's history and
    email the holder's members once, one email per label listing its new cases. Returns
    the number of cases announced."""
    today = today or timezone.localdate()
    cases = NonConformity.objects.all() if cases is None else cases
    waiting = (
        cases.pending()
        .filter(condition__isnull=False, opening_notice_sent_on__isnull=True)
        .select_related("condition", *ABOUT_LABEL)
        .prefetch_related(*SHARED_BY_LABELS)
        .order_by("label_id", "condition__position", "pk")
    )
    by_label = defaultdict(list)
    for case in waiting:
        by_label[case.label_id].append(case)
    announced = 0
    for chunk in _chunks(list(by_label.values())):
        # One transaction per chunk of labels: a commit per label would cost more than the
        # rest on SQLite, and a failure leaves the chunk's cases for the next run.
        members = members_by_organisation(
            {label_cases[0].label.application.organisation_id for label_cases in chunk}
        )
        with transaction.atomic():
            mine = _claim(
                [case for cases in chunk for case in cases], "opening_notice_sent_on", today
            )
            steps, outgoing = [], []
            for label_cases in chunk:
                claimed = [case for case in label_cases if case.pk in mine]
                if not claimed:
                    continue
                label = claimed[0].label
                steps += [(label, _step(case)) for case in claimed]
                # One case reads as a sentence of its own; several are listed.
                message = "surveillance/emails/opened" + ("" if len(claimed) == 1 else "_several")
                outgoing += [
                    (user, message, {"label": label, "cases": claimed})
                    for user in members[label.application.organisation_id]
                ]
                announced += len(claimed)
            label_services.note_all(OPENED, steps)
            send_to_users(outgoing)
    return announced


def flag_overdue(today: dt.date | None = None) -> int:
    """Flag for suspension every case still open or answered past its deadline, on a label
    still in force and for a condition still in force (or a visitor's report), and write it
    in its label's history; a case someone is changing at that moment is left for the next
    run. Returns the number flagged."""
    today = today or timezone.localdate()
    overdue = (
        NonConformity.objects.filter(
            state__in=[State.OPEN, State.ANSWERED],
            deadline__lt=today,
            label__state=Label.State.ACTIVE,
            label__valid_until__gte=today,
        )
        .filter(Q(condition__isnull=True) | Q(condition__active=True))
        .select_related("condition", "label")
    )
    flagged = 0
    for chunk in _chunks(list(overdue)):
        # A case changed by someone since it was read is left out (``perform_all``); should
        # one change between its reading and its writing, the chunk waits for the next run.
        try:
            with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
                cases = perform_all(chunk, "flag", comment=_not_put_right)
                label_services.note_all(FLAGGED, [(case.label, _step(case)) for case in cases])
        except ConcurrentTransition:
            continue
        flagged += len(cases)
    return flagged


def _not_put_right(case: NonConformity) -> str:
    return _("Not put right by %(date)s.") % {"date": long_date(case.deadline)}


def _chunks(items: list, size: int | None = None) -> list[list]:
    size = size or CHUNK
    return [items[start : start + size] for start in range(0, len(items), size)]


def announce_flagged(today: dt.date | None = None) -> int:
    """Email the officers of each programme once about its cases flagged and not announced
    yet, one email per officer listing them. Returns the number of cases announced."""
    today = today or timezone.localdate()
    waiting = (
        NonConformity.objects.filter(state=State.FLAGGED, flag_notice_sent_on__isnull=True)
        .select_related("condition", *ABOUT_LABEL)
        .prefetch_related(*SHARED_BY_LABELS)
        .order_by("label__programme_id", "label__number", "pk")
    )
    by_programme = defaultdict(list)
    for case in waiting:
        by_programme[case.label.programme_id].append(case)
    announced = 0
    for programme_cases in by_programme.values():
        with transaction.atomic():
            mine = _claim(programme_cases, "flag_notice_sent_on", today)
            claimed = [case for case in programme_cases if case.pk in mine]
            if not claimed:
                continue
            message = "surveillance/emails/flagged" + ("" if len(claimed) == 1 else "_several")
            send_to_users(
                [
                    (user, message, {"cases": claimed})
                    for user in officers_of(claimed[0].label.application)
                ]
            )
            announced += len(claimed)
    return announced


def _step(case: NonConformity) -> str:
    """The case as the label's history tells it, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("%(condition)s — measured: %(measured)s; to be put right by %(deadline)s.") % {
            "condition": case.title,
            "measured": case.measured or "—",
            "deadline": long_date(case.deadline),
        }
