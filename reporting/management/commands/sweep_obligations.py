"""The daily sweep from the command line: the same service the 06:00 Celery beat runs, for a
cron-only deployment or to catch up by hand. Safe to re-run."""

from datetime import date

from django.core.management.base import BaseCommand

from reporting import sweep


class Command(BaseCommand):
    help = (
        "Mark overdue obligations, send reminders (7 and 2 days before, on the due day) and "
        "alert offices about overdue reports. Nothing is sent twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            help="Sweep as of this day (YYYY-MM-DD); default: today in Korea.",
        )

    def handle(self, today, **options):
        summary = sweep.daily_sweep(today=today)
        self.stdout.write(
            "Sweep of {today}: {marked_overdue} marked overdue, {reminders_sent} reminders and "
            "{overdue_alerts_sent} overdue alerts sent, {without_recipients} without an e-mail "
            "address, {failed} failed, {unsent_waiting} recorded earlier and not yet sent.".format(
                **summary
            )
        )
