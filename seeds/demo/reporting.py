"""The reporting history of the demo ledger: withdrawal-report obligations for its recoveries,
most filed on time, some late, a few never; monthly notices submitted for recent months, one
institution late with last month's. So every dashboard has something true to show.

Obligations and reports are written in bulk with each chunk of the ledger, computed by the
same functions the verbs use — the due date by rule R5 (``services.withdrawal_deadline``), the
letter by ``filings.letter_contents`` and its digest by ``filings.digest_of`` — from the rows
in memory. The monthly notices (a few dozen, whatever the size) go through the verbs
themselves, then their filing days are moved into the past, since a demo needs one.
"""

import random
from collections import defaultdict
from datetime import timedelta

from django.utils import timezone

from investments.models import Payment, Program, Recovery
from portal.choices import OrganisationKind
from portal.months import add_months
from reporting import filings, notices, services
from reporting.choices import NoticeState, ObligationKind, ObligationState
from reporting.models import (
    MonthlyNotice,
    Notification,
    Obligation,
    ProxyApplication,
    ReportReview,
    Sanction,
    WithdrawalReport,
)
from reporting.sweep import mark_overdue

from .events import RECENT_RECOVERIES
from .writer import delete_rows

NOTICE_MONTHS = 6
NEVER_FILED, FILED_LATE = 0.05, 0.15
#: A late report of a recovery this recent is still outstanding (the dashboards' "overdue").
OUTSTANDING = timedelta(days=max(RECENT_RECOVERIES))
BATCH = 2000


def delete_reporting(institutions):
    """Everything reporting holds about ``institutions`` (before their ledger is reset), one
    statement a table (see ``writer.delete_rows``)."""
    for queryset in [
        ReportReview.objects.filter(report__obligation__institution__in=institutions),
        ReportReview.objects.filter(notice__institution__in=institutions),
        Notification.objects.filter(obligation__institution__in=institutions),
        WithdrawalReport.objects.filter(obligation__institution__in=institutions),
        MonthlyNotice.objects.filter(institution__in=institutions),
        Obligation.objects.filter(institution__in=institutions),
        Sanction.objects.filter(institution__in=institutions),
        ProxyApplication.objects.filter(institution__in=institutions),
    ]:
        delete_rows(queryset)


def representative_user(accounts, institution):
    return next(user for user in accounts.values() if user.organisation_id == institution.pk)


class Reporting:
    """Files the reports of each chunk's recoveries as the institutions would have."""

    def __init__(self, accounts, *, seed, today):
        self.rng = random.Random(seed)
        self.today = today
        self.accounts = accounts
        self.programs = {program.code: program for program in Program.objects.all()}
        self.calendar = services.holiday_calendar()

    def file(self, recovery, obligation):
        """The day the institution filed the report, or None (not yet, or never)."""
        roll = self.rng.random()
        due_on = obligation.due_on
        if due_on >= self.today or roll < NEVER_FILED:
            return None  # still due, or never filed: the sweep marks it overdue
        if self.today - recovery.recovered_on <= OUTSTANDING:
            return None  # a recent late report: still outstanding
        if roll < FILED_LATE:
            filed_on = due_on + timedelta(days=self.rng.randint(1, 20))
        else:
            filed_on = max(recovery.recovered_on, due_on - timedelta(days=self.rng.randint(0, 9)))
        return filed_on if filed_on <= self.today else None

    def add(self, rows):
        """Obligations for the recoveries among a saved chunk's ``rows``, and the reports filed
        for them; returns ``{"obligations": n, "reports": n}``."""
        paid = defaultdict(list)
        for payment in rows[Payment]:
            paid[payment.investment_id].append(payment)
        obligations, filed = [], []
        # A recovery by a permanent resident opens no report (seed §6.A, §6.H, §7.F, §7.S(3)):
        # the verb's rule (``services.report_required``), asked once for the chunk.
        exempt = set(
            Recovery.objects.filter(pk__in=[r.pk for r in rows[Recovery]])
            .filter(services.by_permanent_resident())
            .values_list("pk", flat=True)
        )
        for recovery in sorted(rows[Recovery], key=lambda r: (r.recovered_on, r.pk)):
            if recovery.pk in exempt:
                continue
            investment = recovery.investment
            obligation = services.withdrawal_obligation(
                recovery, program=self.programs[investment.program], calendar=self.calendar
            )
            # the letter reads these: the objects already in memory, not a query each
            obligation.institution = investment.institution
            obligation.recipient_office = investment.office
            filed_on = self.file(recovery, obligation)
            if filed_on:
                on_time = filed_on <= obligation.due_on
                obligation.filed_on = filed_on
                obligation.state = (
                    ObligationState.FILED_ON_TIME if on_time else ObligationState.FILED_LATE
                )
                filed.append(obligation)
            obligation._history_user = self.representative(investment.institution)
            obligations.append(obligation)
        Obligation.objects.bulk_create(obligations, batch_size=BATCH)
        Obligation.history.bulk_history_create(
            obligations, batch_size=BATCH, default_change_reason="make_demo"
        )
        reports = []
        for obligation in filed:
            recovery = obligation.recovery
            payments = paid[recovery.investment.pk]
            balance = (
                sum(p.amount_krw for p in payments if p.paid_on <= recovery.recovered_on),
                recovery.amount_krw,  # a demo investment has at most one recovery
            )
            content = filings.letter_contents(obligation, balance=balance)
            reports.append(
                WithdrawalReport(
                    obligation=obligation,
                    version=1,
                    filed_on=obligation.filed_on,
                    filed_by=obligation._history_user,
                    content=content,
                    digest=filings.digest_of(content=content, remarks="", version=1),
                )
            )
        WithdrawalReport.objects.bulk_create(reports, batch_size=BATCH)
        return {"obligations": len(obligations), "reports": len(reports)}

    def representative(self, institution):
        return representative_user(self.accounts, institution)

    def finish(self, institutions):
        """Monthly notices of the last months through the verbs; overdue marking."""
        counts = {"notices": 0}
        month = self.today.replace(day=1)
        for institution in institutions:
            user = self.representative(institution)
            for program in notices.programs_of(institution):
                for back in range(NOTICE_MONTHS, 0, -1):
                    period = add_months(month, -back)
                    # one notice per office the institution reports to (seed §6.H)
                    for notice in notices.compute_notices(by=user, program=program, period=period):
                        counts["notices"] += 1
                        late_with_last_month = (
                            back == 1
                            and institution.kind == OrganisationKind.SALES_COMPANY
                            and self.rng.random() < 0.5
                        )
                        if late_with_last_month:
                            continue  # left as a draft: overdue once its due day passes
                        notices.submit_notice(by=user, notice=notice, confirm_warnings=True)
                        backdate_notice(notice, self.rng)
        counts["overdue"] = mark_overdue(today=self.today)
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
