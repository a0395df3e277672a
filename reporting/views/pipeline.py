"""The F-5 pipeline page (officers and HQ): people becoming eligible for permanent residence
within 30, 90 or the horizon's days, those who may already apply, and those at risk, as filter
tabs. Read from the stored
eligibility facts by ``reporting.pipeline``: one count query and one page of rows, whatever the
number of investors."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.access import reviews

from .. import pipeline as f5

PAGE_SIZE = 50


def tabs(result, counts=None):
    """``(value, label, count)`` per filter tab."""
    counts = counts or result.counts()
    named = [
        (str(days), _("Within %(days)s days") % {"days": days}, counts[days])
        for days in result.buckets
    ]
    return [
        *named,
        (f5.ELIGIBLE_NOW, _("Eligible now"), counts[f5.ELIGIBLE_NOW]),
        (f5.AT_RISK, _("At risk"), counts[f5.AT_RISK]),
    ]


@login_required
def f5_pipeline(request):
    user = request.user
    if not reviews(user):
        raise PermissionDenied(_("The F-5 pipeline is for immigration officers and HQ."))
    result = f5.summary(user, as_of=timezone.localdate())
    known = {str(days) for days in result.buckets} | {f5.AT_RISK, f5.ELIGIBLE_NOW}
    tab = request.GET.get("tab")
    tab = tab if tab in known else str(result.horizon_days)
    page = Paginator(result.tab(tab), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reporting/f5_pipeline.html",
        {"result": result, "tabs": tabs(result), "tab": tab, "page": page},
    )
