"""The officer's review queue (issue 11, item 2): the latest filed version of every withdrawal
report and the submitted version in force of every monthly notice sent to the officer's office
(HQ: every office), one kind at a time, filterable by review status and institution, with
one-click acknowledgement and a return that asks for its reason.

The decisions are made by the review view of the report's or notice's page
(``report_review``, ``notice_review``), which call ``filings.review_report`` and
``notices.review_notice``; a form posted from this page asks to come back here, to the same
filters.
"""

from dataclasses import dataclass
from functools import partial

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal.access import reviews
from portal.models import Organisation
from portal.web import page_of, query_without, submit

from .. import review_queue
from ..choices import ReviewState
from ..filters import NoticeReviewOrdering, ReviewOrdering
from ..forms import ReviewForm

STATUS_LABELS = {
    review_queue.AWAITING: gettext_lazy("Awaiting review"),
    ReviewState.ACKNOWLEDGED.value: ReviewState.ACKNOWLEDGED.label,
    ReviewState.RETURNED.value: ReviewState.RETURNED.label,
}
KIND_LABELS = {
    review_queue.REPORTS: gettext_lazy("Withdrawal reports"),
    review_queue.NOTICES: gettext_lazy("Monthly status notices"),
}
QUEUE = "queue"  # the value of ``back`` that brings a decision back to this page
#: The queue's own filters, the only part of a posted ``query`` a decision brings back.
FILTERS = ("kind", "status", "institution", "ordering")


def queue_or(request, url):
    """Where a decision goes next: back to the queue, with the filters it was made under, when
    posted from there; ``url`` otherwise."""
    if request.POST.get("back") != QUEUE:
        return url
    posted = QueryDict(request.POST.get("query", ""))
    kept = QueryDict(mutable=True)
    for name in FILTERS:
        if posted.get(name):
            kept[name] = posted[name]
    query = kept.urlencode()
    return reverse("review-queue") + (f"?{query}" if query else "")


@dataclass(frozen=True)
class Decisions:
    """What a review's page says: after an acknowledgement, after a return, and to whoever
    may not review."""

    acknowledged: str
    returned: str
    refused: str

    def after(self, review):
        return self.acknowledged if review.state == ReviewState.ACKNOWLEDGED else self.returned


#: What a report's and a notice's review pages say.
DECISIONS = {
    "report": Decisions(
        gettext_lazy("Report acknowledged."),
        gettext_lazy("Report returned to the institution for correction."),
        gettext_lazy("Only an immigration officer or HQ reviews reports."),
    ),
    "notice": Decisions(
        gettext_lazy("Notice acknowledged."),
        gettext_lazy("Notice returned to the institution for correction."),
        gettext_lazy("Only an immigration officer or HQ reviews notices."),
    ),
}


def review_view(name, find, verb, url, page):
    """The view of a review decision on one report or notice, ``find(request, pk)``, posted
    from its page or from the queue: only an officer or HQ decides. ``verb`` takes ``by``,
    the document as ``name`` and the form's decision; on success the view goes back to the
    queue when the decision came from there, else to ``url(document)``. A refused form shows
    ``page`` again with its errors."""

    says = DECISIONS[name]

    @login_required
    @require_POST
    def view(request, pk):
        document = find(request, pk)
        if not reviews(request.user):
            raise PermissionDenied(says.refused)
        form = ReviewForm(request.POST)
        decided = partial(verb, by=request.user, **{name: document})
        back = queue_or(request, url(document))
        done = submit(request, form, decided, message=says.after, to=back)
        return done or page(request, document, review_form=form, status=400)

    return view


@login_required
def review_queue_page(request):
    user = request.user
    if not reviews(user):
        raise PermissionDenied(_("Only an immigration officer or HQ reviews reports."))
    kind = request.GET.get("kind", "")
    kind = kind if kind in review_queue.KINDS else review_queue.REPORTS
    if kind == review_queue.NOTICES:
        rows = review_queue.latest_notices(user)
        institution_field, filed = "institution_id", "submitted_at"
        sortable = NoticeReviewOrdering
        related = ("institution", "recipient_office")
    else:
        rows = review_queue.latest_reports(user)
        institution_field, filed = "obligation__institution_id", "filed_at"
        sortable = ReviewOrdering
        related = (
            "obligation__institution",
            "obligation__recovery__investment__investor",
            "filed_by",
        )
    institutions = Organisation.objects.filter(pk__in=rows.values(institution_field)).order_by(
        "name"
    )
    status = request.GET.get("status", review_queue.AWAITING)
    chosen = review_queue.with_status(rows, status)
    institution = request.GET.get("institution", "")
    if institution.isdigit():
        chosen = chosen.filter(**{institution_field: int(institution)})
    chosen = chosen.select_related(*related).order_by(filed, "pk")
    context = {
        "page": page_of(request, sortable(request.GET, queryset=chosen).qs),
        "kind": kind,
        "kinds": list(KIND_LABELS.items()),
        "status": status if status in review_queue.STATUSES else "",
        "statuses": list(STATUS_LABELS.items()),
        "institutions": institutions,
        "institution": institution,
        "counts": review_queue.counts(user),
        "notice_counts": review_queue.notice_counts(user),
        "back": QUEUE,
        "query": query_without(request.GET, "page"),
    }
    return render(request, "reporting/review_queue.html", context)
