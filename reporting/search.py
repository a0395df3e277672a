"""Finding things from the box on every page (issue 11, item 5).

One query text is matched against what people quote on the telephone: an investor's name, a
passport or alien registration number (exact, through the keyed hash, so the clear number is
never compared or stored), an institution's name, a withdrawal report number ``WR-123`` and a
notice receipt number ``MN-…``. Every match passes through the rows' ``visible_to``, so the box
finds nothing a user could not open.

The box posts its text (see ``views.search``): a passport number typed there never appears in
a URL, a browser history or an access log.
"""

import re
from dataclasses import dataclass, field

from django.db.models import Q

from investments.models import Investor
from portal.choices import INSTITUTION_KINDS
from portal.crypto import keyed_hash
from portal.models import Organisation

from .models import MonthlyNotice, WithdrawalReport

REPORT_NUMBER = re.compile(r"^(?:WR-?)?(\d{1,9})$", re.IGNORECASE)
RESULTS_PER_KIND = 20  # a search box narrows; the lists and their filters page through more
MIN_LENGTH = 2  # one letter would match half the ledger
MAX_LENGTH = 100


@dataclass
class Found:
    """What one search found, kind by kind, each list at most ``RESULTS_PER_KIND`` long."""

    text: str
    investors: list = field(default_factory=list)
    institutions: list = field(default_factory=list)
    reports: list = field(default_factory=list)
    notices: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.investors or self.institutions or self.reports or self.notices)


def find(user, text: str) -> Found:
    text = " ".join(text.split())[:MAX_LENGTH]
    found = Found(text=text)
    if len(text) < MIN_LENGTH:
        return found
    limit = RESULTS_PER_KIND
    found.investors = list(investors(user, text)[:limit])
    found.institutions = list(institutions(user, text)[:limit])
    found.reports = list(reports(user, text)[:limit])
    found.notices = list(notices(user, text)[:limit])
    return found


def investors(user, text):
    digest = keyed_hash(text)
    return (
        Investor.objects.visible_to(user)
        .filter(
            Q(full_name__icontains=text)
            | Q(passport_hash=digest)
            | Q(alien_registration_hash=digest)
        )
        .select_related("institution")
        .order_by("full_name", "pk")
    )


def institutions(user, text):
    """Institutions by English or Korean name. An institution's own people find only their
    own organisation; officers and HQ find every institution (their names are public)."""
    named = Organisation.objects.filter(
        Q(name__icontains=text) | Q(name_ko__icontains=text), kind__in=INSTITUTION_KINDS
    )
    if user.is_institution:
        named = named.filter(pk=user.organisation_id)
    return named.order_by("name")


def reports(user, text):
    """A withdrawal report by its number, ``WR-123`` (the obligation's id): its latest version."""
    number = REPORT_NUMBER.match(text)
    if not number:
        return WithdrawalReport.objects.none()
    return (
        WithdrawalReport.objects.visible_to(user)
        .filter(obligation_id=int(number[1]))
        .select_related("obligation__institution")
        .order_by("-version")[:1]
    )


def notices(user, text):
    """A submitted notice by (a part of) its receipt number."""
    if len(text) < 4 or not text.upper().startswith("MN"):
        return MonthlyNotice.objects.none()
    return (
        MonthlyNotice.objects.visible_to(user)
        .filter(receipt_number__icontains=text)
        .select_related("institution")
        .order_by("-period", "-version")
    )
