"""Corrections (issue 11.3): each with a reason, nothing deleted."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.crypto import keyed_hash, normalise_identifier

from ..choices import InvestorKind
from ..models import (
    Investment,
    Investor,
    Lapse,
    Payment,
    Person,
    Recovery,
    StatusGrant,
)
from .checks import (
    check_alien_registration_number,
    check_nationality,
    check_not_future,
    check_own,
    check_passport_number,
    require_institution,
    require_officer,
    save,
)
from .holdings import (
    held_on,
    locked,
)
from .investors import INVESTOR_FIELDS

if TYPE_CHECKING:
    from django.db.models import Model

    from portal.models import User

# --- corrections (issue 11.3) -----------------------------------------------------------------

#: What ``correct_investor`` may change: every detail recorded of a client.
CORRECTABLE = INVESTOR_FIELDS


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
