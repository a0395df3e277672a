"""Issue 8, "Decisions are data": the status code each rule grants, R2's order of precedence,
the F-5 code chosen by R4 and the reasons a recovery may give are rows HQ edits (with
history), not constants of the code. Each case changes a row and asks the public API.

Seeded values and their sources: seeds/rules.json (``status_rules``, ``recovery_reasons``);
docs/rules.md lists each.
"""

from datetime import date

import pytest

from investments.models import RecoveryReasonRule, StatusRule
from tests.factories import eligibility, grants, kdb_deposit, tourism_investment

pytestmark = pytest.mark.django_db

PASSPORT = {"passport": "E55501234", "nationality": "CN", "name": "LI Na"}


def answer(api, user, investor, as_of="2024-09-01"):
    """The eligibility API's answer for ``investor`` (on 2024-09-01 unless ``as_of``)."""
    return eligibility(api, user, investor.pk, as_of=as_of)


@pytest.fixture
def both_programs(company, kdb):
    """One person with a registered Jeju unit of KRW 1 billion (F-2-8, seed §6.D, §6.J) and a
    KRW 1.5 billion KDB deposit (F-2-12, seed §7.C): two tests of R2 pass, the order decides."""
    tourism = tourism_investment(
        company, contract_date=date(2024, 3, 4), registered_on=date(2024, 3, 20), **PASSPORT
    )
    kdb_deposit(kdb, contract_date=date(2024, 7, 1), **PASSPORT)
    return tourism.investor


def test_seeded_rows_hold_the_values_the_rules_used_to_hold():
    order = StatusRule.objects.exclude(precedence=None).order_by("precedence")
    assert [r.code_id for r in order] == ["F-5-25", "F-2-8", "F-2-12", "F-2-14", "F-1"]
    f5 = dict(StatusRule.objects.filter(precedence=None).values_list("key", "code"))
    assert f5 == {"f5_tourism": "F-5-17", "f5_public_interest": "F-5-21"}
    reasons = set(RecoveryReasonRule.objects.values_list("program_id", "reason"))
    assert reasons == {
        ("tourism", "sale"),
        ("tourism", "contract_cancellation"),
        ("tourism", "membership_transfer"),
        ("public_interest", "early_repayment"),
        ("public_interest", "contract_cancellation"),
        ("public_interest", "sale"),
    }
    # Every row says where it comes from: the seed's words or a [decision].
    for row in [*StatusRule.objects.all(), *RecoveryReasonRule.objects.all()]:
        assert "seed §" in row.source or "[decision]" in row.source, row


# (precedence of the tourism test, expected status): seed §6.D vs §7.C, order [decision]
PRECEDENCE_CASES = [
    pytest.param(2, "F-2-8", id="seeded-order:F-2-8-before-F-2-12"),
    pytest.param(9, "F-2-12", id="edited-order:F-2-12-before-F-2-8"),
]


@pytest.mark.parametrize("tourism_precedence,expected", PRECEDENCE_CASES)
def test_order_of_precedence_is_a_row(api, hq, both_programs, tourism_precedence, expected):
    StatusRule.objects.filter(key="tourism_residence").update(precedence=tourism_precedence)
    assert answer(api, hq, both_programs)["qualifies_for"] == expected


def test_the_code_a_test_grants_is_a_row(api, hq, kdb):
    """Seed §7.C high-value deposit: F-5-25 as seeded; HQ renaming the code follows."""
    investor = kdb_deposit(kdb, contract_date=date(2024, 2, 1), amount=3_000_000_000).investor
    assert answer(api, hq, investor)["qualifies_for"] == "F-5-25"
    StatusRule.objects.filter(key="high_value").update(code="F-5-21")
    body = answer(api, hq, investor)
    assert body["qualifies_for"] == "F-5-21"
    assert any("F-5-21" in reason["text"] for reason in body["reasons"])


# (F-5 rule edited, its new code, expected clock code): seed §6.A, R4 [decision]
F5_CASES = [
    pytest.param(None, None, "F-5-17", id="seeded:tourism-alone-F-5-17"),
    pytest.param("f5_tourism", "F-5-19", "F-5-19", id="edited:tourism-path-code"),
    pytest.param("f5_public_interest", "F-5-23", "F-5-17", id="edited-other-path:unchanged"),
]


@pytest.mark.parametrize("key,code,expected", F5_CASES)
def test_f5_code_is_a_row(api, hq, company, officer, key, code, expected):
    """A tourism investment alone meeting its minimum since 2020 (seed §6.A): F-5-17."""
    investment = tourism_investment(
        company, contract_date=date(2020, 3, 2), registered_on=date(2020, 3, 10), **PASSPORT
    )
    grants(officer, investment.investor, ("F-2-8", date(2020, 3, 10), None))
    if key:
        StatusRule.objects.filter(key=key).update(code=code)
    assert answer(api, hq, investment.investor)["f5"]["code"] == expected


def post_recovery(api, user, investment, reason):
    return api.as_user(user).post(
        "/api/v1/recoveries/",
        {
            "investment": investment.pk,
            "recovered_on": "2024-08-01",
            "amount_krw": 100_000_000,
            "reason": reason,
        },
        format="json",
    )


def test_recovery_reasons_of_a_program_are_rows(api, kdb):
    """Seed §7.S names early repayment for KDB; a membership transfer (seed §6.H, tourism) is
    refused on a deposit until HQ adds the row."""
    deposit = kdb_deposit(kdb, contract_date=date(2024, 7, 1))
    refused = post_recovery(api, kdb, deposit, "membership_transfer")
    assert refused.status_code == 400
    assert "reason" in refused.json()
    RecoveryReasonRule.objects.create(
        program_id="public_interest", reason="membership_transfer", source="[decision] test"
    )
    assert post_recovery(api, kdb, deposit, "membership_transfer").status_code == 201


def test_a_removed_reason_is_refused(api, company):
    """Seed §6.H names "real estate sale" for tourism; HQ removing the row refuses it."""
    investment = tourism_investment(company, contract_date=date(2024, 3, 4))
    RecoveryReasonRule.objects.filter(program_id="tourism", reason="sale").delete()
    assert post_recovery(api, company, investment, "sale").status_code == 400
    assert post_recovery(api, company, investment, "contract_cancellation").status_code == 201


def test_reasons_name_the_investor_codes_in_the_order_r2_tries_them(api, hq, company, officer):
    """Seed §6.A: the days of an investor F-2 count; the reason lists the codes in R2's order
    of precedence (status rules), not alphabetically."""
    investment = tourism_investment(
        company, contract_date=date(2020, 3, 2), registered_on=date(2020, 3, 10), **PASSPORT
    )
    grants(officer, investment.investor, ("F-2-8", date(2020, 3, 10), None))
    texts = [r["text"] for r in answer(api, hq, investment.investor)["reasons"]]
    assert any("(F-2-8, F-2-12, F-2-14)" in text for text in texts), texts
