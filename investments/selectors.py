"""Read models of the ledger: the rows tables, lists and exports show, through the access
gate. Pages, the API and the exports start from these query sets, so a column means the same
everywhere."""

from django.db.models import OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from .models import Investment, Payment, Recovery


def total(model, field):
    """The sum of ``field`` over ``model``'s rows of each investment (0 when there are none),
    as a subquery: one query for the whole table, whatever its size."""
    rows = model.objects.filter(investment=OuterRef("pk")).values("investment")
    return Coalesce(Subquery(rows.annotate(s=Sum(field)).values("s")), Value(0))


def investment_table(user):
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
