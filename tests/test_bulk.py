"""Bulk writes (issue 13.4): up to 1,000 payments, recoveries or investments in one request,
all or nothing, with row errors in the spreadsheet import's shape
``{sheet, row, column, column_letter, message}``."""

import pytest
from django.test import override_settings

from investments.models import Investment, Payment
from reporting.models import Obligation

pytestmark = pytest.mark.django_db


def payment(investment, day="2024-10-01", amount=1_000, kind="final"):
    return {"investment": investment.pk, "paid_on": day, "amount_krw": amount, "kind": kind}


def test_a_bulk_of_payments_is_saved_through_the_verb(api, company, jeju_ledger):
    rows = [payment(jeju_ledger.investment, amount=n) for n in (1_000, 2_000, 3_000)]
    response = api.as_user(company).post("/api/v1/payments/bulk/", {"rows": rows}, format="json")
    assert response.status_code == 201, response.data
    assert response.data["created"] == 3
    assert [row["amount_krw"] for row in response.data["results"]] == [1_000, 2_000, 3_000]
    assert Payment.objects.filter(amount_krw__lte=3_000).count() == 3


def test_one_bad_row_saves_nothing_and_names_row_and_column(api, company, jeju_ledger):
    rows = [
        payment(jeju_ledger.investment),
        payment(jeju_ledger.investment, amount=-5),
        payment(jeju_ledger.investment, kind="down", day="2024-02-01"),
    ]
    response = api.as_user(company).post("/api/v1/payments/bulk/", {"rows": rows}, format="json")
    assert response.status_code == 400
    errors = response.data["errors"]
    assert {(e["sheet"], e["row"], e["column"]) for e in errors} == {
        ("payments", 2, "amount_krw"),
        ("payments", 3, "paid_on"),
    }
    assert set(errors[0]) == {"sheet", "row", "column", "column_letter", "message"}
    assert Payment.objects.count() == 3  # the fixture's, nothing more


def test_a_bulk_of_recoveries_opens_their_report_duties(api, company, jeju_ledger):
    rows = [
        {
            "investment": jeju_ledger.investment.pk,
            "recovered_on": day,
            "amount_krw": 1_000,
            "reason": "sale",
        }
        for day in ("2025-04-01", "2025-04-02")
    ]
    response = api.as_user(company).post("/api/v1/recoveries/bulk/", {"rows": rows}, format="json")
    assert response.status_code == 201, response.data
    ids = [row["id"] for row in response.data["results"]]
    assert Obligation.objects.filter(recovery__in=ids).count() == 2


def test_a_bulk_of_investments(api, company, jeju_ledger):
    row = {
        "investor": jeju_ledger.investor.pk,
        "program": "tourism",
        "zone": "jeju",
        "investor_class": "registered_owner",
        "property_name": "Halla Resort",
        "facility_type": "resort-condominium",
        "contract_date": "2024-11-04",
        "contract_amount_krw": 1_000_000_000,
    }
    rows = [{**row, "unit_number": f"C-{n}"} for n in range(3)]
    rows.append({**row, "unit_number": "C-9", "zone": "atlantis"})
    response = api.as_user(company).post("/api/v1/investments/bulk/", {"rows": rows}, format="json")
    assert response.status_code == 400
    assert [(e["row"], e["column"]) for e in response.data["errors"]] == [(4, "zone")]
    assert Investment.objects.count() == 1
    response = api.post("/api/v1/investments/bulk/", {"rows": rows[:3]}, format="json")
    assert response.status_code == 201
    assert Investment.objects.count() == 4


def test_another_organisations_investment_is_a_row_error(api, other_company, jeju_ledger):
    response = api.as_user(other_company).post(
        "/api/v1/payments/bulk/", {"rows": [payment(jeju_ledger.investment)]}, format="json"
    )
    assert response.status_code == 400
    assert response.data["errors"][0]["column"] == "investment"


@pytest.mark.parametrize("data", [{}, {"rows": []}, {"rows": "x"}, []])
def test_a_body_without_rows_is_400(api, company, data):
    response = api.as_user(company).post("/api/v1/payments/bulk/", data, format="json")
    assert response.status_code == 400
    assert response.data["errors"][0]["sheet"] == "payments"


@override_settings(API_BULK_MAX_ROWS=3)
def test_more_rows_than_allowed_are_refused_before_anything_is_checked(api, company, jeju_ledger):
    rows = [payment(jeju_ledger.investment)] * 4
    response = api.as_user(company).post("/api/v1/payments/bulk/", {"rows": rows}, format="json")
    assert response.status_code == 400
    assert "3" in response.data["errors"][0]["message"]
    assert Payment.objects.count() == 3


def test_officers_cannot_bulk_write(api, officer, jeju_ledger):
    response = api.as_user(officer).post(
        "/api/v1/payments/bulk/", {"rows": [payment(jeju_ledger.investment)]}, format="json"
    )
    assert response.status_code == 403
