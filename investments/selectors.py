"""Read models of the ledger: the rows tables, lists and exports show, through the access
gate. Pages, the API and the exports start from these query sets, so a column means the same
everywhere."""

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from django.db.models import Model, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from .choices import Relation, StatusRole
from .models import Investment, Payment, Recovery, StatusCode, StatusGrant

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


def family_rows(
    investor: "Investor", investments: Iterable[Investment]
) -> list[tuple["RelatedPerson", list[str]]]:
    """The investor's recorded relatives, each with the family statuses its relation opens
    under the programs the investor has invested in: the ``StatusCode`` rows whose role is
    family (F-2-81 tourism, F-2-13 public interest), read from the reference data."""
    programs = {investment.program for investment in investments}
    codes = [
        code.code
        for code in StatusCode.objects.filter(
            role=StatusRole.FAMILY, legacy=False, program__code__in=programs
        ).order_by("code")
    ]
    return [
        (person, codes if person.relation in FAMILY_RELATIONS else [])
        for person in investor.related_persons.order_by("relation", "date_of_birth", "pk")
    ]
