"""Read models of the ledger: the rows tables, lists and exports show, through the access
gate. Pages, the API and the exports start from these query sets, so a column means the same
everywhere."""

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple

from django.db.models import Model, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from .choices import Relation, StatusRole
from .models import Investment, Payment, Recovery, RuleSetting, StatusCode, StatusGrant
from .rules.dates import anniversary

if TYPE_CHECKING:
    from portal.models import User

    from .models import Investor, RelatedPerson


def total(model: type[Model], field: str) -> Coalesce:
    """The sum of ``field`` over ``model``'s rows of each investment (0 when there are none),
    as a subquery: one query for the whole table, whatever its size."""
    rows = model.objects.filter(investment=OuterRef("pk")).values("investment")
    return Coalesce(Subquery(rows.annotate(s=Sum(field)).values("s")), Value(0))


def investment_table(user: "User") -> QuerySet[Investment]:
    """Investments the user may see, with what was paid and recovered (as in the API)."""
    return (
        Investment.objects.visible_to(user)
        .select_related(
            "investor", "institution", "zone", "project", "office", "unit__facility_type"
        )
        .annotate(
            paid_krw=total(Payment, "amount_krw"),
            recovered_krw=total(Recovery, "amount_krw"),
        )
    )


class Event(NamedTuple):
    """One line of the investor's timeline; the template words it by ``kind``."""

    on: date
    kind: str  # grant, payment, lapse, lapse_end, recovery
    row: object  # the StatusGrant, Payment, Lapse or Recovery
    investment: Investment | None = None


ORDER = {"grant": 0, "payment": 1, "lapse": 2, "lapse_end": 3, "recovery": 4}


def timeline(investments: Iterable[Investment], grants: Iterable[StatusGrant]) -> list[Event]:
    """Payments, recoveries, grants and lapse starts and ends in one chronological list (the
    investments with their payments, recoveries and lapses prefetched)."""
    events = [Event(grant.granted_on, "grant", grant) for grant in grants]
    for inv in investments:
        events += [Event(p.paid_on, "payment", p, inv) for p in inv.payments.all()]
        events += [Event(r.recovered_on, "recovery", r, inv) for r in inv.recoveries.all()]
        for lapse in inv.lapses.all():
            events.append(Event(lapse.started_on, "lapse", lapse, inv))
            if lapse.ended_on:
                events.append(Event(lapse.ended_on, "lapse_end", lapse, inv))
    return sorted(events, key=lambda event: (event.on, ORDER[event.kind]))


#: Relations that follow the investor as family (seed §6 heading, §7.S(3)); executives and
#: shareholders of a corporate investor are recorded but get no family status.
FAMILY_RELATIONS = (Relation.SPOUSE, Relation.CHILD)


def permanent_grant(person_id: int, on: date) -> StatusGrant | None:
    """The permanent-residence grant (a status code of role *permanent*) the person holds on
    ``on``, or None."""
    return (
        StatusGrant.objects.filter(
            person_id=person_id, code__role=StatusRole.PERMANENT, granted_on__lte=on
        )
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on))
        .order_by("granted_on", "pk")
        .first()
    )


class FamilyStatus(NamedTuple):
    code: str
    until: date | None  # the last day it may be held, when the regulation sets one


def family_statuses(
    relatives: Iterable["RelatedPerson"],
    *,
    as_of: date,
    programs: dict[int, set[str]] | None = None,
) -> dict[int, list[FamilyStatus]]:
    """The family statuses each relative's relation opens on ``as_of``, by relative id, read
    from the ``StatusCode`` rows:

    * while the investor is not a permanent resident, the family codes of the programs the
      investor has invested in (F-2-81 tourism, seed §6 heading; F-2-13 public interest,
      §7 heading, §7.S(3));
    * once the investor holds an F-5 grant, the codes for the family of a permanent resident
      (F-2-3, the F-2 table's "Spouse and Minor Children of Permanent Residents"): a spouse,
      and a child until the day before the rule setting ``age_of_majority`` (Civil Act art. 4);
      an adult child gets none.

    A fixed number of queries whatever the number of relatives and investors, so the API list
    and the investor page cost the same. ``programs`` (investor id → program codes) is given
    when the caller already holds the investments it may show."""
    relatives = list(relatives)
    investors = {person.investor_id for person in relatives}
    if not relatives:
        return {}
    person_of = {person.investor_id: person.investor.person_id for person in relatives}
    permanent = set(
        StatusGrant.objects.filter(
            person_id__in=set(person_of.values()),
            code__role=StatusRole.PERMANENT,
            granted_on__lte=as_of,
        )
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=as_of))
        .values_list("person_id", flat=True)
    )
    if programs is None:
        programs = {}
        rows = Investment.objects.filter(investor_id__in=investors).values_list(
            "investor_id", "program"
        )
        for investor_id, program in rows.distinct():
            programs.setdefault(investor_id, set()).add(program)
    codes = list(
        StatusCode.objects.filter(
            legacy=False, role__in=[StatusRole.FAMILY, StatusRole.FAMILY_OF_PERMANENT]
        )
        .order_by("code")
        .values_list("code", "role", "program__code")
    )
    majority = None
    if permanent:
        majority = (
            RuleSetting.objects.filter(key="age_of_majority")
            .values_list("value", flat=True)
            .first()
        )

    def statuses(person: "RelatedPerson") -> list[FamilyStatus]:
        if person.relation not in FAMILY_RELATIONS:
            return []
        if person_of[person.investor_id] not in permanent:
            held = programs.get(person.investor_id, set())
            return [
                FamilyStatus(code, None)
                for code, role, program in codes
                if role == StatusRole.FAMILY and program in held
            ]
        until = None
        if majority is not None and person.relation == Relation.CHILD:
            adult_on = anniversary(person.date_of_birth, int(majority))
            if adult_on <= as_of:
                return []
            until = adult_on - timedelta(days=1)
        return [
            FamilyStatus(code, until)
            for code, role, _program in codes
            if role == StatusRole.FAMILY_OF_PERMANENT
        ]

    return {person.pk: statuses(person) for person in relatives}


def family_rows(
    investor: "Investor", investments: Iterable[Investment], *, as_of: date
) -> list[tuple["RelatedPerson", list[FamilyStatus]]]:
    """The investor's recorded relatives, each with its family statuses on ``as_of``
    (``family_statuses``), judged by the investments the page shows."""
    # spouse, children, executives, shareholders (the order of ``Relation``), eldest first
    rank = {relation: index for index, relation in enumerate(Relation.values)}
    relatives = sorted(
        investor.related_persons.all(),
        key=lambda person: (rank.get(person.relation, len(rank)), person.date_of_birth, person.pk),
    )
    programs = {investor.pk: {investment.program for investment in investments}}
    found = family_statuses(relatives, as_of=as_of, programs=programs)
    return [(person, found[person.pk]) for person in relatives]
