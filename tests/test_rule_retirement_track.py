"""Issue 8 item 4: the abolished 55+ retirement track (F-2-14, KRW 300 million until
2023-06-28, seeds/programs.json [public]; seed §7 heading lists F-2-14) is reachable: an
investor aged ``retirement_min_age`` (55) or more on the deposit date is judged against that
row; a younger one, or a deposit made after the track was abolished, is not.

Cases run through the ledger services and the public eligibility endpoint.
"""

from datetime import date

import pytest

from tests.factories import eligibility, grants, kdb_deposit

pytestmark = pytest.mark.django_db


def deposit(kdb, *, born, on, amount, passport):
    """A KDB deposit of ``amount`` on ``on`` by an investor born on ``born``."""
    made = kdb_deposit(
        kdb,
        contract_date=on,
        amount=amount,
        name="SATO Ken",
        nationality="JP",
        passport=passport,
        date_of_birth=born,
    )
    return made.investor


M = 1_000_000
# (born, deposit date, amount, as_of, qualifies_for, minimum), [public] retirement track
CASES = [
    pytest.param(date(1960, 3, 1), date(2019, 5, 2), 300 * M, "2020-01-02", "F-2-14", 300 * M,
                 id="aged-59-300M-2019-F-2-14"),
    pytest.param(date(1964, 5, 2), date(2019, 5, 2), 300 * M, "2020-01-02", "F-2-14", 300 * M,
                 id="55th-birthday-on-the-deposit-day-F-2-14"),
    pytest.param(date(1964, 5, 3), date(2019, 5, 2), 300 * M, "2020-01-02", None, None,
                 id="one-day-short-of-55-no-status"),
    pytest.param(date(1960, 3, 1), date(2019, 5, 2), 500 * M, "2020-01-02", "F-2-12", 500 * M,
                 id="55-plus-reaching-the-general-minimum-F-2-12"),
    pytest.param(date(1960, 3, 1), date(2023, 6, 29), 300 * M, "2023-07-03", None, None,
                 id="track-abolished-on-2023-06-29"),
    pytest.param(date(1960, 3, 1), date(2019, 5, 2), 300 * M, "2024-01-02", "F-2-14", 300 * M,
                 id="kept-after-abolition-SPEC-2.2"),
]  # fmt: skip


@pytest.mark.parametrize("born,on,amount,as_of,status,minimum", CASES)
def test_an_investor_aged_55_is_judged_against_the_retirement_row(
    api, kdb, officer_sejongno, born, on, amount, as_of, status, minimum
):
    investor = deposit(
        kdb, born=born, on=on, amount=amount, passport=f"RT{born:%y%m%d}{amount // 10**8 % 10}"
    )
    body = eligibility(api, officer_sejongno, investor.pk, as_of=as_of)
    assert body["qualifies_for"] == status
    assert body["minimum_krw"] == minimum


def test_the_f5_clock_counts_an_f_2_14_investor(api, kdb, officer_sejongno):
    """Seed §6.A / §7.A: five years holding an investor F-2 (F-2-14 included) with the
    investment maintained."""
    investor = deposit(
        kdb, born=date(1960, 3, 1), on=date(2019, 5, 2), amount=300 * M, passport="RF0000205"
    )
    grants(officer_sejongno, investor, ("F-2-14", date(2019, 6, 3), date(2024, 6, 2)))
    body = (
        api.as_user(officer_sejongno)
        .get(f"/api/v1/investors/{investor.pk}/eligibility/", {"as_of": "2024-01-02"})
        .json()
    )
    assert body["f5"]["on_track"] is True
    assert body["f5"]["eligible_on"] == "2024-06-03"
