"""The periodic jobs of SPEC §6 as plain services: the daily sweep (overdue marking, reminders,
overdue alerts) and the monthly draft notices.

The Celery tasks (``reporting.tasks``) and the ``sweep_obligations`` command call these
functions, and the drafts go through ``reporting.notices.compute_month`` like the
``compute_notices`` command, so a job behaves the same however it is started.
Every job is safe to re-run, and to run twice at once: state changes are guarded updates, and
mail goes through an outbox (issue 9.8). Each mail's ``Notification`` row (unique per
obligation and kind) is recorded and committed before the mail is sent, and marked sent after:
a second run finds the row and sends nothing, and so does a run after a crash between the two.
A row left unsent — the send failed, or the process died before marking it — is tried once
more by a sweep at least ``NOTIFICATION_RETRY_AFTER_MINUTES`` after it was recorded, and then
left for people to look at. The price of that one retry: a mail that went out just before a
crash may arrive a second time, once; the alternative was a reminder silently never sent.

Days are Korean calendar days: "today" is the date in Asia/Seoul whatever the server's clock
zone, because deadlines (R5) are counted on the Korean calendar.
"""

import logging
from collections import Counter
from datetime import date, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from investments.models import RuleSetting
from portal import audit

from . import inbox, notifications
from .choices import ObligationState, ReviewState
from .models import Notification, Obligation, ReportReview

logger = logging.getLogger(__name__)

KOREA = ZoneInfo("Asia/Seoul")

#: The first send and one retry; a notification whose retry failed too is left to people.
MAX_ATTEMPTS = 2

#: Used when the RuleSetting row of the same name is missing (seeds/rules.json ships both).
DEFAULT_REMINDER_DAYS_FIRST = 7
DEFAULT_REMINDER_DAYS_SECOND = 2


def korean_today():
    return timezone.localdate(timezone=KOREA)


def rule_setting(key, default):
    value = RuleSetting.objects.filter(key=key).values_list("value", flat=True).first()
    return default if value is None else value


# --- the daily sweep --------------------------------------------------------------------------


@transaction.atomic
def mark_overdue(*, today):
    """Mark every obligation still due after its due day as overdue; returns how many.

    The rows are locked (PostgreSQL skips those another sweep holds) and changed by a guarded
    ``UPDATE … WHERE state = 'due'``: a re-run, or two sweeps at once, change nothing twice.
    Each change is recorded like any verb's (history and an ``obligation.overdue`` event, so an
    integration following the feed learns it), and the alert sent about it is a
    ``Notification``.
    """
    late = list(
        Obligation.objects.select_for_update(skip_locked=True).filter(
            state=ObligationState.DUE, due_on__lt=today
        )
    )
    Obligation.objects.filter(pk__in=[o.pk for o in late], state=ObligationState.DUE).update(
        state=ObligationState.OVERDUE
    )
    for obligation in late:
        obligation.state = ObligationState.OVERDUE
        audit.record_update(obligation, by=None, verb="mark_overdue", action="overdue")
    return len(late)


def reminder_windows(*, today):
    """``(kind, first day, last day)``: which due dates get which reminder today.

    A reminder covers a window rather than one exact day, so a day the sweep did not run
    (worker down, holiday deploy) delays a reminder instead of losing it; the unique
    ``Notification`` keeps it to one per kind. An obligation opened inside a later window
    (say, due in 1 day) gets only that window's reminder.
    """
    first = rule_setting("reminder_days_first", DEFAULT_REMINDER_DAYS_FIRST)
    second = rule_setting("reminder_days_second", DEFAULT_REMINDER_DAYS_SECOND)

    def ahead(days):
        return today + timedelta(days=days)

    return [
        (Notification.Kind.REMINDER_FIRST, ahead(second + 1), ahead(first)),
        (Notification.Kind.REMINDER_SECOND, ahead(1), ahead(second)),
        (Notification.Kind.DUE_TODAY, today, today),
    ]


def _pending(queryset, kind):
    """Obligations of ``queryset`` not yet notified of ``kind`` — none recorded, or one recorded
    and still unsent with a try left — with what the mail names."""
    done = Notification.objects.filter(obligation=OuterRef("pk"), kind=kind).filter(
        Q(sent_at__isnull=False) | Q(attempts__gte=MAX_ATTEMPTS)
    )
    return (
        queryset.exclude(Exists(done))
        .select_related("institution", "recipient_office", "recovery__investment__investor")
        .order_by("due_on", "pk")
    )


def claim(obligation, kind, *, recipients, today, review=None):
    """Record the notification, committed before anything is sent; or take an unsent one up
    again once its grace period is over. Returns ``(notification, None)`` when it is to be sent
    now, else ``(None, outcome)``."""
    with transaction.atomic():
        notification, created = Notification.objects.get_or_create(
            obligation=obligation,
            kind=kind,
            review=review,
            defaults={"recipients": ", ".join(recipients), "day": today},
        )
    if created:
        return notification, None
    if notification.sent_at is not None:
        return None, "already_sent"
    if notification.attempts >= MAX_ATTEMPTS:
        return None, "given_up"
    grace = timedelta(minutes=settings.NOTIFICATION_RETRY_AFTER_MINUTES)
    if notification.recorded_at > timezone.now() - grace:
        # Being sent by a sweep running now, or it crashed moments ago: not ours to send.
        return None, "unsent_waiting"
    # Guarded, so that of two sweeps retrying at once only one sends.
    retried = Notification.objects.filter(
        pk=notification.pk, sent_at=None, attempts=notification.attempts
    ).update(attempts=F("attempts") + 1)
    return (notification, None) if retried else (None, "unsent_waiting")


def notify_once(obligation, kind, *, recipients, today, language, review=None):
    """Record, send and mark sent one notification unless it was recorded before.

    Returns ``"sent"``, ``"already_sent"``, ``"unsent_waiting"`` (recorded, not sent, inside
    its grace period), ``"given_up"``, ``"no_recipients"`` or ``"failed"``. The row is
    committed before the mail is sent (see the module's docstring): a failed send leaves it
    unsent, for one retry after the grace period.
    """
    if not recipients:
        logger.warning("No e-mail address for %s of obligation #%s", kind, obligation.pk)
        return "no_recipients"
    notification, outcome = claim(
        obligation, kind, recipients=recipients, today=today, review=review
    )
    if notification is None:
        return outcome
    try:
        notifications.send(
            kind, obligation, recipients=recipients, today=today, language=language, review=review
        )
    except Exception:
        logger.exception("Sending %s for obligation #%s failed", kind, obligation.pk)
        return "failed"
    Notification.objects.filter(pk=notification.pk).update(sent_at=timezone.now())
    return "sent"


def send_reminders(*, today, language=None):
    """Remind institutions of what falls due: 7 and 2 days before (RuleSetting
    ``reminder_days_first`` / ``reminder_days_second``) and on the due day. Only obligations
    still due get one; a filed one is no longer due. Mail goes to the institution's active
    users and its contact address, in ``language`` or the institution's default (see
    ``reporting.notifications``). Returns a ``Counter`` of outcomes."""
    language = language or notifications.institution_language()
    recipients_of = cache(notifications.institution_recipients)  # once per institution
    outcomes = Counter()
    for kind, first_day, last_day in reminder_windows(today=today):
        due = Obligation.objects.filter(
            state=ObligationState.DUE, due_on__range=(first_day, last_day)
        )
        for obligation in _pending(due, kind):
            outcome = notify_once(
                obligation,
                kind,
                recipients=recipients_of(obligation.institution),
                today=today,
                language=language,
            )
            if outcome == "sent":
                inbox.reminded(obligation, kind)
            outcomes[outcome] += 1
    return outcomes


def alert_overdue(*, today, language=None):
    """Alert the recipient office, once, about each overdue obligation: the users of the
    immigration-office organisations of that office, in ``language`` or Korean. Returns
    a ``Counter`` of outcomes."""
    language = language or notifications.OFFICE_LANGUAGE
    kind = Notification.Kind.OVERDUE_ALERT
    recipients_of = cache(notifications.office_recipients)  # once per office
    outcomes = Counter()
    for obligation in _pending(Obligation.objects.filter(state=ObligationState.OVERDUE), kind):
        outcomes[
            notify_once(
                obligation,
                kind,
                recipients=recipients_of(obligation.recipient_office),
                today=today,
                language=language,
            )
        ] += 1
    return outcomes


def daily_sweep(*, today=None):
    """Mark overdue obligations, then send reminders and overdue alerts. Returns a summary
    that serialises to JSON (a Celery result, a command's output)."""
    today = today or korean_today()
    overdue = mark_overdue(today=today)
    reminders = send_reminders(today=today)
    alerts = alert_overdue(today=today)
    summary = {
        "today": today.isoformat(),
        "marked_overdue": overdue,
        "reminders_sent": reminders["sent"],
        "overdue_alerts_sent": alerts["sent"],
        "without_recipients": reminders["no_recipients"] + alerts["no_recipients"],
        "failed": reminders["failed"] + alerts["failed"],
        # Recorded by an earlier run that has not (yet) marked them sent (see notify_once).
        "unsent_waiting": reminders["unsent_waiting"] + alerts["unsent_waiting"],
    }
    logger.info("Daily sweep: %s", summary)
    return summary


# --- mail on an event -------------------------------------------------------------------------
# Queued after the commit of the verb that caused it (``reporting.announce``), through the same
# outbox as the reminders: a task run twice, or retried after a crash, sends nothing twice.


def tell_institution(obligation, kind, today=None, language=None, review=None):
    """``notify_once`` to the institution's users and contact address, today (Korean time)
    and in the institutions' language unless the caller says otherwise."""
    return notify_once(
        obligation,
        kind,
        recipients=notifications.institution_recipients(obligation.institution),
        today=today or korean_today(),
        language=language or notifications.institution_language(),
        review=review,
    )


def mail_opened(obligation_id, *, today=None, language=None):
    """Tell the institution's users and contact address that a new obligation is open."""
    obligation = (
        Obligation.objects.select_related(
            "institution", "recipient_office", "recovery__investment__investor"
        )
        .filter(pk=obligation_id)
        .first()
    )
    if obligation is None or obligation.state not in (ObligationState.DUE, ObligationState.OVERDUE):
        return "not_open"  # filed or voided before the mail went: nothing to announce
    return tell_institution(obligation, Notification.Kind.OPENED, today, language)


def mail_return(review_id, *, today=None, language=None):
    """Tell the institution's users and contact address that the office returned its report
    or notice, and what to correct."""
    review = (
        ReportReview.objects.select_related(
            "report__obligation__institution",
            "report__obligation__recipient_office",
            "notice__obligation__institution",
            "notice__obligation__recipient_office",
        )
        .filter(pk=review_id, state=ReviewState.RETURNED)
        .first()
    )
    if review is None:
        return "not_returned"
    obligation = (review.report or review.notice).obligation
    return tell_institution(obligation, Notification.Kind.RETURNED, today, language, review)


# --- monthly drafts ---------------------------------------------------------------------------


def compute_monthly_drafts(*, period):
    """Compute (or refresh) the draft monthly notice of every institution and program for the
    month of ``period`` (a date). Who owes which notice, and leaving a month already submitted
    alone, is ``reporting.notices.compute_month``'s business (one definition for the job, the
    ``compute_notices`` command and this task). Returns ``{"period": "YYYY-MM", "computed",
    "skipped"}``."""
    from reporting.notices import compute_month  # when run: the sweep never needs it loaded

    period = date(period.year, period.month, 1)
    done = compute_month(period=period)
    logger.info("Monthly drafts for %s: %s", period.strftime("%Y-%m"), done)
    return {"period": period.strftime("%Y-%m"), **done}
