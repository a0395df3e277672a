"""``manage.py compute_notices``: the monthly job of SPEC §6 (on the 1st, the drafts of the month
just ended) as a command, so it can be run by hand or from cron as well as from Celery."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from investments.choices import ProgramCode
from portal.months import previous_month
from reporting import notices


class Command(BaseCommand):
    help = (
        "Compute (or refresh) the draft monthly status notice of every institution and program "
        "for a month (default: the month just ended). Months already submitted are skipped: "
        "an amendment is the institution's decision. Safe to re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM (default: the month just ended)")
        parser.add_argument("--program", choices=ProgramCode.values)
        parser.add_argument("--institution", type=int, help="organisation id")

    def handle(self, *args, month, program, institution, **options):
        today = timezone.localdate()
        try:
            period = notices.parse_month(month) if month else previous_month(today)
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from exc
        if period > today.replace(day=1):
            raise CommandError(f"{period:%Y-%m} has not begun yet.")
        done = notices.compute_month(period=period, program=program, institution=institution)
        self.stdout.write(
            self.style.SUCCESS(
                f"{period:%Y-%m}: {done['computed']} draft notices computed, "
                f"{done['skipped']} skipped (already submitted)."
            )
        )
        for name, message in done["failed"].items():
            self.stderr.write(f"  {name}: {message}")
        if done["failed"]:
            raise CommandError(f"{len(done['failed'])} notices could not be computed.")
