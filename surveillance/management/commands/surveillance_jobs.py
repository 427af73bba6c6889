"""The daily surveillance job (run by cron after ``report_jobs``): evaluate every label
condition in force, open a non-conformity on each label that fails one and tell its holder,
flag the cases past their deadline and tell the programme's officers. Idempotent."""

from django.core.management.base import BaseCommand

from surveillance import watch


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        opened, flagged = watch.run()
        self.stdout.write(f"{opened} non-conformity(ies) opened, {flagged} flagged for suspension.")
