"""Issue 8 item 8: stop versus pause on the F-5 clock (seed §6.A "maintain the investment for
5 years or more under the residence status", §6.B "Investors must maintain ownership of the
investment property for 5 years", §7.A "If the F-2 residence is maintained for 5 years").

A lapse (lease, mortgage, seizure, profit use, departure) pauses the clock: the days before and
after are summed [public]. A recovery that leaves no qualifying investment stops it: when a new
qualifying investment follows, the count starts again from zero (setting
``f5_withdrawal_restarts`` = 1, seeded) or, set to 0, sums as a pause would. A gap between two
investor F-2 grants restarts the count (``f5_grant_gap_restarts`` = 1, seeded) or is summed (0).

Cases run through the ledger and reporting services and the public eligibility endpoint.
"""

from datetime import date

import pytest

from investments import services as ledger
from investments.models import RuleSetting
from reporting import services
from tests.factories import client, eligibility, tourism_investment

pytestmark = pytest.mark.django_db

M = 1_000_000
AS_OF = "2024-06-01"
SOLD, BOUGHT = date(2021, 1, 1), date(2021, 4, 11)  # 100 days without an investment


def unit(company, investor, contract, number):
    """A Jeju unit of KRW 500 million (the minimum until 2023-04-30), registered at once."""
    return tourism_investment(
        company,
        investor=investor,
        unit_number=number,
        contract_date=contract,
        amount=500 * M,
        registered_on=contract,
    )


def sold_and_bought_again(company, officer):
    """Seed §6.A: a full sale on 2021-01-01 (recovery), a new unit bought on 2021-04-11."""
    investor = client(company, name="CHEN Bo", passport="E66612345")
    first = unit(company, investor, date(2019, 1, 15), "C-1")
    services.record_recovery(
        by=company, investment=first, recovered_on=SOLD, amount_krw=500 * M, reason="sale"
    )
    unit(company, investor, BOUGHT, "C-2")
    ledger.grant_status(by=officer, investor=investor, code="F-2-8", granted_on=date(2019, 3, 10))
    return investor


def leased_for_100_days(company, officer):
    """Seed §6.E: the unit leased 2021-01-01 to 2021-04-10, then used again."""
    investor = client(company, name="CHEN Bo", passport="E66612345")
    investment = unit(company, investor, date(2019, 1, 15), "C-1")
    ledger.record_lapse(
        by=company,
        investment=investment,
        kind="lease",
        started_on=SOLD,
        ended_on=BOUGHT.replace(day=10),
    )
    ledger.grant_status(by=officer, investor=investor, code="F-2-8", granted_on=date(2019, 3, 10))
    return investor


def grants_with_a_gap(company, officer):
    """Seed §7.A: F-2-8 until 2020-12-31, the next F-2-8 from 2021-04-11; investment kept."""
    investor = client(company, name="CHEN Bo", passport="E66612345")
    unit(company, investor, date(2019, 1, 15), "C-1")
    ledger.grant_status(
        by=officer,
        investor=investor,
        code="F-2-8",
        granted_on=date(2019, 3, 10),
        expires_on=date(2020, 12, 31),
    )
    ledger.grant_status(by=officer, investor=investor, code="F-2-8", granted_on=BOUGHT)
    return investor


# Continuous from 2019-03-10 the clock completes on 2024-03-09; 100 days paused → 2024-06-18;
# restarted on 2021-04-11 → eligible on 2026-04-11. (eligible_on, text in a reason):
RESTARTED = "2026-04-11", "Restarted on 2021-04-11"
SUMMED = "2024-06-18", "Paused 2021-01-01 to 2021-04-10 (100 days)"
WITHDRAWAL, GRANT_GAP = "f5_withdrawal_restarts", "f5_grant_gap_restarts"

# By id: (ledger, setting, value, outcome, seed)
WITHDRAWAL_CASES = {
    "sale-then-new-unit-restarts": (sold_and_bought_again, WITHDRAWAL, 1, RESTARTED,
        "seed §6.A, §6.B: a sale ends the investment kept; the count restarts"),
    "sale-then-new-unit-summed-by-setting": (sold_and_bought_again, WITHDRAWAL, 0, SUMMED,
        "seed §6.A: with the setting off a withdrawal pauses like a lapse"),
    "lease-pauses-setting-on": (leased_for_100_days, WITHDRAWAL, 1, SUMMED,
        "seed §6.E; [public]: a lease only pauses, whatever the setting"),
    "lease-pauses-setting-off": (leased_for_100_days, WITHDRAWAL, 0, SUMMED,
        "seed §6.E; [public]: a lease only pauses"),
}  # fmt: skip
GRANT_GAP_CASES = {
    "grant-gap-restarts": (grants_with_a_gap, GRANT_GAP, 1, RESTARTED,
        "seed §7.A: residence not maintained between the grants; the count restarts"),
    "grant-gap-summed-by-setting": (grants_with_a_gap, GRANT_GAP, 0, SUMMED,
        "seed §6.A: with the setting off the grants' days are summed"),
}  # fmt: skip


@pytest.mark.parametrize(
    "build,key,value,outcome,seed",
    [pytest.param(*case, id=i) for i, case in {**WITHDRAWAL_CASES, **GRANT_GAP_CASES}.items()],
)
def test_stop_restarts_and_pause_sums(api, hq, company, officer, build, key, value, outcome, seed):
    eligible_on, text = outcome
    RuleSetting.objects.filter(key=key).update(value=value)
    investor = build(company, officer)
    body = eligibility(api, hq, investor.pk, as_of=AS_OF)
    assert body["f5"]["eligible_on"] == eligible_on, seed
    assert any(text in r["text"] for r in body["reasons"]), (seed, body["reasons"])


def test_the_seeded_settings_restart_with_the_seeds_words():
    rows = dict(RuleSetting.objects.values_list("key", "source"))
    assert "maintain" in rows["f5_withdrawal_restarts"]
    assert "maintained" in rows["f5_grant_gap_restarts"]
    assert RuleSetting.objects.get(key="f5_withdrawal_restarts").value == 1
    assert RuleSetting.objects.get(key="f5_grant_gap_restarts").value == 1
