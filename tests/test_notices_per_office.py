"""Monthly notices per competent office (issue 8.5).

Seed §6.H: "The sales company must report and provide status updates to the head of the
Immigration Office … that has jurisdiction over the location of the investment facility." A
company with units in Jeju and in Yeosu sends one notice to each office, each counting only
that office's investments; each office sees only the notices addressed to it; each notice is
its own obligation, reminded and recorded on its own. Seed §7.S: KDB reports to the Sejongno
Branch, whatever the investments.

The ledger of company.jeju (its registered office: Jeju), March 2025:

* Jeju (Jeju office): Li Na (CN) contract 2025-02-10, KRW 1,200 M; Wang Fang (CN) contract
  2025-03-03, KRW 1,000 M, granted F-2-8 on 2025-03-25.
* Yeosu Gyeongdo (Yeosu office): Tran Anh (VN) contract 2025-02-20, KRW 1,000 M; Sato Kenji
  (JP) contract 2025-03-05, KRW 1,000 M, KRW 100 M of it recovered on 2025-03-20.

The notices for 2025-03 are due 2025-04-07 (the 5th is a Saturday).
"""

import importlib
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from investments import services as ledger
from portal.models import Office
from reporting import filings, letters, notices, sanctions, sweep
from reporting import services as reporting
from reporting.exports.notice import detail_rows, notice_book
from reporting.models import MonthlyNotice, Obligation
from tests.factories import kdb_deposit, tourism_investment

pytestmark = pytest.mark.django_db

SEOUL = ZoneInfo("Asia/Seoul")
M = 1_000_000
URL = "/api/v1/monthly-notices/"
MARCH = date(2025, 3, 1)
DUE = date(2025, 4, 7)


def at(day):
    return time_machine.travel(datetime(day.year, day.month, day.day, 12, tzinfo=SEOUL), tick=False)


@pytest.fixture
def two_zones(company, hq):
    """company.jeju's units in Jeju and in Yeosu (the module docstring)."""

    def unit(zone, name, passport, nationality, day, number):
        return tourism_investment(
            company, zone=zone, name=name, passport=passport, nationality=nationality,
            contract_date=day, unit_number=number, amount=1_000 * M if zone != "jeju" or
            name != "Li Na" else 1_200 * M,
        )  # fmt: skip

    li = unit("jeju", "Li Na", "E2000001", "CN", date(2025, 2, 10), "A-101")
    wang = unit("jeju", "Wang Fang", "E2000002", "CN", date(2025, 3, 3), "A-102")
    tran = unit("yeosu-gyeongdo", "Tran Anh", "C2000003", "VN", date(2025, 2, 20), "B-201")
    sato = unit("yeosu-gyeongdo", "Sato Kenji", "TK2000004", "JP", date(2025, 3, 5), "B-202")
    ledger.grant_status(by=hq, investor=wang.investor, code="F-2-8", granted_on=date(2025, 3, 25))
    recovery = reporting.record_recovery(
        by=company, investment=sato, recovered_on=date(2025, 3, 20), amount_krw=100 * M,
        reason="contract_cancellation",
    )  # fmt: skip
    return SimpleNamespace(li=li, wang=wang, tran=tran, sato=sato, recovery=recovery)


def drafts(company):
    """company.jeju's March drafts by office code."""
    computed = notices.compute_notices(by=company, program="tourism", period=MARCH)
    return {notice.recipient_office.code: notice for notice in computed}


def add(*figures):
    """The sum of several notices' {new, cumulative} pairs, by flattened name."""
    total = {}
    for flat in map(notices.flatten, figures):
        for name, pair in flat.items():
            sums = total.setdefault(name, {"new": 0, "cumulative": 0})
            sums["new"] += pair["new"]
            sums["cumulative"] += pair["cumulative"]
    return total


# --- one notice per office, with that office's investments --------------------------------------


def test_units_under_two_offices_make_two_drafts_that_add_up_to_the_single_notice(
    two_zones, company
):
    """Seed §6.H: one notice per office with jurisdiction over the facilities' location."""
    by_office = drafts(company)
    assert set(by_office) == {"jeju", "yeosu"}
    jeju, yeosu = by_office["jeju"].figures, by_office["yeosu"].figures
    assert jeju["investments"] == {"new": 1, "cumulative": 2}
    assert yeosu["investments"] == {"new": 1, "cumulative": 2}
    assert jeju["nationality"] == {"CN": {"new": 1, "cumulative": 2}}
    assert set(yeosu["nationality"]) == {"JP", "VN"}
    assert jeju["residence"]["F-2"] == {"new": 1, "cumulative": 1}
    assert yeosu["residence"]["F-2"] == {"new": 0, "cumulative": 0}
    assert jeju["repayments"]["count"] == {"new": 0, "cumulative": 0}
    assert yeosu["repayments"]["amount_krw"] == {"new": 100 * M, "cumulative": 100 * M}
    # the figures of the two offices add up to what the whole company's single notice said
    whole, _ = notices.tally(company.organisation, "tourism", MARCH)
    assert add(jeju, yeosu) == notices.flatten(whole)


def test_the_detail_sheets_list_disjoint_investments(two_zones, company):
    """Seed §6.H: each office's notice lists only the investments under that office."""
    by_office = drafts(company)
    listed = {code: {row[0] for row in detail_rows(n)} for code, n in by_office.items()}
    assert listed["jeju"] == {two_zones.li.pk, two_zones.wang.pk}
    assert listed["yeosu"] == {two_zones.tran.pk, two_zones.sato.pk}
    book = notice_book(by_office["yeosu"])
    assert book.filename == "monthly-notice-2025-03-tourism-yeosu-v1.xlsx"
    assert notice_book(by_office["jeju"]).filename == "monthly-notice-2025-03-tourism-v1.xlsx"


def test_the_recovery_warning_is_on_the_notice_of_its_office_only(two_zones, company):
    """Seed §6.H: a withdrawal report goes to the office of the facility; so does the check."""
    by_office = drafts(company)
    assert [c["code"] for c in by_office["yeosu"].checks] == ["recovery_without_report"]
    assert by_office["jeju"].checks == []
    assert two_zones.recovery.obligation.recipient_office.code == "yeosu"
    report = filings.file_report(by=company, obligation=two_zones.recovery.obligation)
    assert "Yeosu Immigration Office" in letters.render_letter_html(report)
    assert "Jeju Immigration Office" not in letters.render_letter_html(report)


def test_a_company_with_one_office_is_unchanged(company):
    """Seed §6.H: the Jeju-only company sends its one notice to Jeju, as before."""
    tourism_investment(company, contract_date=date(2025, 3, 3))
    notice = notices.compute_notice(by=company, program="tourism", period=MARCH)
    assert notice.recipient_office.code == "jeju"
    with at(date(2025, 4, 3)):
        receipt = notices.submit_notice(by=company, notice=notice, confirm_warnings=True)
    assert receipt["number"] == f"MN-202503-{company.organisation_id:04d}-TR-1"
    assert "office" not in notices.notice_content(MonthlyNotice.objects.get())


def test_kdb_reports_to_sejongno(kdb, officer, officer_sejongno, api):
    """Seed §7.S: "The Korea Development Bank reports to the Head of the Sejongro Branch"."""
    kdb_deposit(kdb, contract_date=date(2025, 3, 4))
    response = api.as_user(kdb).post(
        URL, {"period": "2025-03", "program": "public_interest"}, format="json"
    )
    assert response.status_code == 201, response.data
    assert response.data["office"] == "sejongno"
    assert api.as_user(officer_sejongno).get(f"{URL}{response.data['id']}/").status_code == 200
    assert api.as_user(officer).get(f"{URL}{response.data['id']}/").status_code == 404


# --- the API ------------------------------------------------------------------------------------


def test_the_api_asks_for_the_office_when_there_are_two(two_zones, company, api):
    """Seed §6.H: with units under two offices, a notice is computed for a named office."""
    client = api.as_user(company)
    ambiguous = client.post(URL, {"period": "2025-03", "program": "tourism"}, format="json")
    assert ambiguous.status_code == 400
    assert "Yeosu Immigration Office" in str(ambiguous.data["office"])
    assert not MonthlyNotice.objects.exists()
    for code in ("jeju", "yeosu"):
        body = {"period": "2025-03", "program": "tourism", "office": code}
        response = client.post(URL, body, format="json")
        assert response.status_code == 201, response.data
        assert response.data["office"] == code == response.data["recipient_office"]
    listed = client.get(f"{URL}?period=2025-03").data["results"]
    assert sorted(n["office"] for n in listed) == ["jeju", "yeosu"]
    assert client.get(f"{URL}?office=yeosu").data["count"] == 1
    elsewhere = {"period": "2025-03", "program": "tourism", "office": "busan"}
    assert "office" in client.post(URL, elsewhere, format="json").data


def test_the_jeju_officer_cannot_see_the_yeosu_notice(
    two_zones, company, officer, officer_yeosu, api, client
):
    """Seed §6.H: an office receives only the notices addressed to it; another's is 404."""
    by_office = drafts(company)
    jeju, yeosu = by_office["jeju"], by_office["yeosu"]
    as_jeju = api.as_user(officer)
    assert as_jeju.get(f"{URL}{yeosu.pk}/").status_code == 404
    assert as_jeju.get(f"{URL}{yeosu.pk}/xlsx/").status_code == 404
    assert [n["id"] for n in as_jeju.get(URL).data["results"]] == [jeju.pk]
    as_yeosu = api.as_user(officer_yeosu)
    assert as_yeosu.get(f"{URL}{jeju.pk}/").status_code == 404
    assert [n["id"] for n in as_yeosu.get(URL).data["results"]] == [yeosu.pk]
    client.force_login(officer)
    assert client.get(reverse("notice-detail", args=[yeosu.pk])).status_code == 404
    assert client.get(reverse("notice-detail", args=[jeju.pk])).status_code == 200


# --- obligations, reminders, compliance ---------------------------------------------------------


def test_submitting_one_notice_does_not_satisfy_the_other(
    two_zones, company, officer, officer_yeosu, api
):
    """Seed §6.H: each office is owed its own notice; filing to Jeju leaves Yeosu's overdue."""
    by_office = drafts(company)
    obligations = Obligation.objects.filter(kind="monthly_notice", period=MARCH)
    assert sorted(obligations.values_list("recipient_office__code", flat=True)) == [
        "jeju",
        "yeosu",
    ]
    assert {o.due_on for o in obligations} == {DUE}
    with at(date(2025, 4, 3)):
        answer = api.as_user(company).post(
            f"{URL}{by_office['jeju'].pk}/submit/", {"confirm_warnings": True}, format="json"
        )
        assert answer.status_code == 200, answer.data
    with at(date(2025, 4, 8)):
        states = {
            o["recipient_office"]: o["state"]
            for o in api.as_user(company)
            .get("/api/v1/obligations/?kind=monthly_notice")
            .data["results"]
        }
        assert states == {"jeju": "filed_on_time", "yeosu": "overdue"}
        # each office's compliance record holds only what is owed to it
        yeosu_record = sanctions.compliance_records(Obligation.objects.visible_to(officer_yeosu))
        jeju_record = sanctions.compliance_records(Obligation.objects.visible_to(officer))
    institution = company.organisation_id
    assert yeosu_record[institution].notice_overdue == 1
    assert yeosu_record[institution].notice_on_time == 0
    assert jeju_record[institution].notice_overdue == 0
    assert jeju_record[institution].notice_on_time == 1


def test_the_receipts_of_two_offices_differ(two_zones, company):
    """Seed §6.H: two notices of one month, two receipts; the other office's names it."""
    by_office = drafts(company)
    with at(date(2025, 4, 3)):
        receipts = {
            code: notices.submit_notice(by=company, notice=n, confirm_warnings=True)
            for code, n in by_office.items()
        }
    yeosu = Office.objects.get(code="yeosu")
    prefix = f"MN-202503-{company.organisation_id:04d}-TR-"
    assert receipts["jeju"]["number"] == f"{prefix}1"
    assert receipts["yeosu"]["number"] == f"{prefix}O{yeosu.pk:03d}-1"
    assert receipts["jeju"]["digest"] != receipts["yeosu"]["digest"]
    yeosu_notice = MonthlyNotice.objects.get(recipient_office=yeosu)
    assert notices.notice_content(yeosu_notice)["office"] == "yeosu"


def test_reminders_and_alerts_name_the_office(two_zones, company, officer, officer_yeosu):
    """Seed §6.H: each reminder says to which office its notice goes; each office is alerted
    of its own overdue notice only."""
    company.email = "desk@halla.example"
    company.save()
    officer.email = "officer@jeju.example"
    officer.save()
    officer_yeosu.email = "officer@yeosu.example"
    officer_yeosu.save()
    drafts(company)
    sweep.send_reminders(today=DUE, language="en")
    subjects = sorted(m.subject for m in mail.outbox if "Monthly status notice" in m.subject)
    assert len(subjects) == 2
    assert "to Jeju Immigration Office" in subjects[0] and "Yeosu" not in subjects[0]
    assert "to Yeosu Immigration Office" in subjects[1] and "Jeju" not in subjects[1]
    mail.outbox.clear()
    sweep.alert_overdue(today=date(2025, 4, 8), language="ko")  # nothing recorded overdue yet
    sweep.mark_overdue(today=date(2025, 4, 8))
    sweep.alert_overdue(today=date(2025, 4, 8), language="ko")
    notices_alerts = [m for m in mail.outbox if "월별 현황 통보" in m.subject]
    to = {m.to[0]: m.subject for m in notices_alerts}
    assert set(to) == {"officer@jeju.example", "officer@yeosu.example"}
    assert "여수" in to["officer@yeosu.example"] and "제주" not in to["officer@yeosu.example"]


# --- the monthly job and the data migration -------------------------------------------------------


def test_the_monthly_job_drafts_one_notice_per_office(two_zones, company):
    """Seed §6.H; SPEC §6: on the 1st, a draft for every office an institution reports to."""
    done = notices.compute_month(period=MARCH, institution=company.organisation_id)
    assert done == {"computed": 2, "skipped": 0, "failed": {}}
    offices = MonthlyNotice.objects.filter(period=MARCH).values_list(
        "recipient_office__code", flat=True
    )
    assert sorted(offices) == ["jeju", "yeosu"]
    assert notices.compute_month(period=MARCH, institution=company.organisation_id)["computed"] == 2
    assert MonthlyNotice.objects.filter(period=MARCH).count() == 2


def test_the_migration_flags_a_notice_that_counted_two_offices(two_zones, company, other_company):
    """Seed §6.H: a notice submitted before the split counted another office's investments;
    the migration keeps it and flags it for amendment. One office's notice is left alone."""
    migration = importlib.import_module("reporting.migrations.0006_notices_per_office")
    jeju = drafts(company)["jeju"]
    whole, _ = notices.tally(company.organisation, "tourism", MARCH)
    MonthlyNotice.objects.filter(pk=jeju.pk).update(figures=whole)  # as computed before
    tourism_investment(other_company, zone="incheon-fez", contract_date=date(2025, 3, 3))
    single = notices.compute_notice(by=other_company, program="tourism", period=MARCH)
    with at(date(2025, 4, 3)):
        for notice in (MonthlyNotice.objects.get(pk=jeju.pk), single):
            notice.state, notice.submitted_at = "submitted", datetime(2025, 4, 3, tzinfo=SEOUL)
            notice.save()
    migration.assign_offices(apps, None)
    assert MonthlyNotice.objects.get(pk=jeju.pk).amendment_needed
    assert not MonthlyNotice.objects.get(pk=single.pk).amendment_needed


def test_naming_an_office_owed_nothing_is_refused(two_zones, company):
    with pytest.raises(ValidationError) as refused:
        notices.compute_notice(by=company, program="tourism", period=MARCH, office="busan")
    assert "Jeju Immigration Office, Yeosu Immigration Office" in refused.value.messages[0]


# --- what HQ sees ---------------------------------------------------------------------------------


def test_hq_sees_each_office_owed_its_notice_and_filters_the_list_by_office(
    two_zones, company, hq, client
):
    """Seed §6.H: the overview across offices counts last month's notices per office."""
    today = timezone.localdate()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    notices.compute_notices(by=company, program="tourism", period=last_month)
    client.force_login(hq)
    rows = {row["office"].code: row for row in client.get(reverse("hq-overview")).context["rows"]}
    assert (rows["jeju"]["notices_filed"], rows["jeju"]["notices_owed"]) == (0, 1)
    assert (rows["yeosu"]["notices_filed"], rows["yeosu"]["notices_owed"]) == (0, 1)
    page = client.get(reverse("notice-list"), {"office": "yeosu"})
    assert {n.recipient_office.code for n in page.context["page"]} == {"yeosu"}
    offices = page.context["filter_form"].fields["office"].widget.choices
    # "" is "All"; then the offices in the page's (Korean) alphabetical order: 여수 before 제주
    assert [code for code, _label in offices] == ["", "yeosu", "jeju"]


def test_the_company_dashboard_lists_a_notice_per_office(two_zones, company, client):
    """Seed §6.H: the company sees last month's notice to each of its offices."""
    today = timezone.localdate()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    notices.compute_notices(by=company, program="tourism", period=last_month)
    client.force_login(company)
    rows = client.get(reverse("institution-dashboard")).context["notices"]
    offices = [row["office"].code for row in rows if row["period"] == last_month]
    assert offices == ["jeju", "yeosu"]
