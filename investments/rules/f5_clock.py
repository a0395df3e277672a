"""R4 — the five-year clock towards permanent residence (F-5), as a pure function.

Decisions, each also written into the result as a ``Reason(rule="R4", …)``:

* A day counts when (a) the person holds an investor grant that day — F-2-8, F-2-12, F-2-14, and
  F-1 only if ``params.f1_counts_toward_f5`` [decision]; bounds inclusive, ``expires_on`` None =
  open; overlapping or back-to-back grants simply merge — and (b) a qualifying investment is
  maintained that day [seed §6.A]. An investment's net on day d = payments dated <= d minus
  recoveries dated <= d; inside one of its lapses (inclusive, open end = still running) it counts
  as 0 [public; seed §6.E]. The day qualifies if one tourism investment alone reaches its own
  ``minimum_krw``; or R2's F-2-12 test passes (``status.public_interest_test``: an investment
  meets the public-interest minimum of its own contract date, or the totals, tourism added,
  reach that of the latest contract among them) while the public-interest
  part is > 0 (linkage, seed §6.A / §7.C) [decision: linkage needs both programs, so two tourism
  units below their minimum do not add up]. An investment with ``in_period`` False counts
  nowhere; one with ``minimum_krw`` None never qualifies alone but its money counts in the
  combined test [decision].
* The clock starts on the first counted day; ``required_days`` = ``days_in_years(start,
  f5_years)``. A lapse pauses it and the runs before and after are summed [public]. A recovery
  that leaves no qualifying investment (even counting lapsed ones) stops it: the investment is
  not maintained (seed §6.A, §6.B "maintain … for 5 years"), so when a qualifying investment
  follows the count restarts from zero (``f5_withdrawal_restarts``; 0 = summed like a pause).
  Likewise a gap between investor grants restarts it (``f5_grant_gap_restarts``, seed §7.A
  "F-2 residence is maintained"). Until something resumes, the runs counted before a stop stay
  in ``intervals``. With ``tourism_units_add_up``, units of one zone together may qualify as
  "alone" (R2 reads the same setting). Completion is the day the count
  reaches ``required_days``; ``eligible_on`` is the next day (2020-03-10 → 2025-03-10,
  2020-02-29 → 2025-03-01; Civil Act art. 160).
* If the clock runs on ``as_of`` it is projected forward: recorded future payments, recoveries
  and lapses are applied, but a grant's ``expires_on`` after ``as_of`` is ignored (the F-2 is
  assumed extended) [decision]. If it does not run on ``as_of`` nothing is projected: the person
  is on track only if the clock already completed (``eligible_on`` in the past).
* Code. pi_days = counted days with public-interest net > 0 (not lapsed). Two ways are computed:
  F-5-17 counts only the days on which a tourism investment alone qualified (other days pause
  it); F-5-21 counts every counted day and also needs pi_days >= ``combined_public_interest_min_
  days`` [public; decision], so it is eligible the day after max(completion, day pi_days reach
  the minimum). The earlier date wins, F-5-17 on a tie. When tourism alone qualified on every
  counted day (in particular when pi_days == 0) both ways coincide: F-5-17, no public-interest
  minimum. When public-interest money was needed, F-5-21 applies, except that the person is never
  worse off than without the public-interest money [decision: keeps the clock monotone — more
  money, fewer recoveries or fewer lapses never delay eligibility]. ``counted_days``,
  ``intervals`` and ``required_days`` describe the way that decides; when neither completes, the
  F-5-21 way (every counted day). ``code`` is then F-5-21 if public-interest money was needed.
* Computation runs over segments between change points (payments, recoveries, lapse starts and
  ends + 1, grant starts and ends + 1, ``as_of`` + 1), so its cost does not depend on the length
  of the history; the last projected segment is open and completion is found arithmetically.

It is one module of some 450 lines on purpose: the clock is one function, and its decisions
are read together with the code that applies them.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate

from django.utils.translation import gettext_noop

from .dates import days_in_years
from .facts import (
    LAPSE_WORDS,
    Grant,
    Interval,
    InvestmentFacts,
    Parameters,
    Reason,
    explained,
    phrase,
)
from .status_tests import combined_minimum, public_interest_test, retirement_met, zone_units

ONE_DAY = timedelta(days=1)
SEED, CIVIL, LINKAGE = "seed §6.A", "Civil Act art. 160", "seed §6.A; seed §7.C"
F1_SRC, IN_PERIOD = "[decision] f1_counts_toward_f5", "[decision] R1 in_period"
PI_SRC = "[public; decision] combined_public_interest_min_days"
WITHDRAWAL_SRC = "seed §6.A, §6.B; [decision] f5_withdrawal_restarts"
GAP_SRC = "seed §7.A, §6.A; [decision] f5_grant_gap_restarts"


@dataclass(frozen=True)
class F5Clock:
    on_track: bool
    eligible_on: date | None  # first day the person may apply for F-5 (day after completion)
    code: str | None  # "F-5-17" (tourism) or "F-5-21" (public interest / combined)
    counted_days: int  # days counted up to and including as_of
    required_days: int  # days that 5 years hold from the clock's start (1826/1827), 0 if no start
    days_remaining: int  # (eligible_on - as_of).days if eligible_on > as_of else 0
    intervals: tuple[tuple[date, date | None], ...]  # counted runs up to as_of; last may be open
    reasons: tuple[Reason, ...]


def _after(d: date | None) -> date | None:
    return None if d is None or d == date.max else d + ONE_DAY


class _Inv:
    """One in-period investment with cumulative payments/recoveries for O(log n) lookups."""

    def __init__(self, f: InvestmentFacts):
        self.f, self.tourism = f, f.program == "tourism"
        pays = sorted(f.payments, key=lambda m: m.on)
        self.recs = sorted(f.recoveries, key=lambda m: m.on)
        self.pay_on = [m.on for m in pays]
        self.pay_cum = list(accumulate(m.amount_krw for m in pays))
        self.rec_on = [m.on for m in self.recs]
        self.rec_cum = list(accumulate(m.amount_krw for m in self.recs))
        self.lapses = [(lp, lp.end or date.max) for lp in f.lapses]
        self.name = f.label or f"#{f.id}"

    def net(self, d: date, recoveries: bool = True) -> int:
        i = bisect_right(self.pay_on, d)
        paid = self.pay_cum[i - 1] if i else 0
        j = bisect_right(self.rec_on, d) if recoveries else 0
        return paid - (self.rec_cum[j - 1] if j else 0)

    def open_lapses(self, d: date) -> list:
        return [lp for lp, end in self.lapses if lp.start <= d <= end]


@dataclass(frozen=True)
class _Seg:
    start: date
    end: date | None  # inclusive; None = open (last projected segment)
    counts: bool  # grant held and any test qualifies
    alone: bool  # grant held and a tourism investment alone qualifies
    pi: bool  # public-interest net > 0 (not lapsed)
    # The count restarts after this segment if a counted day follows: no investor grant held
    # (``f5_grant_gap_restarts``), or no qualifying investment even counting lapsed ones, i.e.
    # a withdrawal (``f5_withdrawal_restarts``). A lapse alone only pauses.
    stop: str = ""  # "" | "grant" | "withdrawal"


@dataclass
class _Path:
    code: str
    runs: list = field(default_factory=list)  # [start, end | None] of counted runs
    start: date | None = None
    required: int = 0
    completion: date | None = None
    pi_at: date | None = None  # day pi_days reach the minimum
    needed: int = 0  # counted days up to completion on which tourism alone did not qualify
    eligible: date | None = None
    # (first stopped day, resumed day, days no longer counted, "grant" | "withdrawal")
    restarts: list = field(default_factory=list)


class _Ledger:
    def __init__(
        self,
        grants: Sequence[Grant],
        investments: Sequence[InvestmentFacts],
        as_of: date,
        params: Parameters,
    ):
        f1 = params.code("visit")
        codes = params.f2_investor_codes + ((f1,) if params.f1_counts_toward_f5 else ())
        ok = [g for g in grants if g.expires_on is None or g.expires_on >= g.granted_on]
        self.grants, self.codes = [g for g in ok if g.code in codes], codes
        self.f1 = [g for g in ok if g.code == f1 and g.code not in codes]
        self.invs = [_Inv(f) for f in investments if f.in_period]
        self.invs = [i for i in self.invs if i.f.program in ("tourism", "public_interest")]
        self.excluded = [f for f in investments if not f.in_period]
        self.as_of, self.p = as_of, params

    def held(self, d: date) -> bool:
        d = min(d, self.as_of)  # after as_of the grant held on as_of is assumed extended
        return any(
            g.granted_on <= d and (g.expires_on is None or d <= g.expires_on) for g in self.grants
        )

    def state(
        self, d: date, lapses: bool = True, recoveries: bool = True
    ) -> tuple[bool, list[tuple[InvestmentFacts, int]], list[tuple[InvestmentFacts, int]]]:
        alone = False
        tour: list[tuple[InvestmentFacts, int]] = []
        pi: list[tuple[InvestmentFacts, int]] = []
        for inv in self.invs:
            if lapses and inv.open_lapses(d):
                continue
            net = inv.net(d, recoveries)
            if net <= 0:
                continue
            if inv.tourism:
                tour.append((inv.f, net))
                alone = alone or (inv.f.minimum_krw is not None and net >= inv.f.minimum_krw)
            else:
                pi.append((inv.f, net))
        if not alone and self.p.tourism_units_add_up:
            # Several units of one zone together, as R2 judges them under the same setting.
            units = [(f, n) for f, n in tour if f.investor_class != "linked"]
            alone = any(
                sum(n for _, n in group) >= need for group, need in zone_units(units).values()
            )
        return alone, tour, pi

    def qualifies(self, alone: bool, tour: list, pi: list) -> bool:
        # The same F-2-12 test as R2: each investment against the minimum of its own contract
        # date, so a later rise of the minimum never stops the clock (seed §7.C; SPEC §2.2).
        return (
            alone or public_interest_test(pi, tour, self.p).passed or retirement_met(pi) is not None
        )

    def segments(self) -> list[_Seg]:
        pts = {self.as_of + ONE_DAY}
        for g in self.grants:
            pts.update(x for x in (g.granted_on, _after(g.expires_on)) if x and x <= self.as_of)
        for inv in self.invs:
            pts.update(inv.pay_on, inv.rec_on)
            pts.update(x for lp, end in inv.lapses for x in (lp.start, _after(end)) if x)
        days = sorted(pts)
        segs = []
        for k, s in enumerate(days):
            alone, tour, pi = self.state(s)
            held = self.held(s)
            end = days[k + 1] - ONE_DAY if k + 1 < len(days) else None
            counts = held and self.qualifies(alone, tour, pi)
            stop = ""
            if not held and self.p.f5_grant_gap_restarts:
                stop = "grant"
            elif (
                held
                and not counts
                and self.p.f5_withdrawal_restarts
                and not self.qualifies(*self.state(s, lapses=False))
            ):
                stop = "withdrawal"
            segs.append(_Seg(s, end, counts, held and alone, bool(pi), stop))
        return segs

    def why_not(self, d: date, tourism_only: bool = False) -> tuple[Reason, str]:
        """The cause, with its source, of day ``d`` not counting."""
        if not self.held(d):
            return self.grant_cause(min(d, self.as_of))
        if tourism_only and self.qualifies(*self.state(d)):
            message = gettext_noop(
                "no tourism investment alone met its minimum (public-interest money was "
                "needed), so the day does not count for %(code)s"
            )
            return phrase(message, code=self.p.f5_tourism_code), "seed §6.A; [decision]"
        test = (lambda a, t, p: a) if tourism_only else self.qualifies
        if test(*self.state(d, lapses=False)):
            found = [(i, lp) for i in self.invs for lp in i.open_lapses(d)]
            return (
                phrase("%(lapses_all)s", lapses_all=tuple(_lapse(i.name, lp) for i, lp in found)),
                "[public]; seed §6.E",
            )
        if test(*self.state(d, recoveries=False)):
            inv, rec = max(
                ((i, m) for i in self.invs for m in i.recs if m.on <= d), key=lambda x: x[1].on
            )
            message = gettext_noop(
                "investment below the minimum since %(on)s (recovery of %(amount_krw)s from "
                "investment %(name)s)"
            )
            return phrase(message, on=rec.on, amount_krw=rec.amount_krw, name=inv.name), SEED
        _, tour_parts, pi_parts = self.state(d)
        tour, pi = sum(n for _, n in tour_parts), sum(n for _, n in pi_parts)
        message = gettext_noop(
            "no maintained qualifying investment on %(on)s (tourism %(tourism_krw)s, public "
            "interest %(pi_krw)s, each below its minimum)"
        )
        return phrase(message, on=d, tourism_krw=tour, pi_krw=pi), SEED

    def grant_cause(self, d: date) -> tuple[Reason, str]:
        if not self.grants:
            if self.f1:
                message = gettext_noop(
                    "no F-2 investor grant, only F-1 (from %(on)s); time in F-1 does not count"
                )
                return phrase(message, on=self.f1[0].granted_on), F1_SRC
            message = gettext_noop("no F-2 investor grant (%(codes)s)")
            return phrase(message, codes=" / ".join(self.p.f2_investor_codes)), SEED
        if all(g.granted_on > d for g in self.grants):
            first = min(g.granted_on for g in self.grants)
            message = gettext_noop("no F-2 investor grant on %(on)s (first grant on %(first)s)")
            return phrase(message, on=d, first=first), SEED
        last = max(g.expires_on for g in self.grants if g.expires_on and g.expires_on < d)
        return phrase(gettext_noop("F-2 expired on %(on)s without renewal"), on=last), SEED


def _lapse(name: str, lapse: Interval) -> Reason:
    """One open lapse, as a part of a reason: "lapse (lease) of investment #3 open since …"."""
    values = {"kind": phrase(LAPSE_WORDS.get(lapse.kind, lapse.kind)), "name": name}
    if lapse.end:
        message = gettext_noop(
            "lapse (%(kind)s) of investment %(name)s open since %(start)s until %(end)s"
        )
        return phrase(message, start=lapse.start, end=lapse.end, **values)
    message = gettext_noop("lapse (%(kind)s) of investment %(name)s open since %(start)s")
    return phrase(message, start=lapse.start, **values)


def _walk(segs: list[_Seg], code: str, years: int, pi_min: int, *, tourism: bool) -> _Path:
    """The count of one F-5 path: ``tourism`` counts only days a tourism investment alone
    qualified (F-5-17 as seeded); otherwise every counted day (F-5-21)."""
    p, cum, pi_cum = _Path(code), 0, 0
    stopped: date | None = None  # first day of a stop not yet followed by a counted day
    kind = ""
    for s in segs:
        if s.stop and p.start is not None and p.completion is None and stopped is None:
            stopped, kind = s.start, s.stop
        if not (s.alone if tourism else s.counts):
            continue
        if stopped is not None:
            # Not maintained: the count starts again from this day (seed §6.A, §6.B, §7.A).
            p.restarts.append((stopped, s.start, cum, kind))
            p.runs, p.start, p.required, cum, pi_cum = [], None, 0, 0, 0
            p.needed, p.pi_at, stopped = 0, None, None
        n = None if s.end is None else (s.end - s.start).days + 1
        if p.runs and p.runs[-1][1] is not None and p.runs[-1][1] + ONE_DAY == s.start:
            p.runs[-1][1] = s.end
        else:
            p.runs.append([s.start, s.end])
        if p.start is None:
            p.start, p.required = s.start, days_in_years(s.start, years)
        if p.completion is None:
            left = p.required - cum
            p.needed += 0 if s.alone else (left if n is None else min(n, left))
            if n is None or n >= left:
                p.completion = s.start + timedelta(days=left - 1)
        if s.pi and p.pi_at is None and (n is None or pi_cum + n >= pi_min):
            p.pi_at = s.start + timedelta(days=max(pi_min - pi_cum, 1) - 1)
        cum, pi_cum = cum + (n or 0), pi_cum + (n or 0) * s.pi
    if p.completion and tourism:
        p.eligible = p.completion + ONE_DAY
    elif p.completion and (pi_min <= 0 or p.pi_at):
        p.eligible = max(p.completion, p.pi_at or p.completion) + ONE_DAY
    return p


def f5_clock(
    *,
    grants: Sequence[Grant],
    investments: Sequence[InvestmentFacts],
    as_of: date,
    params: Parameters,
) -> F5Clock:
    """The F-5 clock of one person on ``as_of``; see the module docstring for every decision."""
    led = _Ledger(grants, investments, as_of, params)
    segs = led.segments()
    running = any(s.counts and s.start <= as_of and (s.end is None or s.end >= as_of) for s in segs)
    if not running:
        segs = [s for s in segs if s.start <= as_of]
    pi_min = params.combined_public_interest_min_days
    f5_tourism, f5_public_interest = params.f5_tourism_code, params.f5_public_interest_code
    t = _walk(segs, f5_tourism, params.f5_years, pi_min, tourism=True)
    c = _walk(segs, f5_public_interest, params.f5_years, pi_min, tourism=False)
    path = t if t.eligible and (c.eligible is None or t.eligible <= c.eligible) else c
    eligible = path.eligible
    codes = ", ".join(led.codes)
    why: list[Reason] = []

    def add(source: str, message: str, **values: object) -> None:
        why.append(explained("R4", source, message, **values))

    message = gettext_noop(
        "A day counts while an investor grant (%(codes)s) is held and a qualifying investment "
        "maintained; tourism and public-interest periods add up"
    )
    add(SEED, message, codes=codes)
    if led.f1:
        message = gettext_noop("Time in F-1 (granted %(on)s) does not count")
        add(F1_SRC, message, on=led.f1[0].granted_on)
    elif params.f1_counts_toward_f5 and any(g.code == params.code("visit") for g in led.grants):
        add(F1_SRC, gettext_noop("Time in F-1 counts by setting"))
    for f in led.excluded:
        message = gettext_noop("Investment %(name)s is outside its period: not counted")
        add(IN_PERIOD, message, name=f.label or f.id)
    if c.needed:
        message = gettext_noop(
            "On %(days)s counted days no tourism investment alone met its minimum: public-"
            "interest money (alone or with tourism, together >= %(total_krw)s) was needed"
        )
        total = combined_minimum([i.f for i in led.invs], params)
        add(LINKAGE, message, days=c.needed, total_krw=total)
    for stop, resumed, lost, kind in path.restarts:
        cause, _ = led.why_not(stop, tourism_only=path is t)
        message = gettext_noop(
            "Restarted on %(on)s: not maintained from %(stop)s (%(cause)s); the %(days)s days "
            "counted before are not summed"
        )
        source = GAP_SRC if kind == "grant" else WITHDRAWAL_SRC
        add(source, message, on=resumed, stop=stop, cause=cause, days=lost)
    if path.start:
        message = gettext_noop("Clock starts on %(on)s: first day with a grant and investment")
        add(SEED, message, on=path.start)
        message = gettext_noop("%(years)s years from %(on)s hold %(days)s days")
        add(CIVIL, message, years=params.f5_years, on=path.start, days=path.required)
    horizon = eligible - ONE_DAY if eligible else date.max
    for (_, end), (nxt, _) in zip(path.runs, path.runs[1:], strict=False):
        if (gap := end + ONE_DAY) <= horizon:
            cause, source = led.why_not(gap, tourism_only=path is t)
            message = gettext_noop("Paused %(start)s to %(end)s (%(days)s days): %(cause)s")
            add(source, message, start=gap, end=nxt - ONE_DAY, days=(nxt - gap).days, cause=cause)
    if running and not (eligible and eligible <= as_of + ONE_DAY):
        ext = [g.expires_on for g in led.grants if g.expires_on and g.expires_on >= as_of]
        ignored = phrase(gettext_noop(" (expiry on %(on)s ignored)"), on=max(ext)) if ext else ""
        message = gettext_noop(
            "Projected beyond %(on)s: the grant is assumed extended%(ignored)s; only "
            "recorded future payments, recoveries and lapses change it"
        )
        add("[decision]", message, on=as_of, ignored=ignored)
    if eligible:
        if eligible <= as_of:
            message = gettext_noop("Complete on %(end)s; already eligible since %(on)s")
        else:
            message = gettext_noop("Complete on %(end)s; may apply from %(on)s")
        add(CIVIL, message, end=path.completion, on=eligible)
        codes_values = {"tourism": f5_tourism, "combined": f5_public_interest}
        if path is t and c.needed:
            message = gettext_noop(
                "Counting only days a tourism investment alone met its minimum gives "
                "%(tourism)s earlier than %(combined)s"
            )
            add(SEED + "; [decision]", message, **codes_values)
        elif path is t:
            message = gettext_noop("A tourism investment alone met its minimum: %(tourism)s")
            add(SEED, message, **codes_values)
        else:
            message = gettext_noop(
                "Public-interest money was needed: %(combined)s requires %(days)s days "
                "holding it, reached on %(on)s"
            )
            add(PI_SRC, message, days=pi_min, on=path.pi_at, **codes_values)
    if not running:
        cause, source = led.why_not(as_of)
        if eligible:
            message = gettext_noop("The clock no longer runs on %(on)s: %(cause)s")
        else:
            message = gettext_noop("Not on track on %(on)s: %(cause)s")
        add(source, message, on=as_of, cause=cause)
    elif eligible is None and c.completion is None:
        stop = c.runs[-1][1] + ONE_DAY
        cause, source = led.why_not(stop)
        message = gettext_noop(
            "Not on track: the clock stops on %(on)s and does not resume: %(cause)s"
        )
        add(source, message, on=stop, cause=cause)
    elif eligible is None:
        message = gettext_noop(
            "Not on track: %(combined)s requires %(days)s days holding public-interest money; "
            "the recorded facts never reach them"
        )
        add(PI_SRC, message, combined=f5_public_interest, days=pi_min)
    code = path.code if eligible else f5_public_interest if c.needed else f5_tourism
    runs = [(s, None if e is None or e >= as_of else e) for s, e in path.runs if s <= as_of]
    return F5Clock(
        on_track=eligible is not None,
        eligible_on=eligible,
        code=code if path.start else None,
        counted_days=sum(((e or as_of) - s).days + 1 for s, e in runs),
        required_days=path.required,
        days_remaining=max((eligible - as_of).days, 0) if eligible else 0,
        intervals=tuple(runs),
        reasons=tuple(why),
    )
