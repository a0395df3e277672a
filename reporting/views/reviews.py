"""The officer's review queue (issue 11, item 2): the latest filed version of every withdrawal
report sent to the officer's office (HQ: every office), filterable by review status and
institution, with one-click acknowledgement and a return that asks for its reason.

The decisions are made by the report page's review view (``report_review``), which calls
``filings.review_report``; a form posted from this page asks to come back here.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.access import reviews
from portal.models import Organisation
from portal.web import page_of

from .. import review_queue
from ..choices import ReviewState
from ..filters import ReviewOrdering

STATUS_LABELS = {
    review_queue.AWAITING: gettext_lazy("Awaiting review"),
    ReviewState.ACKNOWLEDGED.value: ReviewState.ACKNOWLEDGED.label,
    ReviewState.RETURNED.value: ReviewState.RETURNED.label,
}
QUEUE = "queue"  # the value of ``back`` that brings a decision back to this page


@login_required
def review_queue_page(request):
    user = request.user
    if not reviews(user):
        raise PermissionDenied(_("Only an immigration officer or HQ reviews reports."))
    reports = review_queue.latest_reports(user)
    institutions = Organisation.objects.filter(
        pk__in=reports.values("obligation__institution_id")
    ).order_by("name")
    status = request.GET.get("status", review_queue.AWAITING)
    chosen = review_queue.with_status(reports, status)
    institution = request.GET.get("institution", "")
    if institution.isdigit():
        chosen = chosen.filter(obligation__institution_id=int(institution))
    chosen = chosen.select_related(
        "obligation__institution", "obligation__recovery__investment__investor", "filed_by"
    ).order_by("filed_at", "pk")
    context = {
        "page": page_of(request, ReviewOrdering(request.GET, queryset=chosen).qs),
        "status": status if status in review_queue.STATUSES else "",
        "statuses": list(STATUS_LABELS.items()),
        "institutions": institutions,
        "institution": institution,
        "counts": review_queue.counts(user),
        "back": QUEUE,
    }
    return render(request, "reporting/review_queue.html", context)
