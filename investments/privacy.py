"""Access to identification numbers (PIPA art. 24, SPEC §7, docs/security.md).

Passport and alien registration numbers are shown masked everywhere. An officer or HQ user
who needs the clear value *reveals* it for one investor, stating why; officers' and HQ's reads
of an investor's record are logged too. Both write a :class:`PersonalDataAccess` row (who,
when, from where, whose record, what, why), append-only and kept
``PERSONAL_DATA_ACCESS_RETENTION_DAYS`` days, after which :func:`purge_access_log` (a daily
job and the ``purge_personal_data_log`` command) deletes it.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.access import may_reveal, reads_are_logged
from portal.choices import PersonalDataAction

from .models import Investor, PersonalDataAccess

#: What may be revealed: the name a caller uses, the investor's field and the logged action.
NUMBERS = {
    "passport": ("passport_number", PersonalDataAction.REVEAL_PASSPORT),
    "alien_registration": (
        "alien_registration_number",
        PersonalDataAction.REVEAL_ALIEN_REGISTRATION,
    ),
}

PURPOSE_MAX_LENGTH = PersonalDataAccess._meta.get_field("purpose").max_length


def reveal_number(*, by, investor, number, purpose, address=None):
    """The clear value of one of ``investor``'s identification numbers, for ``by`` who states
    ``purpose``; the reveal is logged before the value is returned. Refused (403) to anyone
    but officers and HQ, and for an investor the gate does not show ``by`` (an officer of
    another office)."""
    if not may_reveal(by):
        raise PermissionDenied(
            _("Only an immigration officer or HQ may reveal an identification number.")
        )
    if not Investor.all_objects.visible_to(by).filter(pk=investor.pk).exists():
        raise PermissionDenied(_("This investor is not routed to your office."))
    if number not in NUMBERS:
        raise ValidationError(
            {"number": _("Choose the passport or the alien registration number.")}
        )
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationError({"purpose": _("State why you need the clear number.")})
    if len(purpose) > PURPOSE_MAX_LENGTH:
        raise ValidationError(
            {"purpose": _("Say it in at most %(n)d characters.") % {"n": PURPOSE_MAX_LENGTH}}
        )
    field, action = NUMBERS[number]
    PersonalDataAccess.objects.create(
        user=by, investor=investor, action=action, purpose=purpose, address=address
    )
    return getattr(investor, field)


def log_read(*, by, investor, address=None, api=False):
    """Note that ``by`` read ``investor``'s record, when reads by ``by`` are logged."""
    if reads_are_logged(by):
        PersonalDataAccess.objects.create(
            user=by,
            investor=investor,
            action=PersonalDataAction.READ_API if api else PersonalDataAction.READ_PAGE,
            address=address,
        )


def retention():
    return timedelta(days=settings.PERSONAL_DATA_ACCESS_RETENTION_DAYS)


def purge_access_log(now=None):
    """Delete the access records older than the retention period; returns how many."""
    now = now or timezone.now()
    return PersonalDataAccess.objects.purge(before=now - retention())
