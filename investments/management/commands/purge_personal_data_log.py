"""Delete personal-data access records older than ``PERSONAL_DATA_ACCESS_RETENTION_DAYS``
(also a daily job)."""

from django.core.management.base import BaseCommand

from investments import privacy


class Command(BaseCommand):
    help = "Delete the personal-data access records older than the retention period."

    def handle(self, *args, **options):
        self.stdout.write(f"Deleted {privacy.purge_access_log()} access record(s).")
