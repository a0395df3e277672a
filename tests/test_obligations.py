"""A recovery opens its withdrawal-report obligation with an R5 due date (seed §6.H), routed
to the competent office; due dates follow changes of the holiday table."""

from datetime import date

import pytest

from reporting import services
from reporting.models import HolidayAdjustment, Obligation
from tests.factories import IVANOV, jeju_investment, kdb_deposit, recovered

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "recovered_on, due_on",
    [
        (date(2025, 9, 19), date(2025, 10, 10)),  # SPEC R5: Chuseok and Hangul Day
        (date(2026, 9, 10), date(2026, 9, 28)),  # SPEC R5: Chuseok then a weekend
        (date(2024, 7, 1), date(2024, 7, 15)),  # day 14 is a Monday: no roll
    ],
    ids=["seed-6H-2025-chuseok", "seed-6H-2026-chuseok", "seed-6H-plain"],
)
def test_a_recovery_opens_its_report_obligation_due_per_r5(company, recovered_on, due_on):
    investment = jeju_investment(company)
    recovery = recovered(company, recovered_on, investment=investment)
    obligation = Obligation.objects.get(recovery=recovery)
    assert obligation.kind == "withdrawal_report"
    assert obligation.due_on == due_on
    assert obligation.state == "due"
    assert obligation.recipient_office.code == "jeju"
    assert obligation.institution == company.organisation


def test_a_kdb_recovery_is_reported_to_the_sejongno_branch(kdb):
    investment = kdb_deposit(kdb, contract_date=date(2024, 1, 10), **IVANOV)
    recovery = recovered(kdb, date(2025, 9, 19), investment=investment, amount_krw=1_500_000_000)
    assert recovery.obligation.recipient_office.code == "sejongno"
    assert recovery.obligation.due_on == date(2025, 10, 10)


def test_a_recovery_before_enforcement_is_due_14_days_after_it(company):
    """Seed §6.H: cases before the guideline's enforcement date (tourism: 2023-05-01)."""
    investment = jeju_investment(company, contract_date=date(2015, 6, 1), amount=500_000_000)
    recovery = recovered(company, date(2020, 1, 6), amount_krw=500_000_000, investment=investment)
    assert recovery.obligation.due_on == date(2023, 5, 15)


def test_adding_a_holiday_moves_open_due_dates(company):
    investment = jeju_investment(company)
    recovery = recovered(company, date(2024, 7, 1), amount_krw=100_000_000, investment=investment)
    assert recovery.obligation.due_on == date(2024, 7, 15)
    HolidayAdjustment.objects.create(day=date(2024, 7, 15), change="added", name="Temporary")
    assert services.recompute_due_dates() == 1
    recovery.obligation.refresh_from_db()
    assert recovery.obligation.due_on == date(2024, 7, 16)
    HolidayAdjustment.objects.all().delete()
    services.recompute_due_dates()
    recovery.obligation.refresh_from_db()
    assert recovery.obligation.due_on == date(2024, 7, 15)


def test_a_refused_recovery_opens_no_obligation(company, settings):
    settings.LANGUAGE_CODE = "en"  # the refusal is read in English below
    investment = jeju_investment(company)
    with pytest.raises(Exception, match="exceeds"):
        recovered(company, date(2024, 7, 1), investment=investment, amount_krw=1_000_000_001)
    assert not Obligation.objects.exists()
