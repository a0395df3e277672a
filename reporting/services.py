"""Business verbs of reporting: opening obligations with their R5 due dates, recording a
recovery together with its report obligation, voiding one together with it, and keeping due
dates current when the holiday calendar changes."""

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from investments import services as ledger
from investments.choices import StatusRole
from investments.models import Program, StatusGrant
from investments.selectors import permanent_grant
from portal import audit

from . import announce
from .choices import OPEN_STATES, ObligationKind, ObligationState
from .deadlines import Deadline, HolidayCalendar, monthly_notice_due, withdrawal_report_due
from .models import HolidayAdjustment, Obligation

if TYPE_CHECKING:
    from investments.models import Investment, Recovery
    from portal.models import User


def holiday_calendar() -> HolidayCalendar:
    """The package's KR holidays corrected by the admin table."""
    added: set[date] = set()
    removed: set[date] = set()
    for day, change in HolidayAdjustment.objects.values_list("day", "change"):
        (added if change == "added" else removed).add(day)
    return HolidayCalendar(added=frozenset(added), removed=frozenset(removed))


def withdrawal_deadline(
    recovered_on: date, program: Program, *, calendar: HolidayCalendar | None = None
) -> Deadline:
    """R5 for a recovery of ``recovered_on`` in ``program``: the program's report days and
    enforcement date, on the holiday calendar (read here when not given)."""
    return withdrawal_report_due(
        recovered_on,
        days=program.withdrawal_report_days,
        enforced_on=program.guideline_enforced_on,
        calendar=calendar or holiday_calendar(),
    )


def notice_deadline(
    program: Program, period: date, *, calendar: HolidayCalendar | None = None
) -> Deadline:
    return monthly_notice_due(
        period.year,
        period.month,
        due_day=program.notice_due_day,
        calendar=calendar or holiday_calendar(),
    )


def withdrawal_obligation(
    recovery: "Recovery",
    *,
    program: Program | None = None,
    calendar: HolidayCalendar | None = None,
) -> Obligation:
    """The report a recovery calls for, addressed to the investment's competent office and due
    by rule R5 (not saved: the demo builder saves thousands at once)."""
    investment = recovery.investment
    return Obligation(
        kind=ObligationKind.WITHDRAWAL_REPORT,
        institution_id=investment.institution_id,
        recipient_office_id=investment.office_id,
        program=investment.program,
        investment=investment,
        recovery=recovery,
        due_on=withdrawal_deadline(
            recovery.recovered_on,
            program or Program.objects.get(code=investment.program),
            calendar=calendar,
        ).due_on,
    )


def open_withdrawal_obligation(recovery: "Recovery", *, by: "User | None" = None) -> Obligation:
    """Open, with its history and event, the report a recovery calls for."""
    obligation = audit.record(
        withdrawal_obligation(recovery), by=by, verb="open_withdrawal_obligation"
    )
    announce.obligation_opened(obligation)
    return obligation


def permanent_residence_on(person_id: int, on: date) -> StatusGrant | None:
    """The permanent-residence grant the person holds on ``on``, or None
    (``investments.selectors.permanent_grant``).

    The 14-day withdrawal report covers recoveries "before the investor acquires permanent
    residency" (seed §6.A, §6.H, §7.F, §7.S(3)): a recovery by a permanent resident calls for
    none, although the ledger records it and the monthly notice counts it."""
    return permanent_grant(person_id, on)


def by_permanent_resident() -> Exists:
    """An ``Exists`` for a Recovery query set: the investor held permanent residence on the
    recovery date (``permanent_residence_on`` in the database)."""
    held = StatusGrant.objects.filter(
        person_id=OuterRef("investment__investor__person_id"),
        code__role=StatusRole.PERMANENT,
        granted_on__lte=OuterRef("recovered_on"),
    ).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=OuterRef("recovered_on")))
    return Exists(held)


def report_required(investment: "Investment", recovered_on: date) -> bool:
    """Whether a recovery of ``investment`` on ``recovered_on`` opens a withdrawal report."""
    return permanent_residence_on(investment.investor.person_id, recovered_on) is None


@transaction.atomic
def record_recovery(*, by: "User", **fields: Any) -> "Recovery":
    """Record a recovery in the ledger and open its withdrawal-report obligation (seed §6.H),
    unless the investor already holds permanent residence on the recovery date."""
    recovery = ledger._insert_recovery(by=by, **fields)
    if report_required(recovery.investment, recovery.recovered_on):
        open_withdrawal_obligation(recovery, by=by)
    return recovery


@transaction.atomic
def void_recovery(*, by: "User", recovery: "Recovery", reason: str) -> "Recovery":
    """Void a wrong recovery (issue 11.3): the ledger entry through ``void_entry``, and its
    report obligation cancelled if still open. A report already filed stays as filed: the
    office received it, and its versions are the record of what it was told."""
    recovery = ledger.void_entry(by=by, entry=recovery, reason=reason)
    obligation = Obligation.objects.select_for_update().filter(recovery=recovery).first()
    if obligation is not None and obligation.state in OPEN_STATES:
        obligation.state = ObligationState.CANCELLED
        audit.record(
            obligation, by=by, verb="void_recovery", reason=recovery.void_reason, action="cancelled"
        )
    return recovery


@transaction.atomic
def recompute_due_dates() -> int:
    """After the holiday table or a program's periods change, bring every open obligation's
    ``due_on`` up to date. Returns how many changed. Safe to re-run."""
    calendar = holiday_calendar()
    programs = {p.code: p for p in Program.objects.all()}
    changed = 0
    for obligation in Obligation.objects.open().select_related("recovery"):
        program = programs[obligation.program]
        if obligation.kind == ObligationKind.WITHDRAWAL_REPORT:
            deadline = withdrawal_deadline(
                obligation.recovery.recovered_on, program, calendar=calendar
            )
        else:
            deadline = notice_deadline(program, obligation.period, calendar=calendar)
        if deadline.due_on != obligation.due_on:
            obligation.due_on = deadline.due_on
            audit.record(obligation, by=None, verb="recompute_due_dates", update_fields=["due_on"])
            changed += 1
    return changed
