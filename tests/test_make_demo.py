"""``manage.py make_demo`` (SPEC §8): the demo accounts of §8.1 and a synthetic ledger that keeps
the registry's rules although it is written in bulk, past the services: the same hashes and
encrypted identifiers, obligations due when rule R5 says, reports whose letter and digest are
what ``file_report`` would have filed — and, on the day it is built, something due, something
overdue and something recent on every role's dashboard.

The default demo (500 investors) is built once for the module (once per test worker) and
rolled back after it; each test runs inside it in its own savepoint, so the tests that reset
the demo change nothing for the others."""

import random
import re
from collections import Counter
from datetime import UTC, datetime
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone

from investments import services as investment_services
from investments.choices import PaymentKind, ProgramCode
from investments.models import (
    Investment,
    Investor,
    MinimumAmount,
    Payment,
    Person,
    PersonalDataAccess,
    Program,
    Recovery,
    StatusGrant,
)
from portal.crypto import keyed_hash
from portal.models import User
from reporting import filings, services
from reporting.models import MonthlyNotice, Obligation, WithdrawalReport
from seeds.demo.accounts import ACCOUNTS
from seeds.demo.catalogue import Catalogue
from tests.factories import rolled_back

PASSWORD = "demo-test-pass-2026"
SPEC_ACCOUNTS = {"hq", "officer.jeju", "officer.sejongno", "company.jeju", "company.incheon", "kdb"}


DEFAULT = 500


def make_demo(**options):
    out = StringIO()
    options.setdefault("investors", DEFAULT)
    call_command("make_demo", password=PASSWORD, stdout=out, **options)
    return out.getvalue()


def paid(investment, *, on):
    return sum(p.amount_krw for p in investment.payments.all() if p.paid_on <= on)


@pytest.fixture
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """The default demo, built once (with a fast password hasher) and rolled back after."""
    with rolled_back(django_db_blocker):
        yield make_demo()


@pytest.fixture
def demo(built, db):
    return built


def test_spec_accounts_sign_in_and_are_printed(demo):
    for username in SPEC_ACCOUNTS:
        user = authenticate(username=username, password=PASSWORD)
        assert user is not None, username
        assert f"{username:<18} {user.organisation}" in demo
    assert PASSWORD in demo
    assert f"{DEFAULT:,} / {DEFAULT:,} investors written" in demo
    assert f"{DEFAULT} investor" in demo


def test_a_build_prints_the_time_of_each_step(demo):
    """A large build shows where its time goes: each step's seconds, and the people whose
    eligibility facts are computed so far."""
    people = Person.objects.count()
    assert f"{people:,} / {people:,} people's facts" in demo
    steps = ["ledger written", "ANALYZE", "monthly notices", "eligibility facts", "commit"]
    shown = [
        line.split(":")[0] for line in demo.splitlines() if re.match(r"^[A-Za-z ]+: [\d.]+ s", line)
    ]
    assert shown == steps


def test_investors_are_mostly_chinese_and_varied(demo):
    nationalities = Counter(Investor.objects.values_list("nationality", flat=True))
    assert sum(nationalities.values()) == DEFAULT
    assert nationalities["CN"] > DEFAULT / 2
    assert len(nationalities) >= 6
    assert not Investor.objects.filter(date_of_birth__isnull=True).exists()
    # one passport per person; a person investing through two institutions has two records
    passports = Investor.objects.order_by().values("passport_hash").distinct().count()
    assert passports == Person.objects.count() < DEFAULT


def test_tourism_is_mostly_jeju_inside_periods_and_above_minimums(demo):
    tourism = Investment.objects.filter(program=ProgramCode.TOURISM).select_related("zone", "unit")
    zones = Counter(tourism.values_list("zone__code", flat=True))
    assert zones["jeju"] > sum(zones.values()) / 2
    # company.jeju also sells in Yeosu Gyeongdo: its notices go to two offices (seed §6.H)
    assert set(zones) <= {"jeju", "incheon-fez", "yeosu-gyeongdo"}
    minimums = list(MinimumAmount.objects.filter(track="general").select_related("zone", "program"))
    for investment in tourism.prefetch_related("zone__periods", "zone__facility_types"):
        day, zone = investment.contract_date, investment.zone
        assert any(p.start <= day <= p.end for p in zone.periods.all()), investment
        minimum = next(
            m.minimum_krw
            for m in minimums
            if m.zone_id == zone.pk and m.effective_from <= day <= (m.effective_to or day)
        )
        assert investment.contract_amount_krw >= minimum
        assert investment.unit.zone_id == zone.pk
        assert investment.unit.facility_type in zone.facility_types.all()


def test_each_investment_reports_to_its_competent_office(demo):
    for investment in Investment.objects.select_related("zone", "project"):
        where = investment.zone if investment.program == ProgramCode.TOURISM else investment.project
        assert investment.office_id == where.office_id
        assert investment.institution_id == investment.investor.institution_id
    assert Investment.objects.filter(project__code="kdb-fund").count() >= 20


def test_money_is_whole_krw_paid_on_or_after_the_contract(demo):
    today = timezone.localdate()
    for investment in Investment.objects.prefetch_related("payments"):
        assert type(investment.contract_amount_krw) is int
        assert investment.contract_amount_krw % 1_000_000 == 0
        payments = investment.payments.all()
        assert payments, investment
        assert sum(p.amount_krw for p in payments) <= investment.contract_amount_krw
        for payment in payments:
            assert type(payment.amount_krw) is int and payment.amount_krw > 0
            assert investment.contract_date <= payment.paid_on <= today
        if investment.program == ProgramCode.PUBLIC_INTEREST:
            assert [p.kind for p in payments] == [PaymentKind.DEPOSIT]
    assert all(type(a) is int for a in Recovery.objects.values_list("amount_krw", flat=True))
    foreign = Payment.objects.exclude(currency="KRW")
    assert foreign.exists() and not foreign.filter(original_amount__isnull=True).exists()


@pytest.mark.django_db
def test_recent_buyers_are_still_paying_and_hold_no_f2(fast_hasher):
    # While the zones' 2023–2026 periods were open, off-plan buyers were still paying.
    with time_machine.travel(datetime(2026, 6, 1, 12, tzinfo=UTC), tick=False):
        make_demo(investors=150, reset=True)
    short = Investment.objects.annotate(paid=Sum("payments__amount_krw")).filter(
        program=ProgramCode.TOURISM, recoveries__isnull=True
    )
    assert any(i.paid < i.contract_amount_krw for i in short)
    assert not StatusGrant.objects.filter(
        code="F-2-8", investor__investments__registered_on__isnull=True
    ).exists()


def test_recoveries_never_exceed_what_was_paid_before_them(demo):
    recoveries = Recovery.objects.select_related("investment")
    assert recoveries.exists()
    for recovery in recoveries:
        investment = recovery.investment
        held = paid(investment, on=recovery.recovered_on) - sum(
            r.amount_krw for r in investment.recoveries.all() if r.pk != recovery.pk
        )
        assert 0 < recovery.amount_krw <= held
        assert recovery.is_full == (recovery.amount_krw == held)
        assert recovery.recovered_on >= investment.contract_date
        assert not investment.payments.filter(paid_on__gt=recovery.recovered_on).exists()


def test_grants_belong_to_the_person_and_follow_the_money(demo):
    f1_minimum = 100_000_000
    for grant in StatusGrant.objects.select_related("investor"):
        assert grant.person_id == grant.investor.person_id
        assert grant.expires_on is None or grant.expires_on >= grant.granted_on
        investment = grant.investor.investments.get()
        assert grant.granted_on > investment.contract_date
        if grant.code_id == "F-1":
            assert paid(investment, on=grant.granted_on) >= f1_minimum
            assert paid(investment, on=grant.granted_on) < investment.contract_amount_krw
        if grant.code_id in {"F-2-8", "F-2-12"}:
            assert paid(investment, on=grant.granted_on) == investment.contract_amount_krw
    codes = set(StatusGrant.objects.values_list("code", flat=True))
    assert {"F-2-8", "F-2-12", "F-5-17"} <= codes


def test_one_person_can_invest_through_two_institutions(demo):
    both = Person.objects.annotate(
        places=Count("investor_records__institution", distinct=True)
    ).filter(places=2)
    assert both.exists()
    first, second = both.first().investor_records.all()
    assert first.passport_hash == second.passport_hash
    assert {first.institution.kind, second.institution.kind} == {"sales_company", "kdb"}


def test_identification_numbers_are_hashed_like_the_service_and_never_stored_clear(demo):
    investor = Investor.objects.exclude(alien_registration_hash="").first()
    passport = investor.passport_number
    assert investor.passport_hash == keyed_hash(passport)
    assert investor.person.identity_hash == keyed_hash(investor.nationality, passport)
    assert investor.alien_registration_hash == keyed_hash(investor.alien_registration_number)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT passport_number, alien_registration_number FROM investments_investor"
        )
        stored = cursor.fetchall()
    assert len(stored) == DEFAULT
    assert all(passport not in cell for row in stored for cell in row)
    assert all(investor.alien_registration_number not in cell for row in stored for cell in row)


def test_a_second_run_keeps_the_ledger_and_reset_rebuilds_it_identically(demo):
    before = set(Investor.objects.values_list("passport_hash", "full_name"))
    again = make_demo()
    assert f"already hold {DEFAULT} investors" in again
    assert Investor.objects.count() == DEFAULT

    rebuilt = make_demo(reset=True)
    assert f"Deleted the previous demo ledger ({DEFAULT} investors)" in rebuilt
    assert set(Investor.objects.values_list("passport_hash", "full_name")) == before
    assert Person.objects.filter(investor_records__isnull=True).count() == 0


def test_reset_also_deletes_voided_entries_and_merged_records(demo):
    # The default managers hide voided entries and merged investors; a reset must not leave
    # them behind (their foreign keys would block it on PostgreSQL).
    company = User.objects.get(username="company.jeju")
    investors = list(Investor.objects.filter(institution=company.organisation)[:2])
    payment = Payment.objects.filter(investment__investor=investors[0]).first()
    for recovery in Recovery.objects.filter(investment=payment.investment):
        investment_services.void_entry(by=company, entry=recovery, reason="entered twice")
    investment_services.void_entry(by=company, entry=payment, reason="entered twice")
    investment_services.merge_investors(
        by=company, survivor=investors[0], duplicate=investors[1], reason="same client"
    )

    make_demo(reset=True)

    assert not Payment.all_objects.filter(pk=payment.pk).exists()
    assert not Investor.all_objects.filter(pk=investors[1].pk).exists()
    assert Investor.objects.count() == DEFAULT


def test_reset_refuses_to_delete_logged_personal_data_reads(demo):
    investor = Investor.objects.first()
    officer = authenticate(username="officer.jeju", password=PASSWORD)
    PersonalDataAccess.objects.create(
        user=officer, investor=investor, action="reveal_passport", purpose="identity check"
    )
    with pytest.raises(CommandError, match="cannot be reset"):
        make_demo(reset=True, seed=7)
    assert Investor.objects.filter(pk=investor.pk).exists()
    assert Investor.objects.count() == DEFAULT


# --- the reporting history is what the verbs would have written -------------------------------


def test_every_recovery_has_its_obligation_due_when_r5_says(demo):
    # those by a permanent resident open none (seed §6.H; see the test below)
    recoveries = Recovery.objects.exclude(services.by_permanent_resident()).select_related(
        "investment", "obligation"
    )
    assert recoveries.count() >= 20
    programs = {program.code: program for program in Program.objects.all()}
    for recovery in recoveries:
        obligation = recovery.obligation
        assert obligation.kind == "withdrawal_report"
        program = programs[recovery.investment.program]
        due = services.withdrawal_deadline(recovery.recovered_on, program).due_on
        assert obligation.due_on == due  # seed §6.H
        assert obligation.institution_id == recovery.investment.institution_id
        assert obligation.recipient_office_id == recovery.investment.office_id
        assert obligation.history.filter(history_type="+").exists()


def test_filed_reports_hold_the_letter_file_report_would_have_written(demo):
    today = timezone.localdate()
    reports = WithdrawalReport.objects.select_related("obligation__recovery")
    assert reports.count() >= 10
    for report in reports:
        obligation = report.obligation
        assert report.content == filings.letter_contents(obligation)
        assert report.digest == filings.digest_of(content=report.content, remarks="", version=1)
        assert obligation.recovery.recovered_on <= report.filed_on == obligation.filed_on <= today
        on_time = report.filed_on <= obligation.due_on
        assert obligation.state == ("filed_on_time" if on_time else "filed_late")
    unfiled = Obligation.objects.filter(kind="withdrawal_report", reports__isnull=True)
    assert not unfiled.exclude(state__in=["due", "overdue"]).exists()
    assert not unfiled.filter(state="due", due_on__lt=today).exists()  # marked overdue
    assert {"filed_on_time", "filed_late", "overdue", "due"} <= set(
        Obligation.objects.values_list("state", flat=True)
    )


# --- every role's dashboard has something due, overdue and recent today ----------------------


def signed_in(client, username):
    client.force_login(User.objects.get(username=username))
    return client


@pytest.mark.parametrize("username", ["company.jeju", "company.incheon", "kdb"])
def test_every_institution_dashboard_has_due_overdue_and_recent_items(demo, client, username):
    today = timezone.localdate()
    context = signed_in(client, username).get(reverse("institution-dashboard")).context
    assert context["cards"]["past_due"] >= 1
    assert any(obligation.due_on >= today for obligation in context["open"])
    assert context["recoveries"]


@pytest.mark.parametrize("username", ["officer.jeju", "officer.incheon", "officer.sejongno", "hq"])
def test_every_office_dashboard_has_due_overdue_and_recent_items(demo, client, username):
    today = timezone.localdate()
    context = signed_in(client, username).get(reverse("office-dashboard")).context
    due_dates = [obligation.due_on for obligation in context["deadlines"]]
    assert any(day < today for day in due_dates) and any(day >= today for day in due_dates)
    assert context["recoveries"]


def test_the_hq_overview_has_due_overdue_and_this_months_recoveries(demo, client):
    totals = signed_in(client, "hq").get(reverse("hq-overview")).context["totals"]
    assert totals["overdue"] >= 1 and totals["due"] >= 1 and totals["recoveries"] >= 1


def test_the_jeju_company_sends_its_yeosu_units_to_the_yeosu_office(demo, client):
    """Seed §6.H: company.jeju's notices go to Jeju and to Yeosu, each officer reads its own."""
    company = User.objects.get(username="company.jeju").organisation
    offices = set(
        MonthlyNotice.objects.filter(institution=company).values_list(
            "recipient_office__code", flat=True
        )
    )
    assert offices == {"jeju", "yeosu"}
    listed = signed_in(client, "officer.yeosu").get(reverse("notice-list")).context["page"]
    assert listed and {n.recipient_office.code for n in listed} == {"yeosu"}


def test_the_readme_lists_every_demo_account():
    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    for account in ACCOUNTS:
        assert f"| `{account.username}` |" in readme, account.username


def test_a_sold_out_property_opens_a_next_phase_and_no_unit_is_sold_twice():
    # 20,000 investors used to fail: "the demo property catalogue of jeju has no free unit left"
    catalogue = Catalogue("jeju", {"tourist-pension"}, random.Random(1))  # 4 × 3 × 16 units
    units = [catalogue.unit() for _ in range(500)]
    assert len(set(units)) == 500
    pension = "Aewol Hallasan View Pension"
    assert {name for name, _kind, _number in units} == {
        pension, f"{pension} Phase 2", f"{pension} Phase 3"
    }  # fmt: skip
    assert {number[0] for _name, _kind, number in units} == set("ABCD")


def test_stored_eligibility_agrees_with_the_live_answer_for_every_investor(demo):
    """Issue "national scale" 1: the demo fills the stored facts in bulk, and each is what the
    investor page answers HQ (the person whole) today."""
    from reporting.eligibility import evaluate
    from reporting.models import EligibilityFact

    hq = User.objects.get(username="hq")
    today = timezone.localdate()
    stored = {fact.person_id: fact for fact in EligibilityFact.objects.all()}
    investors = list(Investor.objects.filter(investments__isnull=False).distinct())
    assert len(stored) == len({i.person_id for i in investors}) > 0
    for investor in investors:
        live, fact = evaluate(investor, user=hq, as_of=today), stored[investor.person_id]
        assert not fact.stale and fact.as_of == today
        assert (fact.qualifies_for or None) == live["qualifies_for"], investor.pk
        assert fact.held_krw == (live["held_krw"] or 0), investor.pk
        assert fact.on_track == live["f5"]["on_track"], investor.pk
        assert fact.eligible_on == live["f5"]["eligible_on"], investor.pk
        assert fact.counted_days == (live["f5"]["counted_days"] or 0), investor.pk
        assert (fact.code or None) == live["f5"]["code"], investor.pk
    assert EligibilityFact.objects.filter(eligible_on__isnull=False).exists()
    assert EligibilityFact.objects.exclude(qualifies_for="").exists()


def test_no_report_is_due_for_a_recovery_by_a_permanent_resident(demo):
    """Seed §6.A, §6.H, §7.F, §7.S(3): the 14-day report covers recoveries before permanent
    residence; the demo follows the verb's rule (``services.report_required``)."""
    by_resident = Recovery.objects.filter(services.by_permanent_resident())
    assert by_resident.exists(), "the demo has no recovery by a permanent resident to check"
    reports = Obligation.objects.filter(kind="withdrawal_report")
    assert not reports.filter(recovery__in=by_resident).exists()
    others = Recovery.objects.exclude(services.by_permanent_resident())
    assert reports.count() == others.count()


@pytest.mark.django_db
def test_the_build_analyzes_its_own_tables_not_the_whole_cluster():
    """A bare ANALYZE on PostgreSQL also analyzes the shared catalogs and keeps their lock
    until the build commits, so another database's ANALYZE waited for the end of a large
    build: the build names the tables it writes."""
    from django.test.utils import CaptureQueriesContext

    from seeds.demo.writer import analyze

    with CaptureQueriesContext(connection) as run:
        analyze()
    statements = [query["sql"] for query in run.captured_queries]
    assert statements and all(sql.startswith("ANALYZE ") for sql in statements)
    analyzed = {sql.removeprefix("ANALYZE ").strip('"') for sql in statements}
    assert {"investments_investment", "investments_payment", "reporting_obligation"} <= analyzed
    assert not any(name.startswith(("pg_", "sqlite_", "auth_")) for name in analyzed)
