"""Verbs on client records: registering an investor and recording a relative."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.crypto import keyed_hash, normalise_identifier

from ..choices import InvestorKind
from ..models import (
    Investor,
    Person,
    RelatedPerson,
)
from .checks import (
    Choice,
    check_identifiers,
    check_nationality,
    check_not_future,
    check_own,
    require_institution,
    save,
)

if TYPE_CHECKING:
    pass

    from portal.models import Office, User

# --- investors --------------------------------------------------------------------------------


#: What an institution records of a client: the arguments of ``register_investor`` (besides
#: ``by``) in the order forms show them; every one of them may be corrected (``CORRECTABLE``).
INVESTOR_FIELDS = (
    "kind",
    "full_name",
    "nationality",
    "date_of_birth",
    "passport_number",
    "alien_registration_number",
    "email",
    "residence_office",
)


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
    arn = normalise_identifier(alien_registration_number)
    check_identifiers(passport, nationality, arn)
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
