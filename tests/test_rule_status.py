"""R2: the status a person's investments support on a date (SPEC §4 R2, seed §6.D, §7.C).

Numbers follow the default ``Parameters``: public-interest minimum KRW 1.5 billion, high-value
KRW 3 billion, F-1 KRW 100 million / USD 100,000, linked deposit 40 %."""

from datetime import date

import pytest

from investments.rules.facts import Interval, InvestmentFacts, Money, Parameters
from investments.rules.status import Qualification, qualification
from investments.rules.status_tests import net_held

D = date.fromisoformat
M = 1_000_000  # one million KRW
ON = D("2024-06-01")
PARAMS = Parameters()


def pay(amount: int, kind: str = "final", on: str = "2023-06-01", usd: float | None = None):
    if usd is None:
        return Money(D(on), amount, kind)
    return Money(D(on), amount, kind, currency="USD", original_amount=usd)


def recover(amount: int, on: str = "2024-01-10", reason: str = "sale"):
    return Money(D(on), amount, reason)


def lapse(kind: str, start: str, end: str | None = None):
    return Interval(kind, D(start), D(end) if end else None)


def tourism(*payments, cls="registered_owner", registered="2023-07-01", **facts):
    """A Jeju unit bought 2023-06-01 (minimum KRW 1 billion, inside the period)."""
    defaults = {
        "id": 1,
        "program": "tourism",
        "investor_class": cls,
        "track": "general",
        "contract_date": D("2023-06-01"),
        "contract_amount_krw": 1000 * M,
        "registered_on": D(registered) if registered else None,
        "minimum_krw": 1000 * M,
        "in_period": True,
        "payments": payments,
        "label": "Jeju A-1203",
    }
    return InvestmentFacts(**(defaults | facts))


def linked(*payments, price=1500 * M, **facts):
    """A linked investor (seed §6.D ③): unit price at least the public-interest minimum."""
    return tourism(*payments, cls="linked", registered=None, contract_amount_krw=price, **facts)


def deposit(*payments, track="general", minimum=1500 * M, **facts):
    """A KDB public-interest fund deposit made 2023-07-01."""
    defaults = {
        "id": 2,
        "program": "public_interest",
        "investor_class": "depositor",
        "track": track,
        "contract_date": D("2023-07-01"),
        "contract_amount_krw": sum(p.amount_krw for p in payments),
        "registered_on": None,
        "minimum_krw": minimum,
        "in_period": True,
        "payments": payments,
        "label": "KDB fund",
    }
    return InvestmentFacts(**(defaults | facts))


def kdb(amount: int, **facts):
    return deposit(pay(amount, "deposit", "2023-07-01"), **facts)


def case(source: str, what: str, investments, expected, minimum, held, on=ON):
    return pytest.param(investments, on, expected, minimum, held, id=f"{source}: {what}")


CASES = [
    case("seed 7.C", "high value F-5-25", [kdb(3000 * M, track="high_value", minimum=3000 * M)],
         "F-5-25", 3000 * M, 3000 * M),
    case("seed 7.C", "high value short falls to F-2-12",
         [kdb(2999 * M, track="high_value", minimum=3000 * M)], "F-2-12", 1500 * M, 2999 * M),
    case("public", "pre-2023 high value uses its contract minimum",
         [kdb(1500 * M, track="high_value", minimum=1500 * M)], "F-5-25", 1500 * M, 1500 * M),
    case("seed 7.C", "high value without a minimum uses params",
         [kdb(3000 * M, track="high_value", minimum=None)], "F-5-25", 3000 * M, 3000 * M),
    case("seed 6.D 1", "registered owner", [tourism(pay(1000 * M))], "F-2-8", 1000 * M, 1000 * M),
    case("seed 6.D 2", "membership holder", [tourism(pay(1000 * M), cls="membership_holder")],
         "F-2-8", 1000 * M, 1000 * M),
    case("seed 6.D 1", "registered on the day", [tourism(pay(1000 * M), registered="2024-06-01")],
         "F-2-8", 1000 * M, 1000 * M),
    case("seed 6.D 1", "registered the day after gives no F-2",
         [tourism(pay(100 * M, "down"), pay(900 * M), registered="2024-06-02")],
         "F-1", 100 * M, 1000 * M),
    case("seed 6.D 1", "unregistered full payment gives no F-2",
         [tourism(pay(100 * M, "down"), pay(400 * M, "intermediate"), pay(500 * M),
                  registered=None)], "F-1", 100 * M, 1000 * M),
    case("seed 6.D", "one won short of the zone minimum",
         [tourism(pay(100 * M, "down"), pay(900 * M - 1))], "F-1", 100 * M, 1000 * M - 1),
    case("seed 6.D 3", "linked investor, 40 % deposited",
         [linked(pay(900 * M, "down"), pay(600 * M, "deposit"))], "F-2-8", 1500 * M, 1500 * M),
    case("seed 6.D 3", "linked investor, deposit one won under 40 %",
         [linked(pay(900 * M + 1, "down"), pay(600 * M - 1, "deposit"))],
         "F-1", 100 * M, 900 * M + 1),
    case("seed 6.D 3", "linked investor, unit price under the minimum",
         [linked(pay(900 * M, "down"), pay(600 * M, "deposit"), price=1500 * M - 1)],
         "F-1", 100 * M, 900 * M),
    case("seed 6.D 3", "linked investor, no down payment",
         [linked(pay(1500 * M, "deposit"))], None, None, 1500 * M),
    case("seed 6.D 3", "linked investor, down + deposit short",
         [linked(pay(100 * M, "down"), pay(600 * M, "deposit"))], "F-1", 100 * M, 100 * M),
    case("seed 6.D 3", "linked investor, deposit partly repaid",
         [linked(pay(900 * M, "down"), pay(600 * M, "deposit"), recoveries=(recover(1),))],
         "F-1", 100 * M, 900 * M - 1),
    case("seed 6.J", "tourism outside the period", [tourism(pay(1000 * M), in_period=False)],
         None, None, 1000 * M),
    case("seed 7.S(3)", "public interest alone", [kdb(1500 * M)], "F-2-12", 1500 * M, 1500 * M),
    case("seed 7.S(3)", "public interest one won short", [kdb(1500 * M - 1)],
         None, None, 1500 * M - 1),
    case("seed 6.A, 7.C", "tourism + public interest combined",
         [tourism(pay(700 * M)), kdb(800 * M)], "F-2-12", 1500 * M, 1500 * M),
    case("seed 6.A, 7.C", "combined one won short",
         [tourism(pay(700 * M)), kdb(800 * M - 1)], "F-1", 100 * M, 700 * M),
    case("seed 7.C", "tourism alone is not combined",
         [tourism(pay(1500 * M), registered=None)], "F-1", 100 * M, 1500 * M),
    case("seed 6.J", "out-of-period tourism does not combine",
         [tourism(pay(700 * M), in_period=False), kdb(800 * M)], None, None, 1500 * M),
    case("seed 6.D", "F-2-8 outranks F-2-12", [tourism(pay(1000 * M)), kdb(1500 * M)],
         "F-2-8", 1000 * M, 1000 * M),
    case("seed 6.D", "F-1 by KRW", [tourism(pay(100 * M, "down"))], "F-1", 100 * M, 100 * M),
    case("seed 6.D", "F-1 by KRW one won short", [tourism(pay(100 * M - 1, "down"))],
         None, None, 100 * M - 1),
    case("seed 6.D", "F-1 by USD", [tourism(pay(95 * M, "down", usd=100_000))],
         "F-1", 100 * M, 95 * M),
    case("seed 6.D", "F-1 by USD one dollar short", [tourism(pay(95 * M, "down", usd=99_999))],
         None, None, 95 * M),
    # issue 8.7: the label of the last payment does not decide F-1 (seed §6.A, §6.D)
    case("seed 6.A, 6.D", "F-1 counts every payment, the one labelled final included",
         [tourism(pay(50 * M, "down"), pay(40 * M, "intermediate"), pay(800 * M))],
         "F-1", 100 * M, 890 * M),
    case("seed 6.D", "F-1 net of recoveries",
         [tourism(pay(150 * M, "down", usd=110_000), recoveries=(recover(60 * M),))],
         None, None, 90 * M),
    case("seed 6.E", "leased unit is not maintained",
         [tourism(pay(1000 * M), lapses=(lapse("lease", "2024-01-01", "2024-06-01"),))],
         None, None, 0),
    case("seed 6.E", "lease ended the day before", [tourism(pay(1000 * M), lapses=(
         lapse("lease", "2024-01-01", "2024-05-31"),))], "F-2-8", 1000 * M, 1000 * M),
    case("public", "departure lapse of a deposit", [kdb(1500 * M, lapses=(
         lapse("departure", "2024-05-01"),))], None, None, 0),
    case("seed 7.S(3)", "recovery on the day counts", [kdb(1500 * M, recoveries=(
         recover(1, "2024-06-01", "early_repayment"),))], None, None, 1500 * M - 1),
    case("seed 7.S(3)", "recovery after the day does not", [kdb(1500 * M, recoveries=(
         recover(1, "2024-06-02", "early_repayment"),))], "F-2-12", 1500 * M, 1500 * M),
    case("seed 7.S(3)", "payment after the day does not count",
         [kdb(1500 * M)], None, None, 0, on=D("2023-06-30")),
    case("seed 6.D, 7.S(3)", "no investment", [], None, None, 0),
]  # fmt: skip


@pytest.mark.parametrize(("investments", "on", "expected", "minimum", "held"), CASES)
def test_qualification(investments, on, expected, minimum, held):
    result = qualification(investments, on=on, params=PARAMS)
    assert (result.qualifies_for, result.minimum_krw, result.held_krw) == (expected, minimum, held)
    assert result.reasons
    assert all(r.rule == "R2" for r in result.reasons)


def texts(result: Qualification) -> list[str]:
    return [r.text for r in result.reasons]


def test_reasons_say_why_stronger_statuses_failed():
    result = qualification([tourism(pay(700 * M)), kdb(800 * M)], on=ON, params=PARAMS)
    assert texts(result) == [
        "F-5-25: no high-value public-interest deposit",
        "F-2-8: Jeju A-1203: holds KRW 700,000,000 of the KRW 1,000,000,000 minimum",
        "F-2-12: public-interest KRW 800,000,000 + tourism KRW 700,000,000 together: "
        "holds KRW 1,500,000,000, meeting the KRW 1,500,000,000 public-interest minimum",
    ]
    assert result.reasons[-1].source == "seed §6.A, §7.C"


@pytest.mark.parametrize(
    "unit,reason",
    [
        pytest.param(
            tourism(pay(1000 * M), registered=None),
            "F-2-8: Jeju A-1203: holds KRW 1,000,000,000, meeting the KRW 1,000,000,000 minimum "
            "but has no ownership registration on 2024-06-01; no F-2 until it is registered",
            id="unregistered-owner",
        ),
        pytest.param(
            linked(pay(900 * M + 1, "down"), pay(600 * M - 1, "deposit")),
            "F-2-8: Jeju A-1203 (linked investor): KDB deposit KRW 599,999,999 is below 40 % of "
            "KRW 1,500,000,000 (KRW 600,000,000)",
            id="linked-deposit-names-the-share",
        ),
    ],
)
def test_a_reason_says_why_a_unit_falls_short(unit, reason):
    result = qualification([unit], on=ON, params=PARAMS)
    assert reason in texts(result)


def test_lapse_reason_and_source():
    unit = tourism(pay(1000 * M), lapses=(lapse("seizure", "2024-05-01"),))
    result = qualification([unit], on=ON, params=PARAMS)
    assert result.reasons[0].text == (
        "Jeju A-1203 is not maintained on 2024-06-01: seizure from 2024-05-01; "
        "it counts for nothing"
    )
    assert result.reasons[0].source == "seed §6.E"


def test_high_value_grant_cites_public_source():
    result = qualification([kdb(3000 * M, track="high_value")], on=ON, params=PARAMS)
    assert [r.source for r in result.reasons] == ["seed §7.C", "[public]"]


def test_f1_by_usd_reason():
    result = qualification([tourism(pay(95 * M, "down", usd=100_000))], on=ON, params=PARAMS)
    assert result.reasons[-1].text == (
        "F-1: Jeju A-1203: down + intermediate payments: holds USD 100,000.00, meeting the "
        "USD 100,000 minimum (KRW 95,000,000)"
    )


def test_params_drive_the_numbers():
    """The portal passes the administrator's values; nothing is hard-coded in the rule."""
    params = Parameters(public_interest_minimum_krw=500 * M, f1_minimum_krw=200 * M)
    assert qualification([kdb(500 * M)], on=ON, params=params).qualifies_for == "F-2-12"
    unit = tourism(pay(150 * M, "down"))
    assert qualification([unit], on=ON, params=params).qualifies_for is None


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        pytest.param("2023-05-31", 0, id="before any payment"),
        pytest.param("2023-06-01", 1000 * M, id="payment day counts"),
        pytest.param("2024-01-10", 0, id="recovery day counts, never below zero"),
    ],
)
def test_net_held(on, expected):
    unit = tourism(pay(1000 * M), recoveries=(recover(1000 * M), recover(5 * M)))
    assert net_held(unit, D(on)) == expected
