"""The one demo builder: the demo organisations and accounts (SPEC §8.1), a synthetic ledger
of any size and its reporting history, for ``manage.py make_demo``, the benchmarks and the
tests that need a realistic ledger.

It sits above every app (it writes the ledger and the reporting history), and nothing in the
apps imports it. The rooms:

* ``accounts`` — the demo organisations and their users;
* ``people`` — who the investors are (names, identification numbers, families);
* ``catalogue`` — the units the sales companies sell, new phases opening as needed;
* ``ledger`` and ``events`` — sales, payments, recoveries, lapses, grants, drawn in memory;
* ``writer`` — each chunk written with ``bulk_create``; deleting a demo ledger;
* ``reporting`` — obligations with their R5 due dates, filed reports, monthly notices.

Investors are generated and written ``CHUNK`` at a time, so memory stays flat and a million
investors can be built; ``progress(done, total)`` is called after each chunk.
"""

from dataclasses import dataclass, field

from django.db import reset_queries, transaction
from django.utils import timezone

from investments.models import Investor
from reporting import eligibility_store
from reporting.models import EligibilityFact, EligibilityRoute
from seeds.loader import load_all

from . import writer
from .accounts import create_accounts
from .ledger import CHUNK, SELLERS, DemoLedger, reference_loaded
from .reporting import Reporting, delete_reporting


@dataclass
class DemoResult:
    accounts: dict
    counts: dict = field(default_factory=dict)
    existing: int = 0  # demo investors found (and kept) when nothing was generated
    deleted: int = 0


def demo_institutions(accounts):
    return [accounts[name].organisation for name in [*SELLERS, "kdb"] if name in accounts]


def add(counts, more):
    for name, count in more.items():
        counts[name] = counts.get(name, 0) + count


@transaction.atomic
def build_demo(
    *, investors, password, seed=2026, reset=False, today=None, progress=None, phase=None
):
    """Reference data (if missing), the demo accounts, and ``investors`` synthetic investors
    with their reporting history. An existing demo ledger is kept (nothing generated) unless
    ``reset`` replaces it; all or nothing. ``progress(done, total, what)`` is called after each
    chunk of investors and each batch of eligibility facts, ``phase(name)`` at the end of each
    step, so a large build shows where its time goes."""
    phase = phase or (lambda name: None)
    if not reference_loaded():
        load_all()
    today = today or timezone.localdate()
    accounts = create_accounts(password)
    institutions = demo_institutions(accounts)
    existing = Investor.objects.filter(institution__in=institutions).count()
    if existing and not reset:
        return DemoResult(accounts, existing=existing)
    deleted = 0
    if existing:
        delete_reporting(institutions)
        facts = EligibilityFact.objects.filter(
            person__investor_records__institution__in=institutions
        )
        writer.delete_rows(EligibilityRoute.objects.filter(fact_id__in=facts.values("pk")))
        writer.delete_rows(facts)
        deleted = writer.delete_ledger(institutions)
        phase("previous demo deleted")
    result = DemoResult(accounts, deleted=deleted)
    ledger = DemoLedger(accounts, seed=seed, today=today)
    reporting = Reporting(accounts, seed=seed, today=today)
    for start in range(0, investors, CHUNK):
        ledger.generate(min(CHUNK, investors - start))
        rows, people = ledger.take()
        add(result.counts, writer.save(rows, people))
        add(result.counts, reporting.add(rows))
        reset_queries()  # with DEBUG on, Django keeps every statement: megabytes per chunk
        if progress:
            progress(min(start + CHUNK, investors), investors, "investors written")
    phase("ledger written")
    writer.analyze()
    phase("ANALYZE")
    add(result.counts, reporting.finish(institutions))
    phase("monthly notices")
    # Everyone's stored eligibility, in batches (the ledger above was written without the
    # verbs, so nothing marked it stale).
    facts_progress = progress and (lambda done, total: progress(done, total, "people's facts"))
    result.counts["eligibility facts"] = eligibility_store.refresh_all(
        as_of=today, progress=facts_progress
    )
    phase("eligibility facts")
    return result
