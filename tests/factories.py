"""Ledger rows built through the business verbs, shared by the test modules."""

from datetime import date

from investments import services as ledger
from investments.models import FacilityType, Zone


def jeju_investment(
    company,
    *,
    name="ZHANG Wei",
    passport="E12345678",
    nationality="CN",
    contract_date=date(2024, 3, 4),
    amount=1_000_000_000,
    unit_number="A-1203",
    registered_on=None,
    payments=None,
):
    """A Jeju condominium unit sold by ``company`` to a new client. Paid in full on the
    contract date unless ``payments`` lists ``(day, amount, kind)``."""
    investor = ledger.register_investor(
        by=company,
        full_name=name,
        nationality=nationality,
        passport_number=passport,
        date_of_birth=date(1975, 5, 1),
    )
    investment = ledger.record_investment(
        by=company,
        investor=investor,
        program="tourism",
        zone=Zone.objects.get(code="jeju"),
        investor_class="registered_owner",
        property_name="Halla Resort",
        unit_number=unit_number,
        facility_type=FacilityType.objects.get(code="resort-condominium"),
        contract_date=contract_date,
        contract_amount_krw=amount,
        registered_on=registered_on,
    )
    for day, paid, kind in payments or [(contract_date, amount, "final")]:
        ledger.record_payment(
            by=company, investment=investment, paid_on=day, amount_krw=paid, kind=kind
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
