"""The access gate: which rows a user may see (SPEC §7).

* HQ sees everything.
* An institution (sales company, project operator, KDB) sees what it recorded.
* An officer sees what is routed to the office or its branches (zone jurisdiction,
  KDB → Sejongno Branch, an operator's registered office).
* Anybody else sees nothing.

Models call :func:`scope` from their ``visible_to`` query-set method, so pages, API, exports
and the admin share one definition.
"""

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
