"""Reading an uploaded ledger workbook safely: the size limits, a real .xlsx zip that does not
unpack past them, XML parsed without entities, and each sheet's header and non-blank rows.
Every refusal is an ``ImportRejected`` listing its reasons."""

import logging
import zipfile

import openpyxl.xml
from defusedxml import DefusedXmlException
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from portal.rest import row_error

logger = logging.getLogger(__name__)

# Limits [decision]; each can be overridden by the Django setting of the same name.
DEFAULT_MAX_BYTES = 5 * 1024 * 1024  # LEDGER_IMPORT_MAX_BYTES: the uploaded file
DEFAULT_MAX_UNZIPPED_BYTES = 100 * 1024 * 1024  # LEDGER_IMPORT_MAX_UNZIPPED_BYTES: zip bombs
DEFAULT_MAX_ROWS = 20_000  # LEDGER_IMPORT_MAX_ROWS: data rows per sheet
MAX_HEADER_COLUMNS = 64  # how far row 1 is read; the widest sheet has 13 keys
README = "readme"


def limit(name):
    return getattr(settings, f"LEDGER_IMPORT_{name}", globals()[f"DEFAULT_{name}"])


class ImportRejected(Exception):
    """The file was refused; ``errors`` lists every reason as
    ``{sheet, row, column, column_letter, message}`` (None where it does not apply)."""

    def __init__(self, errors):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


class FileTooLarge(ImportRejected):
    pass


def too_large():
    kib = limit("MAX_BYTES") // 1024
    return FileTooLarge([error(_("The file is larger than %(kib)s KiB.") % {"kib": f"{kib:,}"})])


#: The error shape the bulk API writes share (``portal.rest.row_error``).
error = row_error


def blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


# --- reading the file -------------------------------------------------------------------------


def file_size(file):
    size = getattr(file, "size", None)
    if size is None:
        size = file.seek(0, 2)
    file.seek(0)
    return size


def read_workbook(file):
    """``{sheet title: (header values, [(excel row, values), ...])}``, or ImportRejected."""
    if not openpyxl.xml.DEFUSEDXML:
        raise ImproperlyConfigured("defusedxml must be installed to parse uploaded workbooks.")
    invalid = [error(_("This is not a valid .xlsx file (Excel 2007 or later)."))]
    size = file_size(file)
    if size > limit("MAX_BYTES"):
        raise too_large()
    name = getattr(file, "name", None) or ""
    if name and not name.lower().endswith(".xlsx"):
        raise ImportRejected(invalid)
    try:
        with zipfile.ZipFile(file) as archive:
            unzipped = sum(member.file_size for member in archive.infolist())
            # A macro-enabled workbook renamed to .xlsx: the ledger template has no macros,
            # and a file that carries them is not passed on to anyone's Excel (issue 9.6).
            macros = any(
                member.filename.lower().endswith("vbaproject.bin") for member in archive.infolist()
            )
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportRejected(invalid) from None
    if macros:
        raise ImportRejected([error(_("The file contains macros; save it as a plain .xlsx."))])
    if unzipped > limit("MAX_UNZIPPED_BYTES"):
        raise ImportRejected([error(_("The file unpacks to more data than a ledger needs."))])
    file.seek(0)
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
        try:
            return {ws.title: read_sheet(ws) for ws in workbook.worksheets}
        finally:
            workbook.close()
    except Exception as exc:  # whatever a damaged archive makes openpyxl raise
        logger.info("Refused an unreadable ledger import", exc_info=True)
        if caused_by(exc, DefusedXmlException):  # openpyxl wraps some in a ValueError
            invalid = [error(_("The file contains XML entity declarations."))]
        raise ImportRejected(invalid) from None


def caused_by(exc, kind):
    while exc is not None:
        if isinstance(exc, kind):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def read_sheet(ws):
    header = next(ws.iter_rows(max_row=1, max_col=MAX_HEADER_COLUMNS, values_only=True), ())
    header = list(header)
    while header and blank(header[-1]):
        header.pop()
    if ws.title.strip().lower() == README or not header:
        return header, []
    last = limit("MAX_ROWS") + 2  # one row past the limit, to notice it
    rows = ws.iter_rows(min_row=2, max_row=last, max_col=len(header), values_only=True)
    return header, [(n, values) for n, values in enumerate(rows, 2) if not all(map(blank, values))]


def header_key(value):
    return "" if blank(value) else str(value).strip().lower()
