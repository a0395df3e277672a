"""Personas of SPEC §8.1 and shared fixtures. Reference data is loaded once per session."""

import pytest
from django.utils import translation
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


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the portal's default language: a test that activates Korean (or a
    page that does) must not leave it active for the next test's English assertions."""
    yield
    translation.deactivate()


@pytest.fixture
def accounts(db):
    return create_accounts(PASSWORD)


def persona(username, doc):
    """A fixture giving the ``create_accounts`` user ``username``; ``doc`` says who it is. The
    module-level name it is assigned to is the fixture's name."""

    def fixture(accounts):
        return accounts[username]

    fixture.__doc__ = doc
    return pytest.fixture(fixture)


hq = persona("hq", "The Ministry of Justice (HQ).")
officer = persona("officer.jeju", "An officer of the Jeju Immigration Office.")
officer_yeosu = persona("officer.yeosu", "A Yeosu Immigration Office officer (both Yeosu zones).")
officer_sejongno = persona("officer.sejongno", "An officer of the Sejongno Branch Office.")
company = persona("company.jeju", "A resort sales company in the jeju zone.")
other_company = persona("company.incheon", "A sales company in the incheon-fez zone.")
kdb = persona("kdb", "The Korea Development Bank (public-interest deposits).")


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


def ledger(owner, program, investment, payments, recovery=None, **more):
    """What a ledger fixture gives: ``owner`` (the institution's user), ``program``, the
    investor, ``investment``, its ``payments`` (the first also as ``payment``), the
    ``recovery`` if any with the ``obligation`` it opened, and ``more`` (lapse, grant)."""
    from types import SimpleNamespace

    if recovery is not None:
        # opened by ``reporting.services.record_recovery`` together with the recovery
        more.update(recovery=recovery, obligation=recovery.obligation)
    return SimpleNamespace(
        owner=owner,
        program=program,
        investor=investment.investor,
        investment=investment,
        payments=payments,
        payment=payments[0],
        **more,
    )


JEJU_PASSPORT = "E12345678"
JEJU_ARN = "750412-5123456"
KDB_PASSPORT = "G87654321"
INCHEON_PASSPORT = "TK1234567"


@pytest.fixture
def jeju_ledger(company, officer):
    """company.jeju's client with a Jeju condominium unit (2024), down/intermediate/final
    payments (KRW 1,000,000,000 in all), a partial recovery, a lapse and an F-2-8 grant."""
    from datetime import date

    from investments import services
    from tests.factories import grants, jeju_investment, recovered

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
    payments = list(investment.payments.order_by("paid_on"))
    recovery = recovered(company, date(2025, 2, 3), investment=investment, amount_krw=200_000_000)
    lapse = services.record_lapse(
        by=company,
        investment=investment,
        kind="mortgage",
        started_on=date(2025, 3, 3),
        ended_on=date(2025, 6, 30),
    )
    (grant,) = grants(officer, investment.investor, ("F-2-8", date(2024, 10, 1), date(2027, 9, 30)))
    return ledger(company, "tourism", investment, payments, recovery, lapse=lapse, grant=grant)


@pytest.fixture
def kdb_ledger(kdb, officer_sejongno):
    """KDB's client with a deposit into the public-interest fund (project ``kdb-fund``), a
    partial early repayment, a departure lapse and an F-2-12 grant."""
    from datetime import date

    from investments import services
    from tests.factories import grants, kdb_deposit, recovered

    investment = kdb_deposit(
        kdb,
        name="Nguyen Van An",
        nationality="VN",
        date_of_birth=date(1968, 11, 2),
        passport=KDB_PASSPORT,
    )
    payment = investment.payments.get()
    recovery = recovered(kdb, date(2025, 1, 15), investment=investment, amount_krw=100_000_000)
    lapse = services.record_lapse(
        by=kdb, investment=investment, kind="departure", started_on=date(2025, 2, 3)
    )
    (grant,) = grants(officer_sejongno, investment.investor, ("F-2-12", date(2024, 8, 1), None))
    return ledger(kdb, "public_interest", investment, [payment], recovery, lapse=lapse, grant=grant)


@pytest.fixture
def incheon_ledger(other_company):
    """company.incheon's client with a lodging unit in the Incheon FEZ and a down payment."""
    from datetime import date

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
    payment = investment.payments.get()
    return ledger(other_company, "tourism", investment, [payment])
