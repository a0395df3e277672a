"""All deadlines in one view, for every role, and their .xlsx export.

Institutions see their own obligations, officers those routed to their office, HQ all of them
(``Obligation.objects.visible_to``). The page, the API (``GET /api/v1/obligations/``) and the
export share ``reporting.filters.ObligationFilter``, plus one quick filter — past due, upcoming,
filed — so what a user filters is exactly what a user exports.

"Past due" is an open obligation whose due day has passed, whether or not the nightly sweep has
marked it overdue yet: the page tells the truth between two sweeps.
"""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import render
from django.utils import timezone

from investments.choices import ProgramCode
from portal.models import Office, Organisation
from portal.web import page_of

from ..choices import ExportKind, ObligationKind, ObligationState
from ..filters import QUICK_FILTERS, filtered_obligations
from ..models import MonthlyNotice, Obligation, WithdrawalReport
from .exports import deliver


def with_subjects(queryset):
    """Obligations with what their rows show: the investor and recovery of a withdrawal
    report, the latest filed version, the latest notice version (two extra queries a page)."""
    return queryset.select_related(
        "institution", "recipient_office", "recovery__investment__investor"
    ).prefetch_related(
        Prefetch(
            "reports",
            WithdrawalReport.objects.order_by("-version").only("pk", "obligation_id", "version"),
            to_attr="versions",
        ),
        Prefetch(
            "notices",
            MonthlyNotice.objects.order_by("-version").only(
                "pk", "obligation_id", "version", "state"
            ),
            to_attr="notice_versions",
        ),
    )


def filtered(request):
    """``(filterset, rows)``: the rows the page shows (the export writes the same rows)."""
    filterset, rows = filtered_obligations(
        request.user, request.GET, today=timezone.localdate()
    )
    return filterset, with_subjects(rows)


def filter_choices(user):
    visible = Obligation.objects.visible_to(user)
    return {
        "kinds": ObligationKind.choices,
        "states": ObligationState.choices,
        "programs": ProgramCode.choices,
        "institutions": (
            []
            if user.is_institution
            else Organisation.objects.filter(pk__in=visible.values("institution_id"))
        ),
        "offices": (
            Office.objects.filter(pk__in=visible.values("recipient_office_id"))
            if user.is_hq
            else []
        ),
    }


@login_required
def obligation_list(request):
    filterset, rows = filtered(request)
    query = request.GET.copy()
    query.pop("page", None)
    tabs_query = query.copy()
    tabs_query.pop("when", None)
    return render(
        request,
        "reporting/obligation_list.html",
        {
            "filterset": filterset,
            "page": page_of(request, rows),
            "when": request.GET.get("when", ""),
            "quick_filters": QUICK_FILTERS.items(),
            "export_query": query.urlencode(),
            "tabs_query": tabs_query.urlencode(),
            "today": timezone.localdate(),
            "soon": timezone.localdate() + timedelta(days=7),
            **filter_choices(request.user),
        },
    )


@login_required
def obligation_export(request):
    """Exactly the rows the same filters show on the page, as .xlsx."""
    return deliver(request, ExportKind.DEADLINES, request.GET)
