"""The reporting pages (issue "Web portal"; SPEC §5, §8): dashboards per role, all deadlines in
one view with its export, filing a withdrawal report through the page and the officer's
review, the monthly notice from computing to the receipt, the bulk import's row errors, the
compliance page, and the F-5 pipeline at a constant number of queries.

Ledgers are built through the service functions (as in test_obligations.py), with the clock
frozen where dates matter. Pages are asked for in English so texts can be asserted."""

import io
import re
from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from investments import services as ledger
from investments.models import Investor
from reporting import filings, imports, notices, services
from reporting.models import MonthlyNotice, Obligation, ReportReview, Sanction
from reporting.pipeline import build
from reporting.sweep import mark_overdue
from tests import factories, xlsx_support
from tests.factories import IVANOV, as_user, kdb_deposit, on, page_cases, page_status
from tests.xlsx_support import export_rows

pytestmark = pytest.mark.django_db

M = 1_000_000


def text(response):
    return response.content.decode()


def jeju_investment(company, *, passport="E12345678", contract_date=date(2024, 3, 4), **kwargs):
    """A fully paid, registered Jeju condominium unit of company.jeju's client."""
    return factories.jeju_investment(
        company,
        passport=passport,
        contract_date=contract_date,
        unit_number=f"U-{passport[-4:]}",
        registered_on=contract_date,
        **kwargs,
    )


def recover(company, investment, day, amount=100 * M):
    """A recovery through ``reporting.services``: it opens its withdrawal-report obligation."""
    recovery = services.record_recovery(
        by=company, investment=investment, recovered_on=day, amount_krw=amount, reason="sale"
    )
    return Obligation.objects.get(recovery=recovery)


# --- who sees which page ----------------------------------------------------------------------


@pytest.fixture
def world(company, officer):
    """company.jeju with an open report obligation, a filed report and a computed notice."""
    investment = jeju_investment(company)
    open_one = recover(company, investment, date(2025, 6, 2))
    filed = recover(company, investment, date(2025, 6, 9))
    report = filings.file_report(by=company, obligation=filed)
    notice = notices.compute_notice(by=company, program="tourism", period=date(2025, 6, 1))
    return {"obligation": open_one.pk, "report": report.pk, "notice": notice.pk}


#: Each page: (the ``world`` row it is about, {persona: the status it answers}).
PAGE_STATUSES = {
    "institution-dashboard": (None, {"company": 200, "kdb": 200, "officer": 403, "hq": 403}),
    "office-dashboard": (
        None,
        {"officer": 200, "officer_sejongno": 200, "hq": 200, "company": 403},
    ),
    "obligation-list": (None, {"company": 200, "kdb": 200, "officer": 200, "hq": 200}),
    "obligation-export": (None, {"officer": 200}),
    "report-file": (
        "obligation",
        {"company": 200, "officer": 403, "other_company": 404, "kdb": 404, "officer_sejongno": 404},
    ),
    "report-unledgered": (None, {"company": 200, "kdb": 200, "officer": 403, "hq": 403}),
    "report-detail": (
        "report",
        {"company": 200, "officer": 200, "hq": 200, "other_company": 404, "officer_sejongno": 404},
    ),
    "report-letter": ("report", {"officer": 200, "kdb": 404}),
    "report-pdf": ("report", {"company": 200, "other_company": 404}),
    "notice-list": (None, {"company": 200, "officer": 200, "hq": 200}),
    "notice-detail": (
        "notice",
        {"company": 200, "officer": 200, "other_company": 404, "officer_sejongno": 404},
    ),
    "notice-xlsx": ("notice", {"officer": 200, "kdb": 404}),
    "ledger-import": (None, {"company": 200, "kdb": 200, "officer": 403, "hq": 403}),
    "ledger-template": (None, {"officer": 200}),
    "sanction-list": (None, {"officer": 200, "hq": 200, "company": 200}),
    "f5-pipeline": (None, {"officer": 200, "hq": 200, "company": 403}),
}


@pytest.mark.parametrize("name, argument, persona, status", page_cases(PAGE_STATUSES))
def test_each_page_answers_each_role(request, client, world, name, argument, persona, status):
    args = [world[argument]] if argument else None
    assert page_status(request, client, persona, name, args) == status


@pytest.mark.parametrize(
    "name, argument, persona, data",
    [
        ("report-review", "report", "company", {"decision": "acknowledged"}),
        ("report-amend", "report", "officer", {"remarks": "x"}),
        ("notice-submit", "notice", "officer", {"confirm_warnings": "on"}),
        ("notice-remarks", "notice", "hq", {"remarks": "x"}),
        ("notice-amend", "notice", "officer", {}),
        ("notice-compute", None, "officer", {"period": "2025-06", "program": "tourism"}),
        ("sanction-new", None, "company", {"kind": "proxy_restriction"}),
    ],
)
def test_the_wrong_role_cannot_post(request, client, world, name, argument, persona, data):
    args = [world[argument]] if argument else None
    before = (ReportReview.objects.count(), MonthlyNotice.objects.count(), Sanction.objects.count())
    response = as_user(client, request.getfixturevalue(persona)).post(
        reverse(name, args=args), data
    )
    assert response.status_code == 403
    after = (ReportReview.objects.count(), MonthlyNotice.objects.count(), Sanction.objects.count())
    assert after == before


def test_pages_need_a_sign_in(client):
    response = client.get(reverse("obligation-list"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


# --- a withdrawal report from the recovery to the officer's acknowledgement -------------------


def test_a_recovery_is_filed_through_the_page_and_acknowledged_by_the_office(
    client, company, officer
):
    with on(date(2025, 9, 22)):
        investment = jeju_investment(company)
        obligation = recover(company, investment, date(2025, 9, 19), amount=200 * M)
        assert obligation.due_on == date(2025, 10, 10)  # SPEC R5 example

        client = as_user(client, company)
        dashboard = text(client.get(reverse("institution-dashboard")))
        assert "2025-10-10" in dashboard and "in 18 days" in dashboard
        assert reverse("report-file", args=[obligation.pk]) in dashboard

        form = text(client.get(reverse("report-file", args=[obligation.pk])))
        assert 'srcdoc="&lt;!DOCTYPE html&gt;' in form  # the letter, escaped, in a sandbox
        assert "ZHANG Wei" in form and f"WR-{obligation.pk}-v1" in form
        assert 'for="id_remarks"' in form and "csrfmiddlewaretoken" in form

        response = client.post(
            reverse("report-file", args=[obligation.pk]), {"remarks": "Unit sold to a resident."}
        )
        report = obligation.reports.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("report-detail", args=[report.pk])
        obligation.refresh_from_db()
        assert obligation.state == "filed_on_time"
        page = text(client.get(response["Location"]))
        assert report.digest in page and "Filed on time" in page

        office = as_user(client, officer)
        filed = text(office.get(reverse("obligation-list"), {"when": "filed"}))
        assert "ZHANG Wei" in filed and "Filed on time" in filed
        assert reverse("report-detail", args=[report.pk]) in filed

        refused = office.post(reverse("report-review", args=[report.pk]), {"decision": "returned"})
        assert refused.status_code == 400
        assert "Say what the institution must correct." in text(refused)

        done = office.post(reverse("report-review", args=[report.pk]), {"decision": "acknowledged"})
        assert done.status_code == 302
        assert report.reviews.get().state == "acknowledged"
        assert "Acknowledged by the office" in text(office.get(done["Location"]))


def test_filing_twice_leads_to_the_report_and_an_amendment_adds_a_version(client, company):
    with on(date(2025, 9, 22)):
        obligation = recover(company, jeju_investment(company), date(2025, 9, 19))
        client = as_user(client, company)
        client.post(reverse("report-file", args=[obligation.pk]), {"remarks": ""})
        first = obligation.reports.get()
        again = client.get(reverse("report-file", args=[obligation.pk]))
        assert again.status_code == 302
        assert again["Location"] == reverse("report-detail", args=[first.pk])

        amended = client.post(reverse("report-amend", args=[first.pk]), {"remarks": "Buyer named."})
        second = obligation.reports.get(version=2)
        assert amended["Location"] == reverse("report-detail", args=[second.pk])
        unchanged = client.post(
            reverse("report-amend", args=[second.pk]), {"remarks": "Buyer named."}
        )
        assert unchanged.status_code == 400
        assert "Nothing changed since version 2" in text(unchanged)


def test_an_unledgered_recovery_enters_the_ledger_and_is_reported(client, company):
    with on(date(2025, 9, 22)):
        investment = jeju_investment(company)
        client = as_user(client, company)
        too_much = client.post(
            reverse("report-unledgered"),
            {
                "investment": investment.pk,
                "recovered_on": "2025-09-19",
                "amount_krw": "1,000,000,001",
                "reason": "sale",
            },
        )
        assert too_much.status_code == 400 and "exceeds what is held" in text(too_much)
        assert not Obligation.objects.exists()
        response = client.post(
            reverse("report-unledgered"),
            {
                "investment": investment.pk,
                "recovered_on": "2025-09-19",
                "amount_krw": "300,000,000",
                "reason": "sale",
                "remarks": "Reported with the recovery.",
            },
        )
        assert response.status_code == 302
        obligation = Obligation.objects.get(investment=investment)
        assert obligation.state == "filed_on_time"
        assert obligation.reports.get().remarks == "Reported with the recovery."


# --- the monthly notice -----------------------------------------------------------------------


def test_a_notice_with_a_warning_is_submitted_only_once_confirmed(client, company, officer):
    with on(date(2025, 8, 25)):
        investment = jeju_investment(company, contract_date=date(2025, 8, 4))
        recover(company, investment, date(2025, 8, 20))  # its report is not filed
    with on(date(2025, 9, 2)):
        client = as_user(client, company)
        computed = client.post(
            reverse("notice-compute"), {"period": "2025-08", "program": "tourism"}
        )
        notice = MonthlyNotice.objects.get(institution=company.organisation)
        assert computed["Location"] == reverse("notice-detail", args=[notice.pk])
        url = computed["Location"]
        page = text(client.get(url))
        assert "its withdrawal report is not filed yet" in page
        assert 'class="warning"' in page and 'for="id_confirm_warnings"' in page

        unconfirmed = client.post(reverse("notice-submit", args=[notice.pk]), {})
        assert unconfirmed.status_code == 400
        assert "Confirm these warnings to submit the notice" in text(unconfirmed)
        notice.refresh_from_db()
        assert notice.state == "draft"

        remarks = client.post(reverse("notice-remarks", args=[notice.pk]), {"remarks": "Sold."})
        assert remarks.status_code == 302
        confirmed = client.post(
            reverse("notice-submit", args=[notice.pk]), {"confirm_warnings": "on"}
        )
        assert confirmed.status_code == 302
        notice.refresh_from_db()
        assert notice.state == "submitted" and notice.remarks == "Sold."
        assert notice.receipt_number in text(client.get(url))

        office = as_user(client, officer)
        assert notice.receipt_number in text(office.get(reverse("notice-list")))
        detail = text(office.get(url))
        assert notice.receipt_number in detail and notice.digest in detail
        workbook = office.get(reverse("notice-xlsx", args=[notice.pk]))
        assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")

        client = as_user(client, company)
        amended = client.post(reverse("notice-amend", args=[notice.pk]))
        draft = MonthlyNotice.objects.get(institution=company.organisation, version=2)
        assert amended["Location"] == reverse("notice-detail", args=[draft.pk])


def test_a_month_not_yet_begun_is_refused_next_to_the_field(client, company):
    with on(date(2025, 9, 2)):
        jeju_investment(company, contract_date=date(2025, 8, 4))
        response = as_user(client, company).post(
            reverse("notice-compute"), {"period": "2025-10", "program": "tourism"}
        )
    assert response.status_code == 400
    assert "This month has not begun yet." in text(response)
    assert not MonthlyNotice.objects.exists()


# --- the bulk import --------------------------------------------------------------------------


def filled_template(rows):
    workbook = xlsx_support.workbook(imports.template_sheets())
    for sheet, entries in rows.items():
        keys = [cell.value for cell in workbook[sheet][1]]
        for entry in entries:
            workbook[sheet].append([entry.get(key) for key in keys])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "ledger.xlsx"
    return buffer


def ledger_rows(amount_krw):
    return {
        "investors": [
            {"ref": "W1", "kind": "person", "full_name": "Wang Fang", "nationality": "CN",
             "date_of_birth": date(1975, 4, 12), "passport_number": "E55554444"},
        ],
        "investments": [
            {"ref": "I1", "investor_ref": "W1", "program": "tourism", "zone": "jeju",
             "investor_class": "registered_owner", "property_name": "Halla Resort",
             "unit_number": "A-1203", "facility_type": "resort-condominium",
             "contract_date": date(2024, 3, 4), "contract_amount_krw": 1_000 * M},
        ],
        "payments": [
            {"investment_ref": "I1", "paid_on": date(2024, 3, 4), "amount_krw": amount_krw,
             "kind": "down"},
        ],
    }  # fmt: skip


def test_the_import_shows_row_errors_and_saves_nothing(client, company):
    client = as_user(client, company)
    page = text(client.get(reverse("ledger-import")))
    assert 'accept=".xlsx"' in page and 'for="id_file"' in page
    assert reverse("ledger-template") in page

    response = client.post(reverse("ledger-import"), {"file": filled_template(ledger_rows(-5))})
    assert response.status_code == 400
    page = text(response)
    assert "Nothing was saved" in page
    assert re.search(r"<td>payments</td>\s*<td class=\"num\">2</td>", page)
    assert "<code>amount_krw</code>" in page
    assert not Investor.objects.exists()


def test_the_import_reports_the_rows_added(client, company):
    client = as_user(client, company)
    response = client.post(
        reverse("ledger-import"), {"file": filled_template(ledger_rows(100 * M))}, follow=True
    )
    page = text(response)
    assert "investors 1, investments 1, payments 1" in page
    assert Investor.objects.get().full_name == "Wang Fang"


# --- all deadlines in one view and the export -------------------------------------------------


def test_the_export_holds_exactly_the_filtered_rows(client, company, other_company, officer):
    with on(date(2025, 9, 22)):
        early = recover(
            company,
            jeju_investment(company, name='=HYPERLINK("x")', passport="E10000001"),
            date(2025, 7, 1),
        )
        late = recover(company, jeju_investment(company, passport="E10000002"), date(2025, 9, 19))
        mark_overdue(today=date(2025, 9, 22))
        client = as_user(client, company)
        filters = {"due_on_before": "2025-08-31", "state": "overdue"}
        page = text(client.get(reverse("obligation-list"), filters))
        assert reverse("report-file", args=[early.pk]) in page
        assert reverse("report-file", args=[late.pk]) not in page

        rows = export_rows(client.get(reverse("obligation-export"), filters))
        assert [row[0] for row in rows[1:]] == [early.pk]
        assert rows[1][3] == datetime(2025, 7, 15)  # the due date, a real date cell
        assert rows[1][4] == -69  # days left: overdue
        assert rows[1][10] == '\'=HYPERLINK("x")'  # a text, never a formula

        upcoming = export_rows(client.get(reverse("obligation-export"), {"when": "upcoming"}))
        assert [row[0] for row in upcoming[1:]] == [late.pk]
        past = export_rows(client.get(reverse("obligation-export"), {"when": "past_due"}))
        assert [row[0] for row in past[1:]] == [early.pk]
        assert as_user(client, other_company).get(reverse("obligation-export")).status_code == 200
        assert len(export_rows(client.get(reverse("obligation-export")))) == 1  # header only


def test_the_export_refuses_broken_filters(client, company):
    response = as_user(client, company).get(
        reverse("obligation-export"), {"due_on_after": "not-a-date"}
    )
    assert response.status_code == 400


# --- the office dashboard and the compliance page ---------------------------------------------


def test_the_office_dashboard_shows_charts_and_institutions_with_overdue_reports(
    client, company, officer, other_company
):
    with on(date(2025, 9, 22)):
        investment = jeju_investment(company, contract_date=date(2025, 5, 2))
        jeju_investment(
            company, passport="V1234567", nationality="VN", contract_date=date(2025, 7, 1)
        )
        recover(company, investment, date(2025, 8, 1))
        mark_overdue(today=date(2025, 9, 22))
        page = text(as_user(client, officer).get(reverse("office-dashboard")))
    assert page.count("<svg") >= 2 and 'role="img"' in page
    assert '<th scope="row">2025-07</th>' in page  # the charts' data tables
    failing = page[page.index('id="failing-h"') : page.index('id="deadlines-h"')]
    assert company.organisation.name in failing
    assert other_company.organisation.name not in page
    assert reverse("sanction-list") in page


def test_an_officer_records_and_lifts_a_sanction(client, company, officer, other_company):
    with on(date(2025, 9, 22)):
        recover(company, jeju_investment(company), date(2025, 8, 1))
        client = as_user(client, officer)
        page = text(client.get(reverse("sanction-list")))
        assert company.organisation.name in page
        assert other_company.organisation.name not in page  # not routed to Jeju
        response = client.post(
            reverse("sanction-new"),
            {
                "institution": company.organisation.pk,
                "kind": "proxy_restriction",
                "started_on": "2025-09-22",
                "reason": "Two reports overdue.",
            },
        )
        assert response.status_code == 302
        sanction = Sanction.objects.get()
        refused = client.post(
            reverse("sanction-lift", args=[sanction.pk]),
            {f"lift-{sanction.pk}-ended_on": "2025-09-01"},
        )
        assert refused.status_code == 400
        assert "A sanction cannot end before it starts." in text(refused)
        lifted = client.post(
            reverse("sanction-lift", args=[sanction.pk]),
            {f"lift-{sanction.pk}-ended_on": "2025-09-22"},
        )
        assert lifted.status_code == 302
        sanction.refresh_from_db()
        assert sanction.ended_on == date(2025, 9, 22)
        own = text(as_user(client, company).get(reverse("sanction-list")))
        assert "Two reports overdue." in own and reverse("sanction-new") not in own


# --- the F-5 pipeline -------------------------------------------------------------------------


def eligible_client(company, officer, n):
    """Invested 500M in Jeju in 2020 (the first period's minimum), F-2-8 from 2020-04-01:
    eligible for F-5 on 2025-04-01."""
    investment = jeju_investment(
        company,
        name=f"Client {n:02}",
        passport=f"E7{n:07}",
        contract_date=date(2020, 3, 2),
        amount=500 * M,
    )
    ledger.grant_status(
        by=officer, investor=investment.investor, code="F-2-8", granted_on=date(2020, 4, 1)
    )
    return investment


def test_the_pipeline_lists_an_investor_eligible_within_90_days(client, company, officer):
    with on(date(2025, 2, 15)):
        investment = eligible_client(company, officer, 1)
        page = text(as_user(client, officer).get(reverse("f5-pipeline"), {"tab": "90"}))
        soon = text(client.get(reverse("f5-pipeline"), {"tab": "30"}))
    assert "Client 01" in page and "2025-04-01" in page and "F-5-17" in page
    assert reverse("investor-detail", args=[investment.investor_id]) in page
    assert "Client 01" not in soon  # 45 days away


@pytest.mark.parametrize(
    "today, tabs",
    [
        (date(2024, 9, 1), set()),  # 212 days away: beyond the 180-day horizon
        (date(2025, 2, 15), {"90", "180"}),
        (date(2025, 3, 10), {"30", "90", "180"}),
        (date(2025, 4, 1), {"eligible_now"}),  # the eligible day itself
    ],
)
def test_the_pipeline_buckets_count_from_tomorrow(company, officer, today, tabs):
    with on(today):
        eligible_client(company, officer, 1)
        pipeline = build(officer, as_of=today)
    found = {tab for tab in ("30", "90", "180", "eligible_now", "at_risk") if pipeline.tab(tab)}
    assert found == tabs


def test_a_recovery_below_the_minimum_puts_an_investor_at_risk(company, officer):
    # the reason is written in the active language: English here, whatever an earlier test of
    # this worker left active (the portal's default is Korean)
    with on(date(2025, 2, 15)), translation.override("en"):
        investment = eligible_client(company, officer, 1)
        recover(company, investment, date(2025, 2, 3), amount=50 * M)
        pipeline = build(officer, as_of=date(2025, 2, 15))
    [row] = pipeline.at_risk
    assert not row.on_track and row.f2_since == date(2020, 4, 1)
    assert row.why.startswith("Not on track")
    assert pipeline.within(180) == []


def test_the_pipeline_costs_the_same_queries_for_2_and_10_investors(client, company, officer):
    def queries(n):
        with on(date(2025, 2, 15)):
            for k in range(n):
                if not Investor.objects.filter(full_name=f"Client {k:02}").exists():
                    eligible_client(company, officer, k)
            as_user(client, officer).get(reverse("f5-pipeline"))  # the session and caches warm
            with CaptureQueriesContext(connection) as captured:
                response = client.get(reverse("f5-pipeline"))
        assert response.status_code == 200
        assert text(response).count("2025-04-01") == n
        return [q["sql"] for q in captured]

    two, ten = queries(2), queries(10)
    assert len(two) == len(ten), "\n".join(two + ["----"] + ten)


def test_kdb_public_interest_investors_reach_the_sejongno_pipeline(
    client, kdb, officer_sejongno, officer
):
    with on(date(2025, 2, 15)):
        investor = kdb_deposit(kdb, contract_date=date(2020, 1, 10), **IVANOV).investor
        ledger.grant_status(
            by=officer_sejongno, investor=investor, code="F-2-12", granted_on=date(2020, 3, 2)
        )
        sejongno = text(as_user(client, officer_sejongno).get(reverse("f5-pipeline")))
        jeju = text(as_user(client, officer).get(reverse("f5-pipeline")))
    assert "IVANOV Sergei" in sejongno and "2025-03-02" in sejongno
    assert "IVANOV Sergei" not in jeju


def test_the_notices_page_filters_as_the_api_does(client, api, company, jeju_ledger):
    """The page draws the API's NoticeFilter: the same query answers the same notices, and a
    state that is not one is said next to the filters, not a server error."""
    from tests.factories import submitted_notice

    submitted_notice(company, program="tourism", period=date(2025, 1, 1))
    notices.compute_notice(by=company, program="tourism", period=date(2025, 2, 1))
    client.force_login(company)
    for state in ("draft", "submitted"):
        page = client.get(reverse("notice-list"), {"state": state})
        shown = sorted(notice.pk for notice in page.context["page"])
        listed = api.as_user(company).get("/api/v1/monthly-notices/", {"state": state}).json()
        assert shown == sorted(row["id"] for row in listed["results"]) and shown
        assert {notice.state for notice in page.context["page"]} == {state}
    wrong = client.get(reverse("notice-list"), {"state": "lost"})
    assert wrong.status_code == 200
    assert "state" in wrong.context["filter_form"].errors
