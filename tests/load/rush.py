"""The deadline-day rush behind ``make load SCENARIO=rush``: founders finishing their
dossiers in the last minutes before the call closes, while officers read its lists.

What it does, in order:

1. recreates ``guichet_load``, migrates it, loads the demo and seeds ``FOUNDERS`` founders
   (200 by default) whose draft on the open call lacks only the business plan's last answer
   and its three documents (``tests.load.seed.seed_rush``), and ``OFFICERS`` officers (3);
2. starts gunicorn (``WORKERS`` sync workers) with ``TASKS_BACKEND=database``, and the
   database backend's worker (``manage.py db_worker``, as ``make worker``), which sends the
   emails queued by each submission: the receipt itself is drawn in the request;
3. sets the call's deadline ``RUSH_WINDOW`` seconds (600) from now, to the second;
4. each founder comes at a moment of their own spread over the window, signs in, opens the
   dossier, writes the last answer, uploads three PDFs and submits; ``LATE`` of them (8 %)
   keep the submission page open and press the button 1 to 30 s after the deadline. The
   officers read the dossier list with filters until the last founder is done;
5. stops gunicorn and the worker, checks the answers and the database
   (``tests.load.verify.rush_problems``) and writes the figures (``tests.load.report``).

It exits non-zero on any server error, any submission neither confirmed nor refused with
the call-closed reason, any confirmed submission missing, late or without its receipt and
documents, any refused one not left a draft, or a p95 of the submit request of 1 s or more.
"""

import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import django
from django.core.management import call_command
from django.db import connections

from tests.load import report
from tests.load.client import Browser, Recorder
from tests.load.run import (
    BASE_DIR,
    free_port,
    load_average,
    recreate_database,
    server_environment,
    start_server,
    stop_server,
    wait_for_health,
)
from tests.load.users import Ledger, RushFounder, RushOfficer, Submissions

# Seconds a founder needs, on a quiet machine, from arriving to pressing "Submit": those
# who come later than this before the deadline are the ones who may miss it.
LEAD = 30


@dataclass(frozen=True)
class Moment:
    """When one founder arrives and, for a late one, presses the button (seconds from the
    start of the window)."""

    start: float
    submit: float | None = None


def schedule(founders: int, window: float, late_share: float, seed: int = 0) -> list[Moment]:
    """The founders' moments: the punctual ones arrive anywhere from the window's start to
    ``LEAD`` seconds before the deadline; ``late_share`` of them arrive 45 to 90 s before it
    and press the button 1 to 30 s after it."""
    generator = random.Random(seed)
    late = round(founders * late_share)
    moments = [
        Moment(generator.uniform(0, max(0.0, window - LEAD))) for _ in range(founders - late)
    ]
    moments += [
        Moment(
            generator.uniform(max(0.0, window - 90), max(0.0, window - 45)),
            window + generator.uniform(1, 30),
        )
        for _ in range(late)
    ]
    generator.shuffle(moments)
    return moments


def prepare(config) -> dict:
    recreate_database(config)
    django.setup()
    from tests.load.seed import seed_rush

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    call_command("demo", quiet=True)
    plan = seed_rush(config.founders, config.officers)
    connections.close_all()
    return plan


def set_deadline(slug: str, moment: float) -> dt.datetime:
    """Close the call at ``moment`` (epoch seconds, cut to the second); the deadline."""
    from applications.models import Call

    deadline = dt.datetime.fromtimestamp(int(moment), dt.UTC)
    Call.objects.filter(slug=slug).update(closes_at=deadline)
    return deadline


def start_worker(config, log: Path) -> subprocess.Popen:
    """The database task backend's worker, as ``make worker`` runs it."""
    command = [sys.executable, "manage.py", "db_worker", "--queue-name", "default,exports"]
    with log.open("wb") as output:
        return subprocess.Popen(command, cwd=BASE_DIR, stdout=output, stderr=subprocess.STDOUT)


def work(config, plan: dict, port: int) -> tuple:
    """The rush: the deadline set, the founders at their moments, the officers reading."""
    recorder, ledger, submissions = Recorder(), Ledger(), Submissions()
    recorder.phase = "rush"
    go, stop = threading.Event(), threading.Event()
    started = time.time()
    deadline = set_deadline(plan["open_call"], started + config.window)
    facts = {"started": started, "deadline": deadline, "load": [("start", load_average())]}
    moments = schedule(len(plan["founders"]), config.window, config.late_share)

    def common(email: str, n: int, delay: float = 0.0) -> dict:
        return {
            "email": email,
            "password": plan["password"],
            "browser": Browser("127.0.0.1", port, recorder),
            "ledger": ledger,
            "go": go,
            "stop": stop,
            "think": (0.5 * config.think, 1.5 * config.think),
            "seed": n,
            "delay": delay,
        }

    founders = [
        RushFounder(
            **common(founder["email"], n),
            application=founder["application"],
            business_section=plan["business_section"],
            document_types=plan["document_types"],
            start_at=started + moment.start,
            submit_at=None if moment.submit is None else started + moment.submit,
            submissions=submissions,
        )
        for n, (founder, moment) in enumerate(zip(plan["founders"], moments, strict=True))
    ]
    officers = [
        RushOfficer(**common(email, 10_000 + n, delay=n), open_call=plan["open_call"])
        for n, email in enumerate(plan["officers"])
    ]
    go.set()
    for person in founders + officers:
        person.start()
    time.sleep(max(0.0, deadline.timestamp() - time.time()))
    facts["load"].append(("deadline", load_average()))
    for founder in founders:
        founder.join(timeout=max(1.0, deadline.timestamp() + 120 - time.time()))
    stop.set()
    for person in founders + officers:
        person.join(timeout=70)
    facts["ended"] = time.time()
    facts["load"].append(("end", load_average()))
    facts["signed_in"] = sum(founder.signed_in.is_set() for founder in founders)
    facts["founders"] = len(founders)
    return recorder, ledger, submissions, facts


def main(config) -> int:
    shutil.rmtree(config.workdir, ignore_errors=True)
    (config.workdir / "private").mkdir(parents=True)
    port = free_port()
    # The receipt is drawn in the request; the emails each submission queues go to the
    # database backend, whose worker sends them (nowhere: dummy backend).
    os.environ.update(server_environment(config, port) | {"TASKS_BACKEND": "database"})
    print(f"Preparing {config.database_name} (demo and rush seed)…", flush=True)
    began = time.monotonic()
    plan = prepare(config)
    print(f"  ready in {time.monotonic() - began:.0f} s", flush=True)
    log = config.workdir / "gunicorn.log"
    server = start_server(config, port, log)
    worker = start_worker(config, config.workdir / "worker.log")
    try:
        if wait_for_health(port, server) is None:
            raise SystemExit("/health/ did not answer 200 within 30 s; see the gunicorn log.")
        print(
            f"gunicorn ({config.workers} workers) and db_worker on 127.0.0.1:{port}; "
            f"{len(plan['founders'])} founders, {len(plan['officers'])} officers; "
            f"deadline in {config.window:g} s",
            flush=True,
        )
        recorder, ledger, submissions, facts = work(config, plan, port)
    finally:
        stop_server(server)
        stop_server(worker)
    from tests.load.verify import missing_writes, rush_problems

    facts["missing"] = missing_writes(ledger.attempts)
    facts["problems"], facts["stored"] = rush_problems(
        submissions.items, plan["open_call"], facts["deadline"]
    )
    text, failures = report.summarise_rush(config, recorder, submissions.items, facts, log)
    (config.workdir / "report.md").write_text(text)
    print(text)
    print(f"(written to {config.workdir / 'report.md'})")
    return 1 if failures else 0
