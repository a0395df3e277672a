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
from django.db.models import Case, F, IntegerField, Prefetch, Q, Value, When
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from investments.choices import ProgramCode
from portal.models import Office, Organisation

from ..choices import OPEN_STATES, ObligationKind, ObligationState
from ..exports import XLSX_MIME, Money, Sheet, render_xlsx
from ..filters import ObligationFilter
from ..models import MonthlyNotice, Obligation, WithdrawalReport
from .ledger import page_of

FILED = (ObligationState.FILED_ON_TIME, ObligationState.FILED_LATE)
QUICK_FILTERS = {
    "past_due": gettext_lazy("Past due"),
    "upcoming": gettext_lazy("Upcoming"),
    "filed": gettext_lazy("Filed"),
}


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


def past_due(queryset, today):
    return queryset.filter(state__in=OPEN_STATES, due_on__lt=today)


def quick_filter(queryset, name, today):
    if name == "past_due":
        return past_due(queryset, today).order_by("due_on", "pk")
    if name == "upcoming":
        return queryset.filter(state__in=OPEN_STATES, due_on__gte=today).order_by("due_on", "pk")
    if name == "filed":
        return queryset.filter(state__in=FILED).order_by("-due_on", "-pk")
    # Open ones first, earliest due first; then filed ones, latest due first.
    still_open = Q(state__in=OPEN_STATES)
    return queryset.annotate(
        closed=Case(When(still_open, then=Value(0)), default=Value(1), output_field=IntegerField()),
        open_due=Case(When(still_open, then=F("due_on"))),
        filed_due=Case(When(~still_open, then=F("due_on"))),
    ).order_by(
        "closed", F("open_due").asc(nulls_last=True), F("filed_due").desc(nulls_last=True), "pk"
    )


def filtered(request):
    """``(filterset, rows)``: the rows the page shows and the export writes."""
    queryset = with_subjects(Obligation.objects.visible_to(request.user))
    filterset = ObligationFilter(request.GET, queryset=queryset)
    today = timezone.localdate()
    return filterset, quick_filter(filterset.qs, request.GET.get("when", ""), today)


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


# --- the export -------------------------------------------------------------------------------


def header():
    return [
        _("Obligation no."),
        _("Kind"),
        _("State"),
        _("Due on"),
        _("Days left (negative: overdue)"),
        _("Filed on"),
        _("Institution"),
        _("Recipient office"),
        _("Program"),
        _("Month"),
        _("Investor"),
        _("Recovered on"),
        _("Amount recovered (KRW)"),
    ]


def export_rows(rows, today):
    programs = dict(ProgramCode.choices)
    for obligation in rows.iterator(chunk_size=500):
        recovery = obligation.recovery
        still_open = obligation.state in OPEN_STATES
        yield [
            obligation.pk,
            obligation.get_kind_display(),
            obligation.get_state_display(),
            obligation.due_on,
            (obligation.due_on - today).days if still_open else None,
            obligation.filed_on,
            obligation.institution.name,
            obligation.recipient_office.name,
            str(programs.get(obligation.program, obligation.program)),
            obligation.period.strftime("%Y-%m") if obligation.period else "",
            recovery.investment.investor.full_name if recovery else "",
            recovery.recovered_on if recovery else None,
            Money(recovery.amount_krw) if recovery else None,
        ]


@login_required
def obligation_export(request):
    """Exactly the rows the same filters show on the page, as .xlsx."""
    filterset, rows = filtered(request)
    if not filterset.is_valid():
        return HttpResponseBadRequest(_("Correct the filters before exporting."))
    today = timezone.localdate()
    content = render_xlsx(
        [
            Sheet(
                title=str(_("Deadlines")),
                header=[[str(h) for h in header()]],
                rows=export_rows(rows, today),
                widths=[10, 28, 16, 12, 12, 12, 30, 30, 30, 10, 26, 14, 20],
            )
        ]
    )
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="deadlines-{today.isoformat()}.xlsx"'
    return response
