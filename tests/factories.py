"""What the test modules share: ledger rows built through the business verbs (clients,
investments, payments, recoveries, grants, relatives, reports, notices); the two functions
every page and deadline test needs, a signed-in test client and a stopped clock; the checks
several modules make the same way (the eligibility API's answer, a page's status for a
persona); and the rolled-back block of the module-scoped demo fixtures."""

from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone

from investments import services as ledger
from investments.choices import ProjectKind
from investments.models import FacilityType, Project, Zone
from portal.choices import OrganisationKind
from portal.models import Office, Organisation
from reporting.filings import file_report
from reporting.models import Obligation
from reporting.services import record_recovery

KOREA = ZoneInfo("Asia/Seoul")

#: The API's lists of ledger rows (under /api/v1/).
LEDGER_LISTS = ["investors", "investments", "payments", "recoveries", "lapses", "status-grants"]

#: A Russian KDB depositor (a passport number of digits only), for ``kdb_deposit(**IVANOV)``.
IVANOV = {
    "name": "IVANOV Sergei",
    "nationality": "RU",
    "passport": "751234567",
    "date_of_birth": date(1970, 1, 2),
}


def on(day):
    """Noon in Korea on ``day``, the clock stopped."""
    return time_machine.travel(datetime.combine(day, time(12), tzinfo=KOREA), tick=False)


@contextmanager
def rolled_back(django_db_blocker):
    """For a module-scoped fixture: database access, a fast password hasher and a transaction
    that is rolled back when the block ends (what it wrote is gone for later modules)."""
    from django.db import transaction
    from django.test import override_settings

    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=fast),
        transaction.atomic(),
    ):
        yield
        transaction.set_rollback(True)


def as_user(web, user, *, language="en"):
    """The test client ``web`` signed in as ``user``, asking for pages in ``language`` (None:
    the portal's default, Korean)."""
    web.force_login(user)
    if language:
        web.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return web


def eligibility(api, user, investor_id, **query):
    """The eligibility API's answer (in English) for investor ``investor_id`` as ``user``, with
    ``query`` (``as_of``) as its query string, checked to be a 200."""
    response = api.as_user(user).get(
        f"/api/v1/investors/{investor_id}/eligibility/", query, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200, response.content
    return response.json()


def page_status(request, web, persona, name, args=None):
    """The status the page ``name`` (a URL name, with ``args``) answers the persona fixture
    ``persona`` signed in on the test client ``web``."""
    from django.urls import reverse

    return as_user(web, request.getfixturevalue(persona)).get(reverse(name, args=args)).status_code


def page_cases(page_statuses):
    """The ``(url name, argument, persona, status)`` cases of a table ``{url name: (argument,
    {persona: status})}``, for ``page_status``."""
    return [
        (name, argument, persona, status)
        for name, (argument, statuses) in page_statuses.items()
        for persona, status in statuses.items()
    ]


def client(
    company,
    *,
    name="ZHANG Wei",
    passport="E12345678",
    nationality="CN",
    date_of_birth=date(1975, 5, 1),
    arn="",
    residence_office=None,
):
    """A new client of ``company``, registered through the ledger verb; ``residence_office``
    is an office code."""
    return ledger.register_investor(
        by=company,
        full_name=name,
        nationality=nationality,
        date_of_birth=date_of_birth,
        passport_number=passport,
        alien_registration_number=arn,
        residence_office=Office.objects.get(code=residence_office) if residence_office else None,
    )


def investor_body(passport_number, **fields):
    """The API body registering conftest's Jeju client (Wang Fang, CN, born 1975-04-12) once
    more, with ``passport_number`` as the caller writes it and any other ``fields``."""
    return {
        "kind": "person",
        "full_name": "Wang Fang",
        "nationality": "CN",
        "date_of_birth": "1975-04-12",
        "passport_number": passport_number,
        **fields,
    }


def project_operator(office_code, *, name, representative, kind=ProjectKind.PROFIT_LOSS):
    """A user of the registered operator of a designated development project of ``kind``
    (seed §7.B) registered at the office ``office_code``; the project's code is
    ``<office_code>-regional``."""
    office = Office.objects.get(code=office_code)
    organisation = Organisation.objects.create(
        name=f"{name} Co.",
        kind=OrganisationKind.PROJECT_OPERATOR,
        office=office,
        representative=representative,
    )
    Project.objects.create(
        code=f"{office_code}-regional",
        name=f"{name} project",
        kind=kind,
        office=office,
        operator=organisation,
        source="seed §7.B",
    )
    return get_user_model().objects.create(
        username=f"operator.{office_code}", organisation=organisation
    )


def grants(officer, investor, *spans):
    """``investor``'s residence-status grants recorded by ``officer``, each span
    ``(code, granted_on, expires_on)`` (``expires_on`` None: open-ended); returns them."""
    return [
        ledger.grant_status(
            by=officer, investor=investor, code=code, granted_on=granted_on, expires_on=expires_on
        )
        for code, granted_on, expires_on in spans
    ]


def recorded_investment(owner, investor, contract, **fields):
    """``ledger.record_investment`` by ``owner`` for ``investor`` under ``contract``, ``(date,
    amount in KRW)``; ``fields`` are the program, the investor class and where (zone and unit,
    or project)."""
    day, amount = contract
    return ledger.record_investment(
        by=owner, investor=investor, contract_date=day, contract_amount_krw=amount, **fields
    )


def tourism_investment(
    company,
    *,
    investor=None,
    contract_date=date(2024, 3, 4),
    amount=1_000_000_000,
    investor_class="registered_owner",
    zone="jeju",
    property_name="Halla Resort",
    facility_type="resort-condominium",
    unit_number="A-1203",
    registered_on=None,
    prescreened_on=None,
    payments=None,
    **client_fields,
):
    """A unit in a tourism zone sold by ``company`` to ``investor`` (a new client built from
    ``client_fields`` if not given). Paid in full on the contract date unless ``payments``
    lists ``(day, amount, kind)``; ``payments=()`` records none."""
    investment = recorded_investment(
        company,
        investor or client(company, **client_fields),
        (contract_date, amount),
        program="tourism",
        zone=Zone.objects.get(code=zone),
        investor_class=investor_class,
        property_name=property_name,
        unit_number=unit_number,
        facility_type=FacilityType.objects.get(code=facility_type),
        registered_on=registered_on,
        prescreened_on=prescreened_on,
    )
    for day, paid_in, kind in [(contract_date, amount, "final")] if payments is None else payments:
        paid(company, investment, day, paid_in, kind)
    return investment


#: The Jeju condominium unit most tests start from.
jeju_investment = tourism_investment


def kdb_deposit(
    kdb,
    *,
    investor=None,
    project="kdb-fund",
    contract_date=date(2024, 7, 1),
    amount=1_500_000_000,
    **client_fields,
):
    """A deposit with ``kdb`` into a public-interest project, paid in on the contract date."""
    investment = recorded_investment(
        kdb,
        investor or client(kdb, **client_fields),
        (contract_date, amount),
        program="public_interest",
        investor_class="depositor",
        project=Project.objects.get(code=project),
    )
    paid(kdb, investment, contract_date, amount, "deposit")
    return investment


def recorded_relative(by, investor, relation, name, born):
    """``investor``'s relative (spouse, child, executive, shareholder) ``name``, a Chinese
    national born on ``born``, recorded by ``by`` through the ledger verb."""
    return ledger.record_relative(
        by=by,
        investor=investor,
        relation=relation,
        full_name=name,
        nationality="CN",
        date_of_birth=born,
    )


def recovered(company, recovered_on, *, investment=None, amount_krw=200_000_000, reason=None):
    """A recovery on ``recovered_on`` of ``investment`` (default: a new Jeju investment of
    ``company``), recorded through the verb that opens its withdrawal-report obligation. The
    ``reason`` is a sale unless given; for a public-interest deposit, an early repayment."""
    investment = investment or jeju_investment(company)
    if reason is None:
        reason = "early_repayment" if investment.program == "public_interest" else "sale"
    return record_recovery(
        by=company,
        investment=investment,
        recovered_on=recovered_on,
        amount_krw=amount_krw,
        reason=reason,
    )


def paid(owner, investment, day, amount, kind):
    """A payment of ``amount`` KRW of ``kind`` into ``investment`` on ``day``, by ``owner``."""
    return ledger.record_payment(
        by=owner, investment=investment, paid_on=day, amount_krw=amount, kind=kind
    )


def filed_report(company):
    """A withdrawal report, filed and awaiting review, of Wang Fang's Jeju unit (paid in full
    400 days ago), KRW 150,000,000 of which was recovered by sale two days ago."""
    today = timezone.localdate()
    investment = jeju_investment(
        company,
        name="Wang Fang",
        passport="E55507777",
        unit_number="A-7777",
        contract_date=today - timedelta(days=400),
    )
    recovery = record_recovery(
        by=company,
        investment=investment,
        recovered_on=today - timedelta(days=2),
        amount_krw=150_000_000,
        reason="sale",
    )
    return file_report(by=company, obligation=Obligation.objects.get(recovery=recovery))


def notice_obligation(
    company, *, period=date(2025, 1, 1), due_on=date(2025, 2, 5), office=None, **fields
):
    """``company``'s duty to file the tourism notice for ``period`` by ``due_on``, addressed
    to its own office unless ``office`` is given (a row, as the sweep tests need it bare)."""
    return Obligation.objects.create(
        kind="monthly_notice",
        institution=company.organisation,
        recipient_office=office or company.organisation.office,
        program="tourism",
        period=period,
        due_on=due_on,
        **fields,
    )


def submitted_notice(owner, *, program, period):
    """``owner``'s monthly notice for ``period`` (a date in the month), computed and submitted
    with its warnings confirmed."""
    from reporting import notices

    notice = notices.compute_notice(by=owner, program=program, period=period)
    notices.submit_notice(by=owner, notice=notice, confirm_warnings=True)
    notice.refresh_from_db()
    return notice


def api_key(admin, *, scopes=("ledger.read", "ledger.write"), label="ERP", days=30):
    """An API key issued by ``admin`` (made an institution administrator here); returns
    ``(key, secret)``."""
    from datetime import timedelta

    from django.utils import timezone

    from portal.api_keys import issue_api_key

    admin.is_institution_admin = True
    admin.save(update_fields=["is_institution_admin"])
    return issue_api_key(
        by=admin,
        label=label,
        scopes=list(scopes),
        expires_on=timezone.localdate() + timedelta(days=days),
    )


def disqualification(investor, *, kind, on, amount_krw=None, recorded_by=None):
    """A disqualification record of ``investor``'s person (officers record them in the admin;
    there is no ledger verb)."""
    from investments.models import Disqualification

    return Disqualification.objects.create(
        person_id=investor.person_id,
        kind_id=kind,
        on=on,
        amount_krw=amount_krw,
        recorded_by=recorded_by,
    )
