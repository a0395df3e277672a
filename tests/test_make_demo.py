"""``manage.py make_demo`` (SPEC §8): the demo accounts of §8.1 and a synthetic ledger that keeps
the registry's rules although it is written in bulk, past the services."""

from collections import Counter
from datetime import UTC, datetime
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count, Sum
from django.utils import timezone

from investments.choices import PaymentKind, ProgramCode
from investments.models import (
    Investment,
    Investor,
    MinimumAmount,
    Payment,
    Person,
    PersonalDataAccess,
    Recovery,
    StatusGrant,
)
from portal.crypto import keyed_hash

PASSWORD = "demo-test-pass-2026"
SPEC_ACCOUNTS = {"hq", "officer.jeju", "officer.sejongno", "company.jeju", "company.incheon", "kdb"}


def make_demo(**options):
    out = StringIO()
    call_command("make_demo", investors=200, password=PASSWORD, stdout=out, **options)
    return out.getvalue()


def paid(investment, *, on):
    return sum(p.amount_krw for p in investment.payments.all() if p.paid_on <= on)


@pytest.fixture
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(db, fast_hasher):
    """A demo ledger of 200 investors (the command hashes six passwords: a fast hasher)."""
    return make_demo()


def test_spec_accounts_sign_in_and_are_printed(demo):
    for username in SPEC_ACCOUNTS:
        user = authenticate(username=username, password=PASSWORD)
        assert user is not None, username
        assert f"{username:<18} {user.organisation}" in demo
    assert PASSWORD in demo
    assert "200 investor" in demo


def test_investors_are_mostly_chinese_and_varied(demo):
    nationalities = Counter(Investor.objects.values_list("nationality", flat=True))
    assert sum(nationalities.values()) == 200
    assert nationalities["CN"] > 100
    assert len(nationalities) >= 6
    assert not Investor.objects.filter(date_of_birth__isnull=True).exists()
    # one passport per person; a person investing through two institutions has two records
    passports = Investor.objects.order_by().values("passport_hash").distinct().count()
    assert passports == Person.objects.count() < 200


def test_tourism_is_mostly_jeju_inside_periods_and_above_minimums(demo):
    tourism = Investment.objects.filter(program=ProgramCode.TOURISM).select_related("zone", "unit")
    zones = Counter(tourism.values_list("zone__code", flat=True))
    assert zones["jeju"] > sum(zones.values()) / 2
    assert set(zones) <= {"jeju", "incheon-fez"}
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
        make_demo()
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
    assert len(stored) == 200
    assert all(passport not in cell for row in stored for cell in row)
    assert all(investor.alien_registration_number not in cell for row in stored for cell in row)


def test_a_second_run_keeps_the_ledger_and_reset_rebuilds_it_identically(demo):
    before = set(Investor.objects.values_list("passport_hash", "full_name"))
    again = make_demo()
    assert "already hold 200 investors" in again
    assert Investor.objects.count() == 200

    rebuilt = make_demo(reset=True)
    assert "Deleted the previous demo ledger (200 investors)" in rebuilt
    assert set(Investor.objects.values_list("passport_hash", "full_name")) == before
    assert Person.objects.filter(investor_records__isnull=True).count() == 0


def test_reset_refuses_to_delete_logged_personal_data_reads(demo):
    investor = Investor.objects.first()
    officer = authenticate(username="officer.jeju", password=PASSWORD)
    PersonalDataAccess.objects.create(
        user=officer, investor=investor, action="reveal_passport", purpose="identity check"
    )
    with pytest.raises(CommandError, match="cannot be reset"):
        make_demo(reset=True, seed=7)
    assert Investor.objects.filter(pk=investor.pk).exists()
    assert Investor.objects.count() == 200
