"""Business verbs on the ledger: one function each, keyword-only, atomic, validated, audited.

Pages, API actions, the admin, imports and commands all call these functions, so a rule holds
however the data arrives. A refusal is a ``ValidationError`` keyed by the offending field;
acting for the wrong kind of organisation is ``PermissionDenied``. Every row is saved through
``portal.audit.record``: a history record naming the user and the verb, an event in the feed,
and the ledger followers woken once the transaction commits.

Corrections (issue 11.3) are verbs too, each with a reason: ``correct_investor``,
``void_entry`` (a wrong payment, recovery, lapse or grant) and ``merge_investors``. Nothing is
deleted; a voided entry no longer counts anywhere (see ``investments.models.ledger``). A
recovery is voided through ``reporting.services.void_recovery``, which also cancels its
report obligation.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

import pycountry
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit, money
from portal.access import keeps_ledger, reviews
from portal.choices import OrganisationKind
from portal.crypto import keyed_hash, normalise_identifier

from .choices import InvestorClass, InvestorKind, PaymentKind, ProgramCode, RecoveryReason
from .models import (
    FacilityType,
    Investment,
    Investor,
    Lapse,
    Payment,
    Person,
    Project,
    Property,
    Recovery,
    RelatedPerson,
    RuleSetting,
    StatusCode,
    StatusGrant,
    Zone,
)

if TYPE_CHECKING:
    from django.db.models import Model

    from portal.models import Office, Organisation, User

M = TypeVar("M", bound="Model")

# A TextChoices member is a str at run time; without Django's type information mypy reads the
# class attributes as tuples, so the choice tables and arguments are typed ``Choice`` (Any).
Choice = Any

CLASSES_BY_PROGRAM: dict[Choice, set[Choice]] = {
    ProgramCode.TOURISM: {
        InvestorClass.REGISTERED_OWNER,
        InvestorClass.MEMBERSHIP_HOLDER,
        InvestorClass.LINKED,
    },
    ProgramCode.PUBLIC_INTEREST: {InvestorClass.DEPOSITOR},
}
REASONS_BY_PROGRAM: dict[Choice, set[Choice]] = {
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


def require_institution(user: User) -> Organisation:
    """The organisation of a user allowed to keep a ledger (sales company, operator, KDB)."""
    if not keeps_ledger(user):
        raise PermissionDenied(_("Only a sales company, project operator or KDB keeps a ledger."))
    return user.organisation


def require_officer(user: User) -> None:
    if not reviews(user):
        raise PermissionDenied(_("Only an immigration officer or HQ records residence status."))


def check_krw(value: object, field: str) -> None:
    """Money is a positive whole number of KRW: never a float, a bool or a string."""
    try:
        money.check_krw(value)
    except money.MoneyError as error:
        raise ValidationError({field: error.message}) from None


def check_not_future(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})


def check_deposit_minimum(kind: str, amount_krw: int) -> None:
    """Seed §7.C: "For public-interest investment immigration via Korea Development Bank
    deposit, a minimum of KRW 5 million is required": read as the smallest deposit the KDB
    fund takes, so each KDB deposit (payment kind *deposit*, a linked investor's included) is
    at least the rule setting ``kdb_deposit_minimum_krw`` [decision]; 0 checks nothing."""
    if kind != PaymentKind.DEPOSIT:
        return
    row = RuleSetting.objects.filter(key="kdb_deposit_minimum_krw").values_list("value", flat=True)
    least = row.first() or 0
    if amount_krw < least:
        raise ValidationError(
            {"amount_krw": _("A KDB deposit is at least KRW %(least)s.") % {"least": f"{least:,}"}}
        )


def check_passport_number(number: str, nationality: str, field: str = "passport_number") -> None:
    """A normalised passport number in the shape the holder's country issues
    (``settings.PASSPORT_NUMBER_FORMATS``; the ICAO default for other countries)."""
    formats = settings.PASSPORT_NUMBER_FORMATS
    pattern, example = formats.get(nationality) or formats["*"]
    if not re.fullmatch(pattern, number):
        raise ValidationError(
            {
                field: _(
                    "This is not a passport number of that nationality: "
                    "it is written like %(example)s."
                )
                % {"example": example}
            }
        )


def check_alien_registration_number(number: str, field: str = "alien_registration_number") -> None:
    """Thirteen digits whose first six are a real date of birth (YYMMDD) in the century the
    seventh digit gives (``settings.ALIEN_REGISTRATION_NUMBER_FORMAT``)."""
    pattern, example = settings.ALIEN_REGISTRATION_NUMBER_FORMAT
    message = _(
        "This is not an alien registration number: it is thirteen digits, the first six "
        "the date of birth, written like %(example)s."
    ) % {"example": example}
    if not re.fullmatch(pattern, number):
        raise ValidationError({field: message})
    century = settings.ALIEN_REGISTRATION_CENTURIES[number[6]]
    try:
        date(century + int(number[:2]), int(number[2:4]), int(number[4:6]))
    except ValueError:
        raise ValidationError({field: message}) from None


def check_nationality(code: object, field: str = "nationality") -> None:
    if (
        not isinstance(code, str)
        or len(code) != 2
        or code != code.upper()
        or not pycountry.countries.get(alpha_2=code)
    ):
        raise ValidationError({field: _("Unknown country code: use ISO 3166-1 alpha-2, e.g. CN.")})


def check_own(user: User, obj: Model, field: str) -> None:
    """An institution may only act on its own rows; another's is reported as not found."""
    if obj.institution_id != user.organisation_id:
        raise ValidationError({field: _("No such record in your ledger.")})


def save(
    instance: M, *, by: User | None, verb: str, reason: str = "", action: str | None = None
) -> M:
    """Validate the fields (types, lengths, choices) and save with an audit record.

    Foreign keys are not re-read (they come from gated query sets) and the constraints are
    not re-queried one by one: each verb checks its rules itself with messages that name the
    field, and the database enforces every constraint regardless. This keeps a bulk import at
    a handful of queries per row."""
    relations = [field.name for field in instance._meta.concrete_fields if field.is_relation]
    instance.clean_fields(exclude=relations)
    return audit.record(instance, by=by, verb=verb, reason=reason, action=action)


# --- investors --------------------------------------------------------------------------------


@transaction.atomic
def register_investor(
    *,
    by: User,
    full_name: str,
    nationality: str,
    passport_number: str,
    kind: Choice = InvestorKind.PERSON,
    date_of_birth: date | None = None,
    alien_registration_number: str = "",
    email: str = "",
    residence_office: Office | None = None,
) -> Investor:
    """Add a client to the institution's ledger, recognising a person already known elsewhere.
    ``residence_office`` (an ``Office``) decides where a registered foreign resident applies
    (seed §6.F, §7.A)."""
    institution = require_institution(by)
    check_nationality(nationality)
    passport = normalise_identifier(passport_number)
    if not passport:
        raise ValidationError({"passport_number": _("Enter the passport number.")})
    check_passport_number(passport, nationality)
    arn = normalise_identifier(alien_registration_number)
    if arn:
        check_alien_registration_number(arn)
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
            residence_office=residence_office,
        ),
        by=by,
        verb="register_investor",
    )


# --- investments ------------------------------------------------------------------------------


@transaction.atomic
def record_relative(
    *,
    by: User,
    investor: Investor,
    relation: str,
    full_name: str,
    nationality: str,
    date_of_birth: date,
    passport_number: str = "",
) -> RelatedPerson:
    """Record a spouse or unmarried child of an investor (who may be granted the family
    status of the investor's program: F-2-81, F-2-13; seed §6 heading, §7.S(3)), or an
    executive or shareholder of a corporate investor."""
    require_institution(by)
    check_own(by, investor, "investor")
    check_nationality(nationality)
    check_not_future(date_of_birth, "date_of_birth")
    full_name = (full_name or "").strip()
    if not full_name:
        raise ValidationError({"full_name": _("Enter the full name.")})
    relative = RelatedPerson(
        investor=investor,
        relation=relation,
        full_name=full_name,
        nationality=nationality,
        date_of_birth=date_of_birth,
        passport_number=normalise_identifier(passport_number or ""),
    )
    return save(relative, by=by, verb="record_relative")


def competent_office(*, zone: Zone | None = None, project: Project | None = None) -> Office:
    """Seed §6.F / §7.F: a tourism unit reports to the office of its zone; a public-interest
    investment to its project's office (KDB → Sejongno Branch)."""
    if zone is not None:
        return zone.office
    assert project is not None, "a public-interest investment names its project"
    return project.office


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


# --- residence status -------------------------------------------------------------------------


@transaction.atomic
def grant_status(
    *,
    by: User,
    investor: Investor,
    code: str,
    granted_on: date,
    expires_on: date | None = None,
) -> StatusGrant:
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


# --- corrections (issue 11.3) -----------------------------------------------------------------

#: What ``correct_investor`` may change.
CORRECTABLE = (
    "full_name",
    "kind",
    "nationality",
    "date_of_birth",
    "passport_number",
    "alien_registration_number",
    "email",
    "residence_office",
)


def require_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this correction is made.")})
    return reason


@transaction.atomic
def correct_investor(*, by: User, investor: Investor, reason: str, **changes: Any) -> Investor:
    """Correct a client's details. A corrected passport number or nationality may make the
    client another person for the registry (SPEC §3): the record and the grants recorded
    against it follow the corrected identity; if the institution already has a client with
    it, the two records are merged instead (``merge_investors``)."""
    require_institution(by)
    check_own(by, investor, "investor")
    reason = require_reason(reason)
    unknown = sorted(set(changes) - set(CORRECTABLE))
    if unknown:
        raise ValidationError({unknown[0]: _("This detail cannot be corrected here.")})
    investor = Investor.all_objects.select_for_update().get(pk=investor.pk)
    if investor.merged_into_id is not None:
        raise ValidationError({"investor": _("This record was merged into another one.")})
    if "nationality" in changes:
        check_nationality(changes["nationality"])
    if changes.get("date_of_birth") is not None:
        check_not_future(changes["date_of_birth"], "date_of_birth")
    if "full_name" in changes:
        changes["full_name"] = (changes["full_name"] or "").strip()
        if not changes["full_name"]:
            raise ValidationError({"full_name": _("Enter the full name.")})
    for field in ("passport_number", "alien_registration_number"):
        if field in changes:
            changes[field] = normalise_identifier(changes[field])
    if "passport_number" in changes and not changes["passport_number"]:
        raise ValidationError({"passport_number": _("Enter the passport number.")})
    changed = {k: v for k, v in changes.items() if getattr(investor, k) != v}
    if not changed:
        raise ValidationError({"reason": _("These are already the client's details.")})
    if "passport_number" in changed or "nationality" in changed:
        check_passport_number(
            changed.get("passport_number", investor.passport_number),
            changed.get("nationality", investor.nationality),
        )
    if changed.get("alien_registration_number"):
        check_alien_registration_number(changed["alien_registration_number"])
    for field, value in changed.items():
        setattr(investor, field, value)
    if investor.kind == InvestorKind.PERSON and investor.date_of_birth is None:
        raise ValidationError({"date_of_birth": _("A natural person needs a date of birth.")})
    investor.passport_hash = keyed_hash(investor.passport_number)
    arn = investor.alien_registration_number
    investor.alien_registration_hash = keyed_hash(arn) if arn else ""
    identity_hash = keyed_hash(investor.nationality, investor.passport_number)
    if identity_hash != investor.person.identity_hash:
        if Investor.objects.filter(
            institution=investor.institution_id, person__identity_hash=identity_hash
        ).exists():
            raise ValidationError(
                {
                    "passport_number": _(
                        "Your ledger already has a client with this passport: merge the two "
                        "records instead."
                    )
                }
            )
        investor.person, _created = Person.objects.get_or_create(
            identity_hash=identity_hash, defaults={"nationality": investor.nationality}
        )
        for grant in StatusGrant.all_objects.filter(investor=investor):
            grant.person = investor.person
            save(grant, by=by, verb="correct_investor", reason=reason)
    return save(investor, by=by, verb="correct_investor", reason=reason, action="corrected")


@transaction.atomic
def merge_investors(*, by: User, survivor: Investor, duplicate: Investor, reason: str) -> Investor:
    """Merge a duplicate client record into the one kept: its investments, grants and family
    move to ``survivor``; the duplicate stays on record (``merged_into``) but is left out of
    every list. Filed reports keep the names they were filed with."""
    require_institution(by)
    check_own(by, survivor, "investor")
    check_own(by, duplicate, "duplicate")
    reason = require_reason(reason)
    if survivor.pk == duplicate.pk:
        raise ValidationError({"duplicate": _("Choose another record than the one kept.")})
    records = {
        i.pk: i
        for i in Investor.all_objects.select_for_update().filter(pk__in=[survivor.pk, duplicate.pk])
    }
    survivor, duplicate = records[survivor.pk], records[duplicate.pk]
    if survivor.merged_into_id is not None or duplicate.merged_into_id is not None:
        raise ValidationError({"duplicate": _("This record was merged into another one.")})
    for investment in Investment.objects.filter(investor=duplicate):
        investment.investor = survivor
        save(investment, by=by, verb="merge_investors", reason=reason)
    for grant in StatusGrant.all_objects.filter(investor=duplicate):
        grant.investor, grant.person_id = survivor, survivor.person_id
        save(grant, by=by, verb="merge_investors", reason=reason)
    for relative in duplicate.related_persons.all():
        relative.investor = survivor
        save(relative, by=by, verb="merge_investors", reason=reason)
    duplicate.merged_into = survivor
    save(duplicate, by=by, verb="merge_investors", reason=reason, action="merged")
    return survivor


VOIDABLE = (Payment, Recovery, Lapse, StatusGrant)


@transaction.atomic
def void_entry(*, by: User, entry: Model, reason: str) -> Model:
    """Void a wrong payment, recovery, lapse or grant: it stays on record with who voided it,
    when and why, and no longer counts anywhere. A payment cannot be voided while a recovery
    depends on it (void the recovery first). Institutions void their own entries; grants are
    voided by officers and HQ, who record them."""
    model = type(entry)
    if model not in VOIDABLE:
        raise ValidationError(
            {"entry": _("Only payments, recoveries, lapses and grants are voided.")}
        )
    reason = require_reason(reason)
    if model is StatusGrant:
        require_officer(by)
        if not StatusGrant.all_objects.visible_to(by).filter(pk=entry.pk).exists():
            raise ValidationError({"entry": _("No such grant among those you see.")})
    else:
        require_institution(by)
        check_own(by, entry.investment, "investment")
    investment = locked(entry.investment) if model in (Payment, Recovery) else None
    entry = model.all_objects.select_for_update().get(pk=entry.pk)
    if entry.voided_at is not None:
        raise ValidationError({"reason": _("This entry is already voided.")})
    entry.voided_at, entry.voided_by, entry.void_reason = timezone.now(), by, reason
    save(entry, by=by, verb="void_entry", reason=reason, action="voided")
    if investment is not None:
        if model is Payment:
            for day in investment.recoveries.values_list("recovered_on", flat=True):
                if held_on(investment, day) < 0:
                    raise ValidationError(
                        {
                            "reason": _(
                                "Without this payment the recovery of %(day)s exceeds what was "
                                "paid: void that recovery first."
                            )
                            % {"day": day.isoformat()}
                        }
                    )
        refresh_full_recoveries(investment, by=by, reason=reason)
    return entry


def refresh_full_recoveries(investment: Investment, *, by: User, reason: str) -> None:
    """A recovery is full when nothing is held after it: recomputed after a void."""
    paid = list(investment.payments.values_list("paid_on", "amount_krw"))
    recovered = 0
    for recovery in investment.recoveries.order_by("recovered_on", "pk"):
        recovered += recovery.amount_krw
        held = sum(a for day, a in paid if day <= recovery.recovered_on) - recovered
        if recovery.is_full != (held == 0):
            recovery.is_full = held == 0
            save(recovery, by=by, verb="void_entry", reason=reason)
