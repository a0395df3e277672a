"""Large exports as background jobs (SPEC §6): the verbs that start one, write it and
delete old files. A job re-reads its rows as the user who asked for it, through the same
``reporting.exports.prepare`` as the page, so a job never shows more than the page would.

``start_export`` validates and counts at once (a bad filter is refused before anything is
queued) and queues ``run_export`` after commit; ``run_export`` claims the job with a guarded
update, so a task delivered twice writes the file once. In the embedded default (eager
Celery) the job is finished before the page that started it redirects.
"""

import logging
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal import xlsx

from ..choices import ExportState
from ..models import ExportJob
from ..tasks import queue_after_commit, run_export_task
from . import prepare

logger = logging.getLogger(__name__)
QUERY_MAX = 2000  # characters of filters a job keeps: far more than any filter form sends


@transaction.atomic
def start_export(*, by, kind, query):
    """Check the export (kind, filters, what ``by`` may see), count its rows and queue it."""
    encoded = query.urlencode()
    if len(encoded) > QUERY_MAX:
        raise ValidationError({"query": _("These filters are too long to export.")})
    book = prepare(kind, by, query, today=timezone.localdate())
    job = ExportJob.objects.create(
        kind=kind,
        query=encoded,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        requested_by=by,
        rows_total=book.rows,
        filename=book.filename,
    )
    queue_after_commit(run_export_task, job.pk)
    return job


def run_export(job_id):
    """Write the job's workbook to storage, recording progress; returns the job, or None if
    another run has claimed it. A failure is recorded on the job (and logged), not raised:
    the person waiting sees it on the job's page."""
    claimed = ExportJob.objects.filter(pk=job_id, state=ExportState.QUEUED).update(
        state=ExportState.RUNNING
    )
    if not claimed:
        return None
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    mine = ExportJob.objects.filter(pk=job.pk)
    try:
        with translation.override(job.language), tempfile.TemporaryFile() as file:
            book = prepare(
                job.kind, job.requested_by, QueryDict(job.query), today=timezone.localdate()
            )
            mine.update(rows_total=book.rows, filename=book.filename)
            written = xlsx.write(book.sheets, file, progress=lambda n: mine.update(rows_done=n))
            job.file.save(book.filename, File(file), save=False)
    except Exception:
        logger.exception("Export job %s failed", job.pk)
        mine.update(state=ExportState.FAILED, finished_at=timezone.now())
    else:
        mine.update(
            state=ExportState.DONE,
            rows_done=written,
            file=job.file.name,
            finished_at=timezone.now(),
        )
    job.refresh_from_db()
    return job


def purge_exports(*, now=None):
    """Delete the files and records of exports older than ``EXPORT_KEEP_DAYS`` (they hold
    personal data); returns how many. Safe to re-run."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.EXPORT_KEEP_DAYS)
    old = ExportJob.objects.filter(created_at__lt=cutoff)
    for job in old.exclude(file=""):
        job.file.delete(save=False)
    return old.delete()[0]
