"""How fast and how lean the .xlsx exports are (issue "national scale", item 4).

    .venv/bin/python benchmarks/export_benchmark.py [--limit 100000] [--repeat 3] [--user hq]
    .venv/bin/python benchmarks/export_benchmark.py --memory 10000 100000 1000000

Time: the investments export as the page writes it (``investments.exports.investment_book``:
the access gate, the FilterSet, the row generator, ``portal.xlsx``), against the floor: the
same rows read with one ``values_list`` and appended as they are to openpyxl's write-only
workbook (no escaping, no formats). Runs alternate (floor, export, floor, …) and the medians
are compared. Needs a demo ledger: ``manage.py make_demo --investors 100000``.

Memory: the peak resident memory of a process that writes N synthetic rows of the same 19
columns with ``portal.xlsx``, one fresh process per size, so the figures do not mix;
``--memory-export N …`` does the same with the real export of the first N rows of the ledger
(database, gate, decryption and all).

    .venv/bin/python benchmarks/export_benchmark.py --memory-export 10000 1000000
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")


def floor(queryset, fields):
    """The same rows, read with ``values_list`` and written raw by openpyxl write-only."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Investments")
    for row in queryset.values_list(*fields).iterator(chunk_size=2000):
        sheet.append(row)
    with tempfile.TemporaryFile() as file:
        workbook.save(file)


def export(user, limit):
    from django.http import QueryDict
    from django.utils import timezone

    from investments.exports import investment_book, investment_rows
    from portal import xlsx

    book = investment_book(user, QueryDict(""), today=timezone.localdate())
    if limit:  # the same first rows as the floor reads
        sheet = book.sheets[0]
        sheet.rows = investment_rows(rows(user, limit))
    with tempfile.TemporaryFile() as file:
        return xlsx.write(book.sheets, file)


def rows(user, limit):
    from investments.selectors import investment_table

    queryset = investment_table(user).order_by("-contract_date", "-pk")
    return queryset[:limit] if limit else queryset


def timing(args):
    import django

    django.setup()
    from django.db import connection

    from investments.exports import FIELDS
    from portal.models import User

    user = User.objects.get(username=args.user)
    queryset = rows(user, args.limit)
    count = queryset.count()
    times = {"floor": [], "export": []}
    for _ in range(args.repeat):
        for name, work in (
            ("floor", lambda: floor(queryset, FIELDS)),
            ("export", lambda: export(user, args.limit)),
        ):
            started = time.perf_counter()
            work()
            times[name].append(time.perf_counter() - started)
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"investments export of {count:,} rows as {args.user} on {connection.vendor}")
    for name, values in times.items():
        runs = ", ".join(f"{value:.2f}" for value in values)
        print(f"  {name:<7} median {medians[name]:7.2f} s  (runs: {runs})")
    print(f"  ratio export / raw openpyxl write-only: {medians['export'] / medians['floor']:.2f}")


def synthetic(count):
    """Rows shaped like the investments export's (19 columns, text, dates, money)."""
    from portal.xlsx import Money

    day = date(2020, 1, 1)
    for number in range(count):
        yield [
            number, f"ZHANG Wei {number}", "CN", day, "E1*****78", "Halla Resort Co., Ltd.",
            "Tourism", "Jeju Special Self-Governing Province", "Jeju Shinhwa World Residence",
            "A-1203", "Resort condominium", "Registered owner", day + timedelta(days=number % 999),
            Money(1_000_000_000), Money(1_000_000_000), Money(0), Money(1_000_000_000), day,
            "Jeju Immigration Office",
        ]  # fmt: skip


def memory_of(count):
    """Child process: write ``count`` synthetic rows, print the peak resident memory."""
    import django

    django.setup()
    from portal import xlsx

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with tempfile.TemporaryFile() as file:
        xlsx.write([xlsx.Sheet("Investments", synthetic(count), header=[["h"] * 19])], file)
        size = file.tell()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{count},{before},{peak},{size},{time.perf_counter() - started:.1f}")


def export_memory_of(count):
    """Child process: the real export of the ledger's first ``count`` rows, as HQ."""
    import django

    django.setup()
    from portal.models import User

    user = User.objects.get(username="hq")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    written = export(user, count)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{written},{before},{peak},0,{time.perf_counter() - started:.1f}")


def memory(counts, child="--memory-child"):
    print("rows        peak RSS   (before writing)   file size   time")
    for count in counts:
        done = subprocess.run(  # noqa: S603 (this very script, our own arguments)
            [sys.executable, __file__, child, str(count)],
            capture_output=True,
            text=True,
            check=True,
        )
        rows_, before, peak, size, seconds = done.stdout.strip().splitlines()[-1].split(",")
        print(
            f"{int(rows_):>9,}  {int(peak) / 1024:7.0f} MiB  ({int(before) / 1024:5.0f} MiB)"
            f"   {int(size) / 1024**2:8.1f} MiB  {seconds} s"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=100_000, help="rows (0: all visible)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--user", default="hq", help="whose export (a demo account)")
    parser.add_argument("--memory", type=int, nargs="*", help="row counts to measure")
    parser.add_argument("--memory-export", type=int, nargs="*", help="row counts to export")
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--export-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_of(args.memory_child)
    elif args.export_child:
        export_memory_of(args.export_child)
    elif args.memory:
        memory(args.memory)
    elif args.memory_export:
        memory(args.memory_export, child="--export-child")
    else:
        timing(args)


if __name__ == "__main__":
    main()
