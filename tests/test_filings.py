"""Filing withdrawal reports (SPEC §5.1; seed §6.H, §7.F): the SPEC example recovery of
2025-09-19 is due at the Jeju office on 2025-10-10; filed that day it is on time, filed on the
13th it is late. Filed versions never change; amendments add versions; a recovery not in the
ledger enters it when reported; officers of the recipient office review.

Ledgers are built through the service functions, with the clock set so that "not in the
future" checks hold.
"""

import hashlib
import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from investments.models import Investor, Recovery
from portal.models import Office, Organisation, User
from reporting import filings
from reporting.models import Obligation, ReportReview, WithdrawalReport
from tests import factories
from tests.factories import notice_obligation, on, recovered


def jeju_investment(company):
    return factories.jeju_investment(
        company,
        payments=[
            (date(2024, 3, 4), 100_000_000, "down"),
            (date(2024, 6, 3), 900_000_000, "final"),
        ],
    )


pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    """These tests read the services' English messages; the portal defaults to Korean."""
    settings.LANGUAGE_CODE = "en"


RECOVERED_ON = date(2025, 9, 19)
DUE_ON = date(2025, 10, 10)  # SPEC R5: 14 days, past Chuseok and Hangul Day


@pytest.fixture
def investment(company):
    with on(date(2025, 9, 22)):
        return jeju_investment(company)


@pytest.fixture
def obligation(company, investment):
    """The SPEC example: KRW 200,000,000 recovered on 2025-09-19, recorded on the 22nd."""
    with on(date(2025, 9, 22)):
        recovery = recovered(company, RECOVERED_ON, investment=investment)
    return Obligation.objects.get(recovery=recovery)


@pytest.fixture
def report(company, obligation):
    with on(DUE_ON):
        return filings.file_report(by=company, obligation=obligation, remarks="Sold to a local.")


def digest(report):
    canonical = json.dumps(
        {"content": report.content, "remarks": report.remarks, "version": report.version},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


# --- filing -----------------------------------------------------------------------------------


def test_the_spec_example_is_due_on_10_october_at_the_jeju_office(obligation):
    assert obligation.due_on == DUE_ON
    assert obligation.recipient_office.code == "jeju"
    assert obligation.state == "due"


@pytest.mark.parametrize(
    "filing_day, state",
    [
        (date(2025, 9, 22), "filed_on_time"),
        (DUE_ON, "filed_on_time"),  # the due day itself
        (date(2025, 10, 13), "filed_late"),  # the next working day is too late
    ],
    ids=["early", "on-the-due-day", "late"],
)
def test_filing_closes_the_obligation_on_time_or_late(company, obligation, filing_day, state):
    with on(filing_day):
        report = filings.file_report(by=company, obligation=obligation)
    obligation.refresh_from_db()
    assert (obligation.state, obligation.filed_on) == (state, filing_day)
    assert (report.version, report.filed_on, report.filed_by) == (1, filing_day, company)


def test_an_overdue_obligation_filed_at_last_is_filed_late(company, obligation):
    Obligation.objects.filter(pk=obligation.pk).update(state="overdue")
    with on(date(2025, 10, 20)):
        filings.file_report(by=company, obligation=obligation)
    obligation.refresh_from_db()
    assert obligation.state == "filed_late"


def test_a_letter_sent_on_paper_earlier_is_recorded_with_its_own_date(company, obligation):
    with on(date(2025, 10, 15)):
        filings.file_report(by=company, obligation=obligation, filed_on=DUE_ON)
    obligation.refresh_from_db()
    assert (obligation.state, obligation.filed_on) == ("filed_on_time", DUE_ON)


@pytest.mark.parametrize(
    "filed_on, message",
    [(date(2025, 10, 11), "future"), (date(2025, 9, 18), "before the recovery")],
)
def test_a_filing_date_in_the_future_or_before_the_recovery_is_refused(
    company, obligation, filed_on, message
):
    with on(DUE_ON), pytest.raises(ValidationError, match=message) as refused:
        filings.file_report(by=company, obligation=obligation, filed_on=filed_on)
    assert "filed_on" in refused.value.message_dict
    assert not WithdrawalReport.objects.exists()
    obligation.refresh_from_db()
    assert obligation.state == "due"


def test_the_filing_is_in_the_obligations_audit_history(company, report):
    entry = report.obligation.history.order_by("-history_date", "-history_id").first()
    assert (entry.state, entry.filed_on, entry.history_user) == ("filed_on_time", DUE_ON, company)
    assert entry.history_change_reason == "file_report"


def test_filing_twice_is_refused_and_points_to_amendment(company, report):
    with on(DUE_ON), pytest.raises(ValidationError, match="amend"):
        filings.file_report(by=company, obligation=report.obligation)
    assert WithdrawalReport.objects.count() == 1


def test_a_concurrent_second_filing_loses_to_the_guarded_update(company, obligation):
    """Another request closed the obligation after this caller read it."""
    stale = Obligation.objects.get(pk=obligation.pk)
    Obligation.objects.filter(pk=obligation.pk).update(state="filed_on_time", filed_on=DUE_ON)
    with on(DUE_ON), pytest.raises(ValidationError, match="already been filed"):
        filings.file_report(by=company, obligation=stale)
    assert not WithdrawalReport.objects.exists()


# --- who may file -----------------------------------------------------------------------------


def test_another_organisations_obligation_is_not_found(other_company, obligation):
    with on(DUE_ON), pytest.raises(ValidationError) as refused:
        filings.file_report(by=other_company, obligation=obligation)
    assert refused.value.message_dict == {"obligation": ["Not found among your reporting duties."]}
    assert not WithdrawalReport.objects.exists()


@pytest.mark.parametrize("persona", ["officer", "hq"])
def test_officers_and_hq_do_not_file(request, obligation, persona):
    with on(DUE_ON), pytest.raises(PermissionDenied):
        filings.file_report(by=request.getfixturevalue(persona), obligation=obligation)


def test_a_monthly_notice_obligation_is_not_a_withdrawal_report(company, obligation):
    notice = notice_obligation(
        company,
        period=date(2025, 9, 1),
        due_on=date(2025, 10, 10),
        office=obligation.recipient_office,
    )
    with on(DUE_ON), pytest.raises(ValidationError, match="monthly status notice"):
        filings.file_report(by=company, obligation=notice)


# --- contents and immutability ----------------------------------------------------------------


def test_the_letter_contents_follow_seed_6h(report, obligation, investment, company):
    assert report.content == {
        "obligation": {"id": obligation.pk, "due_on": "2025-10-10"},
        "program": "tourism",
        "investor": {
            "kind": "person",
            "nationality": "CN",
            "full_name": "ZHANG Wei",
            "date_of_birth": "1975-05-01",
        },
        "investment": {
            "id": investment.pk,
            "property_name": "Halla Resort",
            "unit_number": "A-1203",
            "project_name": "",
            "contract_date": "2024-03-04",
            "contract_amount_krw": 1_000_000_000,
            "paid_krw": 1_000_000_000,
        },
        "recovery": {
            "id": obligation.recovery_id,
            "recovered_on": "2025-09-19",
            "amount_krw": 200_000_000,
            "reason": "sale",
            "is_full": False,
            "recovered_to_date_krw": 200_000_000,
        },
        "institution": {
            "id": company.organisation_id,
            "name": "Halla Resort Development Co., Ltd.",
            "representative": "Kim Minjun",
        },
        "recipient_office": {
            "code": "jeju",
            "name": "Jeju Immigration Office",
            "name_ko": "제주출입국·외국인청",
        },
    }
    assert "E12345678" not in json.dumps(report.content)


def test_the_digest_is_sha256_of_the_canonical_contents(report):
    report.refresh_from_db()
    assert report.digest == digest(report)
    assert len(report.digest) == 64


def test_a_filed_report_cannot_be_saved_again(report):
    report.remarks = "Changed afterwards"
    with pytest.raises(ValueError, match="cannot be changed"):
        report.save()
    report.refresh_from_db()
    assert report.remarks == "Sold to a local."


def test_an_amendment_is_a_new_version_and_keeps_the_first_intact(company, report):
    first = {"content": report.content, "digest": report.digest, "remarks": report.remarks}
    investor = report.obligation.recovery.investment.investor
    Investor.objects.filter(pk=investor.pk).update(full_name="ZHANG Wei (張偉)")
    with on(date(2025, 10, 14)):
        amended = filings.amend_report(by=company, report=report, remarks="Name corrected.")

    assert (amended.version, amended.filed_on) == (2, date(2025, 10, 14))
    assert amended.content["investor"]["full_name"] == "ZHANG Wei (張偉)"
    assert amended.digest == digest(amended) != first["digest"]
    report.refresh_from_db()
    assert {"content": report.content, "digest": report.digest, "remarks": report.remarks} == first
    obligation = Obligation.objects.get(pk=report.obligation_id)
    assert (obligation.state, obligation.filed_on) == ("filed_on_time", DUE_ON)


def test_amending_an_older_version_adds_the_next_version(company, report):
    with on(date(2025, 10, 14)):
        filings.amend_report(by=company, report=report, remarks="Second thoughts.")
        third = filings.amend_report(by=company, report=report, remarks="Third thoughts.")
    assert third.version == 3
    assert list(report.obligation.reports.values_list("version", flat=True)) == [1, 2, 3]


def test_an_amendment_that_changes_nothing_is_refused(company, report):
    with on(date(2025, 10, 14)), pytest.raises(ValidationError, match="Nothing changed"):
        filings.amend_report(by=company, report=report, remarks="  Sold to a local. ")
    assert WithdrawalReport.objects.count() == 1


def test_another_organisation_cannot_amend(other_company, report):
    with on(date(2025, 10, 14)), pytest.raises(ValidationError) as refused:
        filings.amend_report(by=other_company, report=report, remarks="Not mine.")
    assert "report" in refused.value.message_dict


# --- a recovery not yet in the ledger ---------------------------------------------------------


def test_an_unledgered_recovery_enters_the_ledger_and_is_reported_at_once(company, investment):
    with on(DUE_ON):
        report = filings.file_unledgered_recovery(
            by=company,
            investment=investment,
            recovered_on=RECOVERED_ON,
            amount_krw=1_000_000_000,
            reason="contract_cancellation",
            remarks="Reported from the paper file.",
        )
    recovery = Recovery.objects.get()
    assert (recovery.amount_krw, recovery.is_full) == (1_000_000_000, True)
    obligation = Obligation.objects.get(recovery=recovery)
    assert (obligation.due_on, obligation.state) == (DUE_ON, "filed_on_time")
    assert report.obligation == obligation
    assert report.content["recovery"]["is_full"] is True
    assert report.remarks == "Reported from the paper file."


@pytest.mark.parametrize(
    "change, field",
    [
        ({"amount_krw": 1_000_000_001}, "amount_krw"),  # more than was paid
        ({"recovered_on": date(2025, 10, 11)}, "recovered_on"),  # in the future
        ({"reason": "early_repayment"}, "reason"),  # not a tourism reason
    ],
    ids=["above-paid", "future", "wrong-reason"],
)
def test_a_refused_unledgered_recovery_saves_nothing(company, investment, change, field):
    counts = (Recovery.objects.count(), Obligation.objects.count())
    recovery = {
        "investment": investment,
        "recovered_on": RECOVERED_ON,
        "amount_krw": 200_000_000,
        "reason": "sale",
    }
    with on(DUE_ON), pytest.raises(ValidationError) as refused:
        filings.file_unledgered_recovery(by=company, **(recovery | change))
    assert field in refused.value.message_dict
    assert (Recovery.objects.count(), Obligation.objects.count()) == counts
    assert not WithdrawalReport.objects.exists()


def test_another_organisations_investment_cannot_be_reported(other_company, investment):
    with on(DUE_ON), pytest.raises(ValidationError) as refused:
        filings.file_unledgered_recovery(
            by=other_company,
            investment=investment,
            recovered_on=RECOVERED_ON,
            amount_krw=1,
            reason="sale",
        )
    assert "investment" in refused.value.message_dict
    assert not Recovery.objects.exists()


# --- review -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, outcome",
    [
        ("officer", "acknowledged"),  # the recipient office
        ("hq", "acknowledged"),
        ("officer_sejongno", ValidationError),  # not routed to Sejongno: "not found"
        ("company", PermissionDenied),
        ("other_company", PermissionDenied),
        ("kdb", PermissionDenied),
    ],
)
def test_only_the_recipient_office_and_hq_review(request, report, persona, outcome):
    reviewer = request.getfixturevalue(persona)
    if isinstance(outcome, str):
        review = filings.review_report(by=reviewer, report=report, decision="acknowledged")
        assert (review.state, review.reviewed_by, review.report) == (outcome, reviewer, report)
    else:
        with pytest.raises(outcome):
            filings.review_report(by=reviewer, report=report, decision="acknowledged")
        assert not ReportReview.objects.exists()


def test_an_officer_of_the_parent_office_reviews_its_branchs_reports(report):
    """A report routed to the Sejongno Branch is reviewed by the Seoul Immigration Office."""
    seoul = Office.objects.get(code="seoul")
    organisation = Organisation.objects.create(
        name="Seoul Immigration Office", kind="immigration_office", office=seoul
    )
    seoul_officer = User.objects.create(username="officer.seoul", organisation=organisation)
    Obligation.objects.filter(pk=report.obligation_id).update(
        recipient_office=Office.objects.get(code="sejongno", parent=seoul)
    )
    report = WithdrawalReport.objects.get(pk=report.pk)
    review = filings.review_report(by=seoul_officer, report=report, decision="acknowledged")
    assert review.state == "acknowledged"


@pytest.mark.parametrize(
    "decision, note, field",
    [("returned", "", "note"), ("submitted", "", "decision"), ("rejected", "x", "decision")],
)
def test_a_review_needs_a_decision_and_a_return_needs_a_note(
    officer, report, decision, note, field
):
    with pytest.raises(ValidationError) as refused:
        filings.review_report(by=officer, report=report, decision=decision, note=note)
    assert field in refused.value.message_dict


def test_a_returned_report_is_amended_and_the_amendment_reviewed(company, officer, report):
    returned = filings.review_report(
        by=officer, report=report, decision="returned", note="Give the buyer's name."
    )
    assert returned.note == "Give the buyer's name."
    with on(date(2025, 10, 14)):
        amended = filings.amend_report(by=company, report=report, remarks="Buyer: KIM Ha-eun.")
    with pytest.raises(ValidationError, match="review the latest version"):
        filings.review_report(by=officer, report=report, decision="acknowledged")
    review = filings.review_report(by=officer, report=amended, decision="acknowledged")
    assert review.report == amended
