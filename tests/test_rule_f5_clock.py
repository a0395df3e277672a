"""Tests for R4, the five-year clock towards F-5 (SPEC §4 R4; seed §6.A, §6.E, §7.C; Civil Act
art. 160). Pure-function tests: no database, no settings."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from investments.rules.f5_clock import F5Clock, f5_clock
from investments.rules.facts import Grant, Interval, InvestmentFacts, Money, Parameters

M = 1_000_000  # KRW million
P = Parameters()


def d(text: str) -> date:
    return date.fromisoformat(text)


def inv(
    program: str = "tourism",
    pays: tuple = (("2020-01-15", 500),),
    minimum: int | None = 500,
    recs: tuple = (),
    lapses: tuple = (),
    in_period: bool = True,
    ident: int = 1,
) -> InvestmentFacts:
    """An investment; amounts in KRW million, dates as ISO strings, lapses (kind, start, end)."""
    return InvestmentFacts(
        id=ident,
        program=program,
        investor_class="registered_owner" if program == "tourism" else "depositor",
        track="general",
        contract_date=d(pays[0][0]),
        contract_amount_krw=sum(a for _, a in pays) * M,
        registered_on=d(pays[0][0]),
        minimum_krw=None if minimum is None else minimum * M,
        in_period=in_period,
        payments=tuple(Money(d(on), a * M, "final") for on, a in pays),
        recoveries=tuple(Money(d(on), a * M, "sale") for on, a in recs),
        lapses=tuple(Interval(k, d(s), e and d(e)) for k, s, e in lapses),
    )


def pi(pays: tuple = (("2020-03-01", 1500),), recs: tuple = ()) -> InvestmentFacts:
    return inv("public_interest", pays, None, recs, ident=2)


def f2(start: str, end: str | None = None, code: str = "F-2-8") -> Grant:
    return Grant(code, d(start), end and d(end))


def want(**fields):
    """Expected F5Clock fields; ``reason`` = (text part, source part) of one expected Reason."""
    return fields


RENEWED = (f2("2020-03-10", "2023-03-09"), f2("2023-03-10", "2026-03-09"))  # back-to-back
OPEN = (f2("2020-03-10"),)
AS_OF = d("2024-06-01")

# fmt: off
CASES = [
    pytest.param(RENEWED, [inv()], AS_OF, {}, want(
        on_track=True, eligible_on=d("2025-03-10"), code="F-5-17", required_days=1826,
        counted_days=1545, days_remaining=282, intervals=((d("2020-03-10"), None),),
        reason=("Complete on 2025-03-09", "Civil Act art. 160")),
        id="civil-act-160:continuous-from-2020-03-10-eligible-on-5th-anniversary"),
    pytest.param((f2("2020-02-29"),), [inv()], AS_OF, {}, want(
        on_track=True, eligible_on=d("2025-03-01"), code="F-5-17", required_days=1827,
        reason=("Complete on 2025-02-28", "Civil Act art. 160")),
        id="civil-act-160:29-february-start-completes-28-february"),
    pytest.param((f2("2019-09-02"),), [inv(pays=(("2019-05-01", 500),))], d("2022-01-01"), {},
        want(on_track=True, eligible_on=d("2024-09-02"), code="F-5-17",
             reason=("Clock starts on 2019-09-02", "seed §6.A")),
        id="seed-6A:clock-starts-at-F-2-grant-later-than-full-payment"),
    pytest.param((f2("2019-01-10", "2019-09-01", "F-1"), f2("2019-09-02")),
        [inv(pays=(("2019-01-05", 100), ("2019-06-20", 400)))], AS_OF, {},
        want(on_track=True, eligible_on=d("2024-09-02"), code="F-5-17",
             reason=("F-1", "[decision] f1_counts_toward_f5")),
        id="decision-f1_counts_toward_f5:F-1-time-not-counted"),
    pytest.param((f2("2019-01-10", "2019-09-01", "F-1"), f2("2019-09-02")),
        [inv(pays=(("2019-01-05", 100), ("2019-06-20", 400)))], AS_OF,
        {"f1_counts_toward_f5": True},
        want(on_track=True, eligible_on=d("2024-06-20"), code="F-5-17",
             reason=("Time in F-1 counts", "[decision] f1_counts_toward_f5")),
        id="decision-f1_counts_toward_f5:F-1-time-counted-when-set-from-full-payment"),
    pytest.param(OPEN, [inv(lapses=(("lease", "2021-01-01", "2021-04-10"),))], AS_OF, {}, want(
        on_track=True, eligible_on=d("2025-06-18"), code="F-5-17", counted_days=1445,
        intervals=((d("2020-03-10"), d("2020-12-31")), (d("2021-04-11"), None)),
        reason=("Paused 2021-01-01 to 2021-04-10 (100 days): lapse (lease)", "[public]")),
        id="public:lapse-of-100-days-pushes-eligibility-100-days"),
    pytest.param(OPEN, [inv(lapses=(("mortgage", "2024-01-15", None),))], AS_OF, {}, want(
        on_track=False, eligible_on=None, code="F-5-17", days_remaining=0,
        intervals=((d("2020-03-10"), d("2024-01-14")),),
        reason=("lapse (mortgage) of investment #1 open since 2024-01-15", "seed §6.E")),
        id="public-seed-6E:open-lapse-at-as_of-not-on-track"),
    pytest.param(OPEN, [inv(pays=(("2020-01-15", 600),), recs=(("2022-05-01", 100),))], AS_OF,
        {}, want(on_track=True, eligible_on=d("2025-03-10"), code="F-5-17", counted_days=1545),
        id="seed-6A:partial-recovery-above-minimum-changes-nothing"),
    pytest.param(OPEN, [inv(recs=(("2022-05-01", 100),))], AS_OF, {}, want(
        on_track=False, eligible_on=None, counted_days=782,
        intervals=((d("2020-03-10"), d("2022-04-30")),),
        reason=("below the minimum since 2022-05-01", "seed §6.A")),
        id="seed-6A:recovery-below-minimum-stops-the-clock"),
    pytest.param(OPEN, [inv(), pi(pays=(("2020-03-01", 1000),))], AS_OF, {}, want(
        on_track=True, eligible_on=d("2025-03-10"), code="F-5-17",
        reason=("tourism investment alone met its minimum", "seed §6.A")),
        id="seed-6A:jeju-500M-before-2023-plus-deposit-tourism-alone-F-5-17"),
    pytest.param(OPEN, [inv(minimum=1000), pi(pays=(("2020-03-01", 1000),))], AS_OF, {}, want(
        on_track=True, eligible_on=d("2025-03-10"), code="F-5-21",
        reason=("together >= KRW 1,500,000,000) was needed", "seed §7.C")),
        id="seed-6A-7C:tourism-500M-below-1B-plus-1B-deposit-combined-F-5-21"),
    pytest.param((f2("2020-03-10", code="F-2-12"),), [pi()], AS_OF, {}, want(
        on_track=True, eligible_on=d("2025-03-10"), code="F-5-21", counted_days=1545),
        id="seed-7C:public-interest-deposit-1.5B-alone-F-5-21"),
    pytest.param(OPEN, [inv(minimum=1000), pi(pays=(("2020-03-01", 900),))], AS_OF, {}, want(
        on_track=False, eligible_on=None, code=None, required_days=0, counted_days=0,
        reason=("no maintained qualifying investment", "seed §6.A")),
        id="seed-7C:combined-1.4B-below-public-interest-minimum"),
    pytest.param(OPEN, [inv(recs=(("2024-03-10", 100),)), pi(pays=(("2024-03-10", 1100),))],
        AS_OF, {}, want(
            on_track=True, eligible_on=d("2026-03-10"), code="F-5-21", days_remaining=647,
            reason=("requires 730 days holding it, reached on 2026-03-09",
                    "combined_public_interest_min_days")),
        id="public-decision:F-5-21-with-pi-days-below-730-delays-eligibility"),
    pytest.param(OPEN, [inv(pays=(("2020-01-15", 500), ("2021-04-11", 100)),
                            recs=(("2021-01-01", 100),)),
                        pi(pays=(("2021-01-01", 1100),), recs=(("2021-04-11", 1100),))],
        AS_OF, {}, want(
            on_track=True, eligible_on=d("2025-06-18"), code="F-5-17",
            reason=("Paused 2021-01-01 to 2021-04-10 (100 days): no tourism investment alone",
                    "[decision]")),
        id="decision:brief-public-interest-bridge-never-worse-than-tourism-alone"),
    pytest.param((f2("2020-03-10", "2023-03-09"),), [inv()], AS_OF, {}, want(
        on_track=False, eligible_on=None, counted_days=1095,
        intervals=((d("2020-03-10"), d("2023-03-09")),),
        reason=("F-2 expired on 2023-03-09 without renewal", "seed §6.A")),
        id="seed-6A:expired-F-2-without-renewal-not-on-track"),
    pytest.param((f2("2015-03-10", "2018-03-09"), f2("2018-03-10", "2021-03-09")),
        [inv(pays=(("2015-01-01", 500),))], AS_OF, {}, want(
            on_track=True, eligible_on=d("2020-03-10"), code="F-5-17", days_remaining=0,
            reason=("already eligible since 2020-03-10", "Civil Act art. 160")),
        id="civil-act-160:already-eligible-in-the-past"),
    pytest.param(RENEWED, [inv()], d("2025-01-01"), {}, want(
        on_track=True, eligible_on=d("2025-03-10"), days_remaining=68),
        id="arithmetic:days-remaining-68"),
    pytest.param(RENEWED, [inv()], d("2025-03-09"), {}, want(
        on_track=True, eligible_on=d("2025-03-10"), days_remaining=1, counted_days=1826),
        id="civil-act-160:completion-day-one-day-remaining"),
    pytest.param(RENEWED, [inv()], d("2025-03-10"), {}, want(
        on_track=True, eligible_on=d("2025-03-10"), days_remaining=0),
        id="civil-act-160:eligible-day-zero-remaining"),
    pytest.param((f2("2020-03-10", "2024-12-31"),), [inv()], AS_OF, {}, want(
        on_track=True, eligible_on=d("2025-03-10"),
        reason=("expiry on 2024-12-31 ignored", "[decision]")),
        id="decision:grant-expiry-after-as_of-assumed-extended"),
    pytest.param(OPEN, [inv(recs=(("2024-12-01", 100),))], AS_OF, {}, want(
        on_track=False, eligible_on=None, intervals=((d("2020-03-10"), None),),
        reason=("clock stops on 2024-12-01 and does not resume", "seed §6.A")),
        id="seed-6A:planned-recovery-below-minimum-stops-projection"),
    pytest.param(OPEN, [inv(lapses=(("seizure", "2024-07-01", "2024-07-30"),))], AS_OF, {},
        want(on_track=True, eligible_on=d("2025-04-09"),
             reason=("Paused 2024-07-01 to 2024-07-30 (30 days)", "[public]")),
        id="public:planned-30-day-lapse-in-projection"),
    pytest.param((), [inv()], AS_OF, {}, want(
        on_track=False, eligible_on=None, code=None, required_days=0, counted_days=0,
        intervals=(), reason=("no F-2 investor grant", "seed §6.A")),
        id="seed-6A:no-F-2-grant"),
    pytest.param(OPEN, [inv(in_period=False)], AS_OF, {}, want(
        on_track=False, eligible_on=None, code=None,
        reason=("outside its period", "[decision] R1 in_period")),
        id="decision-R1:investment-outside-implementation-period-never-counts"),
]
# fmt: on


@pytest.mark.parametrize(("grants", "investments", "as_of", "overrides", "expect"), CASES)
def test_table(grants, investments, as_of, overrides, expect):
    params = dataclasses.replace(P, **overrides)
    result = f5_clock(grants=grants, investments=investments, as_of=as_of, params=params)
    assert isinstance(result, F5Clock)
    expect = dict(expect)
    wanted = expect.pop("reason", None)
    for name, value in expect.items():
        assert getattr(result, name) == value, (name, result)
    assert result.reasons and all(r.rule == "R4" and r.source for r in result.reasons)
    if wanted:
        text, source = wanted
        assert any(text in r.text and source in r.source for r in result.reasons), result.reasons


def test_continuous_clock_has_no_pause_and_states_its_start():
    result = f5_clock(grants=RENEWED, investments=[inv()], as_of=AS_OF, params=P)
    assert not any("Paused" in r.text for r in result.reasons)
    assert any("1826 days" in r.text for r in result.reasons)


# --------------------------------------------------------------------------- properties

DAY_ZERO, DAY_LAST = date(2015, 1, 1), date(2030, 12, 31)
dates = st.dates(DAY_ZERO, DAY_LAST)
NEVER = date.max


@st.composite
def lapses(draw):
    start = draw(dates)
    length = draw(st.none() | st.integers(0, 800))
    end = None if length is None else start + timedelta(days=length)
    return Interval(draw(st.sampled_from(["lease", "mortgage", "seizure"])), start, end)


@st.composite
def investments(draw, ident):
    program = draw(st.sampled_from(["tourism", "public_interest"]))
    pays = draw(
        st.lists(
            st.tuples(dates, st.sampled_from([100, 250, 500, 1000, 1500])), min_size=1, max_size=4
        )
    )
    paid = sum(a for _, a in pays)
    recs, left = [], paid
    for _ in range(draw(st.integers(0, 2))):
        amount = draw(st.integers(1, max(left, 1)))
        if amount <= left:
            recs.append(Money(draw(dates), amount * M, "sale"))
            left -= amount
    minimum = draw(st.sampled_from([500, 1000, None])) if program == "tourism" else None
    return InvestmentFacts(
        id=ident,
        program=program,
        investor_class="registered_owner",
        track="general",
        contract_date=pays[0][0],
        contract_amount_krw=paid * M,
        registered_on=None,
        minimum_krw=minimum and minimum * M,
        in_period=draw(st.booleans() | st.just(True)),
        payments=tuple(Money(on, a * M, "final") for on, a in pays),
        recoveries=tuple(recs),
        lapses=tuple(draw(st.lists(lapses(), max_size=2))),
    )


@st.composite
def grants(draw):
    start = draw(dates)
    length = draw(st.none() | st.integers(30, 3000))
    code = draw(st.sampled_from(["F-2-8", "F-2-12", "F-2-14", "F-1"]))
    return Grant(code, start, None if length is None else start + timedelta(days=length))


@st.composite
def ledgers(draw):
    invs = [draw(investments(i)) for i in range(1, draw(st.integers(1, 2)) + 1)]
    params = dataclasses.replace(P, f1_counts_toward_f5=draw(st.booleans()))
    return draw(st.lists(grants(), min_size=1, max_size=2)), invs, draw(dates), params


def run(ledger, invs=None) -> F5Clock:
    grants_, invs_, as_of, params = ledger
    return f5_clock(grants=grants_, investments=invs or invs_, as_of=as_of, params=params)


def key(result: F5Clock) -> date:
    return result.eligible_on or NEVER  # None = never: later than any date


@settings(max_examples=150, deadline=None)
@given(ledgers(), lapses(), st.integers(0, 1))
def test_adding_a_lapse_never_makes_eligibility_earlier(ledger, lapse, which):
    invs = ledger[1]
    target = invs[which % len(invs)]
    more = [dataclasses.replace(i, lapses=i.lapses + (lapse,)) if i is target else i for i in invs]
    assert key(run(ledger, more)) >= key(run(ledger))


@settings(max_examples=150, deadline=None)
@given(ledgers(), st.integers(0, 3))
def test_removing_a_recovery_never_makes_eligibility_later(ledger, which):
    invs = ledger[1]
    pairs = [(i, k) for i, x in enumerate(invs) for k in range(len(x.recoveries))]
    if not pairs:
        return
    i, k = pairs[which % len(pairs)]
    fewer = list(invs)
    recs = invs[i].recoveries
    fewer[i] = dataclasses.replace(invs[i], recoveries=recs[:k] + recs[k + 1 :])
    assert key(run(ledger, fewer)) <= key(run(ledger))


@settings(max_examples=150, deadline=None)
@given(ledgers())
def test_counted_days_bounded_by_time_since_first_grant(ledger):
    grants_, _, as_of, _ = ledger
    result = run(ledger)
    first = min(g.granted_on for g in grants_)
    assert 0 <= result.counted_days <= max(0, (as_of - first).days + 1)
    assert result.counted_days == sum(
        ((end or as_of) - start).days + 1 for start, end in result.intervals
    )
    assert result.days_remaining == (
        max(0, (result.eligible_on - as_of).days) if result.eligible_on else 0
    )
    assert result.on_track == (result.eligible_on is not None)
    assert all(r.rule == "R4" and r.source for r in result.reasons)


@settings(max_examples=150, deadline=None)
@given(ledgers(), dates, st.sampled_from([100, 500, 1000, 1500]))
def test_adding_a_public_interest_deposit_never_makes_eligibility_later(ledger, on, amount):
    """More money never hurts [decision]: this is why F-5-17 and F-5-21 are both computed."""
    invs = ledger[1]
    deposit = inv("public_interest", ((on.isoformat(), amount),), None, ident=99)
    assert key(run(ledger, [*invs, deposit])) <= key(run(ledger))
