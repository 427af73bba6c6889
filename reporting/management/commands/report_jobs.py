"""The daily reporting job (run by cron after ``label_jobs``): ask for the reports of the
periods that have ended, remind holders before the due date, tell them once when a report
is overdue; compute the statistics' summaries again (``reporting.tallies``), which
catches what no transition announces. Idempotent."""

from django.core.management.base import BaseCommand

from reporting import services, tallies


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        created = services.generate_reports()
        reminded, noticed = services.send_reminders()
        tallies.rebuild()
        self.stdout.write(
            f"{created} report(s) asked, {reminded} reminder(s) and "
            f"{noticed} overdue notice(s) sent."
        )
