"""Verbs on investments and their money: the investment, payments, recoveries, lapses."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import pycountry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from portal.choices import OrganisationKind
from portal.money import format_krw

from ..choices import InvestorClass, PaymentKind, ProgramCode
from ..models import (
    FacilityType,
    Investment,
    Investor,
    Lapse,
    Payment,
    Project,
    Property,
    Recovery,
    Zone,
)
from .checks import (
    CLASSES_BY_PROGRAM,
    Choice,
    check_deposit_minimum,
    check_krw,
    check_not_future,
    check_own,
    recovery_reasons,
    require_institution,
    save,
)

if TYPE_CHECKING:
    pass

    from portal.models import Office, User


def competent_office(*, zone: Zone | None = None, project: Project | None = None) -> Office:
    """Seed §6.F / §7.F: a tourism unit reports to the office of its zone; a public-interest
    investment to its project's office (KDB → Sejongno Branch)."""
    if zone is not None:
        return zone.office
    assert project is not None, "a public-interest investment names its project"
    return project.office


#: What an institution records of an investment: the arguments of ``record_investment`` (besides
#: ``by``) in the order forms show them. The admin form takes exactly these and the API answers
#: them; the institution, the office and the totals are the portal's.
INVESTMENT_FIELDS = (
    "investor",
    "program",
    "zone",
    "project",
    "investor_class",
    "property_name",
    "unit_number",
    "facility_type",
    "contract_date",
    "contract_amount_krw",
    "registered_on",
    "prescreened_on",
)


@transaction.atomic
def record_investment(
    *,
    by: User,
    investor: Investor,
    program: str,
    investor_class: str,
    contract_date: date,
    contract_amount_krw: int,
    zone: Zone | None = None,
    project: Project | None = None,
    property_name: str = "",
    unit_number: str = "",
    facility_type: FacilityType | None = None,
    registered_on: date | None = None,
    prescreened_on: date | None = None,
) -> Investment:
    institution = require_institution(by)
    check_own(by, investor, "investor")
    check_krw(contract_amount_krw, "contract_amount_krw")
    check_not_future(contract_date, "contract_date")
    if investor_class not in CLASSES_BY_PROGRAM[program]:
        raise ValidationError(
            {"investor_class": _("This investor class does not exist in the program.")}
        )
    if registered_on is not None and registered_on < contract_date:
        raise ValidationError({"registered_on": _("Registration cannot precede the contract.")})
    unit = None
    if program == ProgramCode.TOURISM and institution.kind != OrganisationKind.SALES_COMPANY:
        raise ValidationError({"program": _("Only a sales company records tourism unit sales.")})
    if program == ProgramCode.TOURISM:
        if zone is None:
            raise ValidationError({"zone": _("A tourism investment names its zone.")})
        if project is not None:
            raise ValidationError({"project": _("A tourism investment has no project.")})
        if not property_name or not unit_number or facility_type is None:
            raise ValidationError(
                {
                    "property_name": _(
                        "A tourism investment names its property, unit and facility type."
                    )
                }
            )
        if not zone.facility_types.filter(pk=facility_type.pk).exists():
            raise ValidationError(
                {"facility_type": _("This facility type is not eligible in the zone.")}
            )
        unit = Property.objects.filter(
            institution=institution, name=property_name.strip(), unit_number=unit_number.strip()
        ).first() or save(
            Property(
                institution=institution,
                name=property_name.strip(),
                unit_number=unit_number.strip(),
                zone=zone,
                facility_type=facility_type,
            ),
            by=by,
            verb="record_investment",
        )
        if unit.zone_id != zone.pk:
            raise ValidationError({"unit_number": _("This unit is recorded in another zone.")})
    else:
        if project is None:
            raise ValidationError({"project": _("A public-interest investment names its project.")})
        if zone is not None:
            raise ValidationError({"zone": _("A public-interest investment has no zone.")})
        allowed = project.operator_id == institution.pk or (
            project.operator_id is None and institution.kind == OrganisationKind.KDB
        )
        if not allowed:
            raise ValidationError(
                {"project": _("Your organisation does not take investments in this project.")}
            )
    return save(
        Investment(
            investor=investor,
            institution=institution,
            program=program,
            zone=zone,
            project=project,
            unit=unit,
            investor_class=investor_class,
            contract_date=contract_date,
            contract_amount_krw=contract_amount_krw,
            registered_on=registered_on,
            prescreened_on=prescreened_on,
            office=competent_office(zone=zone, project=project),
        ),
        by=by,
        verb="record_investment",
    )


def payment_kinds(investment: Investment) -> set[Choice]:
    """Public-interest money is a deposit; tourism money is down/intermediate/final, plus the
    KDB deposit of a linked investor (seed §6.D ③)."""
    if investment.program == ProgramCode.PUBLIC_INTEREST:
        return {PaymentKind.DEPOSIT}
    kinds = {PaymentKind.DOWN, PaymentKind.INTERMEDIATE, PaymentKind.FINAL}
    if investment.investor_class == InvestorClass.LINKED:
        kinds.add(PaymentKind.DEPOSIT)
    return kinds


def locked(investment: Investment) -> Investment:
    """Re-read the investment under a row lock so concurrent money movements serialise."""
    return Investment.objects.select_for_update().get(pk=investment.pk)


def balance(investment: Investment, *, on: date) -> tuple[int, int]:
    """(paid up to ``on``, recovered up to ``on``) in KRW."""
    paid = investment.payments.filter(paid_on__lte=on).aggregate(s=Sum("amount_krw"))["s"] or 0
    recovered = (
        investment.recoveries.filter(recovered_on__lte=on).aggregate(s=Sum("amount_krw"))["s"] or 0
    )
    return paid, recovered


def held_on(investment: Investment, on: date) -> int:
    paid, recovered = balance(investment, on=on)
    return paid - recovered


def recoverable(investment: Investment, *, on: date) -> int:
    """The most that can be recovered on ``on`` without the holding ever going negative: what
    is held that day, and on the day of every recovery already recorded after it."""
    later = investment.recoveries.filter(recovered_on__gt=on).values_list("recovered_on", flat=True)
    return min(held_on(investment, day) for day in {on, *later})


@transaction.atomic
def record_payment(
    *,
    by: User,
    investment: Investment,
    paid_on: date,
    amount_krw: int,
    kind: str,
    currency: str = "KRW",
    original_amount: Decimal | float | None = None,
) -> Payment:
    require_institution(by)
    check_own(by, investment, "investment")
    check_krw(amount_krw, "amount_krw")
    check_not_future(paid_on, "paid_on")
    if paid_on < investment.contract_date:
        raise ValidationError({"paid_on": _("A payment cannot precede the contract.")})
    if kind not in payment_kinds(investment):
        raise ValidationError({"kind": _("This kind of payment does not exist in the program.")})
    check_deposit_minimum(kind, amount_krw)
    if (
        not currency
        or currency != currency.upper()
        or not pycountry.currencies.get(alpha_3=currency)
    ):
        raise ValidationError({"currency": _("Unknown currency: use ISO 4217, e.g. USD.")})
    if original_amount is not None and original_amount <= 0:
        raise ValidationError({"original_amount": _("The original amount must be positive.")})
    if currency != "KRW" and original_amount is None:
        raise ValidationError({"original_amount": _("Give the amount in the original currency.")})
    locked(investment)
    return save(
        Payment(
            investment=investment,
            paid_on=paid_on,
            amount_krw=amount_krw,
            kind=kind,
            currency=currency,
            original_amount=original_amount,
        ),
        by=by,
        verb="record_payment",
    )


@transaction.atomic
def _insert_recovery(
    *, by: User, investment: Investment, recovered_on: date, amount_krw: int, reason: str
) -> Recovery:
    """The ledger half of a withdrawal of funds (seed §6.H). Never more than was paid up to
    that day less what was already recovered.

    Not a public verb: a recovery always opens its withdrawal-report obligation, so the one
    way to record it is ``reporting.services.record_recovery``, which calls this inside its own
    transaction. (The ledger app may not import reporting, hence the split.)"""
    require_institution(by)
    check_own(by, investment, "investment")
    check_krw(amount_krw, "amount_krw")
    check_not_future(recovered_on, "recovered_on")
    if reason not in recovery_reasons(investment.program):
        raise ValidationError({"reason": _("This reason does not exist in the program.")})
    if recovered_on < investment.contract_date:
        raise ValidationError({"recovered_on": _("A recovery cannot precede the contract.")})
    investment = locked(investment)
    outstanding = recoverable(investment, on=recovered_on)
    if amount_krw > outstanding:
        raise ValidationError(
            {
                "amount_krw": _(
                    "The recovery exceeds what is held: %(outstanding)s paid and not yet "
                    "recovered on %(day)s."
                )
                % {"outstanding": format_krw(outstanding), "day": recovered_on.isoformat()}
            }
        )
    return save(
        Recovery(
            investment=investment,
            recovered_on=recovered_on,
            amount_krw=amount_krw,
            reason=reason,
            is_full=amount_krw == held_on(investment, recovered_on),
        ),
        by=by,
        verb="record_recovery",
    )


@transaction.atomic
def record_lapse(
    *,
    by: User,
    investment: Investment,
    kind: str,
    started_on: date,
    ended_on: date | None = None,
) -> Lapse:
    require_institution(by)
    check_own(by, investment, "investment")
    check_not_future(started_on, "started_on")
    if ended_on is not None and ended_on < started_on:
        raise ValidationError({"ended_on": _("A lapse cannot end before it starts.")})
    return save(
        Lapse(investment=investment, kind=kind, started_on=started_on, ended_on=ended_on),
        by=by,
        verb="record_lapse",
    )
