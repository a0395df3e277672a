"""``manage.py refresh_eligibility``: recompute every stored eligibility fact now — what the
nightly task does, for an operator after restoring a backup or changing rules by hand."""

from datetime import date

from django.core.management.base import BaseCommand

from reporting import eligibility_store


class Command(BaseCommand):
    help = "Recompute every person's stored eligibility (the nightly refresh), with progress."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=date.fromisoformat, default=None)

    def handle(self, *args, as_of=None, **options):
        done = eligibility_store.refresh_all(
            as_of=as_of,
            progress=lambda n, total: self.stdout.write(f"{n} of {total} people"),
        )
        self.stdout.write(f"{done} eligibility facts stored")
