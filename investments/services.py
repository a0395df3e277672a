"""Business verbs on the ledger: one function each, keyword-only, atomic, validated, audited.

Pages, API actions, the admin, imports and commands all call these functions, so a rule holds
however the data arrives. A refusal is a ``ValidationError`` keyed by the offending field;
acting for the wrong kind of organisation is ``PermissionDenied``. Every saved row gets a
history record naming the user and the verb.
"""

import pycountry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.choices import OrganisationKind
from portal.crypto import keyed_hash, normalise_identifier

from .choices import InvestorClass, InvestorKind, PaymentKind, ProgramCode, RecoveryReason
from .models import (
    Investment,
    Investor,
    Lapse,
    Payment,
    Person,
    Property,
    Recovery,
    StatusCode,
    StatusGrant,
)

CLASSES_BY_PROGRAM = {
    ProgramCode.TOURISM: {
        InvestorClass.REGISTERED_OWNER,
        InvestorClass.MEMBERSHIP_HOLDER,
        InvestorClass.LINKED,
    },
    ProgramCode.PUBLIC_INTEREST: {InvestorClass.DEPOSITOR},
}
REASONS_BY_PROGRAM = {
    ProgramCode.TOURISM: {
        RecoveryReason.SALE,
        RecoveryReason.CONTRACT_CANCELLATION,
        RecoveryReason.MEMBERSHIP_TRANSFER,
    },
    ProgramCode.PUBLIC_INTEREST: {
        RecoveryReason.EARLY_REPAYMENT,
        RecoveryReason.CONTRACT_CANCELLATION,
        RecoveryReason.SALE,
    },
}


# --- checks shared by the verbs ---------------------------------------------------------------


def require_institution(user):
    """The organisation of a user allowed to keep a ledger (sales company, operator, KDB)."""
    if not user.is_institution:
        raise PermissionDenied(_("Only a sales company, project operator or KDB keeps a ledger."))
    return user.organisation


def require_officer(user):
    if not (user.is_officer or user.is_hq):
        raise PermissionDenied(_("Only an immigration officer or HQ records residence status."))


def check_krw(value, field):
    """Money is a positive whole number of KRW: never a float, a bool or a string."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError({field: _("Enter a whole number of KRW.")})
    if value <= 0:
        raise ValidationError({field: _("The amount must be greater than zero.")})


def check_not_future(day, field):
    if day > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})


def check_nationality(code, field="nationality"):
    if (
        not isinstance(code, str)
        or len(code) != 2
        or code != code.upper()
        or not pycountry.countries.get(alpha_2=code)
    ):
        raise ValidationError({field: _("Unknown country code: use ISO 3166-1 alpha-2, e.g. CN.")})


def check_own(user, obj, field):
    """An institution may only act on its own rows; another's is reported as not found."""
    if obj.institution_id != user.organisation_id:
        raise ValidationError({field: _("No such record in your ledger.")})


def save(instance, *, by, verb):
    """Validate the fields (types, lengths, choices) and save with an audit record.

    Foreign keys are not re-read (they come from gated query sets) and the constraints are
    not re-queried one by one: each verb checks its rules itself with messages that name the
    field, and the database enforces every constraint regardless. This keeps a bulk import at
    a handful of queries per row."""
    relations = [field.name for field in instance._meta.concrete_fields if field.is_relation]
    instance.clean_fields(exclude=relations)
    instance._history_user = by
    instance._change_reason = verb
    instance.save()
    return instance


# --- investors --------------------------------------------------------------------------------


@transaction.atomic
def register_investor(
    *,
    by,
    full_name,
    nationality,
    passport_number,
    kind=InvestorKind.PERSON,
    date_of_birth=None,
    alien_registration_number="",
    email="",
):
    """Add a client to the institution's ledger, recognising a person already known elsewhere."""
    institution = require_institution(by)
    check_nationality(nationality)
    passport = normalise_identifier(passport_number)
    if not passport:
        raise ValidationError({"passport_number": _("Enter the passport number.")})
    if kind == InvestorKind.PERSON and date_of_birth is None:
        raise ValidationError({"date_of_birth": _("A natural person needs a date of birth.")})
    if date_of_birth is not None:
        check_not_future(date_of_birth, "date_of_birth")
    identity_hash = keyed_hash(nationality, passport)
    if Investor.objects.filter(
        institution=institution, person__identity_hash=identity_hash
    ).exists():
        raise ValidationError(
            {"passport_number": _("Your ledger already has a client with this passport.")}
        )
    person, _created = Person.objects.get_or_create(
        identity_hash=identity_hash, defaults={"nationality": nationality}
    )
    arn = normalise_identifier(alien_registration_number)
    return save(
        Investor(
            institution=institution,
            person=person,
            kind=kind,
            full_name=full_name.strip(),
            nationality=nationality,
            date_of_birth=date_of_birth,
            passport_number=passport,
            passport_hash=keyed_hash(passport),
            alien_registration_number=arn,
            alien_registration_hash=keyed_hash(arn) if arn else "",
            email=email,
        ),
        by=by,
        verb="register_investor",
    )


# --- investments ------------------------------------------------------------------------------


def competent_office(*, zone=None, project=None):
    """Seed §6.F / §7.F: a tourism unit reports to the office of its zone; a public-interest
    investment to its project's office (KDB → Sejongno Branch)."""
    return zone.office if zone is not None else project.office


@transaction.atomic
def record_investment(
    *,
    by,
    investor,
    program,
    investor_class,
    contract_date,
    contract_amount_krw,
    zone=None,
    project=None,
    property_name="",
    unit_number="",
    facility_type=None,
    registered_on=None,
    prescreened_on=None,
):
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
        unit, _created = Property.objects.get_or_create(
            institution=institution,
            name=property_name.strip(),
            unit_number=unit_number.strip(),
            defaults={"zone": zone, "facility_type": facility_type},
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


def payment_kinds(investment):
    """Public-interest money is a deposit; tourism money is down/intermediate/final, plus the
    KDB deposit of a linked investor (seed §6.D ③)."""
    if investment.program == ProgramCode.PUBLIC_INTEREST:
        return {PaymentKind.DEPOSIT}
    kinds = {PaymentKind.DOWN, PaymentKind.INTERMEDIATE, PaymentKind.FINAL}
    if investment.investor_class == InvestorClass.LINKED:
        kinds.add(PaymentKind.DEPOSIT)
    return kinds


def locked(investment):
    """Re-read the investment under a row lock so concurrent money movements serialise."""
    return Investment.objects.select_for_update().get(pk=investment.pk)


def balance(investment, *, on):
    """(paid up to ``on``, recovered up to ``on``) in KRW."""
    paid = investment.payments.filter(paid_on__lte=on).aggregate(s=Sum("amount_krw"))["s"] or 0
    recovered = (
        investment.recoveries.filter(recovered_on__lte=on).aggregate(s=Sum("amount_krw"))["s"] or 0
    )
    return paid, recovered


def held_on(investment, on):
    paid, recovered = balance(investment, on=on)
    return paid - recovered


def recoverable(investment, *, on):
    """The most that can be recovered on ``on`` without the holding ever going negative: what
    is held that day, and on the day of every recovery already recorded after it."""
    later = investment.recoveries.filter(recovered_on__gt=on).values_list("recovered_on", flat=True)
    return min(held_on(investment, day) for day in {on, *later})


@transaction.atomic
def record_payment(
    *, by, investment, paid_on, amount_krw, kind, currency="KRW", original_amount=None
):
    require_institution(by)
    check_own(by, investment, "investment")
    check_krw(amount_krw, "amount_krw")
    check_not_future(paid_on, "paid_on")
    if paid_on < investment.contract_date:
        raise ValidationError({"paid_on": _("A payment cannot precede the contract.")})
    if kind not in payment_kinds(investment):
        raise ValidationError({"kind": _("This kind of payment does not exist in the program.")})
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
def record_recovery(*, by, investment, recovered_on, amount_krw, reason):
    """A withdrawal of funds (seed §6.H). Never more than was paid up to that day less what
    was already recovered."""
    require_institution(by)
    check_own(by, investment, "investment")
    check_krw(amount_krw, "amount_krw")
    check_not_future(recovered_on, "recovered_on")
    if reason not in REASONS_BY_PROGRAM[investment.program]:
        raise ValidationError({"reason": _("This reason does not exist in the program.")})
    if recovered_on < investment.contract_date:
        raise ValidationError({"recovered_on": _("A recovery cannot precede the contract.")})
    investment = locked(investment)
    outstanding = recoverable(investment, on=recovered_on)
    if amount_krw > outstanding:
        raise ValidationError(
            {
                "amount_krw": _(
                    "The recovery exceeds what is held: KRW %(outstanding)s paid and not yet "
                    "recovered on %(day)s."
                )
                % {"outstanding": f"{outstanding:,}", "day": recovered_on.isoformat()}
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
def record_lapse(*, by, investment, kind, started_on, ended_on=None):
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


# --- residence status -------------------------------------------------------------------------


@transaction.atomic
def grant_status(*, by, investor, code, granted_on, expires_on=None):
    """Record a residence status an office granted to the person behind ``investor``."""
    require_officer(by)
    if not StatusCode.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Unknown residence status code.")})
    if expires_on is not None and expires_on < granted_on:
        raise ValidationError({"expires_on": _("A grant cannot expire before it is granted.")})
    check_not_future(granted_on, "granted_on")
    return save(
        StatusGrant(
            person_id=investor.person_id,
            investor=investor,
            code_id=code,
            granted_on=granted_on,
            expires_on=expires_on,
            recorded_by=by,
        ),
        by=by,
        verb="grant_status",
    )
