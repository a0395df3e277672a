"""What the offices have still to review, and what they sent back (issue 11, item 2): filed
withdrawal reports and submitted monthly notices.

A filed withdrawal report is reviewed version by version (``filings.review_report``) and only
the latest version of an obligation's report may be reviewed, so the queue is the latest
version of every report the reader may see, with the decision of its most recent review:
none (awaiting review), acknowledged or returned. A monthly notice is reviewed the same way
(``notices.review_notice``): the queue holds the submitted version in force of each notice (an
amendment, once submitted, supersedes the version returned and waits for review again). The
same reading serves the officer's queue and counts and the institution's list of returned
reports and notices, so the two never disagree.
"""

from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from portal import audit

from . import announce
from .choices import NoticeState, ReviewState
from .models import MonthlyNotice, ReportReview, WithdrawalReport

#: What an office decides of a filed report or a submitted notice.
REVIEW_DECISIONS = (ReviewState.ACKNOWLEDGED, ReviewState.RETURNED)
AWAITING = "awaiting"
STATUSES = (AWAITING, ReviewState.ACKNOWLEDGED.value, ReviewState.RETURNED.value)
#: What the queue holds, to filter by.
REPORTS, NOTICES = "reports", "notices"
KINDS = (REPORTS, NOTICES)


def checked_decision(decision, note):
    """The note of a review decision, stripped, once the decision is one and a return says
    what to correct; a ValidationError on ``decision`` or ``note`` otherwise."""
    if decision not in REVIEW_DECISIONS:
        raise ValidationError({"decision": _("Choose acknowledged or returned.")})
    note = note.strip()
    if decision == ReviewState.RETURNED and not note:
        raise ValidationError({"note": _("Say what the institution must correct.")})
    return note


def record_review(*, by, verb, decision, note, **document):
    """Record an office's decision on ``document`` (``report=`` or ``notice=``), once checked,
    in the history under ``verb``, and tell the institution."""
    review = ReportReview(state=decision, note=note, reviewed_by=by, **document)
    audit.record(review, by=by, verb=verb)
    announce.review_decided(review)
    return review


def _with_last_review(rows, last_review):
    return rows.annotate(
        review_state=Subquery(last_review.values("state")[:1]),
        review_note=Subquery(last_review.values("note")[:1]),
        reviewed_at=Subquery(last_review.values("reviewed_at")[:1]),
    )


def latest_reports(user):
    """The latest filed version of every report visible to ``user``, annotated with its last
    review's ``review_state`` (None when not reviewed), ``review_note`` and ``reviewed_at``."""
    newest = WithdrawalReport.objects.filter(obligation=OuterRef("obligation")).order_by("-version")
    last_review = ReportReview.objects.filter(report=OuterRef("pk")).order_by("-reviewed_at", "-pk")
    return _with_last_review(
        WithdrawalReport.objects.visible_to(user).filter(
            version=Subquery(newest.values("version")[:1])
        ),
        last_review,
    )


def latest_notices(user):
    """The submitted version in force of every monthly notice visible to ``user``, annotated
    like :func:`latest_reports`."""
    last_review = ReportReview.objects.filter(notice=OuterRef("pk")).order_by("-reviewed_at", "-pk")
    return _with_last_review(
        MonthlyNotice.objects.visible_to(user).filter(state=NoticeState.SUBMITTED), last_review
    )


def with_status(rows, status):
    """Narrow ``latest_reports`` or ``latest_notices`` to one of ``STATUSES``; anything else
    leaves them all."""
    if status == AWAITING:
        return rows.filter(review_state__isnull=True)
    if status in STATUSES:
        return rows.filter(review_state=status)
    return rows


def _counts(rows):
    return rows.aggregate(
        awaiting=Count("pk", filter=Q(review_state__isnull=True)),
        returned=Count("pk", filter=Q(review_state=ReviewState.RETURNED)),
    )


def counts(user):
    """How many of the visible latest reports await review, and how many were returned."""
    return _counts(latest_reports(user))


def notice_counts(user):
    """How many of the visible submitted notices await review, and how many were returned."""
    return _counts(latest_notices(user))
