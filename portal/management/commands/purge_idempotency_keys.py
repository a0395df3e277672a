"""Forget idempotency keys older than ``IDEMPOTENCY_RETENTION_HOURS`` (also an hourly job)."""

from django.core.management.base import BaseCommand

from portal import idempotency


class Command(BaseCommand):
    help = "Delete the idempotency keys older than the retention period."

    def handle(self, *args, **options):
        self.stdout.write(f"Deleted {idempotency.purge()} idempotency key(s).")
