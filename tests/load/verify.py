"""After the load run: is every write the portal accepted in the database?

Runs inside Django. For each field a person wrote, the value stored must be the last one the
portal accepted, or the value of a later attempt whose outcome is unknown (a server error
or no answer: it may have been committed before the failure). Refused attempts (the form
came back) promise nothing.

For the deadline-day rush, ``rush_problems`` checks each press of "Submit" against the
deadline and the database: confirmed means submitted in time, with its receipt and its three
documents; refused means the call-closed reason and a dossier still a draft.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import Count

from applications.models import Application, Call, Document, EligibilityAnswer, to_the_second
from portal.models import OutgoingEmail
from review.models import Review
from tests.load.users import Attempt, Submission

DECIMALS = {"total_cost", "requested_amount"}


@dataclass
class Missing:
    subject: str
    key: tuple
    name: str
    expected: list
    stored: object

    def __str__(self) -> str:
        return (
            f"{self.subject} {self.key} {self.name}: stored {self.stored!r}, "
            f"expected one of {self.expected!r}"
        )


def canonical(name: str, value):
    """One spelling per value, so that what was posted compares with what was stored."""
    if value is None or isinstance(value, bool):
        return value
    if name in DECIMALS or name.startswith("score_"):
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return value
    if isinstance(value, list | set | tuple):
        return sorted(str(item) for item in value)
    return str(value)


def stored_application(key: tuple) -> dict:
    application = Application.objects.filter(pk=key[0]).first()
    if application is None:
        return {}
    fields = [name for _title, names in Application.SECTIONS.values() for name in names]
    values = {name: getattr(application, name) for name in fields}
    values.update(application.answers)
    values["exists"] = True
    values["submitted"] = (
        application.submitted_at is not None and application.state != Application.State.DRAFT
    )
    return values


def stored_document(key: tuple) -> dict:
    application, document_type = key
    present = Document.objects.filter(application=application, document_type=document_type).exists()
    return {"present": present}


def stored_answers(key: tuple) -> dict:
    return {
        f"question_{question}": "yes" if answer else "no"
        for question, answer in EligibilityAnswer.objects.filter(application=key[0]).values_list(
            "question", "answer"
        )
    }


def stored_review(key: tuple) -> dict:
    review = Review.objects.filter(assignment=key[0]).first()
    if review is None:
        return {}
    values = {
        "overall_comment": review.overall_comment,
        "recommendation": review.recommendation,
        "submitted": review.state == Review.State.SUBMITTED,
    }
    for score in review.scores.all():
        values[f"score_{score.criterion_id}"] = score.value
        values[f"comment_{score.criterion_id}"] = score.comment
    return values


READERS = {
    "application": stored_application,
    "document": stored_document,
    "answers": stored_answers,
    "review": stored_review,
}


def expected_values(attempts: list[Attempt], name: str) -> list | None:
    """The values ``name`` may hold: the last accepted one and any later unknown ones."""
    writes = [attempt for attempt in attempts if name in attempt.values]
    accepted = [i for i, attempt in enumerate(writes) if attempt.outcome == "accepted"]
    if not accepted:
        return None
    last = accepted[-1]
    later = [a.values[name] for a in writes[last + 1 :] if a.outcome == "unknown"]
    return [writes[last].values[name], *later]


def missing_writes(attempts: list[Attempt]) -> list[Missing]:
    """Every accepted write whose value is not in the database."""
    by_subject = defaultdict(list)
    for attempt in sorted(attempts, key=lambda a: a.seq):
        if attempt.key != (0,):
            by_subject[(attempt.subject, attempt.key)].append(attempt)
    missing = []
    for (subject, key), writes in by_subject.items():
        stored = READERS[subject](key)
        for name in {name for attempt in writes for name in attempt.values}:
            expected = expected_values(writes, name)
            if expected is None:
                continue
            value = canonical(name, stored.get(name))
            if value not in [canonical(name, item) for item in expected]:
                missing.append(Missing(subject, key, name, expected, stored.get(name)))
    return missing


def committed_despite_error(attempts: list[Attempt]) -> list[Attempt]:
    """Writes answered with an error (or no answer) that the database holds nevertheless:
    committed before the failure. Not a loss, but the person was told otherwise."""
    committed = []
    previous: dict[tuple, dict] = defaultdict(dict)
    for attempt in sorted(attempts, key=lambda a: a.seq):
        subject_key = (attempt.subject, attempt.key)
        if attempt.outcome == "unknown" and attempt.key != (0,):
            stored = READERS[attempt.subject](attempt.key)
            before = previous[subject_key]
            new = {n: v for n, v in attempt.values.items() if before.get(n) != v}
            if new and all(canonical(n, stored.get(n)) == canonical(n, v) for n, v in new.items()):
                committed.append(attempt)
        if attempt.outcome == "accepted":
            previous[subject_key].update(attempt.values)
    return committed


def timing_problems(submissions: list[Submission], deadline: dt.datetime) -> list[str]:
    """What the answers alone show wrong: neither confirmed nor refused with the reason,
    confirmed though sent after the deadline, refused though answered before it. The
    deadline is its last second, all of it (``applications.models.to_the_second``)."""
    end = deadline.timestamp() + 1
    problems = []
    for item in submissions:
        who = f"{item.email} (dossier {item.application})"
        if item.verdict == "other":
            problems.append(f"{who}: answered {item.status}, neither confirmed nor refused")
        elif item.verdict == "confirmed" and item.sent >= end:
            problems.append(f"{who}: confirmed though sent {item.sent - end:.1f} s too late")
        elif item.verdict == "refused" and item.answered < end:
            problems.append(f"{who}: refused though answered {end - item.answered:.1f} s early")
    return problems


def stored_problems(submissions: list[Submission], slug: str) -> tuple[list[str], dict]:
    """What the database shows wrong; and what it holds (counts of submitted dossiers,
    receipts and documents of the confirmed ones)."""
    call = Call.objects.get(slug=slug)
    by_pk = Application.objects.in_bulk([item.application for item in submissions])
    problems = []
    stored = {"submitted": 0, "receipts": 0, "documents": 0, "files": 0}
    required = set(call.document_types.filter(required=True).values_list("pk", flat=True))
    for item in submissions:
        application = by_pk[item.application]
        who = f"{item.email} (dossier {item.application})"
        receipts = list(application.receipts.all())
        if item.verdict == "refused":
            if application.state != Application.State.DRAFT or receipts:
                problems.append(
                    f"{who}: refused, but {application.state} with {len(receipts)} receipts"
                )
            continue
        if item.verdict != "confirmed":
            continue
        if application.state != Application.State.SUBMITTED or application.submitted_at is None:
            problems.append(f"{who}: confirmed, but {application.state} in the database")
            continue
        stored["submitted"] += 1
        if to_the_second(application.submitted_at) > call.closes_at:
            problems.append(f"{who}: submitted at {application.submitted_at}, after the deadline")
        if application.reference != item.reference:
            problems.append(f"{who}: reference {application.reference}, shown {item.reference}")
        files = [r for r in receipts if r.file and r.file.storage.exists(r.file.name)]
        stored["receipts"] += len(receipts)
        stored["files"] += len(files)
        if len(receipts) != 1 or len(files) != 1:
            problems.append(f"{who}: {len(receipts)} receipts, {len(files)} files of them")
        documents = set(application.documents.values_list("document_type", flat=True))
        stored["documents"] += len(documents & required)
        if not required <= documents:
            problems.append(f"{who}: {len(required - documents)} required documents missing")
    late = Application.objects.filter(
        call=call, submitted_at__gte=call.closes_at + dt.timedelta(seconds=1)
    )
    problems += [
        f"dossier {pk} submitted after the deadline" for pk in late.values_list("pk", flat=True)
    ]
    return problems, stored


def rush_problems(
    submissions: list[Submission], slug: str, deadline: dt.datetime
) -> tuple[list[str], dict]:
    """Everything wrong with the rush's submissions; what the database holds."""
    problems, stored = stored_problems(submissions, slug)
    # The emails each submission queued, sent by the worker (or still waiting).
    stored["emails"] = dict(
        OutgoingEmail.objects.values_list("state").annotate(n=Count("pk")).order_by("state")
    )
    return timing_problems(submissions, deadline) + problems, stored
