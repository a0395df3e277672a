"""HQ's national statistics page (issue 13.7): monthly trends as charts drawn on the server,
tables by zone or project and by nationality, and the open-data downloads (suppressed)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from portal import xlsx
from portal.months import month_range

from .. import charts, open_data, statistics

KRW_100M = 100_000_000  # amounts are charted in units of KRW 100 million (억 원)


def hq_only(request):
    if not request.user.is_hq:
        raise PermissionDenied


def requested_range(request):
    return open_data.period_range(request.GET.get("from"), request.GET.get("to"))


@login_required
def national_statistics(request):
    hq_only(request)
    try:
        first, last = requested_range(request)
    except ValidationError as error:
        first, last = open_data.period_range()
        problem = " ".join(error.messages)
    else:
        problem = ""
    found = statistics.cells(first, last)
    months = month_range(first, last)
    labels = [month.strftime("%Y-%m") for month in months]

    def figure(chart_id, measure, title, description, scale=1):
        series = statistics.monthly_series(found, measure, months, scale=scale)
        return charts.chart_figure(
            labels,
            series,
            chart_id=chart_id,
            title=title,
            description=description,
            category_header=_("Month"),
        )

    context = {
        "first": first,
        "last": last,
        "problem": problem,
        "charts": [
            figure(
                "new-investments",
                "new_investments",
                _("New investments"),
                _("Contracts signed per month, by program."),
            ),
            figure(
                "amounts",
                "amount_paid_krw",
                _("Amounts received (KRW 100 million)"),
                _("Payments received per month, by program."),
                scale=KRW_100M,
            ),
            figure(
                "recoveries",
                "recoveries",
                _("Recoveries"),
                _("Withdrawals of funds per month, by program."),
            ),
            figure(
                "f5-grants",
                "f5_grants",
                _("F-5 grants"),
                _("Permanent residence granted per month, by program."),
            ),
        ],
        "by_area": statistics.totals_by(found, statistics.ZONE),
        "by_nationality": statistics.totals_by(found, statistics.NATIONALITY),
        "threshold": statistics.min_investors(),
        "query": f"from={first:%Y-%m}&to={last:%Y-%m}",
    }
    return render(request, "reporting/national_statistics.html", context)


@login_required
def open_data_download(request, extension):
    """The open data of the page's range, suppressed, as .csv or .xlsx."""
    hq_only(request)
    if extension not in ("csv", "xlsx"):
        raise Http404
    try:
        first, last = requested_range(request)
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=400, content_type="text/plain")
    rows = statistics.open_data(first, last)
    if extension == "csv":
        body, mime = open_data.csv_bytes(rows), "text/csv; charset=utf-8"
    else:
        body, mime = open_data.xlsx_bytes(rows, first, last), xlsx.MIME
    response = HttpResponse(body, content_type=mime)
    name = open_data.filename(first, last, extension)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
