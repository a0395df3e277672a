"""Ledger rows built through the business verbs, shared by the test modules."""

from datetime import date

from investments import services as ledger
from investments.models import FacilityType, Project, Zone
from portal.models import Office


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


def tourism_investment(
    company,
    *,
    investor=None,
    zone="jeju",
    property_name="Halla Resort",
    facility_type="resort-condominium",
    unit_number="A-1203",
    contract_date=date(2024, 3, 4),
    amount=1_000_000_000,
    registered_on=None,
    prescreened_on=None,
    payments=None,
    **client_fields,
):
    """A unit in a tourism zone sold by ``company`` to ``investor`` (a new client built from
    ``client_fields`` if not given). Paid in full on the contract date unless ``payments``
    lists ``(day, amount, kind)``; ``payments=()`` records none."""
    investor = investor or client(company, **client_fields)
    investment = ledger.record_investment(
        by=company,
        investor=investor,
        program="tourism",
        zone=Zone.objects.get(code=zone),
        investor_class="registered_owner",
        property_name=property_name,
        unit_number=unit_number,
        facility_type=FacilityType.objects.get(code=facility_type),
        contract_date=contract_date,
        contract_amount_krw=amount,
        registered_on=registered_on,
        prescreened_on=prescreened_on,
    )
    for day, paid, kind in [(contract_date, amount, "final")] if payments is None else payments:
        ledger.record_payment(
            by=company, investment=investment, paid_on=day, amount_krw=paid, kind=kind
        )
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
    investor = investor or client(kdb, **client_fields)
    investment = ledger.record_investment(
        by=kdb,
        investor=investor,
        program="public_interest",
        project=Project.objects.get(code=project),
        investor_class="depositor",
        contract_date=contract_date,
        contract_amount_krw=amount,
    )
    ledger.record_payment(
        by=kdb, investment=investment, paid_on=contract_date, amount_krw=amount, kind="deposit"
    )
    return investment


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
