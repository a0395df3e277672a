"""A draft notice says it is out of date before it is submitted (issue 11.6): once the ledger
tallies its month otherwise — a late payment, a correction — the draft's page warns, no longer
shows "all checks pass", and recomputing clears the warning. Submitting it would be refused
(seed §6.H: the notice states the ledger as of the month's last day)."""

from datetime import date

import pytest
from django.urls import reverse

from investments import services
from investments.models import Payment
from reporting import notices
from tests.factories import as_user, jeju_investment, on

pytestmark = pytest.mark.django_db

MARCH = date(2025, 3, 1)
WARNING = "The ledger has changed since this draft was computed"


@pytest.fixture
def draft(company):
    with on(date(2025, 4, 2)):
        jeju_investment(company, contract_date=date(2025, 3, 4))
        return notices.compute_notice(by=company, program="tourism", period=MARCH)


def page(client, company, notice):
    with on(date(2025, 4, 3)):
        return as_user(client, company).get(reverse("notice-detail", args=[notice.pk]))


def test_a_fresh_draft_is_not_out_of_date(client, company, draft):
    text = page(client, company, draft).content.decode()
    assert WARNING not in text
    assert "all checks pass" in text


def test_a_late_entry_for_its_month_makes_the_draft_say_so(client, company, draft):
    with on(date(2025, 4, 3)):
        jeju_investment(
            company, name="Late Client", passport="E76543210", contract_date=date(2025, 3, 20)
        )
    text = page(client, company, draft).content.decode()
    assert WARNING in text
    assert "all checks pass" not in text
    assert "checks out of date" in text
    with on(date(2025, 4, 3)):
        notices.compute_notice(by=company, program="tourism", period=MARCH)
    draft.refresh_from_db()
    assert WARNING not in page(client, company, draft).content.decode()


def test_a_voided_payment_of_its_month_makes_the_draft_say_so(client, company, draft):
    payment = Payment.objects.get(investment__institution=draft.institution)
    with on(date(2025, 4, 3)):
        services.void_entry(by=company, entry=payment, reason="entered twice")
    assert WARNING in page(client, company, draft).content.decode()


def test_the_office_is_not_told_only_the_one_who_submits(client, officer, draft):
    """Only the institution's own page recomputes: the warning is for the one who submits."""
    assert WARNING not in page(client, officer, draft).content.decode()
