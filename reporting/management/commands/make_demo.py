"""``manage.py make_demo``: demo accounts (SPEC §8.1), a synthetic ledger of any size to show
or load-test the portal, and its reporting history (obligations, filed reports, monthly
notices), built by the one demo builder, ``seeds.demo``; this command only parses options and
reports progress. It lives in ``reporting`` because it needs both apps."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError

from seeds.demo import build_demo


class Command(BaseCommand):
    help = (
        "Create the demo organisations and accounts (loading the reference data if missing) and "
        "N synthetic investors with payments, recoveries, lapses, residence-status grants and "
        "their reporting history, dated up to today. If the demo institutions already hold "
        "investors, nothing is generated unless --reset is given, which first deletes their "
        "whole ledger. The same --seed gives the same ledger on the same day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--investors", type=int, default=500, help="default 500")
        parser.add_argument("--password", default="demo-pass-2026", help="for every demo account")
        parser.add_argument("--seed", type=int, default=2026, help="default 2026")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="delete the demo institutions' ledger first, then generate a new one",
        )

    def handle(self, *args, investors, password, seed, reset, **options):
        if investors < 0:
            raise CommandError("--investors must be 0 or more.")
        started = time.perf_counter()
        last_phase = [started]

        def progress(done, total, what="investors written"):
            elapsed = time.perf_counter() - started
            self.stdout.write(f"  {done:,} / {total:,} {what} ({elapsed:.0f} s)")
            self.stdout.flush()

        def phase(name):
            now = time.perf_counter()
            took, last_phase[0] = now - last_phase[0], now
            self.stdout.write(f"{name}: {took:.1f} s (at {now - started:.0f} s)")
            self.stdout.flush()

        self.stdout.write(f"Building a demo ledger of {investors:,} investors…")
        try:
            result = build_demo(
                investors=investors,
                password=password,
                seed=seed,
                reset=reset,
                progress=progress,
                phase=phase,
            )
        except (IntegrityError, ProtectedError, RestrictedError) as exc:
            raise CommandError(
                "The demo ledger cannot be reset: other records refer to it "
                f"({exc.args[0]}). Nothing was changed."
            ) from exc
        # the whole build is one transaction: committing checks every deferred foreign key
        phase("commit")

        self.stdout.write(f"Demo accounts (password: {password})")
        for username, user in result.accounts.items():
            self.stdout.write(f"  {username:<18} {user.organisation or '-'}")
        if result.existing:
            self.stdout.write(
                self.style.WARNING(
                    f"The demo institutions already hold {result.existing} investors; nothing was "
                    "generated. Run again with --reset to replace them."
                )
            )
            return
        if result.deleted:
            self.stdout.write(f"Deleted the previous demo ledger ({result.deleted} investors).")
        rows = ", ".join(f"{count} {name}" for name, count in result.counts.items())
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Created {rows} in {elapsed:.0f} s."))
