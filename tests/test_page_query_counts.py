"""Every page costs the same number of queries whatever the size of the ledger (issue
"national scale" 2): each page is read by each role that may see it on a ledger of 2 clients
and again after 4 more, and the two counts must be equal. A query per row would show as a
difference; the stored eligibility facts are what keeps the dashboards and the pipeline flat.

Each client: a Jeju unit paid in full, F-2-8, a recovery that opens a report obligation (a
recent one, so it shows on the dashboards) and a lapse; kdb's clients a public-interest
deposit."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from investments import services as ledger
from tests.factories import grants, jeju_investment, kdb_deposit, recovered

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 20)
KOREA = ZoneInfo("Asia/Seoul")

PAGES = [
    # (url name, persona)
    ("institution-dashboard", "company"),
    ("institution-dashboard", "kdb"),
    ("office-dashboard", "officer"),
    ("office-dashboard", "officer_sejongno"),
    ("office-dashboard", "hq"),
    ("hq-overview", "hq"),
    ("f5-pipeline", "officer"),
    ("f5-pipeline", "hq"),
    ("obligation-list", "company"),
    ("obligation-list", "officer"),
    ("obligation-list", "hq"),
    ("notice-list", "company"),
    ("notice-list", "officer"),
    ("sanction-list", "officer"),
    ("sanction-list", "company"),
    ("investor-list", "company"),
    ("investor-list", "kdb"),
    ("investor-list", "officer"),
    ("investor-list", "hq"),
    ("investment-list", "company"),
    ("investment-list", "officer"),
    ("investment-list", "hq"),
]


def add_clients(company, kdb, officer, start, n):
    for k in range(start, start + n):
        investment = jeju_investment(
            company,
            name=f"Client {k:02}",
            passport=f"E8{k:07}",
            contract_date=date(2020, 3, 2),
            amount=500_000_000,
            unit_number=f"B-{k:03}",
        )
        grants(officer, investment.investor, ("F-2-8", date(2020, 4, 1), None))
        recovered(company, date(2025, 6, 2), investment=investment, amount_krw=1_000_000)
        ledger.record_lapse(
            by=company, investment=investment, kind="lease", started_on=date(2025, 6, 3)
        )
        kdb_deposit(
            kdb,
            contract_date=date(2024, 5, 2),
            amount=500_000_000,
            name=f"Depositor {k:02}",
            nationality="VN",
            passport=f"D8{k:07}",
            date_of_birth=date(1980, 1, 1),
        )


def queries(client, user, url):
    client.force_login(user)
    assert client.get(url).status_code == 200  # the session and caches warm
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in captured]


@pytest.mark.parametrize("name, persona", PAGES)
def test_a_page_costs_the_same_queries_at_two_ledger_sizes(
    request, client, company, kdb, officer, name, persona
):
    user, url = request.getfixturevalue(persona), reverse(name)
    with time_machine.travel(datetime.combine(TODAY, time(12), tzinfo=KOREA), tick=False):
        add_clients(company, kdb, officer, 0, 2)
        small = queries(client, user, url)
        add_clients(company, kdb, officer, 2, 4)
        large = queries(client, user, url)
    assert len(small) == len(large), "\n".join(small + ["---- 6 clients ----"] + large)
