"""Issue 8 item 6: several registered units of one investor in one zone (seed §6.F speaks of
investors with several facilities). Whether they add up towards the zone's minimum is the rule
setting ``tourism_units_add_up``: 0 (seeded) — each unit is judged alone, because seed §6.D
asks for "the minimum required amount in the designated investment facility" and §6.F names
several facilities only to route the application; 1 — units of one zone add up, against the
minimum of the latest contract date among them.

Cases run through the ledger services and the public eligibility endpoint, both settings.
"""

from datetime import date

import pytest

from investments import services as ledger
from investments.models import RuleSetting
from tests.factories import client, eligibility, tourism_investment

pytestmark = pytest.mark.django_db

M = 1_000_000
AS_OF = "2024-06-03"


def units(company, officer, amounts, *, zones=None, registered=True, grant=True):
    """One investor's units (KRW amounts), contracts from 2024-03-04, each registered on its
    contract date; an F-2-8 granted on 2024-04-01 when ``grant``."""
    investor = client(company, name="LIN Mei", passport="E77712345")
    zones = zones or ["jeju"] * len(amounts)
    for k, (amount, zone) in enumerate(zip(amounts, zones, strict=True)):
        contract = date(2024, 3, 4 + k)
        tourism_investment(
            company,
            investor=investor,
            zone=zone,
            unit_number=f"B-{k + 1}",
            contract_date=contract,
            amount=amount,
            registered_on=contract if registered else None,
        )
    if grant:
        ledger.grant_status(
            by=officer, investor=investor, code="F-2-8", granted_on=date(2024, 4, 1)
        )
    return investor


# (qualifies_for, minimum_krw)
F1, F28 = ("F-1", 100 * M), ("F-2-8", 1000 * M)

# By id: (amounts, zones, registered, (qualifies_for, minimum_krw), seed)
EACH_UNIT_ALONE = {  # tourism_units_add_up = 0
    "two-jeju-units-600M-alone-F-1": ([600 * M, 600 * M], None, True, F1,
        "seed §6.D: each unit alone below the KRW 1 billion Jeju minimum (§6.J 5.b)"),
    "one-unit-alone-meets-it-F-2-8": ([1000 * M, 300 * M], None, True, F28,
        "seed §6.D: one unit meets the minimum alone under either setting"),
}  # fmt: skip
UNITS_ADD_UP = {  # tourism_units_add_up = 1
    "two-jeju-units-600M-together-F-2-8": ([600 * M, 600 * M], None, True, F28,
        "seed §6.D, §6.F: units of one zone together reach KRW 1 billion"),
    "two-jeju-units-900M-together-F-1": ([400 * M, 500 * M], None, True, F1,
        "seed §6.J 5.b: KRW 900 million together is still below KRW 1 billion"),
    "two-unregistered-units-F-1": ([600 * M, 600 * M], None, False, F1,
        "seed §6.D ①: units not registered do not count towards F-2"),
    "units-of-two-zones-do-not-add-up": ([600 * M, 600 * M], ["jeju", "busan-haeundae"], True, F1,
        "seed §6.D: units of two zones never add up (each zone has its own minimum)"),
}  # fmt: skip
CASES = [
    *(pytest.param(0, *case, id=i) for i, case in EACH_UNIT_ALONE.items()),
    *(pytest.param(1, *case, id=i) for i, case in UNITS_ADD_UP.items()),
]


@pytest.mark.parametrize("setting,amounts,zones,registered,outcome,seed", CASES)
def test_units_of_one_zone_add_up_only_by_setting(
    api, hq, company, officer, setting, amounts, zones, registered, outcome, seed
):
    RuleSetting.objects.filter(key="tourism_units_add_up").update(value=setting)
    investor = units(company, officer, amounts, zones=zones, registered=registered)
    body = eligibility(api, hq, investor.pk, as_of=AS_OF)
    assert (body["qualifies_for"], body["minimum_krw"]) == outcome, seed


def test_the_seeded_setting_is_each_unit_alone():
    """seeds/rules.json ships 0 with the seed's words in its reason (seed §6.D, §6.F)."""
    row = RuleSetting.objects.get(key="tourism_units_add_up")
    assert row.value == 0
    assert "designated investment facility" in row.source and "§6.F" in row.source


@pytest.mark.parametrize(
    "setting,on_track",
    [
        pytest.param(0, False, id="alone-no-qualifying-unit-not-on-track"),
        pytest.param(1, True, id="together-the-F-5-clock-runs"),
    ],
)
def test_the_f5_clock_follows_the_same_setting(api, hq, company, officer, setting, on_track):
    """Seed §6.A: the F-5 clock counts days with a qualifying investment; the units that add
    up for R2 add up for the clock as well, so status and clock never disagree."""
    RuleSetting.objects.filter(key="tourism_units_add_up").update(value=setting)
    investor = units(company, officer, [600 * M, 600 * M])
    body = eligibility(api, hq, investor.pk, as_of=AS_OF)
    assert body["f5"]["on_track"] is on_track
    if on_track:
        assert body["f5"]["eligible_on"] == "2029-04-01"
        assert any("registered units of one zone together" in r["text"] for r in body["reasons"])
