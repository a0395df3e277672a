"""Checks and the save step shared by the ledger verbs, and the choice tables they read."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import pycountry
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit, money
from portal.access import keeps_ledger, reviews
from portal.money import format_krw

from ..choices import InvestorClass, PaymentKind, ProgramCode
from ..models import RecoveryReasonRule, RuleSetting

if TYPE_CHECKING:
    from django.db.models import Model

    from portal.models import Organisation, User


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


def recovery_reasons(program: str) -> set[str]:
    """The reasons a recovery may give in ``program``: rows of *Recovery reasons of the
    programs* (seed §6.H names sale, contract cancellation and transfer of membership rights;
    §7.S early repayment; the rest is our [decision], docs/rules.md), HQ edits them."""
    rows = RecoveryReasonRule.objects.filter(program_id=program)
    return set(rows.values_list("reason", flat=True))


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
            {"amount_krw": _("A KDB deposit is at least %(least)s.") % {"least": format_krw(least)}}
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


def check_identifiers(
    passport_number: str, nationality: str, alien_registration_number: str
) -> None:
    """A new client's documents: the passport number in the shape of the holder's country and,
    when one is given, the alien registration number."""
    check_passport_number(passport_number, nationality)
    if alien_registration_number:
        check_alien_registration_number(alien_registration_number)


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
