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

from django.utils.translation import gettext_noop

from .dates import anniversary, period_end
from .facts import (
    LAPSE_WORDS,
    Disqualification,
    InvestmentFacts,
    Parameters,
    Reason,
    explained,
    phrase,
)

RULE = "R3"
FACILITY_LAPSES = frozenset({"lease", "mortgage", "seizure", "profit_use"})
FOREIGN_KINDS = frozenset({"foreign_serious_crime", "foreign_prison"})
FINE_KINDS = frozenset({"fine", "immigration_fine"})
SOURCE = "seed §6.E, §7.S(4)"

# How a record reads in a reason: "<what> <date>: barred until …".
_WHAT = {
    "prison": gettext_noop("prison sentence completed"),
    "suspended_sentence": gettext_noop("suspended sentence final"),
    "deportation": gettext_noop("deported"),
    "departure_order": gettext_noop("departed under an exit order"),
    "immigration_fine": gettext_noop("fined under the Immigration Control Act"),
    "false_documents": gettext_noop("false documents submitted"),
    "foreign_prison": gettext_noop("prison sentence abroad completed"),
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
    extension: bool = False,
) -> Screening:
    """Screen a person on ``on``. Raises ValueError for a disqualification kind that
    ``params`` does not know, so a new kind cannot slip through unscreened. ``extension``:
    the person already holds an investor F-2, so an application is an extension of stay,
    whose education lookback is shorter (seed §7.S(5) C)."""
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
    known = [end for end in ends if end is not None]
    if ends and len(known) == len(ends):
        barred_until = max(known)
    if passes:
        message = gettext_noop("no disqualification or facility lapse on %(on)s")
        reasons.append(explained(RULE, SOURCE, message, on=on))

    education, education_reason = _education(disqualifications, on, params, extension)
    reasons.append(education_reason)
    return Screening(passes, barred_until, education, tuple(reasons))


def _bar(
    record: Disqualification, on: date, params: Parameters
) -> tuple[_Ground | None, list[Reason]]:
    """The ground ``record`` sets on ``on`` (None once it has ended) and side notes."""
    if record.kind == "foreign_serious_crime":
        message = gettext_noop("convicted abroad of a serious crime (%(on)s): barred with no end")
        return _Ground(None, explained(RULE, "seed §6.E", message, on=record.on)), []
    if record.kind == "entry_ban":
        if record.ends_on is None:
            message = gettext_noop("entry ban from %(on)s: barred with no end")
            return _Ground(None, explained(RULE, "seed §6.E", message, on=record.on)), []
        dates = {"on": record.on, "end": record.ends_on}
        if on <= record.ends_on:
            message = gettext_noop("entry ban from %(on)s to %(end)s: barred until %(end)s")
            reason = explained(RULE, "seed §6.E", message, **dates)
            return _Ground(record.ends_on, reason), []
        message = gettext_noop("entry ban from %(on)s to %(end)s: ended")
        return None, [explained(RULE, "seed §6.E", message, **dates)]
    if record.kind not in params.disqualification_years:
        raise ValueError(f"unknown disqualification kind {record.kind!r}")

    years = params.disqualification_years[record.kind]
    notes: list[Reason] = []  # only fines have notes
    what: Reason | str = record.kind.replace("_", " ")
    if record.kind in _WHAT:
        what = phrase(_WHAT[record.kind])
    if record.kind == "fine":
        bars, notes = _fine(record, params)
        if not bars:
            return None, notes
        amount = record.amount_krw
        what = (
            phrase(gettext_noop("fine of %(amount_krw)s paid"), amount_krw=amount)
            if amount is not None
            else phrase(gettext_noop("fine paid"))
        )

    last_day = period_end(record.on, years)
    if on >= anniversary(record.on, years):
        message = gettext_noop("%(what)s %(on)s: bar ended %(end)s")
        ended = explained(RULE, SOURCE, message, what=what, on=record.on, end=last_day)
        return None, [*notes, ended]
    message = gettext_noop("%(what)s %(on)s: barred until %(end)s")
    reason = explained(RULE, SOURCE, message, what=what, on=record.on, end=last_day)
    return _Ground(last_day, reason), notes


def _fine(record: Disqualification, params: Parameters) -> tuple[bool, list[Reason]]:
    """Whether a fine bars at all (seed §6.E: "₩3 million or more"), with notes on the edge
    cases: the exact threshold, where §7.S(4) reads otherwise, and a fine with no amount,
    which cannot be shown to be under it."""
    threshold, source = params.fine_disqualifying_krw, "[decision] fine_disqualifying_krw"
    if record.amount_krw is None:
        message = gettext_noop("fine paid %(on)s has no amount recorded: treated as disqualifying")
        return True, [explained(RULE, source, message, on=record.on)]
    values = {"amount_krw": record.amount_krw, "on": record.on, "threshold_krw": threshold}
    if record.amount_krw < threshold:
        message = gettext_noop(
            "fine of %(amount_krw)s paid %(on)s: below %(threshold_krw)s, not a disqualification"
        )
        return False, [explained(RULE, "seed §6.E", message, **values)]
    if record.amount_krw == threshold and params.fine_bar_exceeding_only:
        message = gettext_noop(
            "fine of %(amount_krw)s paid %(on)s equals %(threshold_krw)s: seed §7.S(4) "
            '("exceeding") followed by setting, not a disqualification'
        )
        source = "seed §7.S(4); [decision] fine_bar_exceeding_only"
        return False, [explained(RULE, source, message, **values)]
    if record.amount_krw == threshold:
        message = gettext_noop(
            'fine of %(amount_krw)s paid %(on)s equals %(threshold_krw)s: seed §6.E ("or '
            'more") bars it, seed §7.S(4) ("exceeding") would not; §6.E followed'
        )
        return True, [explained(RULE, source, message, **values)]
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
            name = inv.label or phrase(gettext_noop("investment %(id)s"), id=inv.id)
            until = (
                phrase(gettext_noop("until %(end)s"), end=lapse.end)
                if lapse.end
                else phrase(gettext_noop("with no end recorded"))
            )
            message = gettext_noop("%(name)s: facility under %(kind)s from %(start)s, %(until)s")
            kind = phrase(LAPSE_WORDS[lapse.kind])
            values = {"name": name, "kind": kind, "start": lapse.start, "until": until}
            grounds.append(_Ground(lapse.end, explained(RULE, "seed §6.E", message, **values)))
    return grounds


def _education(
    disqualifications: Sequence[Disqualification],
    on: date,
    params: Parameters,
    extension: bool = False,
) -> tuple[bool, Reason]:
    """Civic compliance education (seed §7.S(5)): due for a status change when a violation of
    Korean law closed within the lookback years; not for a single fine below the exemption.

    The seed says "under KRW 1 million" here and "1,000,000 KRW or less" for high-value
    investors (seed §4); ``education_exempt_fine_krw`` is compared with "below", as §7.S(5)
    says. Fines under the Immigration Control Act are administrative fines, exempt alike.

    The exclusion's "10 years have passed since penalty" (A) is read as the lookback of C
    ("Status change: within 10 years from case closure"; "Extension: within 5 years"): a
    violation closed that many years ago no longer counts [decision]; an extension of stay
    looks back ``education_lookback_years_extension`` years."""
    lookback = (
        params.education_lookback_years_extension if extension else params.education_lookback_years
    )
    recent = [
        d
        for d in disqualifications
        if d.kind not in FOREIGN_KINDS and on < anniversary(d.on, lookback)
    ]
    source = "seed §7.S(5)"
    if not recent:
        message = gettext_noop(
            "no violation of Korean law in the last %(years)s years: no education"
        )
        return False, explained(RULE, source, message, years=lookback)
    only = recent[0]
    exempt_fine = (
        only.kind in FINE_KINDS
        and only.amount_krw is not None
        and only.amount_krw < params.education_exempt_fine_krw
    )
    if len(recent) == 1 and exempt_fine:
        message = gettext_noop(
            "one violation in the last %(years)s years, a fine of %(amount_krw)s "
            "below %(threshold_krw)s: no education"
        )
        threshold = params.education_exempt_fine_krw
        values = {"years": lookback, "amount_krw": only.amount_krw, "threshold_krw": threshold}
        return False, explained(RULE, source, message, **values)
    message = gettext_noop(
        "%(count)s violation(s) of Korean law in the last %(years)s years: civic "
        "compliance education required"
    )
    return True, explained(RULE, source, message, count=len(recent), years=lookback)
