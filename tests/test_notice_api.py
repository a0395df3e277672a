"""``/api/v1/monthly-notices/`` (SPEC §8.2): an institution computes, annotates, submits and
amends its own notice; officers read what is routed to their office; everybody else gets 404
for a notice they may not see and 403 for a verb they may not use.

The ledgers are the ``jeju_ledger`` (company.jeju, tourism: a 2024-03 contract paid in full by
2024-09, a sale recovered on 2025-02-03 without a filed report) and ``kdb_ledger`` fixtures.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.xlsx import MIME as XLSX_MIME
from reporting import notices
from reporting.models import MonthlyNotice
from tests.xlsx_support import body

pytestmark = pytest.mark.django_db

URL = "/api/v1/monthly-notices/"
SEOUL = ZoneInfo("Asia/Seoul")


def after(month_text):
    """Noon in Seoul on the 2nd of the month after ``month_text``: the month is over."""
    year, month = map(int, month_text.split("-"))
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return time_machine.travel(datetime(year, month, 2, 12, tzinfo=SEOUL), tick=False)


def compute(api, user, period="2024-09", program="tourism"):
    return api.as_user(user).post(URL, {"period": period, "program": program}, format="json")


@pytest.fixture
def jeju_notice(api, jeju_ledger, company):
    response = compute(api, company)
    assert response.status_code == 201, response.data
    return response.data


@pytest.fixture
def kdb_notice(api, kdb_ledger, kdb):
    response = compute(api, kdb, program="public_interest")
    assert response.status_code == 201, response.data
    return response.data


def test_an_institution_computes_its_notice(jeju_notice, company):
    assert jeju_notice["period"] == "2024-09"
    assert (jeju_notice["program"], jeju_notice["version"], jeju_notice["state"]) == (
        "tourism",
        1,
        "draft",
    )
    assert jeju_notice["institution"] == company.organisation_id
    assert jeju_notice["recipient_office"] == "jeju"
    assert jeju_notice["due_on"] == "2024-10-07"  # 5 Oct 2024 is a Saturday
    assert jeju_notice["figures"]["investments"] == {"new": 0, "cumulative": 1}
    assert jeju_notice["figures"]["amount_krw"] == {"new": 500_000_000, "cumulative": 1_000_000_000}
    assert jeju_notice["checks"] == [] and jeju_notice["receipt"] is None


def test_the_contract_fields_of_a_notice(jeju_notice):
    assert set(jeju_notice["figures"]) == {
        "investments",
        "amount_krw",
        "residence",
        "nationality",
        "repayments",
    }
    assert set(jeju_notice["figures"]["residence"]) == {"F-1", "F-2", "F-5"}
    assert jeju_notice["figures"]["nationality"] == {"CN": {"new": 0, "cumulative": 1}}
    assert jeju_notice["figures"]["repayments"] == {
        "count": {"new": 0, "cumulative": 0},
        "amount_krw": {"new": 0, "cumulative": 0},
    }


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"period": "2024-9", "program": "tourism"}, "period"),
        ({"period": "2024-13", "program": "tourism"}, "period"),
        ({"period": "September", "program": "tourism"}, "period"),
        ({"period": 202409, "program": "tourism"}, "period"),
        ({"period": "2099-01", "program": "tourism"}, "period"),  # a future month
        ({"period": "2024-09", "program": "lottery"}, "program"),
        ({"program": "tourism"}, "period"),
    ],
)
def test_bad_requests_are_400_with_the_field(api, company, body, field):
    response = api.as_user(company).post(URL, body, format="json")
    assert response.status_code == 400
    assert field in response.data
    assert not MonthlyNotice.objects.exists()


@pytest.mark.parametrize("who", ["officer", "officer_sejongno", "hq"])
def test_only_institutions_compute(request, api, jeju_ledger, who):
    assert compute(api, request.getfixturevalue(who)).status_code == 403


# --- who sees what ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees_jeju", "sees_kdb"),
    [
        ("company", True, False),
        ("other_company", False, False),
        ("kdb", False, True),
        ("officer", True, False),
        ("officer_sejongno", False, True),
        ("hq", True, True),
    ],
)
def test_notices_are_seen_through_the_access_gate(
    request, api, jeju_notice, kdb_notice, who, sees_jeju, sees_kdb
):
    client = api.as_user(request.getfixturevalue(who))
    listed = {row["id"] for row in client.get(URL).data["results"]}
    for notice, sees in [(jeju_notice, sees_jeju), (kdb_notice, sees_kdb)]:
        assert (notice["id"] in listed) is sees
        assert client.get(f"{URL}{notice['id']}/").status_code == (200 if sees else 404)
        assert client.get(f"{URL}{notice['id']}/xlsx/").status_code == (200 if sees else 404)


@pytest.mark.parametrize("verb", ["submit", "remarks", "amend"])
@pytest.mark.parametrize(("who", "status"), [("officer", 403), ("hq", 403), ("other_company", 404)])
def test_only_the_institution_itself_uses_the_verbs(request, api, jeju_notice, verb, who, status):
    client = api.as_user(request.getfixturevalue(who))
    response = client.post(f"{URL}{jeju_notice['id']}/{verb}/", {}, format="json")
    assert response.status_code == status
    assert MonthlyNotice.objects.get().state == "draft"


def test_anonymous_callers_get_401(api, jeju_notice):
    api.credentials()
    assert api.get(URL).status_code == 401
    assert api.post(URL, {"period": "2024-09", "program": "tourism"}).status_code == 401


# --- verbs ------------------------------------------------------------------------------------


def test_remarks_then_submit_gives_the_receipt(api, company, jeju_notice):
    client = api.as_user(company)
    notice_url = f"{URL}{jeju_notice['id']}/"
    response = client.post(f"{notice_url}remarks/", {"remarks": "  No change.  "}, format="json")
    assert response.status_code == 200 and response.data["remarks"] == "No change."
    with after("2024-09"):
        response = client.post(f"{notice_url}submit/", {}, format="json")
    assert response.status_code == 200, response.data
    notice = MonthlyNotice.objects.get()
    assert response.data == {
        "number": notice.receipt_number,
        "submitted_at": "2024-10-02T12:00:00+09:00",
        "digest": notices.content_digest(notices.notice_content(notice)),
    }
    shown = client.get(notice_url).data
    assert shown["state"] == "submitted" and shown["receipt"] == response.data
    response = client.post(f"{notice_url}remarks/", {"remarks": "late"}, format="json")
    assert response.status_code == 400 and "remarks" in response.data


def test_submit_asks_to_confirm_warnings(api, company, jeju_ledger):
    client = api.as_user(company)
    notice = compute(api, company, period="2025-02").data
    (warning,) = notice["checks"]
    assert (warning["code"], warning["level"]) == ("recovery_without_report", "warning")
    with after("2025-02"):
        refused = client.post(f"{URL}{notice['id']}/submit/", {}, format="json")
        assert refused.status_code == 400 and "confirm_warnings" in refused.data
        body = {"confirm_warnings": True}
        accepted = client.post(f"{URL}{notice['id']}/submit/", body, format="json")
    assert accepted.status_code == 200, accepted.data
    assert client.get(f"{URL}{notice['id']}/").data["warnings_confirmed"] is True


def test_amend_starts_a_new_version(api, company, jeju_notice):
    client = api.as_user(company)
    with after("2024-09"):
        client.post(f"{URL}{jeju_notice['id']}/submit/", {}, format="json")
    response = client.post(f"{URL}{jeju_notice['id']}/amend/", {}, format="json")
    assert response.status_code == 201
    assert (response.data["version"], response.data["state"]) == (2, "draft")
    again = client.post(f"{URL}{response.data['id']}/amend/", {}, format="json")
    assert again.status_code == 400  # a draft is recomputed, not amended


def test_recomputing_refreshes_the_same_draft(api, company, jeju_notice):
    again = compute(api, company)
    assert again.status_code == 201 and again.data["id"] == jeju_notice["id"]


# --- filters, the workbook, query counts ------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("period=2024-09", 2),
        ("period=2024-08", 0),
        ("program=tourism", 1),
        ("program=public_interest", 1),
        ("state=draft", 2),
        ("state=submitted", 0),
    ],
)
def test_filters(api, hq, jeju_notice, kdb_notice, query, count):
    assert api.as_user(hq).get(f"{URL}?{query}").data["count"] == count


def test_filter_by_institution_and_a_malformed_period(api, hq, company, jeju_notice, kdb_notice):
    client = api.as_user(hq)
    rows = client.get(f"{URL}?institution={company.organisation_id}").data["results"]
    assert [row["id"] for row in rows] == [jeju_notice["id"]]
    assert client.get(f"{URL}?period=September").status_code == 400


def test_the_workbook_downloads_as_an_attachment(api, officer, jeju_notice):
    response = api.as_user(officer).get(f"{URL}{jeju_notice['id']}/xlsx/")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_MIME
    assert response["Content-Disposition"] == (
        'attachment; filename="monthly-notice-2024-09-tourism-v1.xlsx"'
    )
    assert body(response)[:2] == b"PK"  # a zip container
    asked = api.get(f"{URL}{jeju_notice['id']}/xlsx/", HTTP_ACCEPT=XLSX_MIME)
    assert asked.status_code == 200 and asked["Content-Type"] == XLSX_MIME


def test_listing_costs_the_same_queries_for_one_or_many_notices(api, hq, company, jeju_ledger):
    client = api.as_user(hq)
    compute(api, company, period="2024-03")
    client = api.as_user(hq)
    with CaptureQueriesContext(connection) as one:
        assert client.get(URL).data["count"] == 1
    for month in ["2024-04", "2024-05", "2024-06", "2024-07"]:
        compute(api, company, period=month)
    client = api.as_user(hq)
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL).data["count"] == 5
    assert len(many) == len(one)


def test_the_schema_documents_the_endpoints(api, hq):
    schema = api.as_user(hq).get("/api/v1/schema/?format=json").json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/monthly-notices/"])
    for verb in ["submit", "remarks", "amend"]:
        assert "post" in paths[f"/api/v1/monthly-notices/{{id}}/{verb}/"]
    assert XLSX_MIME in str(paths["/api/v1/monthly-notices/{id}/xlsx/"])
