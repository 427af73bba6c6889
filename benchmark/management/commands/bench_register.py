"""Measure the import of the enterprise register at full scale (docs/performance.md): write
a generated full extract (two million enterprises by default) and an update, then load each
with ``manage.py bce_import`` in a child process, and print its time and peak memory.

It loads into the database the settings name: point DATABASE_URL at a scratch database
(its register tables are replaced). Not part of the test suite, nor of CI."""

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from benchmark.register import write_full, write_update

CODES = (
    Path(settings.BASE_DIR) / "fixtures" / "register" / "KboOpenData_0210_2026_11_Full" / "code.csv"
)


# Runs manage.py in the child and writes its own peak memory (KB) last on stderr.
PEAK = (
    "import atexit, resource, runpy, sys\n"
    "atexit.register(lambda: sys.stderr.write("
    "f'\\npeak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n'))\n"
    "sys.argv = sys.argv[1:]\n"
    "runpy.run_path('manage.py', run_name='__main__')\n"
)


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--enterprises", type=int, default=2_000_000)
        parser.add_argument("--changed", type=int, default=2_000)
        parser.add_argument("--folder", help="keep the generated extracts there")
        parser.add_argument(
            "--reuse", action="store_true", help="load the extracts already in --folder"
        )

    def handle(self, *args, enterprises, changed, folder, reuse, **options):
        target = Path(folder or tempfile.mkdtemp(prefix="guichet-register-"))
        target.mkdir(parents=True, exist_ok=True)
        full, update = target / "full.zip", target / "update.zip"
        if not (reuse and full.exists() and update.exists()):
            started = time.monotonic()
            counts = write_full(full, enterprises, CODES)
            write_update(update, enterprises, changed, CODES, number=301)
            self.stdout.write(
                f"Generated in {time.monotonic() - started:.0f} s: {counts} "
                f"({full.stat().st_size / 1e6:.0f} MB zipped)"
            )
        for name, path in (("full", full), ("update", update)):
            self.measure(name, path)

    def measure(self, name: str, path: Path) -> None:
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-c", PEAK, "manage.py", "bce_import", str(path), "--no-progress"],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
        )
        elapsed = time.monotonic() - started
        peak = int(result.stderr.rsplit("peak ", 1)[-1]) if "peak " in result.stderr else 0
        self.stdout.write(result.stdout)
        if result.returncode:
            self.stderr.write(result.stderr)
        self.stdout.write(f"{name}: {elapsed:.1f} s, peak memory {peak / 1024:.0f} MB")
