"""The role dashboards: what an institution must file next, and what an office must look at.

Institution (sales company, operator, KDB): how many reports are past due or due within a
week and the next due day; every open obligation with its countdown and the action it calls
for; this month's and last month's notices; recent recoveries; quick links.

Office (officers; HQ sees the same over every office): past-due and this week's deadlines,
this month's recoveries, the institutions with late or missing reports, recent recoveries,
monthly trends of new investments by zone and by nationality as server-drawn charts
(``reporting.charts``), and the F-5 pipeline's summary (``reporting.pipeline``).

Everything is read through the access gate and counted by the database (aggregates), never by
loops over rows; the pipeline's counts are one aggregate over the stored eligibility facts.
"""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import TruncMonth
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from investments.choices import ProgramCode
from investments.models import Investment, Recovery
from portal.access import reviews
from portal.months import add_months, month_range, previous_month
from portal.names import country_name, reads_korean

from .. import charts, notices, review_queue
from .. import pipeline as f5
from ..choices import OPEN_STATES, ReviewState
from ..models import MonthlyNotice, Obligation
from .obligations import with_subjects
from .pipeline import tabs as pipeline_tabs
from .sanctions import compliance_rows

RECENT_DAYS = 30  # recoveries "recent" on the dashboards
DEADLINE_DAYS = 14  # how far ahead the office dashboard lists deadlines
WEEK = 7
TABLE_ROWS = 20
CHART_MONTHS = 12
TOP_NATIONALITIES = 5
TOP_ZONES = 7


def deadline_cards(obligations, today):
    """Past due, due within a week, and the next due day of open ``obligations``: one query."""
    week = today + timedelta(days=WEEK)
    return obligations.filter(state__in=OPEN_STATES).aggregate(
        past_due=Count("pk", filter=Q(due_on__lt=today)),
        this_week=Count("pk", filter=Q(due_on__gte=today, due_on__lte=week)),
        next_due=Min("due_on", filter=Q(due_on__gte=today)),
    )


def recent_recoveries(user, today):
    """The recoveries of the last ``RECENT_DAYS`` days, latest first, with their report
    obligation, for ``reporting/_recent_recoveries.html``."""
    since = today - timedelta(days=RECENT_DAYS)
    recoveries = Recovery.objects.visible_to(user).filter(recovered_on__gte=since)
    return {
        "recoveries": recoveries.select_related(
            "investment__investor", "investment__institution", "obligation"
        ).order_by("-recovered_on", "-pk")[:TABLE_ROWS],
        "recent_days": RECENT_DAYS,
    }


# --- the institution's dashboard --------------------------------------------------------------


def notice_status(user, organisation, today):
    """This month's and last month's notices per program and recipient office (seed §6.H: one
    per office): the latest version of each, or one row without a notice when none of the
    month and program is computed yet."""
    this_month = today.replace(day=1)
    months = [this_month, previous_month(this_month)]
    latest = {}
    for notice in (
        MonthlyNotice.objects.visible_to(user)
        .filter(period__in=months)
        .select_related("obligation", "recipient_office", "institution")
        .order_by("period", "program", "recipient_office__name", "-version")
    ):
        latest.setdefault((notice.period, notice.program, notice.recipient_office_id), notice)
    programs = dict(ProgramCode.choices)
    rows = []
    for month in months:
        for code in notices.programs_of(organisation):
            computed = [n for (m, c, _), n in latest.items() if (m, c) == (month, code)]
            for notice in computed or [None]:
                rows.append(
                    {
                        "period": month,
                        "program": programs.get(code, code),
                        "notice": notice,
                        "office": notice.recipient_office if notice else None,
                        "receipt": notices.receipt(notice) if notice else None,
                    }
                )
    return rows


def returned(rows, related):
    """The reports or notices the office returned for correction, latest review first."""
    return (
        review_queue.with_status(rows, ReviewState.RETURNED)
        .select_related(related)
        .order_by("-reviewed_at", "-pk")[:TABLE_ROWS]
    )


@login_required
def institution_dashboard(request):
    user = request.user
    if not user.is_institution:
        raise PermissionDenied(_("This dashboard is for institutions that keep a ledger."))
    today = timezone.localdate()
    obligations = Obligation.objects.visible_to(user)
    context = {
        "cards": deadline_cards(obligations, today),
        "open": with_subjects(obligations.open()).order_by("due_on", "pk")[: TABLE_ROWS * 2],
        "open_count": obligations.open().count(),
        "notices": notice_status(user, user.organisation, today),
        **recent_recoveries(user, today),
        "returned": returned(
            review_queue.latest_reports(user), "obligation__recovery__investment__investor"
        ),
        "returned_notices": returned(review_queue.latest_notices(user), "recipient_office"),
        "today": today,
    }
    return render(request, "reporting/institution_dashboard.html", context)


# --- the office's dashboard -------------------------------------------------------------------


def chart_months(today):
    return month_range(add_months(today, 1 - CHART_MONTHS), today)


def monthly_counts(investments, months, *fields):
    """New investments per month and ``fields``: one GROUP BY query."""
    return list(
        investments.filter(contract_date__gte=months[0])
        .annotate(month=TruncMonth("contract_date"))
        .values("month", *fields)
        .annotate(n=Count("pk"))
        .order_by()
    )


def place_name(row, korean):
    """A zone's or public-interest project's name in the page's language."""
    for place in ("zone", "project"):
        if row[f"{place}__name"]:
            korean_name = row[f"{place}__name_ko"]
            return korean_name if korean and korean_name else row[f"{place}__name"]
    return "—"


def trend_charts(user, today):
    """(a) new investments a month by zone (public-interest: by project), (b) by nationality."""
    months = chart_months(today)
    labels = [month.strftime("%Y-%m") for month in months]
    visible = Investment.objects.visible_to(user)
    korean = reads_korean()
    by_place = [
        (row["month"].strftime("%Y-%m"), place_name(row, korean), row["n"])
        for row in monthly_counts(
            visible, months, "zone__name", "zone__name_ko", "project__name", "project__name_ko"
        )
    ]
    by_nationality = [
        (row["month"].strftime("%Y-%m"), country_name(row["investor__nationality"]), row["n"])
        for row in monthly_counts(visible, months, "investor__nationality")
    ]
    others = _("Others")
    description = _("New investment contracts a month, %(first)s to %(last)s.") % {
        "first": labels[0],
        "last": labels[-1],
    }
    return [
        charts.chart_figure(
            labels,
            charts.top_series(by_place, categories=labels, limit=TOP_ZONES, others=others),
            chart_id="chart-zone",
            title=_("New investments by zone or project"),
            description=description,
            category_header=_("Month"),
        ),
        charts.chart_figure(
            labels,
            charts.top_series(
                by_nationality, categories=labels, limit=TOP_NATIONALITIES, others=others
            ),
            chart_id="chart-nationality",
            title=_("New investments by nationality (top %(n)s and others)")
            % {"n": TOP_NATIONALITIES},
            description=description,
            category_header=_("Month"),
        ),
    ]


@login_required
def office_dashboard(request):
    user = request.user
    if not reviews(user):
        raise PermissionDenied(_("This dashboard is for immigration officers."))
    today = timezone.localdate()
    month_start = today.replace(day=1)
    obligations = Obligation.objects.visible_to(user)
    recovered = (
        Recovery.objects.visible_to(user)
        .filter(recovered_on__gte=month_start, recovered_on__lte=today)
        .aggregate(n=Count("pk"), krw=Sum("amount_krw", default=0))
    )
    pipeline = f5.summary(user, as_of=today)
    counted = pipeline.counts(90)
    deadlines = with_subjects(
        obligations.open().filter(due_on__lte=today + timedelta(days=DEADLINE_DAYS))
    ).order_by("due_on", "pk")
    context = {
        "cards": deadline_cards(obligations, today),
        "review_counts": review_queue.counts(user),
        "notice_review_counts": review_queue.notice_counts(user),
        "recovered": recovered,
        "month_start": month_start,
        "pipeline_tabs": pipeline_tabs(pipeline, counted),
        "eligible_90": counted[90],
        "failing": [row for row in compliance_rows(user) if row[1].failures][:TABLE_ROWS],
        **recent_recoveries(user, today),
        "deadlines": deadlines[:TABLE_ROWS],
        "deadline_days": DEADLINE_DAYS,
        "charts": trend_charts(user, today),
        "today": today,
    }
    return render(request, "reporting/office_dashboard.html", context)
