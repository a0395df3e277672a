"""R2: the residence status a person's investments support on one date (SPEC §4 R2).

All of a person's investments are judged together, because the seed lets tourism and
public-interest amounts combine (seed §6.A, §7.C). The tests run from the strongest status down
and the first that passes decides: F-5-25 > F-2-8 > F-2-12 > F-2-14 > F-1 > none, as seeded. The
code each test grants and their order are [decision] data rows (``StatusRule``, read into
``Parameters.status_precedence``), not constants here. The reasons
give the decisive test and one line on why each stronger status was not reached, so an officer
can see what is missing ("holds KRW 700,000,000 of the KRW 1,000,000,000 minimum").

Amounts are what is held on the date: payments made on or before it less recoveries made on or
before it. An investment inside one of its lapses (lease, mortgage, seizure, profit-making use,
complete departure) on the date is not maintained and counts for nothing.

This module holds the precedence: lapses first, then the tests in their order. The tests
themselves are in ``status_tests``, the way their reasons are worded in ``status_reasons``.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_noop

from .facts import LAPSE_WORDS, InvestmentFacts, Parameters, Reason, explained, phrase
from .status_reasons import RULE, name_of
from .status_tests import TESTS, net_held

FACILITY_LAPSES = frozenset({"lease", "mortgage", "seizure", "profit_use"})


@dataclass(frozen=True)
class Qualification:
    """The strongest status the investments support on a date.

    ``minimum_krw`` is the minimum the decisive test used and ``held_krw`` what it counted
    against it; with no status, ``held_krw`` is the net of all maintained investments."""

    qualifies_for: str | None  # "F-5-25" | "F-2-8" | "F-2-12" | "F-2-14" | "F-1" | None
    minimum_krw: int | None
    held_krw: int
    reasons: tuple[Reason, ...]


def qualification(
    investments: Sequence[InvestmentFacts], *, on: date, params: Parameters
) -> Qualification:
    """The status ``investments`` support on ``on``, with the reasons that decided it."""
    reasons: list[Reason] = []
    maintained = []
    for inv in investments:
        lapse = next((lp for lp in inv.lapses if _covers(lp.start, lp.end, on)), None)
        if lapse is None:
            maintained.append(inv)
            continue
        source = "seed §6.E" if lapse.kind in FACILITY_LAPSES else "[public]"
        if lapse.end:
            message = gettext_noop(
                "%(name)s is not maintained on %(on)s: %(kind)s from %(start)s to %(end)s; "
                "it counts for nothing"
            )
        else:
            message = gettext_noop(
                "%(name)s is not maintained on %(on)s: %(kind)s from %(start)s; "
                "it counts for nothing"
            )
        reasons.append(
            explained(
                RULE,
                source,
                message,
                name=name_of(inv),
                on=on,
                kind=phrase(LAPSE_WORDS.get(lapse.kind, lapse.kind)),
                start=lapse.start,
                end=lapse.end,
            )
        )

    for key, code in params.status_precedence:
        outcome = TESTS[key](maintained, on, params)
        reasons.extend(outcome.reasons)
        if outcome.passed:
            return Qualification(code, outcome.minimum_krw, outcome.held_krw, tuple(reasons))

    held = sum(net_held(inv, on) for inv in maintained)
    reasons.append(
        explained(RULE, "seed §6.D, §7.S(3)", gettext_noop("no residence status on %(on)s"), on=on)
    )
    return Qualification(None, None, held, tuple(reasons))


def _covers(start: date, end: date | None, on: date) -> bool:
    return start <= on and (end is None or on <= end)
