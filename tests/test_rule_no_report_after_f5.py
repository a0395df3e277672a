"""Issue 8 item 2: the 14-day withdrawal report covers recoveries "before the investor
acquires permanent residency" (seed §6.A, §6.H, §7.F, §7.S(3)). A recovery by an investor who
holds a permanent-residence grant on the recovery date opens no obligation; the ledger still
records it and the monthly notice still counts it; the what-if says no report is due.

Cases run through the public API (recoveries, eligibility) and the reporting services.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from investments.models import Recovery
from reporting import filings, notices
from reporting.models import Obligation
from tests.factories import grants, kdb_deposit, recovered

pytestmark = pytest.mark.django_db

F5_GRANTED = date(2024, 6, 1)
#: The depositor's identity (a Chinese national, the factories' default nationality).
WU_LEI = {"name": "WU Lei", "passport": "E55501234", "date_of_birth": date(1965, 2, 2)}


@pytest.fixture
def depositor(kdb, officer_sejongno):
    """A KDB depositor of KRW 1.5 billion (2019), F-2-12 from 2019-06-01, F-5-21 from
    2024-06-01."""
    deposit = kdb_deposit(kdb, contract_date=date(2019, 5, 2), amount=1_500_000_000, **WU_LEI)
    grants(
        officer_sejongno,
        deposit.investor,
        ("F-2-12", date(2019, 6, 1), date(2024, 5, 31)),
        ("F-5-21", F5_GRANTED, None),
    )
    return deposit


# (recovery date, obligation opened?, seed): the day before the F-5 grant, its day, after.
CASES = [
    ("2024-05-31", True, "seed §7.F: before permanent residency, report within 14 days"),
    ("2024-06-01", False, "seed §7.S(3): a permanent resident on the recovery date reports none"),
    ("2024-09-02", False, "seed §6.H, §7.F: after permanent residency, no report"),
]


@pytest.mark.parametrize("recovered_on,opened,seed", CASES)
def test_a_recovery_through_the_api_opens_a_report_only_before_permanent_residence(
    api, kdb, depositor, recovered_on, opened, seed
):
    response = api.as_user(kdb).post(
        "/api/v1/recoveries/",
        {
            "investment": depositor.pk,
            "recovered_on": recovered_on,
            "amount_krw": 100_000_000,
            "reason": "early_repayment",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    recovery = Recovery.objects.get(pk=response.json()["id"])
    assert Obligation.objects.filter(recovery=recovery).exists() is opened, seed


def test_the_ledger_and_the_notice_still_count_it_without_a_warning(kdb, depositor):
    """Seed §7.S: the monthly notice's early-repayment figures include the recovery, and the
    reconciliation does not ask for a report that is not due."""

    recovered(
        kdb,
        date(2024, 9, 2),
        investment=depositor,
        amount_krw=100_000_000,
        reason="early_repayment",
    )
    period = date(2024, 9, 1)
    figures, before = notices.tally(kdb.organisation, "public_interest", period)
    assert figures["repayments"]["count"]["new"] == 1
    assert figures["repayments"]["amount_krw"]["new"] == 100_000_000
    checks = notices.reconcile(kdb.organisation, "public_interest", period, figures, before)
    assert not [c for c in checks if c["code"] == "recovery_without_report"]


def test_filing_a_report_for_a_permanent_resident_is_refused(kdb, depositor):
    """Seed §6.H: no report is due, so the portal takes none (the ledger entry is the record)."""
    with pytest.raises(ValidationError) as error:
        filings.file_unledgered_recovery(
            by=kdb,
            investment=depositor,
            recovered_on=date(2024, 9, 2),
            amount_krw=100_000_000,
            reason="early_repayment",
        )
    assert "recovered_on" in error.value.message_dict
    assert not Recovery.objects.filter(investment=depositor).exists()


@pytest.mark.parametrize(
    "recover_on,required",
    [("2024-05-31", True), ("2024-06-01", False)],  # seed §7.F; seed §7.S(3)
)
def test_the_what_if_says_whether_a_report_would_be_due(
    api, officer_sejongno, depositor, recover_on, required
):
    response = api.as_user(officer_sejongno).get(
        f"/api/v1/investors/{depositor.investor_id}/eligibility/",
        {"as_of": "2024-05-30", "recover_krw": 100_000_000, "recover_on": recover_on},
        HTTP_ACCEPT_LANGUAGE="en",  # the reason is read in English below
    )
    assert response.status_code == 200, response.content
    what_if = response.json()["what_if"]
    assert what_if["report_required"] is required
    report = what_if["report"]
    assert (report["due_on"] is not None) is required
    if not required:
        assert any("permanent residence" in r["text"] for r in report["reasons"])
