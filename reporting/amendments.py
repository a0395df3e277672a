"""Submitted monthly notices the ledger no longer agrees with (issue 11.3, SPEC §7): a
correction, a voided entry or a late entry can change the figures of months already submitted.
Such a notice is flagged ``amendment_needed`` — visible in the API and on the notice page — and
stays as submitted until the institution amends it.

This is the ledger follower named in ``settings.LEDGER_FOLLOWERS``: ``portal.audit`` calls
:func:`ledger_changed` once a transaction that changed the ledger has committed, and the check
runs as a Celery task per institution and program. The figures are the notice module's own
(``reporting.notices.tally``), so "would now differ" means exactly what a recomputation would
show. Every submitted month from the change on is compared with one pass over the ledger
(``notices.notice_history``: the same figures as ``tally``, month by month, without reading
the history again for each month; docs/performance.md).
"""

from datetime import date

from django.db import transaction

from portal import audit

from . import notices
from .choices import NoticeState
from .models import MonthlyNotice


def ledger_changed(changes, people=()):
    """``{(institution id, program): first day affected}`` → one check per institution and
    program, from the month of that day on (the people touched are not needed here)."""
    from .tasks import recheck_notices_task

    for (institution, program), day in changes.items():
        recheck_notices_task.delay(institution, program, day.isoformat())


def current_figures(notice):
    return notices.tally(
        notice.institution, notice.program, notice.period, notice.recipient_office_id
    )[0]


@transaction.atomic
def recheck_notices(*, institution, program, since):
    """Set or clear ``amendment_needed`` on the submitted notices of ``institution`` and
    ``program`` from the month of ``since`` on. Returns the notices whose flag changed."""
    if isinstance(since, str):
        since = date.fromisoformat(since)
    submitted = (
        MonthlyNotice.objects.select_for_update(of=("self",))
        .select_related("institution")
        .filter(
            institution_id=institution,
            program=program,
            state=NoticeState.SUBMITTED,
            period__gte=since.replace(day=1),
        )
        .order_by("period")
    )
    submitted = list(submitted)
    history = (
        notices.notice_history(
            submitted[0].period, submitted[-1].period, institution=institution, program=program
        )
        if submitted
        else {}
    )
    changed = []
    for notice in submitted:
        key = (notice.institution_id, notice.program, notice.recipient_office_id, notice.period)
        # an office the institution no longer owes that month is not in the history
        figures = history[key] if key in history else current_figures(notice)
        needed = figures != notice.figures
        if needed != notice.amendment_needed:
            notice.amendment_needed = needed
            audit.record(
                notice,
                by=None,
                verb="recheck_notice",
                action="amendment_needed" if needed else "changed",
                update_fields=["amendment_needed"],
            )
            changed.append(notice)
    return changed
