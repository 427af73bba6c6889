"""Load an extract of the enterprise register (BCE/KBO open data): the monthly full file or a
daily update file, zipped as published or unzipped in a folder; meta.csv says which. One
transaction: on any error nothing is loaded. Bad rows are skipped and listed with their file
and line, up to ``--max-bad-rows`` (beyond, nothing is loaded). docs/enterprise-register.md"""

import sys

from django.core.management.base import BaseCommand, CommandError

from portal.registerimport import ExtractError, default_progress, import_extract


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("path", help="KboOpenData_<number>_<date>_Full.zip or _Update.zip")
        parser.add_argument("--max-bad-rows", type=int, default=100)
        parser.add_argument(
            "--force",
            action="store_true",
            help="load an extract older than the last one, or an update that skips some",
        )
        parser.add_argument(
            "--progress",
            action="store_true",
            default=None,
            help="draw the progress bar on stderr (by default only on a terminal)",
        )
        parser.add_argument("--no-progress", dest="progress", action="store_false")

    def handle(self, *args, path, max_bad_rows, force, progress, **options):
        stream = default_progress() if progress is None else (sys.stderr if progress else None)
        try:
            result = import_extract(path, max_bad_rows=max_bad_rows, force=force, progress=stream)
        except (ExtractError, OSError) as error:
            raise CommandError(str(error)) from None
        for bad in result.bad_rows:
            self.stderr.write(f"bad row: {bad}")
        if result.bad_row_count > len(result.bad_rows):
            self.stderr.write(f"… and {result.bad_row_count - len(result.bad_rows)} more")
        self.stdout.write(
            f"Extract {result.number} ({result.kind}, {result.snapshot_date:%d/%m/%Y}) loaded."
        )
        for name, count in result.counts.items():
            self.stdout.write(f"  {name}: {count}")
        if result.bad_row_count:
            self.stdout.write(f"  bad rows skipped: {result.bad_row_count}")
