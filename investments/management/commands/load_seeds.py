from django.core.management.base import BaseCommand

from investments.models import MinimumAmount, StatusCode, Zone
from portal.models import Office, ReservationService
from seeds.loader import load_all


class Command(BaseCommand):
    help = "Load reference data (offices, zones, programs, minimums, status codes). Idempotent."

    def handle(self, *args, **options):
        load_all()
        self.stdout.write(
            self.style.SUCCESS(
                f"{Office.objects.count()} offices, {ReservationService.objects.count()} "
                f"reservation services, {Zone.objects.count()} zones, "
                f"{MinimumAmount.objects.count()} minimums, "
                f"{StatusCode.objects.count()} status codes."
            )
        )
