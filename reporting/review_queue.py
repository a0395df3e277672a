"""What the offices have still to review, and what they sent back (issue 11, item 2).

A filed withdrawal report is reviewed version by version (``filings.review_report``) and only
the latest version of an obligation's report may be reviewed, so the queue is the latest
version of every report the reader may see, with the decision of its most recent review:
none (awaiting review), acknowledged or returned. The same reading serves the officer's queue
and counts and the institution's list of returned reports, so the two never disagree.
"""

from django.db.models import Count, OuterRef, Q, Subquery

from .choices import ReviewState
from .models import ReportReview, WithdrawalReport

AWAITING = "awaiting"
STATUSES = (AWAITING, ReviewState.ACKNOWLEDGED.value, ReviewState.RETURNED.value)


def latest_reports(user):
    """The latest filed version of every report visible to ``user``, annotated with its last
    review's ``review_state`` (None when not reviewed), ``review_note`` and ``reviewed_at``."""
    newest = WithdrawalReport.objects.filter(obligation=OuterRef("obligation")).order_by("-version")
    last_review = ReportReview.objects.filter(report=OuterRef("pk")).order_by("-reviewed_at", "-pk")
    return (
        WithdrawalReport.objects.visible_to(user)
        .filter(version=Subquery(newest.values("version")[:1]))
        .annotate(
            review_state=Subquery(last_review.values("state")[:1]),
            review_note=Subquery(last_review.values("note")[:1]),
            reviewed_at=Subquery(last_review.values("reviewed_at")[:1]),
        )
    )


def with_status(reports, status):
    """Narrow ``latest_reports`` to one of ``STATUSES``; anything else leaves them all."""
    if status == AWAITING:
        return reports.filter(review_state__isnull=True)
    if status in STATUSES:
        return reports.filter(review_state=status)
    return reports


def counts(user):
    """How many of the visible latest reports await review, and how many were returned."""
    return latest_reports(user).aggregate(
        awaiting=Count("pk", filter=Q(review_state__isnull=True)),
        returned=Count("pk", filter=Q(review_state=ReviewState.RETURNED)),
    )
