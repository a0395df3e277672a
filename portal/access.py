"""The access gate: which rows a user may see (SPEC §7).

* HQ sees everything.
* An institution (sales company, project operator, KDB) sees what it recorded.
* An officer sees what is routed to the office or its branches (zone jurisdiction,
  KDB → Sejongno Branch, an operator's registered office).
* Anybody else sees nothing.

Models call :func:`scope` from their ``visible_to`` query-set method, so pages, API, exports
and the admin share one definition.
"""

from django.conf import settings
from django.db.models import Q

NOTHING = Q(pk__in=[])


def office_jurisdiction(user):
    """Ids of the officer's office and its branches (cached on the user for the request)."""
    cached = getattr(user, "_jurisdiction", None)
    if cached is None:
        cached = user.organisation.office.jurisdiction()
        user._jurisdiction = cached
    return cached


def scope(user, *, institution, office=None):
    """A ``Q`` for the rows ``user`` may see.

    ``institution`` and ``office`` are lookup paths from the model to the recording
    institution's id and to the competent office's id (``None`` where officers reach the
    model some other way, which the model's query set handles itself).
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    if user.is_hq:
        return Q()
    if user.is_officer:
        return Q(**{f"{office}__in": office_jurisdiction(user)}) if office else NOTHING
    if user.is_institution:
        return Q(**{institution: user.organisation_id})
    return NOTHING


# --- role predicates ----------------------------------------------------------------------
# Every "who may do this" question outside a query set is asked through one of these, so a
# change of policy is made here once and the permission sweep (tests/test_permission_sweep.py)
# covers it everywhere.


def is_signed_in(user):
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def keeps_ledger(user):
    """A sales company, project operator or KDB: the institutions that keep a ledger."""
    return is_signed_in(user) and user.is_institution


def reviews(user):
    """An immigration officer or HQ: those who receive reports, grant status and sanction."""
    return is_signed_in(user) and (user.is_officer or user.is_hq)


def reviews_for_office(user, office_id):
    """Whether ``user`` acknowledges or returns what was sent to the office ``office_id``:
    HQ for every office, an officer for the office and its branches (issue 11.2)."""
    return reviews(user) and (user.is_hq or office_id in office_jurisdiction(user))


def needs_second_factor(user):
    """HQ and officers, when the deployment requires a second factor (issue 9.4): they see
    identification numbers of every institution's investors."""
    return settings.REQUIRE_SECOND_FACTOR and reviews(user)


def is_headquarters(user):
    return is_signed_in(user) and user.is_hq


def owns(user, row):
    """``row`` was recorded by the user's own institution (the ledger keeper of that row)."""
    return keeps_ledger(user) and row.institution_id == user.organisation_id


def may_use_admin(user):
    """Only HQ administrators reach the admin site. Companies, KDB and officers work in the
    portal's own pages, which show them exactly what the gate allows; the admin is a tool for
    reference data and accounts. ``is_staff`` alone is not enough: an account wrongly marked
    staff still stays out."""
    return is_headquarters(user) and user.is_staff


def may_be_staff(user):
    """The rule enforced when an account is saved (``User.clean``) and by the demo builder."""
    return user.is_hq


def may_reveal(user):
    """An immigration officer or HQ may reveal an investor's clear passport or alien
    registration number, stating why (SPEC §7); the investor still comes through the gate,
    so an officer reaches only investors routed to the office. Companies and KDB entered the
    number and never get it back in clear."""
    return reviews(user)


def reads_are_logged(user):
    """Officers and HQ see people across institutions: each read of an investor's record by
    them is written to the personal-data access log, as a reveal is."""
    return reviews(user)
