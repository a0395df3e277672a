"""A submitted monthly notice whose figures a later ledger change alters is flagged "amendment
needed" (issue 11.3, SPEC §7) and stays as submitted; the flag shows in the API and on the
notice page. The check runs after the change commits (``settings.LEDGER_FOLLOWERS``), so these
tests commit for real."""

from datetime import date

import pytest

from reporting.models import MonthlyNotice
from tests.factories import jeju_investment, submitted_notice

pytestmark = pytest.mark.usefixtures("committing")


@pytest.fixture
def september(company):
    """A Jeju unit paid 100,000,000 in August and 900,000,000 in September 2024, and the
    company's submitted notices for both months (SPEC §5.2: amount = payments received)."""
    investment = jeju_investment(
        company,
        contract_date=date(2024, 8, 5),
        payments=[
            (date(2024, 8, 5), 100_000_000, "down"),
            (date(2024, 9, 2), 900_000_000, "final"),
        ],
    )
    august = submitted_notice(company, program="tourism", period=date(2024, 8, 1))
    september = submitted_notice(company, program="tourism", period=date(2024, 9, 1))
    return investment, august, september


def test_voiding_a_payment_flags_the_notices_whose_figures_change(api, client, company, september):
    investment, august, notice = september
    payment = investment.payments.get(paid_on=date(2024, 9, 2))
    url = f"/api/v1/payments/{payment.pk}/"
    etag = api.as_user(company).get(url)["ETag"]

    assert (
        api.post(
            f"{url}void/", {"reason": "Bounced"}, format="json", HTTP_IF_MATCH=etag
        ).status_code
        == 200
    )

    august.refresh_from_db(), notice.refresh_from_db()
    assert (august.amendment_needed, notice.amendment_needed) == (False, True)
    assert notice.state == "submitted"
    assert api.get(f"/api/v1/monthly-notices/{notice.pk}/").data["amendment_needed"] is True
    client.force_login(company)
    page = client.get(f"/notices/{notice.pk}/").content.decode()
    assert "정정 필요" in page
    entry = MonthlyNotice.history.filter(id=notice.pk).latest("history_date")
    assert entry.history_change_reason == "recheck_notice"


def test_a_change_that_leaves_the_figures_alone_flags_nothing(api, company, september):
    investment, august, notice = september
    api.as_user(company).post(
        "/api/v1/lapses/",
        {"investment": investment.pk, "kind": "lease", "started_on": "2024-09-10"},
        format="json",
    )
    notice.refresh_from_db()
    assert notice.amendment_needed is False
