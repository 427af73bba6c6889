"""The deadline-day rush's own arithmetic: who arrives when, how an answer is read, which
presses of "Submit" break the rules, and the percentiles of the report."""

import datetime as dt

from django.utils import translation
from django.utils.translation import gettext

from tests.load.client import Response
from tests.load.report import percentile, submission_counts
from tests.load.rush import LEAD, schedule
from tests.load.users import CALL_CLOSED, CONFIRMED, Submission, verdict
from tests.load.verify import timing_problems

DEADLINE = dt.datetime(2026, 12, 6, 15, 0, 0, tzinfo=dt.UTC)
END = DEADLINE.timestamp() + 1  # the deadline is its last second, all of it


def press(verdict="confirmed", sent=-10.0, answered=-9.5, planned_late=False) -> Submission:
    """A press of "Submit" at ``sent`` seconds from the end of the deadline's second."""
    return Submission("f@x.test", 1, planned_late, END + sent, END + answered, 302, verdict)


def test_the_portal_words_are_its_french_translations():
    with translation.override("fr-be"):
        closed = gettext("The call is closed: the submission deadline has passed.")
        submitted = gettext("Your application is submitted under reference %(reference)s.")
    assert closed.replace("\xa0", " ") == CALL_CLOSED
    assert submitted.startswith(CONFIRMED)


def test_a_redirect_to_the_confirmation_is_confirmed_with_its_reference():
    answer = Response(302, {"location": "/applications/7/"}, b"")
    page = Response(200, {}, f"<li>{CONFIRMED} CW-2026-0042.</li>".encode())
    assert verdict(answer, page) == ("confirmed", "CW-2026-0042")


def test_the_call_closed_reason_is_read_through_entities_and_hard_spaces():
    body = "<li>L&#x27;appel est clôturé\xa0: la date limite de dépôt est dépassée.</li>"
    assert verdict(Response(200, {}, body.encode()), None) == ("refused", "")


def test_any_other_answer_is_neither():
    assert verdict(Response(200, {}, b"<p>Formulaire</p>"), None) == ("other", "")
    assert verdict(Response(503, {}, b""), None) == ("other", "")
    answer = Response(302, {"location": "/applications/7/"}, b"")
    assert verdict(answer, Response(200, {}, b"<p>Dossier</p>")) == ("other", "")


def test_the_schedule_spreads_punctual_founders_and_keeps_late_ones_past_the_deadline():
    moments = schedule(200, 600, 0.08, seed=3)
    late = [m for m in moments if m.submit is not None]
    punctual = [m for m in moments if m.submit is None]
    assert len(moments) == 200 and len(late) == 16
    assert all(0 <= m.start <= 600 - LEAD for m in punctual)
    assert all(510 <= m.start <= 555 and 601 <= m.submit <= 630 for m in late)
    assert schedule(200, 600, 0.08, seed=3) == moments


def test_a_short_window_still_has_moments_within_it():
    moments = schedule(10, 20, 0.1)
    assert all(m.start >= 0 for m in moments)


def test_timing_rules():
    fine = [
        press("confirmed", sent=-5, answered=-4),
        # sent in the deadline's last second, answered after it: the portal decides
        press("confirmed", sent=-0.5, answered=0.4),
        press("refused", sent=-0.5, answered=0.4),
        press("refused", sent=3, answered=3.5, planned_late=True),
    ]
    assert timing_problems(fine, DEADLINE) == []
    wrong = [
        press("confirmed", sent=2, answered=2.5),
        press("refused", sent=-3, answered=-2),
        press("other", sent=-3, answered=-2),
    ]
    problems = timing_problems(wrong, DEADLINE)
    assert len(problems) == 3
    assert "confirmed though sent 2.0 s too late" in problems[0]
    assert "refused though answered 2.0 s early" in problems[1]
    assert "neither confirmed nor refused" in problems[2]


def test_submission_counts_tell_the_queued_ones_apart():
    counts = submission_counts(
        [
            press("confirmed"),
            press("confirmed", sent=-0.5, answered=0.4),
            press("refused", sent=-0.5, answered=0.4),
            press("refused", sent=3, answered=3.5, planned_late=True),
        ],
        DEADLINE,
    )
    assert counts["confirmed"] == 2 and counts["refused"] == 2 and counts["other"] == 0
    assert counts["planned late"] == 1 and counts["refused, planned late"] == 1
    assert counts["sent in time, refused"] == 1
    assert counts["sent in time, answered late, confirmed"] == 1


def test_percentile_is_the_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile(values, 99) == 99
    assert percentile([7.0], 99) == 7.0
    assert percentile([3, 1, 2], 50) == 2
