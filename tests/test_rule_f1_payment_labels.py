"""Issue 8 item 7: F-1 does not depend on the label of the last payment. Seed §6.D grants F-1
to a tourism investor whose payments before ownership reach KRW 100 million (or USD 100,000),
and §6.A grants F-2 only once the full amount is paid and registered. Down KRW 50 million +
a "final" KRW 950 million with the registration pending is at least what a down payment of
KRW 100 million alone is.

Cases run through the ledger services (``tests.factories.jeju_investment``) and the public
eligibility endpoint.
"""

from datetime import date

import pytest

from tests.factories import eligibility, jeju_investment

pytestmark = pytest.mark.django_db

M = 1_000_000
DAY = date(2024, 3, 4)

# (payments, registered_on, qualifies_for, held_krw), Jeju minimum KRW 1 billion
CASES = [
    pytest.param([(DAY, 100 * M, "down")], None, "F-1", 100 * M,
                 id="seed-6D:down-100M-alone-F-1"),
    pytest.param([(DAY, 50 * M, "down"), (DAY, 950 * M, "final")], None, "F-1", 1000 * M,
                 id="seed-6A-6D:down-50M-plus-final-950M-registration-pending-F-1"),
    pytest.param([(DAY, 100 * M, "final")], None, "F-1", 100 * M,
                 id="seed-6D:a-single-payment-labelled-final-F-1"),
    pytest.param([(DAY, 50 * M, "down"), (DAY, 950 * M, "final")], date(2024, 3, 20), "F-2-8",
                 1000 * M, id="seed-6D-1:registered-F-2-8"),
    pytest.param([(DAY, 99 * M, "final")], None, None, 99 * M,
                 id="seed-6D:below-100M-whatever-the-label"),
]  # fmt: skip


@pytest.mark.parametrize("payments,registered_on,status,held", CASES)
def test_f1_counts_what_was_paid_not_how_it_was_labelled(
    api, company, payments, registered_on, status, held
):
    investment = jeju_investment(company, payments=payments, registered_on=registered_on)
    body = eligibility(api, company, investment.investor_id, as_of="2024-04-01")
    assert body["qualifies_for"] == status
    assert body["held_krw"] == held
