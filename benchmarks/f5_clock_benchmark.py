"""How fast the F-5 clock (rule R4) is on a 15-year ledger with pauses and a recovery.

    .venv/bin/python benchmarks/f5_clock_benchmark.py [--calls 10000]

The officers' F-5 pipeline evaluates the clock for every investor of an office, so one call
must stay well under a millisecond. Measured on the development machine (2 cores): 0.1 to
0.3 ms per call.
"""

import argparse
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from investments.rules.f5_clock import f5_clock  # noqa: E402
from investments.rules.facts import Grant, Interval, InvestmentFacts, Money, Parameters  # noqa: E402


def ledger():
    tourism = InvestmentFacts(
        id=1,
        program="tourism",
        investor_class="registered_owner",
        track="general",
        contract_date=date(2012, 1, 5),
        contract_amount_krw=500_000_000,
        registered_on=date(2012, 7, 1),
        minimum_krw=500_000_000,
        in_period=True,
        payments=(
            Money(date(2012, 1, 5), 100_000_000, "down"),
            Money(date(2012, 6, 20), 400_000_000, "final"),
        ),
        recoveries=(Money(date(2020, 1, 1), 50_000_000, "sale"),),
        lapses=(
            Interval("lease", date(2014, 1, 1), date(2014, 3, 1)),
            Interval("mortgage", date(2019, 1, 1), None),
        ),
    )
    deposit = InvestmentFacts(
        id=2,
        program="public_interest",
        investor_class="depositor",
        track="general",
        contract_date=date(2013, 1, 1),
        contract_amount_krw=1_500_000_000,
        registered_on=None,
        minimum_krw=500_000_000,
        in_period=True,
        payments=(
            Money(date(2013, 1, 1), 1_000_000_000, "deposit"),
            Money(date(2016, 1, 1), 500_000_000, "deposit"),
        ),
    )
    grants = (
        Grant("F-2-8", date(2012, 7, 1), date(2015, 6, 30)),
        Grant("F-2-8", date(2015, 7, 1), date(2018, 6, 30)),
        Grant("F-2-8", date(2018, 7, 1)),
    )
    return grants, (tourism, deposit)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=10_000)
    calls = parser.parse_args().calls
    grants, investments = ledger()
    params = Parameters()
    start = time.perf_counter()
    for _ in range(calls):
        f5_clock(grants=grants, investments=investments, as_of=date(2027, 1, 1), params=params)
    elapsed = time.perf_counter() - start
    print(f"{calls} calls in {elapsed:.2f} s: {elapsed / calls * 1000:.3f} ms per call")


if __name__ == "__main__":
    main()
