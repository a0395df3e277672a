"""``/api/v1/withdrawal-reports/`` (SPEC §5.1, §8.2): filing in its two shapes, reads through
the access gate, amendments, reviews by the recipient office, and the letter as HTML and PDF.

company.jeju's report goes to the Jeju office, KDB's to the Sejongno Branch; another
organisation's report is 404, another organisation's obligation named in a filing is 400
"does not exist". Ledgers come from the ``jeju_ledger``/``kdb_ledger`` fixtures (services).
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from investments.models import Recovery
from reporting import filings
from reporting.models import Obligation, WithdrawalReport
from tests.factories import on, recovered

pytestmark = pytest.mark.django_db

URL = "/api/v1/withdrawal-reports/"


@pytest.fixture
def jeju_obligation(jeju_ledger):
    """Due 2025-02-17 for the recovery of 2025-02-03."""
    return jeju_ledger.obligation


@pytest.fixture
def jeju_report(company, jeju_obligation):
    return filings.file_report(by=company, obligation=jeju_obligation, remarks="First.")


@pytest.fixture
def kdb_report(kdb, kdb_ledger):
    obligation = kdb_ledger.obligation
    return filings.file_report(by=kdb, obligation=obligation)


def unledgered(investment, **change):
    return {
        "investment": investment.pk,
        "recovered_on": "2025-03-10",
        "amount_krw": 50_000_000,
        "reason": "sale",
        "remarks": "Not yet in our ledger.",
    } | change


# --- filing -----------------------------------------------------------------------------------


def test_filing_an_obligation_gives_the_letter_fields(api, company, jeju_obligation):
    with on(date(2025, 2, 17)):
        response = api.as_user(company).post(
            URL, {"obligation": jeju_obligation.pk, "remarks": "Sold."}, format="json"
        )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["obligation"] == jeju_obligation.pk
    assert (body["version"], body["filed_on"], body["obligation_state"]) == (
        1,
        "2025-02-17",
        "filed_on_time",
    )
    assert body["recipient_office"] == "jeju"
    assert body["content"]["investor"] == {
        "kind": "person",
        "nationality": "CN",
        "full_name": "Wang Fang",
        "date_of_birth": "1975-04-12",
    }
    assert body["content"]["recovery"]["amount_krw"] == 200_000_000
    assert body["remarks"] == "Sold."
    assert len(body["digest"]) == 64
    assert body["latest_review"] is None
    assert body["filed_by"] == "company.jeju"


def test_a_recovery_not_in_the_ledger_is_recorded_and_reported(api, company, jeju_ledger):
    before = Recovery.objects.count()
    response = api.as_user(company).post(URL, unledgered(jeju_ledger.investment), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert Recovery.objects.count() == before + 1
    recovery = Recovery.objects.get(pk=body["recovery"])
    assert (recovery.recovered_on, recovery.amount_krw) == (date(2025, 3, 10), 50_000_000)
    assert Obligation.objects.get(recovery=recovery).state == "filed_late"
    assert body["content"]["recovery"]["recovered_on"] == "2025-03-10"
    assert body["remarks"] == "Not yet in our ledger."


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "obligation"),
        ({"remarks": "only remarks"}, "obligation"),
        ({"obligation": 999_999}, "obligation"),
        ({"obligation": "OBL"}, "obligation"),
        ("MIXED", "non_field_errors"),
        ({"investment": "INV", "amount_krw": 1}, "recovered_on"),
        ({"investment": "INV", "amount_krw": 1}, "reason"),
        ("AMOUNT 1.5", "amount_krw"),
        ("AMOUNT -1", "amount_krw"),
        ("ABOVE PAID", "amount_krw"),
        ("FUTURE", "recovered_on"),
        ("BAD REASON", "reason"),
    ],
)
def test_bad_filings_are_400_with_field_messages(
    api, company, jeju_ledger, jeju_obligation, body, field
):
    investment = jeju_ledger.investment
    body = (
        {
            "MIXED": {"obligation": jeju_obligation.pk, "amount_krw": 1, "reason": "sale"},
            "AMOUNT 1.5": unledgered(investment, amount_krw=1.5),
            "AMOUNT -1": unledgered(investment, amount_krw=-1),
            "ABOVE PAID": unledgered(investment, amount_krw=800_000_001),
            "FUTURE": unledgered(investment, recovered_on="2999-01-01"),
            "BAD REASON": unledgered(investment, reason="early_repayment"),
        }.get(body, body)
        if isinstance(body, str)
        else body
    )
    body = {k: investment.pk if v == "INV" else v for k, v in body.items()}
    counts = (Recovery.objects.count(), Obligation.objects.count())
    response = api.as_user(company).post(URL, body, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert (Recovery.objects.count(), Obligation.objects.count()) == counts
    assert not WithdrawalReport.objects.exists()


def test_another_organisations_obligation_does_not_exist(api, other_company, jeju_obligation):
    caller = api.as_user(other_company)
    english = {"format": "json", "HTTP_ACCEPT_LANGUAGE": "en"}
    theirs = caller.post(URL, {"obligation": jeju_obligation.pk}, **english)
    unknown = caller.post(URL, {"obligation": 999_999}, **english)
    assert theirs.status_code == unknown.status_code == 400
    assert "does not exist" in theirs.json()["obligation"][0]
    assert theirs.json()["obligation"][0].replace(str(jeju_obligation.pk), "N") == (
        unknown.json()["obligation"][0].replace("999999", "N")
    )
    assert not WithdrawalReport.objects.exists()


def test_another_organisations_investment_does_not_exist(api, other_company, jeju_ledger):
    response = api.as_user(other_company).post(
        URL, unledgered(jeju_ledger.investment), format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "does not exist" in response.json()["investment"][0]


@pytest.mark.parametrize("persona", ["officer", "hq"])
def test_officers_and_hq_do_not_file(request, api, jeju_obligation, persona):
    user = request.getfixturevalue(persona)
    response = api.as_user(user).post(URL, {"obligation": jeju_obligation.pk}, format="json")
    assert response.status_code == 403


def test_filing_twice_says_to_amend(api, company, jeju_report):
    response = api.as_user(company).post(
        URL, {"obligation": jeju_report.obligation_id}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "amend" in response.json()["obligation"][0]


# --- reads ------------------------------------------------------------------------------------

SEES_JEJU = {"hq", "officer", "company"}
SEES_KDB = {"hq", "officer_sejongno", "kdb"}


@pytest.mark.parametrize(
    "persona", ["hq", "officer", "officer_sejongno", "company", "other_company", "kdb"]
)
def test_reads_go_through_the_access_gate(request, api, jeju_report, kdb_report, persona):
    client = api.as_user(request.getfixturevalue(persona))
    listed = {row["id"] for row in client.get(URL).json()["results"]}
    expected = {
        report.pk
        for report, sees in [(jeju_report, SEES_JEJU), (kdb_report, SEES_KDB)]
        if persona in sees
    }
    assert listed == expected
    for report, sees in [(jeju_report, SEES_JEJU), (kdb_report, SEES_KDB)]:
        for suffix in ["", "letter/", "pdf/"]:
            response = client.get(f"{URL}{report.pk}/{suffix}")
            assert response.status_code == (200 if persona in sees else 404), suffix


def test_anonymous_callers_are_refused(api, jeju_report):
    assert api.get(URL).status_code == 401
    assert api.get(f"{URL}{jeju_report.pk}/letter/").status_code == 401


def test_the_list_filters_by_obligation_version_and_filing_date(api, company, jeju_report):
    with on(date(2026, 1, 5)):
        filings.amend_report(by=company, report=jeju_report, remarks="Second.")
    client = api.as_user(company)

    def ids(**params):
        return [(r["version"], r["filed_on"]) for r in client.get(URL, params).json()["results"]]

    filed = jeju_report.filed_on.isoformat()
    assert ids(obligation=jeju_report.obligation_id) == [(1, filed), (2, "2026-01-05")]
    assert ids(obligation=999_999) == []
    assert ids(version=2) == [(2, "2026-01-05")]
    assert ids(filed_on_before="2026-01-05", filed_on_after="2026-01-05") == [(2, "2026-01-05")]


# --- amendments and reviews -------------------------------------------------------------------


def test_an_amendment_is_a_new_version_and_the_first_stays(api, company, jeju_report):
    first = api.as_user(company).get(f"{URL}{jeju_report.pk}/").json()
    response = api.as_user(company).post(
        f"{URL}{jeju_report.pk}/amend/", {"remarks": "Corrected."}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["version"], response.json()["remarks"]) == (2, "Corrected.")
    assert api.as_user(company).get(f"{URL}{jeju_report.pk}/").json() == first


@pytest.mark.parametrize(
    "persona, status", [("officer", 403), ("hq", 403), ("other_company", 404), ("kdb", 404)]
)
def test_only_the_filing_institution_amends(request, api, jeju_report, persona, status):
    client = api.as_user(request.getfixturevalue(persona))
    response = client.post(f"{URL}{jeju_report.pk}/amend/", {"remarks": "x"}, format="json")
    assert response.status_code == status
    assert WithdrawalReport.objects.count() == 1


@pytest.mark.parametrize(
    "persona, status",
    [
        ("officer", 201),  # the Jeju office, recipient of the report
        ("hq", 201),
        ("officer_sejongno", 404),  # not routed to Sejongno
        ("company", 403),
        ("other_company", 403),
        ("kdb", 403),
    ],
)
def test_only_the_recipient_office_and_hq_review(request, api, jeju_report, persona, status):
    reviewer = request.getfixturevalue(persona)
    response = api.as_user(reviewer).post(
        f"{URL}{jeju_report.pk}/review/", {"decision": "acknowledged"}, format="json"
    )
    assert response.status_code == status
    if status == 201:
        assert response.json()["decision"] == "acknowledged"
        latest = api.as_user(reviewer).get(f"{URL}{jeju_report.pk}/").json()["latest_review"]
        assert (latest["decision"], latest["reviewed_by"]) == ("acknowledged", reviewer.username)


def test_a_return_needs_a_note_and_shows_as_the_latest_review(api, officer, company, jeju_report):
    review = f"{URL}{jeju_report.pk}/review/"
    refused = api.as_user(officer).post(review, {"decision": "returned"}, format="json")
    assert refused.status_code == 400 and "note" in refused.json()
    bad = api.as_user(officer).post(review, {"decision": "submitted"}, format="json")
    assert bad.status_code == 400 and "decision" in bad.json()
    api.as_user(officer).post(review, {"decision": "acknowledged"}, format="json")
    returned = api.as_user(officer).post(
        review, {"decision": "returned", "note": "Unit number?"}, format="json"
    )
    assert returned.status_code == 201
    latest = api.as_user(company).get(f"{URL}{jeju_report.pk}/").json()["latest_review"]
    assert (latest["decision"], latest["note"]) == ("returned", "Unit number?")


# --- the letter -------------------------------------------------------------------------------


def test_the_letter_is_html(api, officer, jeju_report):
    response = api.as_user(officer).get(f"{URL}{jeju_report.pk}/letter/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "Wang Fang" in html and "KRW 200,000,000" in html


@pytest.mark.parametrize("accept", [None, "application/pdf"])
def test_the_letter_is_pdf(api, officer, jeju_report, accept):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    response = api.as_user(officer).get(f"{URL}{jeju_report.pk}/pdf/", **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and len(response.content) > 1000
    assert (
        f"withdrawal-report-{jeju_report.obligation_id}-v1.pdf" in (response["Content-Disposition"])
    )


# --- query counts and schema ------------------------------------------------------------------


def test_the_list_costs_the_same_queries_for_1_or_6_reports(
    api, company, officer, jeju_ledger, jeju_report
):
    filings.review_report(by=officer, report=jeju_report, decision="acknowledged")
    client = api.as_user(company)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"page_size": 50}).status_code == 200
        return len(queries)

    one = count()
    for day in range(5):
        recovery = recovered(
            company, date(2025, 4, 1 + day), investment=jeju_ledger.investment, amount_krw=1_000_000
        )
        report = filings.file_report(by=company, obligation=recovery.obligation)
        filings.review_report(by=officer, report=report, decision="returned", note="Why?")
    assert WithdrawalReport.objects.count() == 6
    assert count() == one


def test_both_filing_shapes_are_in_the_published_schema(api, company):
    schema = api.as_user(company).get("/api/v1/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    for path in [URL, f"{URL}{{id}}/amend/", f"{URL}{{id}}/review/"]:
        assert "post" in paths[path], path
    for path in [f"{URL}{{id}}/letter/", f"{URL}{{id}}/pdf/"]:
        assert "get" in paths[path], path
    components = schema["components"]["schemas"]

    def resolve(reference):
        return components[reference["$ref"].rsplit("/", 1)[1]]

    body = paths[URL]["post"]["requestBody"]["content"]["application/json"]["schema"]
    shapes = [resolve(shape) for shape in resolve(body)["oneOf"]]
    assert {frozenset(shape["required"]) for shape in shapes} == {
        frozenset({"obligation"}),
        frozenset({"investment", "recovered_on", "amount_krw", "reason"}),
    }
