"""Celery tasks of the ledger app: thin wrappers calling a service. The beat schedule is in
``portal.settings``."""

from celery import shared_task

from . import privacy


@shared_task
def purge_personal_data_access_task():
    """Delete personal-data access records older than the retention period (daily)."""
    return privacy.purge_access_log()
