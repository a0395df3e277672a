"""No N+1 queries in the API lists: a page of 50 rows costs as many queries as a page of 1.

Ledger rows are built through ``investments.services`` (one "unit" = an investor with a Jeju
investment, a payment, a recovery, a lapse and a status grant); reference lists are measured
on the seeded rows and again after enough rows are added to pass 50.
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from investments import services
from investments.models import FacilityType, ImplementationPeriod, MinimumAmount, Program, Zone
from portal.models import Office
from tests.factories import LEDGER_LISTS, grants, recovered, tourism_investment

API = "/api/v1"


@pytest.fixture
def add_units(company, officer):
    """``add_units(n)`` records n more complete Jeju units for company.jeju: a Halla Resort
    unit of KRW 1,000,000,000 contracted and paid in full on 2024-03-04, a recovery, a lease and
    an F-2-8 grant each."""
    made = []

    def add(n):
        for _ in range(n):
            i = len(made)
            investment = tourism_investment(
                company,
                unit_number=f"Q-{i:03d}",
                name=f"Client {i:03d}",
                date_of_birth=date(1970, 1, 1),
                passport=f"EQ{i:07d}",
            )
            investor = investment.investor
            recovered(company, date(2025, 1, 6), investment=investment, amount_krw=1_000_000)
            services.record_lapse(
                by=company, investment=investment, kind="lease", started_on=date(2025, 2, 3)
            )
            grants(officer, investor, ("F-2-8", date(2024, 10, 1), None))
            made.append(investor)

    return add


def measure(api, path):
    """(number of queries, number of rows) of one GET of the list, after a warm-up call."""
    assert api.get(path).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path)
    assert response.status_code == 200, response.content
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    return len(queries), len(rows)


def one_then_fifty(api, path, add_units):
    """The queries of the list with one of company.jeju's units, then with fifty; each list is
    checked to hold exactly that many rows."""
    add_units(1)
    one, rows = measure(api, path)
    assert rows == 1
    add_units(49)
    fifty, rows = measure(api, path)
    assert rows == 50
    return one, fifty


@pytest.mark.parametrize("role", ["company", "officer", "hq"])
@pytest.mark.parametrize("endpoint", LEDGER_LISTS)
def test_ledger_list_queries_do_not_grow_with_the_rows(request, api, add_units, role, endpoint):
    api.as_user(request.getfixturevalue(role))
    path = f"{API}/{endpoint}/?page_size=100"

    one, fifty = one_then_fifty(api, path, add_units)
    assert fifty == one, f"{endpoint} as {role}: {one} queries for 1 row, {fifty} for 50"


def add_zones(n):
    tourism = Program.objects.get(code="tourism")
    offices = list(Office.objects.all())
    types = list(FacilityType.objects.all())
    for i in range(n):
        zone = Zone.objects.create(
            code=f"test-zone-{i}", name=f"Test zone {i}", office=offices[i % len(offices)]
        )
        zone.facility_types.set(types[: 1 + i % len(types)])
        MinimumAmount.objects.create(
            program=tourism, zone=zone, minimum_krw=1_000_000_000, effective_from=date(2023, 5, 1)
        )
        ImplementationPeriod.objects.create(
            zone=zone, start=date(2023, 5, 1), end=date(2026, 4, 30)
        )


def add_offices(n):
    parents = list(Office.objects.filter(parent=None))
    for i in range(n):
        Office.objects.create(
            code=f"test-office-{i}", name=f"Test office {i}", parent=parents[i % len(parents)]
        )


@pytest.mark.parametrize("role", ["company", "officer", "hq"])
@pytest.mark.parametrize(("endpoint", "grow"), [("zones", add_zones), ("offices", add_offices)])
def test_reference_list_queries_do_not_grow_with_the_rows(request, api, role, endpoint, grow):
    api.as_user(request.getfixturevalue(role))
    path = f"{API}/{endpoint}/?page_size=100"

    few, rows_before = measure(api, path)
    grow(50 - rows_before + 1)
    many, rows_after = measure(api, path)

    assert rows_after > 50 > rows_before
    assert many == few, f"{endpoint}: {few} queries for {rows_before} rows, {many} for {rows_after}"


@pytest.mark.parametrize(
    ("endpoint", "filters"),
    [
        ("investors", "nationality=CN"),
        ("investments", "zone=jeju&program=tourism&contract_date_after=2024-01-01"),
        ("payments", "kind=final&paid_on_after=2024-01-01"),
        ("recoveries", "reason=sale"),
        ("lapses", "kind=lease"),
        ("status-grants", "code=F-2-8"),
    ],
)
def test_filtered_lists_are_not_n_plus_one_either(api, company, add_units, endpoint, filters):
    api.as_user(company)
    path = f"{API}/{endpoint}/?page_size=100&{filters}"

    one, fifty = one_then_fifty(api, path, add_units)
    assert fifty == one
