"""The ledger's tables: investors and investments, filtered by the same FilterSets as the API
and the export, read through the access gate (``visible_to``)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from portal.names import name_choices
from portal.web import filter_form, organisation_filters, page_of, query_without

from ..filters import InvestmentFilter, InvestorFilter
from ..models import Investment, Investor, Project, Zone
from ..selectors import investment_table

#: The investor filters a page shows (the passport number is looked up by POST, below them).
INVESTOR_FILTER_LABELS = {
    "nationality": _("Nationality (e.g. CN)"),
    "kind": _("Kind"),
    "full_name": _("Name contains"),
    "merged": _("Merged"),
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
    return render(
        request,
        "investments/investor_list.html",
        {
            "filterset": filterset,
            "filter_form": filter_form(filterset, labels=INVESTOR_FILTER_LABELS),
            "page": page_of(request, filterset.qs),
            "passport_searched": bool(data.get("passport_number")),
        },
    )


def investment_filters(filterset, user):
    """The investment table's filter form: reference rows as drop-downs in the page's
    language; institutions for those who see several, offices for HQ."""
    visible = Investment.objects.visible_to(user)
    who, choices = organisation_filters(
        user, visible, office="office", office_label=_("Competent office")
    )
    labels = {
        "program": _("Program"),
        "zone": _("Zone"),
        "project": _("Project"),
        "investor_class": _("Investor class"),
        **who,
        "contract_date": _("Contract date"),
    }
    choices["zone"] = name_choices(Zone.objects.all(), "code")
    choices["project"] = name_choices(Project.objects.all(), "code")
    dates = (_("Contract date from"), _("Contract date to"))
    return filter_form(
        filterset,
        labels=labels,
        choices=choices,
        ranges={"contract_date": dates},
        carry=["investor"],
    )


@login_required
def investment_list(request):
    filterset = InvestmentFilter(request.GET, queryset=investment_table(request.user))
    rows = filterset.qs
    totals = rows.aggregate(
        contract=Sum("contract_amount_krw"), paid=Sum("paid_krw"), recovered=Sum("recovered_krw")
    )
    context = {
        "filterset": filterset,
        "filter_form": investment_filters(filterset, request.user),
        "page": page_of(request, rows),
        "totals": totals,
        "export_query": query_without(request.GET, "page"),
    }
    return render(request, "investments/investment_list.html", context)
