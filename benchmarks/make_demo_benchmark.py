"""Times ``manage.py make_demo`` on a fresh SQLite file: the SPEC's demo should be quick to
build even at 10,000 investors, and this shows whether a change keeps it so.

    .venv/bin/python benchmarks/make_demo_benchmark.py --investors 10000

The database is a temporary file (``DATABASE_URL`` is set before Django starts), migrated
first and timed apart; the make_demo figure is the command as a user runs it (seed loading and
the accounts' password hashing, about 3 s, included).
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--investors", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--password", default="demo-pass-2026")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file afterwards")
    args = parser.parse_args()

    handle, path = tempfile.mkstemp(prefix="make_demo_benchmark_", suffix=".sqlite3")
    os.close(handle)
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from io import StringIO

    from django.apps import apps
    from django.core.management import call_command

    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0, skip_checks=True)
        migrated = time.perf_counter()
        output = StringIO()
        call_command(
            "make_demo",
            investors=args.investors,
            password=args.password,
            seed=args.seed,
            stdout=output,
            skip_checks=True,
        )
        elapsed = time.perf_counter() - migrated
        counts = {
            model._meta.model_name: model.objects.count()
            for model in apps.get_app_config("investments").get_models()
            if model.__module__ == "investments.models.ledger"
            and not model._meta.model_name.startswith("historical")
        }
    finally:
        if not args.keep:
            Path(path).unlink(missing_ok=True)

    rows = sum(counts.values())
    print(f"database: {path}{' (kept)' if args.keep else ' (deleted)'}")
    print(f"migrate: {migrated - started:.1f} s")
    print(", ".join(f"{count} {name}" for name, count in counts.items() if count))
    print(
        f"make_demo --investors {args.investors}: {elapsed:.1f} s "
        f"(seed loading and hashing six account passwords included), {rows} ledger rows, "
        f"{rows / elapsed:,.0f} rows/s, {args.investors / elapsed:,.0f} investors/s"
    )


if __name__ == "__main__":
    main()
