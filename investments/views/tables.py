"""The ledger's tables: investors and investments, filtered by the same FilterSets as the API
and the export, read through the access gate (``visible_to``)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from portal.models import Office, Organisation
from portal.web import filter_form, page_of

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
    labels = {
        "program": _("Program"),
        "zone": _("Zone"),
        "project": _("Project"),
        "investor_class": _("Investor class"),
    }
    choices = {
        "zone": [(zone.code, zone.local_name) for zone in Zone.objects.order_by("name")],
        "project": [(p.code, p.local_name) for p in Project.objects.order_by("name")],
    }
    if not user.is_institution:
        labels["institution"] = _("Institution")
        institutions = Organisation.objects.filter(pk__in=visible.values("institution_id"))
        choices["institution"] = [(o.pk, o.local_name) for o in institutions.order_by("name")]
    if user.is_hq:
        labels["office"] = _("Competent office")
        offices = Office.objects.filter(pk__in=visible.values("office_id"))
        choices["office"] = [(o.code, o.local_name) for o in offices.order_by("name")]
    labels["contract_date"] = _("Contract date")
    return filter_form(
        filterset,
        labels=labels,
        choices=choices,
        ranges={"contract_date": (_("Contract date from"), _("Contract date to"))},
        carry=["investor"],
    )


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
            "filter_form": investment_filters(filterset, request.user),
        },
    )
