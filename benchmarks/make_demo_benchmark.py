"""Times ``manage.py make_demo``: the demo must build quickly at any size (100,000 investors
on PostgreSQL in under five minutes, issue "national scale", item 6), and this shows whether a
change keeps it so.

    .venv/bin/python benchmarks/make_demo_benchmark.py --investors 10000            # SQLite
    DATABASE_URL=postgres://… .venv/bin/python benchmarks/make_demo_benchmark.py \\
        --investors 100000 --repeat 3

Without ``DATABASE_URL`` the database is a temporary SQLite file, migrated first and timed
apart. With it, that database is used (migrated if needed) and each run replaces the demo
ledger (``--reset``): use a database of your own. The figure is the command as a user runs it
(seed loading and the accounts' password hashing included), the median of ``--repeat`` runs.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--investors", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--password", default="demo-pass-2026")
    args = parser.parse_args()

    temporary = None
    if not os.environ.get("DATABASE_URL"):
        handle, temporary = tempfile.mkstemp(prefix="make_demo_benchmark_", suffix=".sqlite3")
        os.close(handle)
        os.environ["DATABASE_URL"] = f"sqlite:///{temporary}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection

    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0, skip_checks=True)
        print(f"migrate: {time.perf_counter() - started:.1f} s ({connection.vendor})")
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            call_command(
                "make_demo",
                investors=args.investors,
                password=args.password,
                seed=args.seed,
                reset=True,
                stdout=StringIO(),
                skip_checks=True,
            )
            times.append(time.perf_counter() - started)
            print(f"  run {len(times)}: {times[-1]:.1f} s", flush=True)
        counts = {
            model._meta.model_name: model.objects.count()
            for model in apps.get_app_config("investments").get_models()
            if model.__module__ in ("investments.models.people", "investments.models.ledger")
            and not model._meta.model_name.startswith("historical")
        }
    finally:
        if temporary:
            Path(temporary).unlink(missing_ok=True)

    rows, median = sum(counts.values()), statistics.median(times)
    print(", ".join(f"{count} {name}" for name, count in counts.items() if count))
    print(
        f"make_demo --investors {args.investors:,} on {connection.vendor}: median {median:.1f} s "
        f"of {len(times)} runs ({', '.join(f'{t:.0f}' for t in times)} s), {rows:,} ledger rows, "
        f"{rows / median:,.0f} rows/s, {args.investors / median:,.0f} investors/s"
    )


if __name__ == "__main__":
    main()
