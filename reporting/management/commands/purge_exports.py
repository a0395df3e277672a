"""Deleting old prepared exports from the command line: the same service the 03:00 Celery beat
runs, for a cron-only deployment. Safe to re-run."""

from django.core.management.base import BaseCommand

from reporting.exports import jobs


class Command(BaseCommand):
    help = "Delete prepared exports (files and records) older than EXPORT_KEEP_DAYS."

    def handle(self, **options):
        self.stdout.write(f"Deleted {jobs.purge_exports()} prepared exports.")
