"""Downloading exports: a small one streams at once, a large one is prepared as a background
job with a page that shows its progress and, when it is ready, the download link.

Every export page (investments, deadlines, a notice's workbook) answers through
:func:`deliver` with the export's kind and the page's own query string, so the file holds
exactly the rows the page shows; a GET never starts a job (the offer page asks with a POST).
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseBadRequest, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import xlsx

from .. import exports
from ..choices import DOWNLOADS, ExportKind, ExportState
from ..exports import jobs
from ..models import ExportJob

#: The job page reloads itself this often (seconds) until the file is ready.
REFRESH_SECONDS = 2


def deliver(request, kind, query):
    """The export's file if it is small, else a page offering to prepare it."""
    try:
        book = exports.prepare(kind, request.user, query, today=timezone.localdate())
    except ValidationError as error:
        if "notice" in getattr(error, "error_dict", {}):
            raise Http404 from error
        return HttpResponseBadRequest(_("Correct the filters before exporting."))
    if book.rows <= settings.EXPORT_INLINE_ROWS:
        return xlsx.response(book.sheets, filename=book.filename)
    return render(
        request,
        "reporting/export_offer.html",
        {"kind": kind, "query": query.urlencode(), "book": book},
    )


@login_required
def investment_export(request):
    """The investment table's rows under the same filters, as .xlsx (the table is a ledger
    page, ``investments.views.tables``; its export is a job of reporting's)."""
    return deliver(request, ExportKind.INVESTMENTS, request.GET)


@login_required
@require_POST
def export_start(request):
    try:
        job = jobs.start_export(
            by=request.user,
            kind=request.POST.get("kind", ""),
            query=QueryDict(request.POST.get("query", "")),
        )
    except ValidationError:
        return HttpResponseBadRequest(_("Correct the filters before exporting."))
    return redirect("export-detail", pk=job.pk)


@login_required
def export_detail(request, pk):
    """The page of a background job — an export, an import or a recomputation — with its
    progress until it is over, then its file, what it added or why it failed."""
    job = get_object_or_404(ExportJob.objects.visible_to(request.user), pk=pk)
    waiting = job.state in (ExportState.QUEUED, ExportState.RUNNING)
    job.rows_done, job.rows_total = jobs.progress_of(job)
    return render(
        request,
        "reporting/export_detail.html",
        {
            "job": job,
            "refresh": REFRESH_SECONDS if waiting else None,
            "download": job.kind in DOWNLOADS,
        },
    )


@login_required
@require_POST
def recompute_start(request):
    """HQ recomputes every stored eligibility fact now, following it on the job's page."""
    job = jobs.start_recompute(by=request.user)
    return redirect("export-detail", pk=job.pk)


@login_required
def export_download(request, pk):
    job = get_object_or_404(
        ExportJob.objects.visible_to(request.user), pk=pk, state=ExportState.DONE
    )
    return FileResponse(
        job.file.open("rb"), as_attachment=True, filename=job.filename, content_type=xlsx.MIME
    )
