"""The load run behind ``make load``: a fixed crowd against gunicorn on PostgreSQL.

What it does, in order:

1. drops and recreates the PostgreSQL database ``guichet_load``, migrates it, collects the
   static files, loads the demo and seeds the crowd's accounts and dossiers
   (``tests.load.seed``);
2. starts gunicorn on a free loopback port with production settings (``DEBUG=0``, HTTPS
   policy on, behind an imaginary TLS proxy: see ``tests.load.client``);
3. *alone*: opens the heavier pages three times, one request at a time, for reference;
4. *sign-in*: everyone signs in, staggered over ``RAMP`` seconds (passwords are hashed
   slowly on purpose, so a crowd signing in at once is a load of its own);
5. *main*: founders, reviewers, officers and ministry staff (``tests.load.users``) work for
   ``DURATION`` seconds, which must answer no 5xx at all;
6. *fault*: for ``FAULT`` more seconds the crowd keeps working while the portal's
   database connections are terminated every ``FAULT_EVERY`` seconds; each answer must be
   a success or a clean error page (500 or 503, the portal's own page);
7. *recovery*: ``RECOVERY`` seconds of normal work, again without any 5xx;
8. stops gunicorn, checks that every write the portal accepted is in the database
   (``tests.load.verify``) and prints the figures (``tests.load.report``).

It exits non-zero on any 5xx or unexpected answer outside the fault phase, an unclean
answer in the fault phase, or a missing write. Why: SPEC §8 asks for a portal that stays
correct under a programme's peak (the days before a deadline), not only fast on one request.

Settings (environment): DURATION=120 FAULT=30 FAULT_EVERY=3 RECOVERY=15 FOUNDERS=20
REVIEWERS=5 OFFICERS=2 MINISTRY=1 REVIEW_DOSSIERS=60 WORKERS=3 THINK=1.0 (mean pause between
pages, seconds) RAMP=20 LOAD_DATABASE_URL=postgres://postgres@127.0.0.1:5432/guichet_load
LOAD_DIR=/tmp/guichet-load (gunicorn's logs, uploads, report.md).

``SCENARIO=rush`` runs the deadline-day rush instead (``tests.load.rush``), with
FOUNDERS=200 OFFICERS=3 RUSH_WINDOW=600 LATE=0.08 by default.
"""

import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import django
import psycopg
from django.core.management import call_command
from django.db import connections
from psycopg import sql

from tests.load import report
from tests.load.client import Browser, Recorder
from tests.load.users import Founder, Ledger, Ministry, Officer, Reviewer

BASE_DIR = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Config:
    duration: float
    fault: float
    fault_every: float
    recovery: float
    founders: int
    reviewers: int
    officers: int
    ministry: int
    review_dossiers: int
    workers: int
    think: float
    ramp: float
    database_url: str
    workdir: Path
    scenario: str = "default"
    window: float = 600  # the rush: seconds from its start to the deadline
    late_share: float = 0.08  # the rush: founders who press "Submit" after the deadline

    @classmethod
    def from_environ(cls) -> "Config":
        env = os.environ.get
        scenario = env("SCENARIO", "default")
        if scenario not in ("default", "rush"):
            raise SystemExit(f"SCENARIO must be default or rush, not {scenario!r}.")
        rush = scenario == "rush"
        return cls(
            duration=float(env("DURATION", "120")),
            fault=float(env("FAULT", "30")),
            fault_every=float(env("FAULT_EVERY", "3")),
            recovery=float(env("RECOVERY", "15")),
            founders=int(env("FOUNDERS", "200" if rush else "20")),
            reviewers=int(env("REVIEWERS", "5")),
            officers=int(env("OFFICERS", "3" if rush else "2")),
            ministry=int(env("MINISTRY", "1")),
            review_dossiers=int(env("REVIEW_DOSSIERS", "60")),
            workers=int(env("WORKERS", "3")),
            think=float(env("THINK", "1.0")),
            ramp=float(env("RAMP", "20")),
            database_url=env(
                "LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/guichet_load"
            ),
            workdir=Path(env("LOAD_DIR", "/tmp/guichet-load")),
            scenario=scenario,
            window=float(env("RUSH_WINDOW", "600")),
            late_share=float(env("LATE", "0.08")),
        )

    @property
    def database_name(self) -> str:
        return urllib.parse.urlsplit(self.database_url).path.lstrip("/")

    @property
    def maintenance_url(self) -> str:
        """The same server's ``postgres`` database, to create, drop and disturb ours."""
        return urllib.parse.urlsplit(self.database_url)._replace(path="/postgres").geturl()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(config: Config, port: int) -> dict[str, str]:
    """Production settings on loopback: only environment variables, as in production."""
    return {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"https://127.0.0.1:{port}",
        # TLS ends at a proxy that says so; the client sends X-Forwarded-Proto: https.
        "TRUST_X_FORWARDED_PROTO": "1",
        "DATABASE_URL": config.database_url,
        "PRIVATE_STORAGE_ROOT": str(config.workdir / "private"),
        # Emails are sent in the request (TASKS_BACKEND=immediate) but go nowhere.
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "TASKS_BACKEND": "immediate",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }


def terminate_connections(config: Config) -> int:
    """Cut every connection to the load database but ours; how many were cut."""
    with psycopg.connect(config.maintenance_url, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [config.database_name],
        ).fetchall()
    return len(rows)


def recreate_database(config: Config) -> None:
    name = sql.Identifier(config.database_name)
    with psycopg.connect(config.maintenance_url, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(name))


def prepare(config: Config) -> dict:
    """A fresh database with the demo and the crowd's data; what the crowd must know."""
    recreate_database(config)
    django.setup()
    # The seed and the check use the models: they are imported once Django is set up.
    from tests.load.seed import Counts, seed

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    call_command("demo", quiet=True)
    plan = seed(
        Counts(
            config.founders,
            config.reviewers,
            config.officers,
            config.ministry,
            config.review_dossiers,
        )
    )
    connections.close_all()
    return plan


def start_server(config: Config, port: int, log: Path) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "portal.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(config.workers),
        "--no-control-socket",
        "--access-logfile",
        str(log.with_name("access.log")),
        "--access-logformat",
        "%(t)s %(m)s %(U)s %(s)s %(M)s",
    ]
    with log.open("wb") as output:
        return subprocess.Popen(
            command, cwd=BASE_DIR, stdout=output, stderr=subprocess.STDOUT, env=os.environ.copy()
        )


def wait_for_health(port: int, server=None, timeout: float = 30) -> float | None:
    """Seconds until /health/ answers 200 (None if it did not within ``timeout``)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if server is not None and server.poll() is not None:
            raise SystemExit("gunicorn stopped before answering /health/; see its log.")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", "/health/", headers={"Host": f"127.0.0.1:{port}"})
            if connection.getresponse().status == 200:
                return time.monotonic() - started
        except (OSError, http.client.HTTPException):
            pass
        finally:
            connection.close()
        time.sleep(0.2)
    return None


def stop_server(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def crowd(config: Config, plan: dict, port: int, recorder, ledger, go, stop) -> list:
    """Everyone of the run, each with their own browser, signing in over ``RAMP`` seconds."""
    people = []
    total = len(plan["founders"]) + len(plan["reviewers"])
    total += len(plan["officers"]) + len(plan["ministry"])

    def common(email: str):
        n = len(people)
        return {
            "email": email,
            "password": plan["password"],
            "browser": Browser("127.0.0.1", port, recorder),
            "ledger": ledger,
            "go": go,
            "stop": stop,
            "think": (0.5 * config.think, 1.5 * config.think),
            "seed": n,
            "delay": n * config.ramp / max(1, total),
        }

    for founder in plan["founders"]:
        people.append(
            Founder(
                **common(founder["email"]),
                application=founder["application"],
                call=plan["open_call"],
                document_types=plan["document_types"],
                form_sections=plan["form_sections"],
            )
        )
    for reviewer in plan["reviewers"]:
        people.append(Reviewer(**common(reviewer["email"]), assignments=reviewer["assignments"]))
    for email in plan["officers"]:
        people.append(
            Officer(**common(email), open_call=plan["open_call"], closed_call=plan["closed_call"])
        )
    for email in plan["ministry"]:
        people.append(
            Ministry(**common(email), programme=plan["programme"], closed_call=plan["closed_call"])
        )
    return people


def alone(plan: dict, port: int, recorder) -> None:
    """The heavier pages three times each, one request at a time, before the crowd comes:
    what each costs without waiting for a worker."""
    closed, opened = plan["closed_call"], plan["open_call"]
    visits = []
    if plan["founders"]:
        founder = plan["founders"][0]
        visits.append((founder["email"], [f"/applications/{founder['application']}/"]))
    if plan["officers"]:
        staff_pages = [
            f"/staff/calls/{opened}/",
            f"/staff/calls/{closed}/ranking/",
            "/staff/reports/",
            f"/staff/calls/{opened}/export.csv",
            f"/staff/calls/{closed}/export.xlsx",
        ]
        visits.append((plan["officers"][0], staff_pages))
    if plan["ministry"]:
        visits.append((plan["ministry"][0], ["/staff/statistics/", "/staff/statistics/report.pdf"]))
    for email, paths in visits:
        browser = Browser("127.0.0.1", port, recorder)
        if not browser.sign_in("alone: sign in", email, plan["password"]):
            continue
        for path in paths:
            for _ in range(3):
                browser.get(f"alone: {path}", path)


def disturb(config: Config, until: threading.Event, cut: list[int]) -> None:
    """The fault: cut the portal's database connections every ``fault_every`` seconds."""
    while not until.wait(config.fault_every):
        cut.append(terminate_connections(config))


def load_average() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def work(config: Config, plan: dict, port: int) -> tuple:
    """Run the three phases; the recorder, the ledger and the facts of the run (connections
    cut, time to recover, people signed in, the machine's load average along the way)."""
    recorder, ledger = Recorder(), Ledger()
    go, stop = threading.Event(), threading.Event()
    facts = {"cuts": [], "recovered_after": None, "load": [("start", load_average())]}
    alone(plan, port, recorder)
    recorder.phase = "sign-in"
    people = crowd(config, plan, port, recorder, ledger, go, stop)
    started = time.monotonic()
    for person in people:
        person.start()
    for person in people:
        person.signed_in.wait(timeout=max(1, config.ramp + 120 - (time.monotonic() - started)))
    facts["sign_in_seconds"] = time.monotonic() - started
    recorder.phase = "main"
    facts["main_started"] = time.time()
    go.set()
    time.sleep(config.duration)
    facts["main_ended"] = time.time()
    facts["load"].append(("end of main phase", load_average()))
    if config.fault:
        recorder.phase = "fault"
        fault_over = threading.Event()
        disturber = threading.Thread(target=disturb, args=(config, fault_over, facts["cuts"]))
        disturber.start()
        time.sleep(config.fault)
        fault_over.set()
        disturber.join()
        recorder.phase = "recovery"
        facts["recovered_after"] = wait_for_health(port)
        time.sleep(config.recovery)
        facts["load"].append(("end of recovery", load_average()))
    stop.set()
    for person in people:
        person.join(timeout=70)
    facts["signed_in"] = sum(person.signed_in.is_set() for person in people)
    facts["people"] = len(people)
    return recorder, ledger, facts


def main() -> int:
    config = Config.from_environ()
    if config.scenario == "rush":
        from tests.load import rush

        return rush.main(config)
    shutil.rmtree(config.workdir, ignore_errors=True)
    (config.workdir / "private").mkdir(parents=True)
    port = free_port()
    os.environ.update(server_environment(config, port))
    print(f"Preparing {config.database_name} (demo and seed)…", flush=True)
    started = time.monotonic()
    plan = prepare(config)
    print(f"  ready in {time.monotonic() - started:.0f} s", flush=True)
    log = config.workdir / "gunicorn.log"
    server = start_server(config, port, log)
    try:
        if wait_for_health(port, server) is None:
            raise SystemExit("/health/ did not answer 200 within 30 s; see the gunicorn log.")
        print(f"gunicorn ({config.workers} workers) on 127.0.0.1:{port}; log: {log}", flush=True)
        print(report.describe(config, plan), flush=True)
        recorder, ledger, facts = work(config, plan, port)
    finally:
        stop_server(server)
    from tests.load.verify import committed_despite_error, missing_writes

    facts["missing"] = missing_writes(ledger.attempts)
    facts["committed"] = committed_despite_error(ledger.attempts)
    text, failures = report.summarise(config, recorder, ledger, facts, log)
    (config.workdir / "report.md").write_text(text)
    print(text)
    print(f"(written to {config.workdir / 'report.md'})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
