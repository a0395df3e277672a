"""Celery tasks of reporting: thin wrappers that parse their (JSON) arguments and call a
service in ``reporting.sweep``. The beat schedule that runs them is in ``portal.settings``.

Arguments are plain strings and ids, never model instances, so a task can wait in the broker
and still find current data. Code running inside a request or a transaction queues a task with
:func:`queue_after_commit`, so the worker never looks for rows that are not committed yet (or
never will be).
"""

from datetime import date

from celery import shared_task
from django.db import transaction

from portal.months import parse_month, previous_month

from . import sweep


def queue_after_commit(task, *args):
    """Queue ``task`` with ``args`` once the current transaction commits (at once outside
    one); nothing is queued if it rolls back."""
    transaction.on_commit(lambda: task.delay(*args))


@shared_task
def daily_sweep_task(today: str | None = None):
    """Overdue marking, reminders and overdue alerts (daily at 06:00 Korean time)."""
    return sweep.daily_sweep(today=date.fromisoformat(today) if today else None)


@shared_task
def monthly_drafts_task(period: str | None = None):
    """Draft monthly notices for ``period`` (``YYYY-MM``; default: the month that just ended
    in Korea — the task runs at 01:00 on the 1st, Korean time)."""
    month = parse_month(period) if period else previous_month(sweep.korean_today())
    return sweep.compute_monthly_drafts(period=month)


@shared_task
def mail_opened_task(obligation_id: int):
    """Mail the institution that a new obligation is open (once)."""
    return sweep.mail_opened(obligation_id)


@shared_task
def mail_return_task(review_id: int):
    """Mail the institution that the office returned its report or notice (once)."""
    return sweep.mail_return(review_id)


@shared_task
def recheck_notices_task(institution_id: int, program: str, since: str):
    """Flag submitted notices whose figures a committed ledger change altered."""
    from .amendments import recheck_notices

    changed = recheck_notices(institution=institution_id, program=program, since=since)
    return [notice.pk for notice in changed]


@shared_task
def run_export_task(job_id: int):
    """Write a large export's workbook (queued by ``exports.jobs.start_export``)."""
    from .exports import jobs

    job = jobs.run_export(job_id)
    return job.state if job else None


@shared_task
def run_import_task(job_id: int):
    """Import a large uploaded workbook (queued by ``exports.jobs.start_import``)."""
    from .exports import jobs

    job = jobs.run_import(job_id)
    return job.state if job else None


@shared_task
def run_recompute_task(job_id: int):
    """Recompute every eligibility fact for HQ (queued by ``exports.jobs.start_recompute``)."""
    from .exports import jobs

    job = jobs.run_recompute(job_id)
    return job.state if job else None


@shared_task
def purge_exports_task():
    """Delete prepared exports older than ``EXPORT_KEEP_DAYS`` (daily at 03:00)."""
    from .exports import jobs

    return jobs.purge_exports()


@shared_task
def refresh_eligibility_task(person_ids: list[int] | None = None, today: str | None = None):
    """Recompute stored eligibility facts: of ``person_ids`` after a ledger change, or of
    everyone (nightly, and after a change of rules, settings or holidays), with progress in the
    log."""
    from . import eligibility_store

    as_of = date.fromisoformat(today) if today else None
    if person_ids is not None:
        return eligibility_store.refresh(person_ids, as_of=as_of)
    return eligibility_store.refresh_all(
        as_of=as_of,
        progress=lambda done, total: eligibility_store.log.info(
            "eligibility facts: %s of %s people", done, total
        ),
    )
