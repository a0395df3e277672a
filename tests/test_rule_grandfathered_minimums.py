"""Issue 8 item 1: an investment is judged against the minimum in force on its own contract
(deposit) date; a later rise never takes status away from an investment that met the rule of
its day (seed §7.C, §6.J; SPEC §2.2 "so older records validate").

Every case runs through the public eligibility endpoint and the F-5 pipeline service, on the
shipped minimum rows: public interest KRW 500 million until 2023-06-28, KRW 1.5 billion from
2023-06-29 (seed §7.C).
"""

from datetime import date

import pytest

from investments.models import MinimumAmount
from reporting.pipeline import build
from tests.factories import eligibility, grants, kdb_deposit, tourism_investment

pytestmark = pytest.mark.django_db


def kdb_depositor_2019(kdb, officer_sejongno, *, amount=500_000_000):
    """A KDB deposit made in 2019, when the minimum was KRW 500 million, F-2-12 from
    2019-06-01."""
    deposit = kdb_deposit(
        kdb,
        contract_date=date(2019, 5, 2),
        amount=amount,
        name="LI Na",
        nationality="CN",
        passport="E20190502",
        date_of_birth=date(1970, 1, 1),
    )
    investor = deposit.investor
    grants(
        officer_sejongno,
        investor,
        ("F-2-12", date(2019, 6, 1), date(2022, 5, 31)),
        ("F-2-12", date(2022, 6, 1), date(2025, 5, 31)),
    )
    return investor


def linked_investor_2018(company, officer):
    """A linked investor of 2018 (seed §6.D ③): a Jeju unit of KRW 500 million, a down payment
    of KRW 300 million and a KDB deposit of KRW 200 million (40 % of the KRW 500 million
    public-interest minimum of 2018), F-2-8 from 2018-07-02."""
    investment = tourism_investment(
        company,
        investor_class="linked",
        unit_number="L-101",
        contract_date=date(2018, 4, 2),
        amount=500_000_000,
        payments=[
            (date(2018, 4, 2), 300_000_000, "down"),
            (date(2018, 5, 2), 200_000_000, "deposit"),
        ],
        name="CHEN Jie",
        passport="E20180402",
        date_of_birth=date(1972, 3, 3),
    )
    grants(officer, investment.investor, ("F-2-8", date(2018, 7, 2), date(2026, 7, 1)))
    return investment.investor


def answer(api, user, investor, as_of):
    return eligibility(api, user, investor.pk, as_of=as_of)


# (as_of, qualifies_for, f5 eligible_on): the day before the 2023 rise, the day of it, after.
DEPOSIT_CASES = [
    ("2023-06-28", "F-2-12", "2024-06-01"),  # seed §7.C: KRW 500 million minimum of 2019
    ("2023-06-29", "F-2-12", "2024-06-01"),  # seed §7.C: the new KRW 1.5 billion is not its rule
    ("2024-01-02", "F-2-12", "2024-06-01"),  # SPEC §2.2: status kept, F-5 clock keeps running
]


@pytest.mark.parametrize("as_of,status,eligible_on", DEPOSIT_CASES)
def test_a_2019_deposit_keeps_its_minimum_after_the_2023_rise(
    api, kdb, officer_sejongno, as_of, status, eligible_on
):
    investor = kdb_depositor_2019(kdb, officer_sejongno)
    body = answer(api, officer_sejongno, investor, as_of)
    assert body["qualifies_for"] == status
    assert body["minimum_krw"] == 500_000_000
    assert body["f5"]["on_track"] is True
    assert body["f5"]["eligible_on"] == eligible_on
    assert body["f5"]["counted_days"] > 0


def test_a_2019_deposit_below_the_minimum_of_its_day_still_fails(api, kdb, officer_sejongno):
    """The grandfathering keeps the old rule, not a lower one: KRW 400 million in 2019 was
    below the KRW 500 million minimum then (seed §7.C)."""
    investor = kdb_depositor_2019(kdb, officer_sejongno, amount=400_000_000)
    body = answer(api, officer_sejongno, investor, "2023-06-28")
    assert body["qualifies_for"] is None
    assert body["f5"]["on_track"] is False


@pytest.mark.parametrize("as_of", ["2023-06-28", "2023-06-29", "2023-09-01"])
def test_a_2018_linked_investor_keeps_the_public_interest_minimum_of_its_contract(
    api, company, officer, as_of
):
    """Seed §6.D ③: unit price, deposit share and total are measured against the
    public-interest minimum of the contract date (KRW 500 million in 2018)."""
    investor = linked_investor_2018(company, officer)
    body = answer(api, officer, investor, as_of)
    assert body["qualifies_for"] == "F-2-8"
    assert body["minimum_krw"] == 500_000_000
    assert body["f5"]["eligible_on"] == "2023-07-02"


def test_raising_a_minimum_row_after_the_contract_changes_nothing(api, kdb, officer_sejongno, hq):
    """Issue 8 property, one case: an administrator raises the public-interest minimum from a
    date after the deposit; the answer and the F-5 date stay the same (seed §7.C)."""
    investor = kdb_depositor_2019(kdb, officer_sejongno)
    before = answer(api, officer_sejongno, investor, "2024-01-02")
    MinimumAmount.objects.filter(
        program__code="public_interest", track="general", effective_to__isnull=True
    ).update(minimum_krw=9_000_000_000)
    after = answer(api, officer_sejongno, investor, "2024-01-02")
    assert after["qualifies_for"] == before["qualifies_for"] == "F-2-12"
    assert after["f5"]["eligible_on"] == before["f5"]["eligible_on"]


def test_the_f5_pipeline_keeps_a_grandfathered_depositor_on_track(kdb, officer_sejongno):
    """The F-5 pipeline asks the same clock: the 2019 depositor is due on 2024-06-01 and not
    stalled after the 2023 rise (seed §7.C, §6.A)."""
    investor = kdb_depositor_2019(kdb, officer_sejongno)
    rows = [
        r
        for r in build(officer_sejongno, as_of=date(2024, 1, 2)).rows
        if r.investor_id == investor.pk
    ]
    assert len(rows) == 1
    assert rows[0].on_track is True
    assert rows[0].eligible_on == date(2024, 6, 1)


def test_a_later_contract_is_judged_against_the_minimum_of_its_own_day(api, kdb, officer_sejongno):
    """A deposit of KRW 500 million made on 2023-06-29 meets no minimum (KRW 1.5 billion from
    that day, seed §7.C)."""
    deposit = kdb_deposit(
        kdb,
        contract_date=date(2023, 6, 29),
        amount=500_000_000,
        name="PARK Mina",
        nationality="US",
        passport="A20230629",
        date_of_birth=date(1980, 1, 1),
    )
    investor = deposit.investor
    body = answer(api, officer_sejongno, investor, "2023-07-01")
    assert body["qualifies_for"] is None
