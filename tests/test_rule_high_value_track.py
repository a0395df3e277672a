"""Issue 8 item 3: the high-value track is "KRW 3 billion or more (Principal-guaranteed /
Interest-free Type only)" (seed §7.C). A KRW 3 billion investment in a profit-loss regional
development project (seed §7.B) is F-2-12 on the general minimum, never F-5-25.

Cases run through the ledger services and the public eligibility endpoint.
"""

from datetime import date

import pytest

from tests.factories import eligibility, kdb_deposit, project_operator

pytestmark = pytest.mark.django_db

CONTRACT = date(2024, 2, 1)


@pytest.fixture
def operator():
    """A registered operator of a designated profit-loss development project (seed §7.B)."""
    return project_operator("jeju", name="Jeju Regional Development", representative="Oh Jiwoo")


def invest(user, project_code, amount, passport):
    """A deposit of ``amount`` into ``project_code`` with ``user``'s institution, paid in on
    the contract date, by an investor born in 1970."""
    deposit = kdb_deposit(
        user,
        project=project_code,
        contract_date=CONTRACT,
        amount=amount,
        name="HO Ming",
        nationality="HK",
        passport=passport,
        date_of_birth=date(1970, 6, 6),
    )
    return deposit.investor


# (institution, project, amount, qualifies_for, minimum): seed §7.C on 2024-02-01
CASES = [
    ("kdb", "kdb-fund", 3_000_000_000, "F-5-25", 3_000_000_000),  # principal-guaranteed
    ("operator", "jeju-regional", 3_000_000_000, "F-2-12", 1_500_000_000),  # profit-loss
    ("operator", "jeju-regional", 5_000_000_000, "F-2-12", 1_500_000_000),  # profit-loss
    ("kdb", "kdb-fund", 2_999_999_999, "F-2-12", 1_500_000_000),  # below KRW 3 billion
]


@pytest.mark.parametrize("who,project,amount,status,minimum", CASES)
def test_high_value_needs_a_principal_guaranteed_deposit(
    api, hq, kdb, operator, who, project, amount, status, minimum
):
    user = {"kdb": kdb, "operator": operator}[who]
    investor = invest(user, project, amount, passport=f"K{amount // 10**6:08}")
    body = eligibility(api, hq, investor.pk, as_of="2024-03-01")
    assert body["qualifies_for"] == status
    assert body["minimum_krw"] == minimum
