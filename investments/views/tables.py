"""The ledger's tables: investors and investments, filtered by the same FilterSets as the API
and the export, read through the access gate (``visible_to``)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from portal.models import Office, Organisation
from portal.web import page_of

from ..choices import InvestorClass, ProgramCode
from ..filters import InvestmentFilter, InvestorFilter
from ..models import Investment, Investor, Project, Zone
from ..selectors import investment_table

INVESTOR_FILTER_LABELS = {
    "full_name": gettext_lazy("Name contains"),
    "nationality": gettext_lazy("Nationality (e.g. CN)"),
    "kind": gettext_lazy("Kind"),
}


@login_required
def investor_list(request):
    user = request.user
    counted = (
        Investment.objects.visible_to(user)
        .filter(investor=OuterRef("pk"))
        .order_by()
        .values("investor")
        .annotate(n=Count("pk"))
        .values("n")
    )
    queryset = (
        Investor.objects.visible_to(user)
        .select_related("institution")
        .annotate(investment_count=Coalesce(Subquery(counted), Value(0)))
    )
    # A passport number is looked up by POST only: in a query string it would reach access
    # logs and browser histories. The table filters travel in the URL without it.
    data = request.GET.copy()
    data.pop("passport_number", None)
    passport = request.POST.get("passport_number", "").strip()
    if request.method == "POST" and passport:
        data["passport_number"] = passport
    filterset = InvestorFilter(data, queryset=queryset)
    for name, label in INVESTOR_FILTER_LABELS.items():
        filterset.form.fields[name].label = label
    return render(
        request,
        "investments/investor_list.html",
        {
            "filterset": filterset,
            "page": page_of(request, filterset.qs),
            "passport_searched": bool(data.get("passport_number")),
        },
    )


def investment_filter_choices(user):
    """The select boxes of the investment filters, from reference data."""
    visible = Investment.objects.visible_to(user)
    return {
        "programs": ProgramCode.choices,
        "classes": InvestorClass.choices,
        "zones": Zone.objects.order_by("name"),
        "projects": Project.objects.order_by("name"),
        "institutions": (
            Organisation.objects.filter(pk__in=visible.values("institution_id")).order_by("name")
            if not user.is_institution
            else []
        ),
        "offices": (
            Office.objects.filter(pk__in=visible.values("office_id")).order_by("name")
            if user.is_hq
            else []
        ),
    }


@login_required
def investment_list(request):
    filterset = InvestmentFilter(request.GET, queryset=investment_table(request.user))
    rows = filterset.qs
    totals = rows.aggregate(
        contract=Sum("contract_amount_krw"), paid=Sum("paid_krw"), recovered=Sum("recovered_krw")
    )
    export_query = request.GET.copy()
    export_query.pop("page", None)
    return render(
        request,
        "investments/investment_list.html",
        {
            "filterset": filterset,
            "page": page_of(request, rows),
            "totals": totals,
            "export_query": export_query.urlencode(),
            **investment_filter_choices(request.user),
        },
    )
