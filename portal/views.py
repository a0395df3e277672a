"""Entry pages: the role's home and HQ's overview across offices."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.shortcuts import redirect, render
from django.utils import timezone

from investments.models import Investment, Recovery
from reporting.choices import ObligationState
from reporting.models import Obligation

from .models import Office


@login_required
def home(request):
    """Each role lands on its own dashboard."""
    user = request.user
    if user.is_institution:
        return redirect("institution-dashboard")
    if user.is_officer:
        return redirect("office-dashboard")
    if user.is_hq:
        return redirect("hq-overview")
    raise PermissionDenied


@login_required
def hq_overview(request):
    """Every office at a glance: what is routed to it, what is late, who withdrew."""
    if not request.user.is_hq:
        raise PermissionDenied
    today = timezone.localdate()
    month_start = today.replace(day=1)
    investments = dict(
        Investment.objects.values_list("office").annotate(n=Count("pk")).order_by()
    )
    obligations = {
        row["recipient_office"]: row
        for row in Obligation.objects.values("recipient_office")
        .annotate(
            overdue=Count("pk", filter=Q(state=ObligationState.OVERDUE)),
            due=Count("pk", filter=Q(state=ObligationState.DUE)),
            late=Count("pk", filter=Q(state=ObligationState.FILED_LATE)),
        )
        .order_by()
    }
    recoveries = {
        row["investment__office"]: row
        for row in Recovery.objects.filter(recovered_on__gte=month_start)
        .values("investment__office")
        .annotate(n=Count("pk"), amount=Sum("amount_krw"))
        .order_by()
    }
    rows = []
    for office in Office.objects.filter(
        Q(pk__in=investments.keys()) | Q(pk__in=obligations.keys())
    ).select_related("parent"):
        counts = obligations.get(office.pk, {})
        recovered = recoveries.get(office.pk, {})
        rows.append(
            {
                "office": office,
                "investments": investments.get(office.pk, 0),
                "overdue": counts.get("overdue", 0),
                "due": counts.get("due", 0),
                "late": counts.get("late", 0),
                "recoveries": recovered.get("n", 0),
                "recovered_krw": recovered.get("amount") or 0,
            }
        )
    rows.sort(key=lambda row: (-row["overdue"], -row["investments"]))
    totals = {
        key: sum(row[key] for row in rows)
        for key in ("investments", "overdue", "due", "late", "recoveries", "recovered_krw")
    }
    return render(
        request,
        "portal/hq_overview.html",
        {"rows": rows, "totals": totals, "month_start": month_start},
    )
