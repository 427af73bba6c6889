"""After the load run: is every write the portal accepted in the database?

Runs inside Django. For each field a person wrote, the value stored must be the last one the
portal accepted, or the value of a later attempt whose outcome is unknown (a server error
or no answer: it may have been committed before the failure). Refused attempts (the form
came back) promise nothing.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from applications.models import Application, Document, EligibilityAnswer
from review.models import Review
from tests.load.users import Attempt

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
