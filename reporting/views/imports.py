"""The bulk ledger import page (SPEC §5.4): download the template, upload it filled, and see
either every row-level error (and that nothing was saved) or how many rows of each kind were
added. The work is ``reporting.imports.import_ledger``, the same verb as the API's upload.
A file larger than ``LEDGER_IMPORT_INLINE_BYTES`` (more than a second or so of work) is
imported as a background job whose page shows its progress, like a large export."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from investments import services as ledger
from portal import xlsx

from .. import imports
from ..exports import jobs
from ..forms import ImportForm


@login_required
def ledger_import(request):
    ledger.require_institution(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors, status = None, 200
    if request.method == "POST":
        status = 400
        upload = form.cleaned_data["file"] if form.is_valid() else None
        if upload is not None and (
            settings.LEDGER_IMPORT_INLINE_BYTES < upload.size <= imports.limit("MAX_BYTES")
        ):
            job = jobs.start_import(by=request.user, file=upload)
            return redirect("export-detail", pk=job.pk)
        if upload is not None:
            try:
                result = imports.import_ledger(by=request.user, file=form.cleaned_data["file"])
            except imports.FileTooLarge as rejected:
                errors, status = rejected.errors, 413
            except imports.ImportRejected as rejected:
                errors = rejected.errors
            else:
                counts = ", ".join(f"{sheet} {n:,}" for sheet, n in result.created.items())
                messages.success(
                    request,
                    _("The file was imported. Rows added: %(counts)s.") % {"counts": counts},
                )
                return redirect("ledger-import")
    return render(
        request,
        "reporting/ledger_import.html",
        {"form": form, "errors": errors, "max_kib": imports.limit("MAX_BYTES") // 1024},
        status=status,
    )


@login_required
def ledger_template(request):
    return xlsx.response(imports.template_sheets(), filename="ledger-import-template.xlsx")
