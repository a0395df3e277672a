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
from django.utils.translation import gettext as _

from investments.choices import ProgramCode
from portal.web import filter_form, organisation_filters, page_of, query_without

from ..choices import ExportKind
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
    filterset, rows = filtered_obligations(request.user, request.GET, today=timezone.localdate())
    return filterset, with_subjects(rows)


def obligation_filters(filterset, user):
    """The deadlines' filter form: institutions for those who see several, recipient offices
    for HQ, as drop-downs in the page's language."""
    visible = Obligation.objects.visible_to(user)
    who, choices = organisation_filters(
        user, visible, office="recipient_office", office_label=_("Recipient office")
    )
    labels = {"kind": _("Kind"), "state": _("State"), "program": _("Program"), **who}
    labels["due_on"] = _("Due")
    choices["program"] = ProgramCode.choices
    dates = (_("Due from"), _("Due to"))
    return filter_form(filterset, labels=labels, choices=choices, ranges={"due_on": dates})


@login_required
def obligation_list(request):
    filterset, rows = filtered(request)
    when = request.GET.get("when", "")
    context = {
        "filterset": filterset,
        "filter_form": obligation_filters(filterset, request.user),
        "keep": [("when", when)],
        "page": page_of(request, rows),
        "when": when,
        "quick_filters": QUICK_FILTERS.items(),
        "export_query": query_without(request.GET, "page"),
        "tabs_query": query_without(request.GET, "page", "when"),
        "today": timezone.localdate(),
        "soon": timezone.localdate() + timedelta(days=7),
    }
    return render(request, "reporting/obligation_list.html", context)


@login_required
def obligation_export(request):
    """Exactly the rows the same filters show on the page, as .xlsx."""
    return deliver(request, ExportKind.DEADLINES, request.GET)
