"""Read models of the ledger: the rows tables, lists and exports show, through the access
gate. Pages, the API and the exports start from these query sets, so a column means the same
everywhere."""

from typing import TYPE_CHECKING

from django.db.models import Model, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from .models import Investment, Payment, Recovery

if TYPE_CHECKING:
    from portal.models import User


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
