"""Personas of SPEC §8.1 and shared fixtures. Reference data is loaded once per session."""

import pytest
from rest_framework.test import APIClient

from seeds.demo.accounts import create_accounts
from seeds.loader import load_all

#: The browser tests' fixtures (Chromium, pages watched for errors) live beside their helpers.
pytest_plugins = ["browser_support"]

PASSWORD = "correct-horse-battery"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_all()


@pytest.fixture(scope="module")
def reference_data_for_commits(django_db_setup, django_db_blocker):
    """For a module whose tests commit for real (``transaction=True``): such a test empties
    every table when it ends, the reference data included. Load it before the module (an
    earlier one may have emptied it) and put it back after, for the tests that run later."""
    with django_db_blocker.unblock():
        load_all()
    yield
    with django_db_blocker.unblock():
        load_all()


@pytest.fixture
def committing(reference_data_for_commits, transactional_db):
    """A test whose transactions commit, with the reference data loaded."""
    load_all()


@pytest.fixture
def password():
    """The password ``create_accounts`` gives every persona."""
    return PASSWORD


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hashing passwords the production way costs a second per persona; tests need speed."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def accounts(db):
    return create_accounts(PASSWORD)


@pytest.fixture
def hq(accounts):
    return accounts["hq"]


@pytest.fixture
def officer(accounts):
    """An officer of the Jeju Immigration Office."""
    return accounts["officer.jeju"]


@pytest.fixture
def officer_yeosu(accounts):
    """An officer of the Yeosu Immigration Office (both Yeosu zones)."""
    return accounts["officer.yeosu"]


@pytest.fixture
def officer_sejongno(accounts):
    return accounts["officer.sejongno"]


@pytest.fixture
def company(accounts):
    """A resort sales company in the jeju zone."""
    return accounts["company.jeju"]


@pytest.fixture
def other_company(accounts):
    """A sales company in the incheon-fez zone."""
    return accounts["company.incheon"]


@pytest.fixture
def kdb(accounts):
    return accounts["kdb"]


@pytest.fixture
def api():
    """An API client; ``api.as_user(user)`` authenticates with the user's token."""

    class Client(APIClient):
        def as_user(self, user):
            from rest_framework.authtoken.models import Token

            # A fresh token: an older one may have expired (API_TOKEN_TTL_HOURS) on a test's
            # travelled clock.
            Token.objects.filter(user=user).delete()
            token = Token.objects.create(user=user)
            self.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
            return self

    return Client()


# --- ledgers built through the service functions (investments.services) ----------------------

JEJU_PASSPORT = "E12345678"
JEJU_ARN = "750412-5123456"
KDB_PASSPORT = "G87654321"
INCHEON_PASSPORT = "TK1234567"


@pytest.fixture
def jeju_ledger(company, officer):
    """company.jeju's client with a Jeju condominium unit (2024), down/intermediate/final
    payments (KRW 1,000,000,000 in all), a partial recovery, a lapse and an F-2-8 grant."""
    from datetime import date
    from types import SimpleNamespace

    from investments import services
    from reporting import services as reporting
    from tests.factories import jeju_investment

    investment = jeju_investment(
        company,
        name="Wang Fang",
        date_of_birth=date(1975, 4, 12),
        passport=JEJU_PASSPORT,
        arn=JEJU_ARN,
        registered_on=date(2024, 9, 2),
        payments=[
            (date(2024, 3, 4), 100_000_000, "down"),
            (date(2024, 6, 3), 400_000_000, "intermediate"),
            (date(2024, 9, 2), 500_000_000, "final"),
        ],
    )
    investor, payments = investment.investor, list(investment.payments.order_by("paid_on"))
    recovery = reporting.record_recovery(
        by=company,
        investment=investment,
        recovered_on=date(2025, 2, 3),
        amount_krw=200_000_000,
        reason="sale",
    )
    lapse = services.record_lapse(
        by=company,
        investment=investment,
        kind="mortgage",
        started_on=date(2025, 3, 3),
        ended_on=date(2025, 6, 30),
    )
    grant = services.grant_status(
        by=officer,
        investor=investor,
        code="F-2-8",
        granted_on=date(2024, 10, 1),
        expires_on=date(2027, 9, 30),
    )
    return SimpleNamespace(
        owner=company,
        program="tourism",
        investor=investor,
        investment=investment,
        payments=payments,
        payment=payments[0],
        recovery=recovery,
        # opened by ``reporting.services.record_recovery`` together with the recovery
        obligation=recovery.obligation,
        lapse=lapse,
        grant=grant,
    )


@pytest.fixture
def kdb_ledger(kdb, officer_sejongno):
    """KDB's client with a deposit into the public-interest fund (project ``kdb-fund``), a
    partial early repayment, a departure lapse and an F-2-12 grant."""
    from datetime import date
    from types import SimpleNamespace

    from investments import services
    from reporting import services as reporting
    from tests.factories import kdb_deposit

    investment = kdb_deposit(
        kdb,
        name="Nguyen Van An",
        nationality="VN",
        date_of_birth=date(1968, 11, 2),
        passport=KDB_PASSPORT,
    )
    investor, payment = investment.investor, investment.payments.get()
    recovery = reporting.record_recovery(
        by=kdb,
        investment=investment,
        recovered_on=date(2025, 1, 15),
        amount_krw=100_000_000,
        reason="early_repayment",
    )
    lapse = services.record_lapse(
        by=kdb, investment=investment, kind="departure", started_on=date(2025, 2, 3)
    )
    grant = services.grant_status(
        by=officer_sejongno, investor=investor, code="F-2-12", granted_on=date(2024, 8, 1)
    )
    return SimpleNamespace(
        owner=kdb,
        program="public_interest",
        investor=investor,
        investment=investment,
        payments=[payment],
        payment=payment,
        recovery=recovery,
        # opened by ``reporting.services.record_recovery`` together with the recovery
        obligation=recovery.obligation,
        lapse=lapse,
        grant=grant,
    )


@pytest.fixture
def incheon_ledger(other_company):
    """company.incheon's client with a lodging unit in the Incheon FEZ and a down payment."""
    from datetime import date
    from types import SimpleNamespace

    from tests.factories import tourism_investment

    day = date(2024, 5, 2)
    investment = tourism_investment(
        other_company,
        zone="incheon-fez",
        property_name="Songdo Bay Hotel",
        facility_type="lodging",
        unit_number="1801",
        contract_date=day,
        payments=[(day, 100_000_000, "down")],
        name="Sato Kenji",
        nationality="JP",
        date_of_birth=date(1981, 1, 20),
        passport=INCHEON_PASSPORT,
    )
    investor, payment = investment.investor, investment.payments.get()
    return SimpleNamespace(
        owner=other_company,
        program="tourism",
        investor=investor,
        investment=investment,
        payments=[payment],
        payment=payment,
    )
