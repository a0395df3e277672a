"""Issue 8 item 9: an obligation is overdue from the day after its due day, whatever the last
daily sweep recorded. A recovery entered today with a date a month ago opens a report that is
already past due (seed §6.H: "within 14 days"; Civil Act art. 157, 161 via R5): the API, the
deadlines page and the compliance record say ``overdue`` at once. The sweep only records it and
sends reminders and alerts.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting.models import Obligation
from reporting.sanctions import compliance_records
from reporting.sweep import mark_overdue
from tests.factories import jeju_investment

pytestmark = pytest.mark.django_db


def recover(api, company, investment, days_ago):
    on = timezone.localdate() - timedelta(days=days_ago)
    response = api.as_user(company).post(
        "/api/v1/recoveries/",
        {
            "investment": investment.pk,
            "recovered_on": on.isoformat(),
            "amount_krw": 100_000_000,
            "reason": "sale",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    return Obligation.objects.get(recovery_id=response.json()["id"])


# (days since the recovery, state true today): seed §6.H gives 14 days from the recovery
CASES = [
    (0, "due"),  # seed §6.H: the 14 days have just begun
    (35, "overdue"),  # seed §6.H: due at the latest on day 14 (+ holiday roll), long passed
]


@pytest.mark.parametrize("days_ago,state", CASES)
def test_the_api_says_overdue_at_once(api, company, days_ago, state):
    investment = jeju_investment(company)
    obligation = recover(api, company, investment, days_ago)
    assert obligation.state == "due"  # nothing swept yet
    body = api.as_user(company).get(f"/api/v1/obligations/{obligation.pk}/").json()
    assert body["state"] == state
    listed = api.as_user(company).get("/api/v1/obligations/", {"state": state}).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert obligation.pk in [row["id"] for row in rows]
    other = "due" if state == "overdue" else "overdue"
    listed = api.as_user(company).get("/api/v1/obligations/", {"state": other}).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert obligation.pk not in [row["id"] for row in rows]


def test_the_deadlines_page_and_compliance_record_say_overdue_before_the_sweep(
    api, client, company
):
    """Seed §6.H: the sanctions record counts an unreported recovery as overdue from the day
    after its due day, not from the next sweep."""
    investment = jeju_investment(company)
    obligation = recover(api, company, investment, 35)
    client.force_login(company)
    page = client.get(reverse("obligation-list")).content.decode()
    assert 'class="badge overdue"' in page
    record = compliance_records(Obligation.objects.filter(pk=obligation.pk))
    assert record[obligation.institution_id].withdrawal_overdue == 1


def test_the_sweep_still_records_the_change_once(api, company):
    """The daily sweep keeps the stored state, history and alerts in step (SPEC §6)."""
    investment = jeju_investment(company)
    obligation = recover(api, company, investment, 35)
    assert mark_overdue(today=timezone.localdate()) == 1
    obligation.refresh_from_db()
    assert obligation.state == obligation.current_state == "overdue"
