"""R3: screening on a date: the facility's state, the disqualifications of seed §6.E / §7.S(4)
and whether civic compliance education is due (seed §7.S(5)) (SPEC §4 R3).

Each disqualification runs from its record's date (completion of the sentence, payment of the
fine, departure…) for ``Parameters.disqualification_years[kind]`` years and has ended on the
anniversary (Civil Act art. 160, ``dates.anniversary``): a fine paid 2022-03-01 bars until
2025-02-28 and no longer on 2025-03-01. A record dated after the screening date has not started
to run, so it bars too ("3 years have not passed since payment").

Fines: seed §6.E bars "₩3 million or more", seed §7.S(4) bars fines "exceeding KRW 3 million".
The two differ only at exactly the threshold; we follow §6.E (the threshold bars), which is the
stricter reading and the one the F-2-8 notice states, and say so in the reason.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .dates import anniversary, period_end
from .facts import Disqualification, InvestmentFacts, Parameters, Reason

RULE = "R3"
FACILITY_LAPSES = frozenset({"lease", "mortgage", "seizure", "profit_use"})
FOREIGN_KINDS = frozenset({"foreign_serious_crime", "foreign_prison"})
FINE_KINDS = frozenset({"fine", "immigration_fine"})
SOURCE = "seed §6.E, §7.S(4)"

# How a record reads in a reason: "<what> <date>: barred until …".
_WHAT = {
    "prison": "prison sentence completed",
    "suspended_sentence": "suspended sentence final",
    "deportation": "deported",
    "departure_order": "departed under an exit order",
    "immigration_fine": "fined under the Immigration Control Act",
    "false_documents": "false documents submitted",
    "foreign_prison": "prison sentence abroad completed",
}


@dataclass(frozen=True)
class Screening:
    """Whether the person passes screening on a date.

    ``barred_until`` is the last day any current ground lasts (a bar, or a facility lapse with
    an end); None when the person passes or some ground has no end."""

    passes: bool
    barred_until: date | None
    education_required: bool
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class _Ground:
    """One thing that makes screening fail on the date, and its last day (None = no end)."""

    until: date | None
    reason: Reason


def screen(
    disqualifications: Sequence[Disqualification],
    investments: Sequence[InvestmentFacts],
    *,
    on: date,
    params: Parameters,
) -> Screening:
    """Screen a person on ``on``. Raises ValueError for a disqualification kind that
    ``params`` does not know, so a new kind cannot slip through unscreened."""
    grounds: list[_Ground] = []
    reasons: list[Reason] = []
    for record in disqualifications:
        ground, notes = _bar(record, on, params)
        reasons.extend(notes)
        if ground is not None:
            grounds.append(ground)
            reasons.append(ground.reason)
    for ground in _facility(investments, on):
        grounds.append(ground)
        reasons.append(ground.reason)

    passes = not grounds
    barred_until = None
    ends = [g.until for g in grounds]
    if ends and None not in ends:
        barred_until = max(ends)
    if passes:
        reasons.append(Reason(RULE, f"no disqualification or facility lapse on {on}", SOURCE))

    education, education_reason = _education(disqualifications, on, params)
    reasons.append(education_reason)
    return Screening(passes, barred_until, education, tuple(reasons))


def _bar(
    record: Disqualification, on: date, params: Parameters
) -> tuple[_Ground | None, list[Reason]]:
    """The ground ``record`` sets on ``on`` (None once it has ended) and side notes."""
    if record.kind == "foreign_serious_crime":
        text = f"convicted abroad of a serious crime ({record.on}): barred with no end"
        return _Ground(None, Reason(RULE, text, "seed §6.E")), []
    if record.kind == "entry_ban":
        if record.ends_on is None:
            text = f"entry ban from {record.on}: barred with no end"
            return _Ground(None, Reason(RULE, text, "seed §6.E")), []
        text = f"entry ban from {record.on} to {record.ends_on}"
        if on <= record.ends_on:
            reason = Reason(RULE, f"{text}: barred until {record.ends_on}", "seed §6.E")
            return _Ground(record.ends_on, reason), []
        return None, [Reason(RULE, f"{text}: ended", "seed §6.E")]
    if record.kind not in params.disqualification_years:
        raise ValueError(f"unknown disqualification kind {record.kind!r}")

    years = params.disqualification_years[record.kind]
    notes: list[Reason] = []  # only fines have notes
    what = _WHAT.get(record.kind, record.kind.replace("_", " "))
    if record.kind == "fine":
        bars, notes = _fine(record, params)
        if not bars:
            return None, notes
        amount = record.amount_krw
        what = f"fine of {_krw(amount)} paid" if amount is not None else "fine paid"

    last_day = period_end(record.on, years)
    if on >= anniversary(record.on, years):
        return None, [*notes, Reason(RULE, f"{what} {record.on}: bar ended {last_day}", SOURCE)]
    reason = Reason(RULE, f"{what} {record.on}: barred until {last_day}", SOURCE)
    return _Ground(last_day, reason), notes


def _fine(record: Disqualification, params: Parameters) -> tuple[bool, list[Reason]]:
    """Whether a fine bars at all (seed §6.E: "₩3 million or more"), with notes on the edge
    cases: the exact threshold, where §7.S(4) reads otherwise, and a fine with no amount,
    which cannot be shown to be under it."""
    threshold, source = params.fine_disqualifying_krw, "[decision] fine_disqualifying_krw"
    if record.amount_krw is None:
        text = f"fine paid {record.on} has no amount recorded: treated as disqualifying"
        return True, [Reason(RULE, text, source)]
    what = f"fine of {_krw(record.amount_krw)} paid {record.on}"
    if record.amount_krw < threshold:
        text = f"{what}: below {_krw(threshold)}, not a disqualification"
        return False, [Reason(RULE, text, "seed §6.E")]
    if record.amount_krw == threshold:
        text = (
            f'{what} equals {_krw(threshold)}: seed §6.E ("or more") bars it, seed §7.S(4) '
            '("exceeding") would not; §6.E followed'
        )
        return True, [Reason(RULE, text, source)]
    return True, []


def _facility(investments: Sequence[InvestmentFacts], on: date) -> list[_Ground]:
    """A leased, mortgaged, seized or profit-used facility fails screening while that lasts.
    Complete departure is a lapse of the investor, not of the facility: R2/R4 handle it."""
    grounds = []
    for inv in investments:
        for lapse in inv.lapses:
            covering = lapse.start <= on and (lapse.end is None or on <= lapse.end)
            if lapse.kind not in FACILITY_LAPSES or not covering:
                continue
            name = inv.label or f"investment {inv.id}"
            until = f"until {lapse.end}" if lapse.end else "with no end recorded"
            text = f"{name}: facility under {lapse.kind} from {lapse.start}, {until}"
            grounds.append(_Ground(lapse.end, Reason(RULE, text, "seed §6.E")))
    return grounds


def _education(
    disqualifications: Sequence[Disqualification], on: date, params: Parameters
) -> tuple[bool, Reason]:
    """Civic compliance education (seed §7.S(5)): due for a status change when a violation of
    Korean law closed within the lookback years; not for a single fine below the exemption.

    The seed says "under KRW 1 million" here and "1,000,000 KRW or less" for high-value
    investors (seed §4); ``education_exempt_fine_krw`` is compared with "below", as §7.S(5)
    says. Fines under the Immigration Control Act are administrative fines, exempt alike."""
    lookback = params.education_lookback_years
    recent = [
        d
        for d in disqualifications
        if d.kind not in FOREIGN_KINDS and on < anniversary(d.on, lookback)
    ]
    source = "seed §7.S(5)"
    if not recent:
        return False, Reason(
            RULE, f"no violation of Korean law in the last {lookback} years: no education", source
        )
    only = recent[0]
    exempt_fine = (
        only.kind in FINE_KINDS
        and only.amount_krw is not None
        and only.amount_krw < params.education_exempt_fine_krw
    )
    if len(recent) == 1 and exempt_fine:
        text = (
            f"one violation in the last {lookback} years, a fine of {_krw(only.amount_krw)} "
            f"below {_krw(params.education_exempt_fine_krw)}: no education"
        )
        return False, Reason(RULE, text, source)
    text = (
        f"{len(recent)} violation(s) of Korean law in the last {lookback} years: civic "
        "compliance education required"
    )
    return True, Reason(RULE, text, source)


def _krw(amount: int) -> str:
    return f"KRW {amount:,}"
