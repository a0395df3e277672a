"""The monthly status notice (SPEC §5.2): figures computed from a hand-built ledger, the
reconciliation checks, submission with its receipt, the obligation it files, amendments, and
who may do what.

The ledger of company.jeju (tourism, zone jeju), built through the service functions:

* Wang Fang (CN), contract 2025-01-10; pays 100M on 01-10, 400M on 02-14, 500M on 03-20;
  granted F-1 on 02-20 and F-2-8 on 04-01.
* Sato Kenji (JP), contract 2025-02-05; pays 100M on 02-05; the contract is cancelled and the
  100M recovered on 03-10 (its withdrawal report is due, not filed).
* Li Na (CN), contract 2025-03-03; pays 1,200M on 03-03; granted F-2-8 on 03-25.
"""

import hashlib
import json
from datetime import date, datetime, timedelta
from io import StringIO
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from investments import services as ledger
from investments.models import Investment, Program, Zone
from portal.models import Organisation
from reporting import notices
from reporting.models import MonthlyNotice, Obligation
from reporting.services import notice_deadline
from tests.factories import recovered, tourism_investment

pytestmark = pytest.mark.django_db

SEOUL = ZoneInfo("Asia/Seoul")
M = 1_000_000


def at(day, hour=12):
    """Travel to ``day`` at noon in Seoul, the clock stopped."""
    return time_machine.travel(
        datetime(day.year, day.month, day.day, hour, tzinfo=SEOUL), tick=False
    )


def sold(company, *, unit, **fields):
    """A Jeju unit sold to a new client, not paid yet."""
    return tourism_investment(
        company, unit_number=unit, date_of_birth=date(1970, 1, 1), payments=(), **fields
    )


@pytest.fixture
def book(company, officer):
    """company.jeju's ledger of the module docstring."""
    wang = sold(
        company, name="Wang Fang", nationality="CN", passport="E1000001",
        contract_date=date(2025, 1, 10), amount=1_000 * M, unit="A-101",
    )  # fmt: skip
    sato = sold(
        company, name="Sato Kenji", nationality="JP", passport="TK1000002",
        contract_date=date(2025, 2, 5), amount=1_000 * M, unit="A-102",
    )  # fmt: skip
    li = sold(
        company, name="Li Na", nationality="CN", passport="E1000003",
        contract_date=date(2025, 3, 3), amount=1_200 * M, unit="A-103",
    )  # fmt: skip
    for investment, day, amount, kind in [
        (wang, date(2025, 1, 10), 100 * M, "down"),
        (wang, date(2025, 2, 14), 400 * M, "intermediate"),
        (wang, date(2025, 3, 20), 500 * M, "final"),
        (sato, date(2025, 2, 5), 100 * M, "down"),
        (li, date(2025, 3, 3), 1_200 * M, "final"),
    ]:
        ledger.record_payment(
            by=company, investment=investment, paid_on=day, amount_krw=amount, kind=kind
        )
    recovery = recovered(
        company,
        date(2025, 3, 10),
        investment=sato,
        amount_krw=100 * M,
        reason="contract_cancellation",
    )
    for investment, code, day in [
        (wang, "F-1", date(2025, 2, 20)),
        (li, "F-2-8", date(2025, 3, 25)),
        (wang, "F-2-8", date(2025, 4, 1)),
    ]:
        ledger.grant_status(by=officer, investor=investment.investor, code=code, granted_on=day)
    return SimpleNamespace(wang=wang, sato=sato, li=li, recovery=recovery)


def pair(new, cumulative):
    return {"new": new, "cumulative": cumulative}


EXPECTED = {
    "2025-01": {
        "investments": pair(1, 1),
        "amount_krw": pair(100 * M, 100 * M),
        "residence": {"F-1": pair(0, 0), "F-2": pair(0, 0), "F-5": pair(0, 0)},
        "nationality": {"CN": pair(1, 1)},
        "repayments": {"count": pair(0, 0), "amount_krw": pair(0, 0)},
    },
    "2025-02": {
        "investments": pair(1, 2),
        "amount_krw": pair(500 * M, 600 * M),
        "residence": {"F-1": pair(1, 1), "F-2": pair(0, 0), "F-5": pair(0, 0)},
        "nationality": {"CN": pair(0, 1), "JP": pair(1, 1)},
        "repayments": {"count": pair(0, 0), "amount_krw": pair(0, 0)},
    },
    "2025-03": {  # Sato's contract is cancelled and refunded: still counted, payments gross
        "investments": pair(1, 3),
        "amount_krw": pair(1_700 * M, 2_300 * M),
        "residence": {"F-1": pair(0, 1), "F-2": pair(1, 1), "F-5": pair(0, 0)},
        "nationality": {"CN": pair(1, 2), "JP": pair(0, 1)},
        "repayments": {"count": pair(1, 1), "amount_krw": pair(100 * M, 100 * M)},
    },
    "2025-04": {
        "investments": pair(0, 3),
        "amount_krw": pair(0, 2_300 * M),
        "residence": {"F-1": pair(0, 1), "F-2": pair(1, 2), "F-5": pair(0, 0)},
        "nationality": {"CN": pair(0, 2), "JP": pair(0, 1)},
        "repayments": {"count": pair(0, 1), "amount_krw": pair(0, 100 * M)},
    },
}


def compute(user, month, program="tourism"):
    return notices.compute_notice(by=user, program=program, period=notices.parse_month(month))


def codes(notice, level=None):
    return [c["code"] for c in notice.checks if level in (None, c["level"])]


# --- figures ----------------------------------------------------------------------------------


@pytest.mark.parametrize("month", list(EXPECTED))
def test_figures_of_each_month_from_the_ledger(book, company, month):
    notice = compute(company, month)
    assert notice.figures == EXPECTED[month]
    assert notice.state == "draft" and notice.version == 1


def test_another_institutions_ledger_does_not_count(book, company, incheon_ledger, kdb_ledger):
    assert compute(company, "2025-03").figures == EXPECTED["2025-03"]


def test_continuity_holds_across_consecutive_months(book, company):
    previous = None
    for month in ["2024-12", *EXPECTED, "2025-05"]:
        notice = compute(company, month)
        assert codes(notice, "error") == []
        if previous is not None:
            for name, figure in notices.flatten(notice.figures).items():
                before = notices.flatten(previous.figures).get(name, pair(0, 0))["cumulative"]
                assert figure["cumulative"] == before + figure["new"], name
        previous = notice


def test_residence_counts_each_person_once_from_grant_and_contract(book, company, officer):
    # A renewal of F-2 is not a new F-2 resident; a person granted F-2 elsewhere before
    # contracting here enters the column in the month of the contract.
    ledger.grant_status(
        by=officer, investor=book.li.investor, code="F-2-8", granted_on=date(2025, 4, 15)
    )
    late = sold(
        company, name="Chen Jie", nationality="CN", passport="E1000004",
        contract_date=date(2025, 5, 6), amount=1_000 * M, unit="A-104",
    )  # fmt: skip
    ledger.grant_status(
        by=officer, investor=late.investor, code="F-5-17", granted_on=date(2025, 1, 2)
    )
    assert compute(company, "2025-04").figures["residence"]["F-2"] == pair(1, 2)
    may = compute(company, "2025-05")
    assert may.figures["residence"] == {"F-1": pair(0, 1), "F-2": pair(0, 2), "F-5": pair(1, 1)}
    assert codes(may, "error") == []


def test_figures_take_one_query_per_figure_whatever_the_ledger_size(
    book, company, django_assert_num_queries
):
    # the residence columns are read once by whoever computes notices, and passed in
    columns = notices.residence_columns()
    with django_assert_num_queries(4):  # payments, recoveries, investments by nationality, grants
        notices.tally(company.organisation, "tourism", date(2025, 3, 1), columns=columns)
    for i in range(5):
        investment = sold(
            company, name=f"Client {i}", nationality="US", passport=f"US100{i:03d}",
            contract_date=date(2025, 3, 3), amount=1_000 * M, unit=f"B-{i}",
        )  # fmt: skip
        ledger.record_payment(
            by=company, investment=investment, paid_on=date(2025, 3, 3), amount_krw=100 * M,
            kind="down",
        )  # fmt: skip
    with django_assert_num_queries(4):
        figures, _ = notices.tally(
            company.organisation, "tourism", date(2025, 3, 1), columns=columns
        )
    assert figures["investments"] == pair(6, 8)


def test_kdb_notice_lists_the_months_early_repayments(kdb, kdb_ledger):
    notice = compute(kdb, "2025-01", program="public_interest")
    assert notice.figures["residence"] == {"C-3": pair(0, 0), "F-2": pair(0, 1), "F-5": pair(0, 0)}
    assert notice.figures["repayments"] == {
        "count": pair(1, 1),
        "amount_krw": pair(100 * M, 100 * M),
        "details": [
            {
                "date": "2025-01-15",
                "investor": "Nguyen Van An",
                "amount_krw": 100 * M,
                "reason": "early_repayment",
            }
        ],
    }
    assert notice.recipient_office.code == "sejongno"


# --- the obligation ---------------------------------------------------------------------------


def test_computing_opens_the_monthly_notice_obligation(book, company):
    notice = compute(company, "2025-03")
    obligation = notice.obligation
    assert (obligation.kind, obligation.period, obligation.state) == (
        "monthly_notice",
        date(2025, 3, 1),
        "due",
    )
    assert obligation.recipient_office.code == "jeju" == notice.recipient_office.code
    program = Program.objects.get(code="tourism")
    assert obligation.due_on == notice_deadline(program, date(2025, 3, 1)).due_on
    compute(company, "2025-03")  # refreshing reuses both the draft and the obligation
    assert MonthlyNotice.objects.filter(period=date(2025, 3, 1)).count() == 1
    assert Obligation.objects.filter(kind="monthly_notice").count() == 1


def test_a_tourism_notice_goes_to_the_office_of_each_zone_with_units(company, officer):
    """Seed §6.H: the notice goes to the office with jurisdiction over the facility's location,
    so units under two offices make two notices (tests/test_notices_per_office.py has more)."""
    incheon = Zone.objects.get(code="incheon-fez")
    for i in range(2):
        investor = ledger.register_investor(
            by=company, full_name=f"Kim {i}", nationality="US",
            passport_number=f"56000000{i}", date_of_birth=date(1970, 1, 1),
        )  # fmt: skip
        ledger.record_investment(
            by=company, investor=investor, program="tourism", zone=incheon,
            investor_class="registered_owner", property_name="Songdo Tower",
            unit_number=f"{i}01", facility_type=incheon.facility_types.first(),
            contract_date=date(2025, 6, 2), contract_amount_krw=1_000 * M,
        )  # fmt: skip
    sold(
        company, name="Wang Fang", nationality="CN", passport="E1000001",
        contract_date=date(2025, 6, 3), amount=1_000 * M, unit="A-101",
    )  # fmt: skip
    with pytest.raises(ValidationError) as ambiguous:
        compute(company, "2025-06")
    assert "Incheon Immigration Office" in ambiguous.value.message_dict["office"][0]
    drafts = notices.compute_notices(by=company, program="tourism", period=date(2025, 6, 1))
    counted = {n.recipient_office.code: n.figures["investments"]["cumulative"] for n in drafts}
    assert counted == {incheon.office.code: 2, "jeju": 1}


# --- checks -----------------------------------------------------------------------------------


def test_checks_catch_a_broken_continuity_and_breakdown(book, company):
    figures, before = notices.tally(company.organisation, "tourism", date(2025, 3, 1))
    figures["nationality"]["CN"]["cumulative"] += 1
    before["investments"] -= 1
    checks = notices.reconcile(company.organisation, "tourism", date(2025, 3, 1), figures, before)
    found = {(c["code"], c["level"]) for c in checks}
    assert found == {
        ("cumulative_continuity", "error"),
        ("breakdown_totals", "error"),
        ("recovery_without_report", "warning"),
    }
    texts = [c["text"] for c in checks if c["code"] == "cumulative_continuity"]
    assert len(texts) == 2 and any(t.startswith("investments:") for t in texts)
    assert any(t.startswith("nationality CN:") for t in texts)


def test_a_recovery_without_a_filed_report_is_a_warning(book, company):
    march = compute(company, "2025-03")
    (warning,) = [c for c in march.checks if c["code"] == "recovery_without_report"]
    assert warning["level"] == "warning"
    assert "Sato Kenji" in warning["text"] and "2025-03-10" in warning["text"]
    Obligation.objects.filter(recovery=book.recovery).update(
        state="filed_on_time", filed_on=date(2025, 3, 17)
    )
    assert codes(compute(company, "2025-03")) == []


def test_submit_needs_the_warnings_confirmed(book, company):
    notice = compute(company, "2025-03")
    with at(date(2025, 4, 3)):
        with pytest.raises(ValidationError) as refused:
            notices.submit_notice(by=company, notice=notice)
        assert "confirm_warnings" in refused.value.message_dict
        assert any("Sato Kenji" in m for m in refused.value.message_dict["confirm_warnings"])
        notice.refresh_from_db()
        assert notice.state == "draft"
        receipt = notices.submit_notice(by=company, notice=notice, confirm_warnings=True)
    notice.refresh_from_db()
    assert notice.state == "submitted" and notice.warnings_confirmed
    assert receipt["number"] == notice.receipt_number


def test_error_level_checks_block_submission(book, company, monkeypatch):
    notice = compute(company, "2025-02")
    broken = {"code": "breakdown_totals", "level": "error", "text": "does not add up"}
    monkeypatch.setattr(notices.services, "reconcile", lambda *args: [broken])
    with at(date(2025, 3, 4)), pytest.raises(ValidationError) as refused:
        notices.submit_notice(by=company, notice=notice, confirm_warnings=True)
    assert refused.value.message_dict == {"checks": ["does not add up"]}
    notice.refresh_from_db()
    assert notice.state == "draft" and not notice.receipt_number


def test_submit_refuses_when_the_ledger_changed_since_the_draft(book, company):
    notice = compute(company, "2025-03")
    ledger.record_payment(
        by=company, investment=book.li, paid_on=date(2025, 3, 31), amount_krw=5 * M,
        kind="final",
    )  # fmt: skip
    with at(date(2025, 4, 3)):
        with pytest.raises(ValidationError) as refused:
            notices.submit_notice(by=company, notice=notice, confirm_warnings=True)
        (error,) = refused.value.error_dict["figures"]
        assert error.code == "ledger_changed" and "amount_krw" in error.message
        notice = compute(company, "2025-03")
        assert notice.figures["amount_krw"] == pair(1_705 * M, 2_305 * M)
        notices.submit_notice(by=company, notice=notice, confirm_warnings=True)


def test_a_month_is_submitted_only_once_it_is_over(book, company):
    notice = compute(company, "2025-03")
    with at(date(2025, 3, 31)), pytest.raises(ValidationError) as refused:
        notices.submit_notice(by=company, notice=notice, confirm_warnings=True)
    assert "period" in refused.value.message_dict


# --- receipt, filing, amendment ---------------------------------------------------------------


def test_receipt_digest_is_sha256_of_the_canonical_content(book, company):
    notice = notices.set_remarks(by=company, notice=compute(company, "2025-02"), remarks="비고 ok")
    with at(date(2025, 3, 4)):
        receipt = notices.submit_notice(by=company, notice=notice)
    content = {
        "institution": company.organisation_id,
        "program": "tourism",
        "period": "2025-02",
        "version": 1,
        "figures": EXPECTED["2025-02"],
        "remarks": "비고 ok",
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"))
    assert receipt["digest"] == hashlib.sha256(canonical.encode()).hexdigest()
    assert receipt["number"] == f"MN-202502-{company.organisation_id:04d}-TR-1"
    assert receipt["submitted_at"] == datetime(2025, 3, 4, 12, tzinfo=SEOUL)


def due_on(month):
    return notice_deadline(Program.objects.get(code="tourism"), notices.parse_month(month)).due_on


@pytest.mark.parametrize(
    ("days_after_due", "state"), [(-3, "filed_on_time"), (0, "filed_on_time"), (1, "filed_late")]
)
def test_submission_files_the_obligation_on_time_or_late(book, company, days_after_due, state):
    notice = compute(company, "2025-02")
    filed_on = due_on("2025-02") + timedelta(days=days_after_due)
    with at(filed_on):
        notices.submit_notice(by=company, notice=notice)
    obligation = Obligation.objects.get(pk=notice.obligation_id)
    assert (obligation.state, obligation.filed_on) == (state, filed_on)


def test_an_amendment_is_a_new_version_that_supersedes_the_submitted_one(book, company):
    first = compute(company, "2025-02")
    with at(date(2025, 3, 4)):
        notices.submit_notice(by=company, notice=first)
    first.refresh_from_db()
    with pytest.raises(ValidationError):
        notices.set_remarks(by=company, notice=first, remarks="changed")
    ledger.record_payment(
        by=company, investment=book.sato, paid_on=date(2025, 2, 27), amount_krw=50 * M,
        kind="intermediate",
    )  # fmt: skip
    march = compute(company, "2025-03")
    assert "previous_notice_differs" in codes(march, "warning")
    assert any(c["text"].startswith("amount_krw:") for c in march.checks)

    second = notices.amend_notice(by=company, notice=first)
    assert (second.version, second.state) == (2, "draft")
    assert second.figures["amount_krw"] == pair(550 * M, 650 * M)
    with at(date(2025, 3, 20)):
        receipt = notices.submit_notice(by=company, notice=second)
    first.refresh_from_db()
    assert first.state == "superseded" and first.figures == EXPECTED["2025-02"]
    assert receipt["number"].endswith("-TR-2") and receipt["digest"] != first.digest
    obligation = Obligation.objects.get(pk=first.obligation_id)
    assert obligation.filed_on == date(2025, 3, 4)  # the first filing stands
    assert "previous_notice_differs" not in codes(compute(company, "2025-03"))


def test_computing_after_submission_starts_the_amendment_draft(book, company):
    with at(date(2025, 3, 4)):
        notices.submit_notice(by=company, notice=compute(company, "2025-02"))
    draft = compute(company, "2025-02")
    assert (draft.version, draft.state) == (2, "draft")


# --- who may do what --------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["officer", "hq"])
def test_only_institutions_compute(request, book, who):
    with pytest.raises(PermissionDenied):
        compute(request.getfixturevalue(who), "2025-03")


def test_an_institution_acts_only_on_its_own_notice(book, company, other_company):
    notice = compute(company, "2025-02")
    with pytest.raises(PermissionDenied):
        notices.compute_notice(
            by=other_company, institution=company.organisation, program="tourism",
            period=date(2025, 2, 1),
        )  # fmt: skip
    for verb, extra in [
        (notices.submit_notice, {}),
        (notices.set_remarks, {"remarks": "x"}),
        (notices.amend_notice, {}),
    ]:
        with pytest.raises(PermissionDenied):
            verb(by=other_company, notice=notice, **extra)


@pytest.mark.parametrize(
    ("program", "month", "field"),
    [
        ("tourism", "2099-01", "period"),
        ("lottery", "2025-01", "program"),
        ("public_interest", "2025-01", "program"),  # a sales company has no such ledger
    ],
)
def test_bad_requests_are_refused(company, program, month, field):
    with pytest.raises(ValidationError) as refused:
        compute(company, month, program=program)
    assert field in refused.value.message_dict


@pytest.mark.parametrize("text", ["2025-1", "2025-13", "25-01", "2025-01-01", "", "abcd-ef"])
def test_malformed_months_are_refused(text):
    with pytest.raises(ValidationError):
        notices.parse_month(text)


# --- the scheduled job ------------------------------------------------------------------------


def test_compute_notices_command_drafts_every_institution_and_is_rerunnable(
    book, company, kdb, capsys
):
    call_command("compute_notices", "--month", "2025-03")
    drafts = MonthlyNotice.objects.filter(period=date(2025, 3, 1))
    owners = {(n.institution.name, n.program) for n in drafts}
    assert (company.organisation.name, "tourism") in owners
    assert (kdb.organisation.name, "public_interest") in owners
    assert drafts.get(institution=company.organisation).figures == EXPECTED["2025-03"]
    count = drafts.count()
    call_command("compute_notices", "--month", "2025-03")
    assert drafts.count() == count
    with at(date(2025, 4, 3)):
        notices.submit_notice(
            by=company, notice=drafts.get(institution=company.organisation),
            confirm_warnings=True,
        )  # fmt: skip
    capsys.readouterr()
    call_command("compute_notices", "--month", "2025-03", "--program", "tourism")
    assert "1 skipped" in capsys.readouterr().out
    assert not drafts.filter(institution=company.organisation, state="draft").exists()


def test_scheduled_job_without_a_user_names_the_institution(book, company):
    notice = notices.compute_notice(
        by=None, institution=company.organisation, program="tourism", period=date(2025, 3, 1)
    )
    assert notice.figures == EXPECTED["2025-03"]
    assert notice.history.first().history_user is None
    with pytest.raises(ValidationError):
        notices.compute_notice(by=None, program="tourism", period=date(2025, 3, 1))


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--month", "2025-13"], "YYYY-MM"), (["--month", "2099-01"], "has not begun")],
)
def test_compute_notices_command_refuses_bad_months(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("compute_notices", *args)


def test_benchmark_command_agrees_with_sql_on_the_demo_ledger(capsys):
    with pytest.raises(CommandError, match="make_demo"):
        call_command("benchmark_notice", "--repeat", "1")
    call_command("make_demo", investors=100, password="pw-demo-2026", stdout=StringIO())
    investments = Investment.objects.count()
    call_command("benchmark_notice", "--repeat", "1")
    assert "figures agree              yes" in capsys.readouterr().out
    assert Investment.objects.count() == investments


def test_compute_notices_reports_an_institution_it_cannot_route(book, company, capsys):
    Organisation.objects.create(name="Nowhere Development", kind="project_operator")
    with pytest.raises(CommandError, match="1 notices could not be computed"):
        call_command("compute_notices", "--month", "2025-03")
    assert "Nowhere Development (public_interest)" in capsys.readouterr().err
    notice = MonthlyNotice.objects.get(institution=company.organisation)
    assert notice.figures == EXPECTED["2025-03"]
