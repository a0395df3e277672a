"""Issue 8, "the seed's open sentences decided": each reading is a rule setting whose source
quotes the seed, tested under both values.

* §7.C "For public-interest investment immigration via Korea Development Bank deposit, a
  minimum of KRW 5 million is required": the smallest KDB deposit (``kdb_deposit_minimum_krw``).
* §6.E "fined ₩3 million or more" against §7.S(4) "Fines exceeding KRW 3 million": a fine of
  exactly KRW 3 million bars unless ``fine_bar_exceeding_only`` is 1.
* §7.S(5) C "Status change: within 10 years from case closure; Extension: within 5 years": an
  investor who holds an investor F-2 applies for an extension, whose lookback is
  ``education_lookback_years_extension``; A's "10 years have passed since penalty" is the end
  of the status-change lookback.

Cases run through the ledger services and the public eligibility endpoint.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from investments import services as ledger
from investments.models import Project, RuleSetting
from tests.factories import disqualification, eligibility, kdb_deposit

pytestmark = pytest.mark.django_db

M = 1_000_000
AS_OF = date(2025, 3, 3)


def setting(key, value):
    RuleSetting.objects.filter(key=key).update(value=value)


# (setting value, deposit, accepted?, seed)
DEPOSITS = [
    pytest.param(5 * M, 5 * M, True, "seed §7.C: KRW 5 million is the minimum", id="5M-accepted"),
    pytest.param(5 * M, 5 * M - 1, False, "seed §7.C: below KRW 5 million refused",
                 id="below-5M-refused"),
    pytest.param(0, 1 * M, True, "setting 0: no minimum deposit", id="setting-off-accepted"),
]  # fmt: skip


@pytest.mark.parametrize("least,amount,accepted,seed", DEPOSITS)
def test_a_kdb_deposit_is_at_least_the_minimum(kdb, least, amount, accepted, seed):
    setting("kdb_deposit_minimum_krw", least)
    investor = kdb_deposit(kdb, passport="G22212345").investor
    investment = ledger.record_investment(
        by=kdb,
        investor=investor,
        program="public_interest",
        project=Project.objects.get(code="kdb-fund"),
        investor_class="depositor",
        contract_date=date(2024, 8, 1),
        contract_amount_krw=1500 * M,
    )

    def deposit():
        return ledger.record_payment(
            by=kdb,
            investment=investment,
            paid_on=date(2024, 8, 1),
            amount_krw=amount,
            kind="deposit",
        )

    if accepted:
        assert deposit().amount_krw == amount, seed
    else:
        with pytest.raises(ValidationError) as refused:
            deposit()
        assert "amount_krw" in refused.value.message_dict, seed


def test_a_small_deposit_is_refused_by_the_api_naming_the_field(api, kdb):
    investment = kdb_deposit(kdb, passport="G22212345")
    response = api.as_user(kdb).post(
        "/api/v1/payments/",
        {
            "investment": investment.pk,
            "paid_on": "2024-08-01",
            "amount_krw": 4_000_000,
            "kind": "deposit",
        },
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "amount_krw" in response.json()


def answer(api, user, investor, as_of=AS_OF):
    return eligibility(api, user, investor.pk, as_of=as_of.isoformat())


# (exceeding only?, fine, passes screening?, seed)
FINES = [
    pytest.param(0, 3 * M, False, "seed §6.E: '₩3 million or more' bars KRW 3 million",
                 id="or-more-bars-exactly-3M"),
    pytest.param(1, 3 * M, True, "seed §7.S(4): 'exceeding KRW 3 million' does not bar it",
                 id="exceeding-passes-exactly-3M"),
    pytest.param(1, 3 * M + 1, False, "seed §7.S(4): above KRW 3 million bars",
                 id="exceeding-bars-above-3M"),
]  # fmt: skip


@pytest.mark.parametrize("exceeding,amount,passes,seed", FINES)
def test_a_fine_of_exactly_the_amount_follows_the_setting(
    api, kdb, officer_sejongno, exceeding, amount, passes, seed
):
    setting("fine_bar_exceeding_only", exceeding)
    investor = kdb_deposit(kdb, passport="G22212345").investor
    disqualification(investor, kind="fine", on=date(2024, 1, 10), amount_krw=amount)
    body = answer(api, officer_sejongno, investor)
    assert body["screening"]["passes"] is passes, seed


# (holds F-2?, extension lookback, fine paid on, education required?, seed)
EDUCATION = [
    pytest.param(False, 5, date(2018, 3, 3), True,
                 "seed §7.S(5) C: status change, within 10 years", id="change-7-years-ago"),
    pytest.param(True, 5, date(2018, 3, 3), False,
                 "seed §7.S(5) C: extension, only within 5 years", id="extension-7-years-ago"),
    pytest.param(True, 5, date(2021, 3, 3), True,
                 "seed §7.S(5) C: extension, within 5 years", id="extension-4-years-ago"),
    pytest.param(True, 10, date(2018, 3, 3), True,
                 "setting: an extension looking back 10 years", id="extension-setting-10"),
    pytest.param(False, 5, date(2015, 3, 3), False,
                 "seed §7.S(5) A: '10 years have passed since penalty'",
                 id="change-10-years-passed"),
    pytest.param(False, 5, date(2015, 3, 4), True,
                 "seed §7.S(5) A: a day short of 10 years", id="change-a-day-short-of-10"),
]  # fmt: skip


@pytest.mark.parametrize("holds,years,paid,required,seed", EDUCATION)
def test_compliance_education_looks_back_by_the_kind_of_application(
    api, kdb, officer_sejongno, holds, years, paid, required, seed
):
    setting("education_lookback_years_extension", years)
    investor = kdb_deposit(kdb, passport="G22212345", contract_date=date(2024, 7, 1)).investor
    # two fines below the bar: no exclusion for "one or fewer minor violations"
    disqualification(investor, kind="fine", on=paid, amount_krw=2 * M)
    disqualification(investor, kind="fine", on=paid, amount_krw=500_000)
    if holds:
        ledger.grant_status(
            by=officer_sejongno, investor=investor, code="F-2-12", granted_on=date(2024, 8, 1)
        )
    body = answer(api, officer_sejongno, investor)
    assert body["screening"]["education_required"] is required, seed
