"""The reporting history of the demo ledger: withdrawal-report obligations for its recoveries,
most filed on time, some late, a few still open; monthly notices submitted for recent months,
one institution late with last month's. So every dashboard has something true to show.

The ledger itself is built in bulk by ``investments.demo_ledger`` (without the verbs, for
speed); this module goes through the reporting verbs, then back-dates the filing days the
verbs stamp with "today", since a demo needs a past.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from investments.models import Recovery
from portal.choices import OrganisationKind

from . import filings, notices, services
from .choices import NoticeState, ObligationKind, ObligationState
from .models import (
    MonthlyNotice,
    Notification,
    Obligation,
    ProxyApplication,
    ReportReview,
    Sanction,
    WithdrawalReport,
)
from .sweep import mark_overdue

NOTICE_MONTHS = 6


def delete_reporting(institutions):
    """Everything reporting holds about ``institutions`` (before their ledger is reset)."""
    ReportReview.objects.filter(report__obligation__institution__in=institutions).delete()
    ReportReview.objects.filter(notice__institution__in=institutions).delete()
    Notification.objects.filter(obligation__institution__in=institutions).delete()
    WithdrawalReport.objects.filter(obligation__institution__in=institutions).delete()
    MonthlyNotice.objects.filter(institution__in=institutions).delete()
    Obligation.objects.filter(institution__in=institutions).delete()
    Sanction.objects.filter(institution__in=institutions).delete()
    ProxyApplication.objects.filter(institution__in=institutions).delete()


def months_before(month, count):
    """The first day of the month ``count`` months before ``month`` (a first day)."""
    index = month.year * 12 + month.month - 1 - count
    return month.replace(year=index // 12, month=index % 12 + 1)


def representative_user(accounts, institution):
    return next(user for user in accounts.values() if user.organisation_id == institution.pk)


@transaction.atomic
def add_reporting_history(accounts, institutions, *, seed=2026, today=None):
    today = today or timezone.localdate()
    rng = random.Random(seed)
    counts = {"obligations": 0, "reports": 0, "notices": 0}
    recoveries = (
        Recovery.objects.filter(investment__institution__in=institutions, obligation__isnull=True)
        .select_related("investment__institution")
        .order_by("recovered_on", "pk")
    )
    for recovery in recoveries:
        obligation = services.open_withdrawal_obligation(recovery)
        counts["obligations"] += 1
        age = (today - obligation.due_on).days
        roll = rng.random()
        if age < 0 or roll < 0.05:
            continue  # still due, or never filed: the sweep marks it overdue
        filed_on = (
            obligation.due_on + timedelta(days=rng.randint(1, 20))
            if roll < 0.15
            else max(recovery.recovered_on, obligation.due_on - timedelta(days=rng.randint(0, 9)))
        )
        if filed_on > today:
            continue
        user = representative_user(accounts, obligation.institution)
        filings.file_report(by=user, obligation=obligation, filed_on=filed_on)
        counts["reports"] += 1

    month = today.replace(day=1)
    for institution in institutions:
        user = representative_user(accounts, institution)
        for program in notices.programs_of(institution):
            for back in range(NOTICE_MONTHS, 0, -1):
                period = months_before(month, back)
                notice = notices.compute_notice(by=user, program=program, period=period)
                counts["notices"] += 1
                late_with_last_month = (
                    back == 1
                    and institution.kind == OrganisationKind.SALES_COMPANY
                    and rng.random() < 0.5
                )
                if late_with_last_month:
                    continue  # left as a draft: overdue once its due day passes
                notices.submit_notice(by=user, notice=notice, confirm_warnings=True)
                backdate_notice(notice, rng)
    counts["overdue"] = mark_overdue(today=today)
    return counts


def backdate_notice(notice, rng):
    """Move a demo submission to a plausible day before its due date."""
    obligation = Obligation.objects.get(pk=notice.obligation_id)
    filed_on = obligation.due_on - timedelta(days=rng.randint(0, 4))
    Obligation.objects.filter(pk=obligation.pk, kind=ObligationKind.MONTHLY_NOTICE).update(
        filed_on=filed_on, state=ObligationState.FILED_ON_TIME
    )
    submitted_at = timezone.make_aware(
        timezone.datetime.combine(filed_on, timezone.datetime.min.time()).replace(hour=10)
    )
    MonthlyNotice.objects.filter(pk=notice.pk, state=NoticeState.SUBMITTED).update(
        computed_at=submitted_at - timedelta(hours=1), submitted_at=submitted_at
    )
