"""The figures of a load run, as Markdown (printed, and kept in ``$LOAD_DIR/report.md``)."""

import datetime as dt
import math
import os
import platform
import re
from collections import Counter, defaultdict
from pathlib import Path


def percentile(values: list[float], rank: float) -> float:
    """Nearest-rank percentile of ``values`` (not empty)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(rank / 100 * len(ordered)) - 1)]


def describe(config, plan: dict) -> str:
    reviews = sum(len(r["assignments"]) for r in plan["reviewers"])
    return (
        f"Crowd: {len(plan['founders'])} founders, {len(plan['reviewers'])} reviewers "
        f"({reviews} accepted assignments), {len(plan['officers'])} officers, "
        f"{len(plan['ministry'])} ministry; pause {config.think:g} s on average between pages.\n"
        f"Phases: main {config.duration:g} s, fault {config.fault:g} s "
        f"(connections cut every {config.fault_every:g} s), recovery {config.recovery:g} s."
    )


def table(samples) -> list[str]:
    """One line per kind of request, then the total."""
    by_kind = defaultdict(list)
    for sample in samples:
        by_kind[sample.kind].append(sample)
    lines = [
        "| request | count | errors | 5xx | p50 ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for kind in sorted(by_kind):
        lines.append(row(kind, by_kind[kind]))
    if samples:
        lines.append(row("**all**", samples))
    return lines


def row(kind: str, samples) -> str:
    times = [sample.seconds * 1000 for sample in samples]
    errors = sum(not sample.expected for sample in samples)
    server_errors = sum(sample.status >= 500 for sample in samples)
    return (
        f"| {kind} | {len(samples)} | {errors} | {server_errors} | {percentile(times, 50):.0f} "
        f"| {percentile(times, 95):.0f} | {max(times):.0f} |"
    )


def writes(attempts, phase: str) -> str:
    counts = Counter((a.subject, a.outcome) for a in attempts if a.phase == phase)
    subjects = sorted({subject for subject, _outcome in counts})
    parts = []
    for subject in subjects:
        accepted, refused = counts[(subject, "accepted")], counts[(subject, "refused")]
        unknown = counts[(subject, "unknown")]
        parts.append(f"{subject} {accepted} accepted / {refused} refused / {unknown} unknown")
    return "; ".join(parts) or "none"


def fault_figures(samples) -> tuple[list[str], int]:
    """How each answer of the fault phase looked; the number of unclean ones."""
    kinds = Counter()
    examples = []
    for sample in samples:
        if sample.expected:
            kinds["success"] += 1
        elif sample.truncated:
            # Once a streamed file has begun, cutting it is the only honest signal left:
            # the browser reports the download as failed.
            kinds[f"download cut short after its {sample.status} status line"] += 1
            examples.append(f"{sample.kind}: {sample.status} {sample.error}")
        elif sample.clean_error:
            kinds[f"clean {sample.status} page"] += 1
        elif sample.status == 0 or sample.status >= 500:
            kinds["unclean (traceback, server's bare page or no answer)"] += 1
            examples.append(f"{sample.kind}: {sample.status} {sample.error}".strip())
        else:
            kinds[f"other unexpected {sample.status}"] += 1
            examples.append(f"{sample.kind}: {sample.status}")
    lines = [f"- {label}: {count}" for label, count in kinds.most_common()]
    lines += [f"  - e.g. {example}" for example in sorted(set(examples))[:10]]
    unclean = sum(c for label, c in kinds.items() if label.startswith(("unclean", "other")))
    return lines, unclean


# A record of Django's log ("2026-… ERROR django.request …") or of gunicorn's own
# ("[2026-… +0100] [pid] [ERROR] Error handling request", when a streamed body fails).
RECORD = re.compile(
    r"^(?:\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (?P<level>\w+) [\w.]+ "
    r"|\[\d{4}-[^\]]*\] \[\d+\] \[(?P<gunicorn_level>\w+)\] )(?P<message>.*)$",
    re.M,
)


def server_errors(log: Path) -> list[str]:
    """The errors logged, grouped by message and the exception that ended the record's
    traceback, most frequent first."""
    text = log.read_text(errors="replace") if log.exists() else ""
    found = Counter()
    for record in RECORD.finditer(text):
        if (record["level"] or record["gunicorn_level"]) != "ERROR":
            continue
        following = RECORD.search(text, record.end())
        body = text[record.end() : following.start() if following else len(text)]
        # Python's "Exception ignored in …" notes (a generator closed late) follow on their own.
        body = body.split("\nException ignored in")[0]
        # The exception is the last line that is not indented (its message may go on).
        last = next((line for line in reversed(body.splitlines()) if line[:1].strip()), "")
        message = re.sub(r"/\d+/", "/<id>/", record["message"])
        found[f"{message} — {last.strip()[:140]}"] += 1
    return [f"- `{line}` ({count})" for line, count in found.most_common(10)]


def server_times(access_log: Path, start: float, end: float) -> list[str]:
    """Time spent inside gunicorn per route between ``start`` and ``end`` (epoch seconds),
    from its access log: the client's figures minus the wait in the listen queue."""
    by_route = defaultdict(list)
    text = access_log.read_text(errors="replace") if access_log.exists() else ""
    for line in text.splitlines():
        stamp, _sep, rest = line.partition("] ")
        try:
            moment = dt.datetime.strptime(stamp.lstrip("["), "%d/%b/%Y:%H:%M:%S %z")
            method, path, _status, milliseconds = rest.split()
        except ValueError:
            continue
        if start <= moment.timestamp() < end:
            route = re.sub(r"/\d+(?=/|\.|$)", "/<id>", path)
            by_route[f"{method} {route}"].append(int(milliseconds))
    lines = ["| route | count | p50 ms | p95 ms | max ms |", "|---|---:|---:|---:|---:|"]
    for route, times in sorted(by_route.items()):
        lines.append(
            f"| `{route}` | {len(times)} | {percentile(times, 50):.0f} "
            f"| {percentile(times, 95):.0f} | {max(times):.0f} |"
        )
    return lines


def recovered(seconds: float | None) -> str:
    return "never" if seconds is None else f"{seconds:.1f} s"


def machine() -> str:
    return f"{os.cpu_count()} CPU, {platform.python_implementation()} {platform.python_version()}"


def summarise(config, recorder, ledger, facts: dict, log: Path) -> tuple[str, list[str]]:
    """The report, and the reasons the run fails (none when it passes)."""
    phases = defaultdict(list)
    for sample in recorder.samples:
        phases[sample.phase].append(sample)
    main = phases["main"]
    lines = [
        "## Load run",
        "",
        f"Machine: {machine()}; gunicorn {config.workers} sync workers; PostgreSQL on loopback.",
        "Load average (1, 5, 15 min): "
        + "; ".join(f"{label} {value}" for label, value in facts["load"])
        + ".",
        "",
        "### Alone (each page three times, one request at a time, before the crowd)",
        "",
        *table(phases["alone"]),
        "",
        f"### Sign-in ({facts['signed_in']} of {facts['people']} people signed in, staggered "
        f"over {config.ramp:g} s, all done after {facts['sign_in_seconds']:.0f} s)",
        "",
        *table(phases["sign-in"]),
        "",
        f"### Main phase ({config.duration:g} s, {len(main) / config.duration:.1f} requests/s)",
        "",
        *table(main),
        "",
        f"Writes: {writes(ledger.attempts, 'main')}.",
        "",
        "Time inside gunicorn in the main phase, per route (its access log; the difference "
        "with the figures above is the wait for a free worker):",
        "",
        *server_times(log.with_name("access.log"), facts["main_started"], facts["main_ended"]),
    ]
    failures = []
    main_errors = sum(not s.expected for s in main + phases["sign-in"] + phases["alone"])
    if main_errors:
        failures.append(f"{main_errors} unexpected answers in the sign-in or main phase")
    if facts["signed_in"] < facts["people"]:
        failures.append(f"{facts['people'] - facts['signed_in']} people could not sign in")
    if config.fault:
        cut = facts["cuts"]
        figures, unclean = fault_figures(phases["fault"])
        recovery = phases["recovery"]
        lines += [
            "",
            f"### Fault phase ({config.fault:g} s)",
            "",
            f"Connections terminated: {sum(cut)} in {len(cut)} rounds. "
            f"{len(phases['fault'])} requests:",
            "",
            *figures,
            "",
            f"Writes: {writes(ledger.attempts, 'fault')}.",
            "",
            f"### Recovery phase ({config.recovery:g} s)",
            "",
            f"/health/ answered 200 {recovered(facts['recovered_after'])} after the fault.",
            "",
            *table(recovery),
            "",
            f"Writes: {writes(ledger.attempts, 'recovery')}.",
        ]
        if unclean:
            failures.append(f"{unclean} unclean answers in the fault phase")
        if facts["recovered_after"] is None:
            failures.append("/health/ did not recover after the fault")
        recovery_errors = sum(not s.expected for s in recovery)
        if recovery_errors:
            failures.append(f"{recovery_errors} unexpected answers after the fault")
    accepted = sum(a.outcome == "accepted" for a in ledger.attempts)
    missing, committed = facts["missing"], facts["committed"]
    lines += ["", "### Database check", ""]
    lines.append(f"{accepted} accepted writes checked; {len(missing)} missing.")
    lines += [f"- {item}" for item in missing[:20]]
    unknown = sum(a.outcome == "unknown" for a in ledger.attempts)
    lines += [
        "",
        f"Of {unknown} writes answered with an error or not at all, {len(committed)} were "
        "committed nevertheless (the person was shown an error page):",
        *(f"- {a.subject} {a.key} answered {a.status}: {sorted(a.values)}" for a in committed[:10]),
    ]
    if missing:
        failures.append(f"{len(missing)} accepted writes missing from the database")
    logged = server_errors(log)
    lines += ["", "### Exceptions in the gunicorn log", "", *(logged or ["none"])]
    lines += [
        "",
        "**Result: " + ("FAILED — " + "; ".join(failures) if failures else "passed") + "**",
    ]
    return "\n".join(lines) + "\n", failures


# The deadline-day rush (SCENARIO=rush) ---------------------------------------------------

# The requests whose p95 the rush is judged on (the submit) or reported for.
RUSH_KINDS = ["founder: submit dossier", "founder: upload document", "officer: dossier list"]
SUBMIT_BUDGET = 1.0  # seconds: the p95 of the submit request must stay under it


def spread(seconds: list[float]) -> str:
    """p50 / p95 / p99 / max in milliseconds, for a line of text."""
    if not seconds:
        return "no request"
    ms = [value * 1000 for value in seconds]
    return (
        f"p50 {percentile(ms, 50):.0f} ms, p95 {percentile(ms, 95):.0f} ms, "
        f"p99 {percentile(ms, 99):.0f} ms, max {max(ms):.0f} ms ({len(ms)} requests)"
    )


def rush_table(samples) -> list[str]:
    """One line per kind of request with p99, then the total."""
    by_kind = defaultdict(list)
    for sample in samples:
        by_kind[sample.kind].append(sample)
    lines = [
        "| request | count | errors | 5xx | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for kind, group in sorted(by_kind.items()) + ([("**all**", samples)] if samples else []):
        times = [sample.seconds * 1000 for sample in group]
        lines.append(
            f"| {kind} | {len(group)} | {sum(not s.expected for s in group)} "
            f"| {sum(s.status >= 500 for s in group)} | {percentile(times, 50):.0f} "
            f"| {percentile(times, 95):.0f} | {percentile(times, 99):.0f} | {max(times):.0f} |"
        )
    return lines


def submission_counts(submissions, deadline: dt.datetime) -> dict[str, int]:
    """How the presses of "Submit" ended, against the deadline's last second."""
    end = deadline.timestamp() + 1
    confirmed = [s for s in submissions if s.verdict == "confirmed"]
    refused = [s for s in submissions if s.verdict == "refused"]
    return {
        "pressed": len(submissions),
        "confirmed": len(confirmed),
        "refused": len(refused),
        "other": len(submissions) - len(confirmed) - len(refused),
        "planned late": sum(s.planned_late for s in submissions),
        "refused, planned late": sum(s.planned_late for s in refused),
        # Sent in time, answered after the deadline: queued for a worker past it.
        "sent in time, refused": sum(s.sent < end for s in refused),
        "sent in time, answered late, confirmed": sum(s.answered >= end for s in confirmed),
    }


def summarise_rush(config, recorder, submissions, facts: dict, log: Path):
    """The rush's report, and the reasons it fails (none when it passes)."""
    samples = recorder.samples
    deadline = facts["deadline"]
    by_kind = defaultdict(list)
    for sample in samples:
        by_kind[sample.kind].append(sample.seconds)
    counts = submission_counts(submissions, deadline)
    confirmed = [s for s in submissions if s.verdict == "confirmed"]
    last = max((s.answered for s in confirmed), default=None)
    stored = facts["stored"]
    lines = [
        "## Load run: deadline-day rush",
        "",
        f"Machine: {machine()}; gunicorn {config.workers} sync workers, "
        "TASKS_BACKEND=database with one db_worker; PostgreSQL on loopback.",
        "Load average (1, 5, 15 min): "
        + "; ".join(f"{label} {value}" for label, value in facts["load"])
        + ".",
        f"{facts['founders']} founders ({counts['planned late']} pressing after the deadline), "
        f"{config.officers} officers; deadline {config.window:g} s after the start, at "
        f"{deadline:%H:%M:%S} UTC; pause {config.think:g} s on average between pages.",
        f"Signed in: {facts['signed_in']} of {facts['founders']} founders.",
        "",
        "### Figures",
        "",
        *(f"- **{kind}**: {spread(by_kind[kind])}" for kind in RUSH_KINDS),
        "",
        *rush_table(samples),
        "",
        "### Submissions",
        "",
        *(f"- {label}: {count}" for label, count in counts.items()),
        "- last confirmation answered "
        + (
            "never"
            if last is None
            else f"{last - deadline.timestamp() - 1:+.1f} s from the deadline's end"
        ),
        "",
        "Time inside gunicorn per route (its access log; the difference with the figures "
        "above is the wait for a free worker):",
        "",
        *server_times(log.with_name("access.log"), facts["started"], facts["ended"]),
        "",
        "### Database check",
        "",
        f"Confirmed submissions found submitted: {stored['submitted']} of {counts['confirmed']}; "
        f"receipts {stored['receipts']} (files present: {stored['files']}); required documents "
        f"{stored['documents']}. Accepted writes missing: {len(facts['missing'])}. Emails by "
        f"state after the run: {stored['emails']}.",
        *(f"- {problem}" for problem in facts["problems"][:30]),
        *(f"- {item}" for item in facts["missing"][:20]),
    ]
    failures = []
    server_errors_count = sum(s.status >= 500 for s in samples)
    unexpected = sum(not s.expected for s in samples)
    if server_errors_count:
        failures.append(f"{server_errors_count} server errors")
    if unexpected:
        failures.append(f"{unexpected} unexpected answers")
    if facts["signed_in"] < facts["founders"]:
        failures.append(f"{facts['founders'] - facts['signed_in']} founders could not sign in")
    if facts["problems"]:
        failures.append(f"{len(facts['problems'])} submissions wrong (see the database check)")
    if facts["missing"]:
        failures.append(f"{len(facts['missing'])} accepted writes missing from the database")
    submits = by_kind["founder: submit dossier"]
    if submits and percentile(submits, 95) >= SUBMIT_BUDGET:
        failures.append(f"p95 of the submit request {percentile(submits, 95):.2f} s ≥ 1 s")
    if not submits:
        failures.append("no submission was sent")
    logged = server_errors(log)
    lines += ["", "### Exceptions in the gunicorn log", "", *(logged or ["none"])]
    lines += [
        "",
        "**Result: " + ("FAILED — " + "; ".join(failures) if failures else "passed") + "**",
    ]
    return "\n".join(lines) + "\n", failures
