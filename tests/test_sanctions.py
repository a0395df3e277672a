"""Seed §6.H / §7.F: late and missing filings build a compliance record; an office restricts
a sales company's proxy privileges or asks the Minister to cancel a designation; a restricted
company's proxy applications are refused."""

from datetime import date

import pytest
import time_machine

from reporting import sanctions
from reporting.models import Obligation
from tests.factories import jeju_investment, recovered

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue(company):
    investment = jeju_investment(company)
    recovery = recovered(company, date(2024, 7, 1), amount_krw=100_000_000, investment=investment)
    Obligation.objects.filter(pk=recovery.obligation.pk).update(state="overdue")
    return investment


def test_the_compliance_record_counts_overdue_filings(officer, company, overdue):
    records = sanctions.compliance_records(Obligation.objects.visible_to(officer))
    record = records[company.organisation_id]
    assert (record.withdrawal_overdue, record.failures) == (1, 1)


def test_an_officer_restricts_proxy_privileges_and_proxy_filings_are_refused(
    api, officer, company, overdue, settings
):
    settings.LANGUAGE_CODE = "en"  # the refusal is read in English below
    response = api.as_user(officer).post(
        "/api/v1/sanctions/",
        {
            "institution": company.organisation_id,
            "kind": "proxy_restriction",
            "started_on": "2024-08-01",
            "reason": "Withdrawal report overdue.",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["office"] == "jeju"
    company.organisation.refresh_from_db()
    assert company.organisation.designation_status == "restricted"

    payload = {"investor": overdue.investor_id, "kind": "extension", "agent_name": "Kim Minjun"}
    refused = api.as_user(company).post("/api/v1/proxy-applications/", payload, format="json")
    assert refused.status_code == 400
    assert "restricted" in refused.json()["institution"][0]


def test_proxy_filing_is_accepted_again_once_the_restriction_is_lifted(officer, company, overdue):
    sanction = sanctions.record_sanction(
        by=officer,
        institution=company.organisation,
        kind="proxy_restriction",
        started_on=date(2024, 8, 1),
        reason="Overdue report",
    )
    sanctions.lift_sanction(by=officer, sanction=sanction, ended_on=date(2024, 9, 30))
    with time_machine.travel(date(2024, 10, 2), tick=False):
        application = sanctions.file_proxy_application(
            by=company, investor=overdue.investor, kind="extension", agent_name="Kim Minjun"
        )
    assert application.office.code == "jeju"
    company.organisation.refresh_from_db()
    assert company.organisation.designation_status == "designated"


def test_an_office_cannot_sanction_an_institution_not_routed_to_it(
    officer_sejongno, company, overdue, settings
):
    settings.LANGUAGE_CODE = "en"  # the refusal is read in English below
    with pytest.raises(Exception, match="No such institution"):
        sanctions.record_sanction(
            by=officer_sejongno,
            institution=company.organisation,
            kind="proxy_restriction",
            started_on=date(2024, 8, 1),
            reason="x",
        )


@pytest.mark.parametrize("persona", ["company", "kdb"])
def test_institutions_cannot_record_sanctions(api, request, persona, company, overdue):
    user = request.getfixturevalue(persona)
    response = api.as_user(user).post(
        "/api/v1/sanctions/",
        {
            "institution": company.organisation_id,
            "kind": "cancellation_request",
            "started_on": "2024-08-01",
            "reason": "x",
        },
        format="json",
    )
    assert response.status_code == 403


def test_compliance_endpoint_lists_only_what_the_office_sees(
    api, officer, officer_sejongno, company, overdue
):
    assert [r["institution"] for r in api.as_user(officer).get("/api/v1/compliance/").json()] == [
        company.organisation_id
    ]
    assert api.as_user(officer_sejongno).get("/api/v1/compliance/").json() == []
