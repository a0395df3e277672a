"""Issue 8 item 10: Civil Act art. 157 everywhere, each case through the services and the public
eligibility API (docs/rules.md, R3, R4, R5).

* R5 (withdrawal report, seed §6.H): the 14 days run from a recovery, an event within its day,
  so the first day is not counted (art. 157) and a last day on a weekend or holiday moves to the
  next working day (art. 161).
* R5 before the guideline's enforcement (seed §6.H): the 14 days run from 00:00 of the
  enforcement date, so the first day counts (art. 157 proviso).
* R4 (the F-5 clock, seed §6.A): a status is held from 00:00 of its grant day, so the grant day
  counts (art. 157 proviso) and five years from 2020-03-10 are complete on 2025-03-09 (art. 160).
* R3 (screening bars, seed §6.E): a bar runs from a whole recorded day, so its first day counts
  and a 5-year bar from 2020-03-10 ends on 2025-03-09.
"""

from datetime import date

import pytest

from tests.factories import disqualification, eligibility, grants, jeju_investment, recovered

pytestmark = pytest.mark.django_db

# (recovered on, due on, why): seed §6.H, Civil Act arts. 157, 161
REPORT_CASES = [
    pytest.param(date(2025, 9, 19), date(2025, 10, 10),
                 id="art-157-161:2025-10-03-falls-in-chuseok-and-hangul-day"),
    pytest.param(date(2026, 9, 10), date(2026, 9, 28),
                 id="art-157-161:2026-09-24-chuseok-then-weekend"),
    pytest.param(date(2025, 3, 3), date(2025, 3, 17),
                 id="art-157:first-day-not-counted-weekday"),
    pytest.param(date(2023, 4, 20), date(2023, 5, 15),
                 id="seed-6H-art-157-proviso:before-enforcement-2023-05-14-a-sunday"),
]  # fmt: skip


@pytest.mark.parametrize("recovered_on,due_on", REPORT_CASES)
def test_the_report_is_due_per_art_157(company, recovered_on, due_on):
    investment = jeju_investment(company, contract_date=date(2023, 1, 10))
    recovery = recovered(company, recovered_on, investment=investment, amount_krw=100_000_000)
    assert recovery.obligation.due_on == due_on


# (F-2 granted on, F-5 eligible on): seed §6.A, Civil Act arts. 157 proviso, 160
CLOCK_CASES = [
    pytest.param(date(2020, 3, 10), "2025-03-10", id="art-157-proviso:grant-day-counts"),
    pytest.param(
        date(2020, 2, 29), "2025-03-01", id="art-160:29-february-start-complete-28-february"
    ),
]


@pytest.mark.parametrize("granted_on,eligible_on", CLOCK_CASES)
def test_the_f5_clock_counts_the_grant_day(api, hq, company, officer, granted_on, eligible_on):
    investment = jeju_investment(
        company, contract_date=date(2020, 2, 3), amount=500_000_000, registered_on=granted_on
    )
    grants(officer, investment.investor, ("F-2-8", granted_on, None))
    body = eligibility(api, hq, investment.investor.pk, as_of="2024-09-02")
    assert body["f5"]["eligible_on"] == eligible_on


# (as of, status): seed §6.E prison 5 years from 2020-03-10, first day counted
BAR_CASES = [
    pytest.param("2025-03-09", None, id="art-157-proviso:last-day-of-the-bar"),
    pytest.param("2025-03-10", "F-2-8", id="art-160:free-on-the-anniversary"),
]


@pytest.mark.parametrize("as_of,status", BAR_CASES)
def test_a_bar_counts_its_first_day(api, hq, company, as_of, status):
    investment = jeju_investment(
        company, contract_date=date(2024, 3, 4), registered_on=date(2024, 3, 20)
    )
    disqualification(investment.investor, kind="prison", on=date(2020, 3, 10))
    body = eligibility(api, hq, investment.investor.pk, as_of=as_of)
    assert body["qualifies_for"] == status
