"""Long operations as background jobs with a progress page (SPEC §6; issue 11.6): large
exports, large ledger imports and the full recomputation of eligibility facts, one model
(``ExportJob``), one page (``export-detail``), one way to report progress; the verbs that
start and run each, and the purge of old files.

Exports. A job re-reads its rows as the user who asked for it, through the same
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
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from investments import services as ledger
from portal import xlsx
from portal.access import is_headquarters

from ..choices import ExportKind, ExportState
from ..models import ExportJob
from ..tasks import queue_after_commit, run_export_task, run_import_task, run_recompute_task
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


# --- progress, imports and recomputations -----------------------------------------------------

PROGRESS_KEY = "job-progress:{}"


def note_progress(job_id, done, total):
    """Record how far a running job is. An import runs in one transaction, so an update of
    its row would only be seen once it is over: the count also goes through the cache, which
    the web processes and the workers share when ``CACHE_URL`` is set (without it a worker's
    job shows its progress when done)."""
    cache.set(PROGRESS_KEY.format(job_id), (done, total), timeout=3600)
    ExportJob.objects.filter(pk=job_id).update(rows_done=done, rows_total=total)


def progress_of(job):
    """``(done, total)`` of ``job`` as far as anyone can see now."""
    if job.state == ExportState.RUNNING:
        noted = cache.get(PROGRESS_KEY.format(job.pk))
        if noted:
            return tuple(noted)
    return job.rows_done, job.rows_total


def claim(job_id, kind):
    """Move a queued job of ``kind`` to running (a task delivered twice runs it once)."""
    claimed = ExportJob.objects.filter(pk=job_id, kind=kind, state=ExportState.QUEUED).update(
        state=ExportState.RUNNING
    )
    return ExportJob.objects.select_related("requested_by").get(pk=job_id) if claimed else None


def finish(job, state, **fields):
    ExportJob.objects.filter(pk=job.pk).update(state=state, finished_at=timezone.now(), **fields)
    cache.delete(PROGRESS_KEY.format(job.pk))
    job.refresh_from_db()
    return job


@transaction.atomic
def start_import(*, by, file):
    """Keep an uploaded workbook and queue its import (``run_import``) as ``by``."""
    ledger.require_institution(by)
    job = ExportJob(
        kind=ExportKind.IMPORT,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        requested_by=by,
        filename=getattr(file, "name", "") or "import.xlsx",
    )
    job.file.save(job.filename, file, save=False)
    job.save()
    queue_after_commit(run_import_task, job.pk)
    return job


def run_import(job_id):
    """Import the job's workbook as the user who uploaded it: ``result`` is what it added
    (``created``) or every error (``errors``, and nothing was saved)."""
    from .. import imports  # the import's modules load only when one runs

    job = claim(job_id, ExportKind.IMPORT)
    if job is None:
        return None
    try:
        with translation.override(job.language), job.file.open("rb") as file:
            done = imports.import_ledger(
                by=job.requested_by,
                file=file,
                progress=lambda n, total: note_progress(job.pk, n, total),
            )
    except imports.ImportRejected as rejected:
        errors = [
            {k: str(v) for k, v in error.items() if v is not None} for error in rejected.errors
        ]
        return finish(job, ExportState.FAILED, result={"errors": errors})
    except Exception:
        logger.exception("Import job %s failed", job.pk)
        return finish(job, ExportState.FAILED)
    rows = sum(done.created.values())
    return finish(
        job, ExportState.DONE, result={"created": done.created}, rows_done=rows, rows_total=rows
    )


def start_recompute(*, by):
    """HQ asks for every stored eligibility fact to be recomputed now (after a change of
    rules, as the nightly job does), with the job's page to follow it."""
    if not is_headquarters(by):
        raise PermissionDenied(_("Only HQ recomputes every eligibility fact."))
    job = ExportJob.objects.create(
        kind=ExportKind.RECOMPUTE,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        requested_by=by,
        filename="",
    )
    queue_after_commit(run_recompute_task, job.pk)
    return job


def run_recompute(job_id):
    from .. import eligibility_store

    job = claim(job_id, ExportKind.RECOMPUTE)
    if job is None:
        return None
    try:
        eligibility_store.refresh_all(progress=lambda n, total: note_progress(job.pk, n, total))
    except Exception:
        logger.exception("Recomputation job %s failed", job.pk)
        return finish(job, ExportState.FAILED)
    job.refresh_from_db()
    return finish(job, ExportState.DONE, rows_done=job.rows_total)


def purge_exports(*, now=None):
    """Delete the files and records of exports older than ``EXPORT_KEEP_DAYS`` (they hold
    personal data); returns how many. Safe to re-run."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.EXPORT_KEEP_DAYS)
    old = ExportJob.objects.filter(created_at__lt=cutoff)
    for job in old.exclude(file=""):
        job.file.delete(save=False)
    return old.delete()[0]
