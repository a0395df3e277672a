"""The one .xlsx writer of the portal. Every spreadsheet the portal hands out — the investments
table, the deadlines, the monthly status notice, the import template — is a list of
:class:`Sheet` (a title, header rows, an iterator of rows) written here, so what makes a file
safe and clean to open is decided once:

* text starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) gets a leading
  apostrophe, so a spreadsheet program shows it instead of running it as a formula (an investor
  named ``=HYPERLINK(…)`` stays a name: CSV/formula injection);
* characters an .xlsx cannot hold (control characters) are dropped instead of failing the
  whole file;
* :class:`Money` is an integer KRW amount with a thousands format, dates are real dates,
  times are Korean local times; nothing is ever a float that was money.

Rows are streamed: XlsxWriter's ``constant_memory`` mode writes each row to a temporary file as
soon as it is complete, and :func:`response` sends the finished file from disk in blocks, so
memory stays flat from ten rows to a million (``benchmarks/export_benchmark.py``). XlsxWriter
writes the same workbook as openpyxl's write-only mode in about two thirds of the time, number
formats included; openpyxl still reads the uploaded ledger (``reporting.imports``).
"""

import re
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import IO

import xlsxwriter
from django.http import FileResponse
from django.utils import timezone
from django.utils.functional import Promise

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
#: A text cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Characters XML 1.0 (and so an .xlsx) cannot hold; tab, line feed and carriage return can.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: Excel's limits: 31 characters in a sheet title, 255 in an inline list of choices.
TITLE_MAX, CHOICES_MAX = 31, 255
LAST_ROW = 1_048_575
PROGRESS_EVERY = 1000


class Money(int):
    """A whole amount of KRW: written as an integer with a thousands separator format."""


@dataclass
class Sheet:
    """One worksheet: ``header`` rows (bold, frozen above the data), then ``rows`` as they
    come from a generator. ``notes`` comment the last header row's cells by column index (the
    import template's hints); ``choices`` offer a drop-down list of codes below the header."""

    title: str
    rows: Iterable[Sequence]
    header: Sequence[Sequence] = ()
    widths: Sequence[int] = ()
    notes: Mapping[int, str] = field(default_factory=dict)
    choices: Mapping[int, Sequence[str]] = field(default_factory=dict)


@dataclass
class Book:
    """An export ready to write: its file name, its sheets (rows not read yet) and how many
    data rows it will hold, counted first: the page streams a small export at once and
    prepares a large one in the background, showing progress against this count."""

    filename: str
    sheets: list[Sheet]
    rows: int


def safe_text(value: str) -> str:
    """Text as a spreadsheet program will show it, never run it."""
    value = CONTROL_CHARACTERS.sub("", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


class _Writer:
    """Writes one cell by the type of its value (one dictionary look-up per cell)."""

    def __init__(self, book):
        self.money = book.add_format({"num_format": MONEY_FORMAT})
        self.date = book.add_format({"num_format": DATE_FORMAT})
        self.datetime = book.add_format({"num_format": DATETIME_FORMAT})
        self.bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        self.by_type = {
            str: self.text,
            int: self.number,
            Money: self.amount,
            float: self.number,
            Decimal: self.number,
            bool: self.boolean,
            date: self.day,
            datetime: self.moment,
        }

    def cell(self, sheet, row, column, value, style=None):
        if value is not None:
            self.by_type.get(type(value), self.other)(sheet, row, column, value, style)

    def text(self, sheet, row, column, value, style):
        sheet.write_string(row, column, safe_text(value), style)

    def number(self, sheet, row, column, value, style):
        sheet.write_number(row, column, value, style)

    def amount(self, sheet, row, column, value, style):
        sheet.write_number(row, column, value, style or self.money)

    def boolean(self, sheet, row, column, value, style):
        sheet.write_boolean(row, column, value, style)

    def day(self, sheet, row, column, value, style):
        sheet.write_datetime(row, column, value, style or self.date)

    def moment(self, sheet, row, column, value, style):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        sheet.write_datetime(row, column, value, style or self.datetime)

    def other(self, sheet, row, column, value, style):
        """Lazy translations and anything else: as text. A subclass of a known type (an enum
        member, a ``Money``-like int) goes to its base type's writer."""
        for kind in type(value).__mro__[1:]:
            if kind in self.by_type and not isinstance(value, Promise):
                return self.by_type[kind](sheet, row, column, value, style)
        return self.text(sheet, row, column, str(value), style)


def write(
    sheets: Iterable[Sheet],
    file: IO[bytes],
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write ``sheets`` to the binary ``file``; returns how many data rows were written.
    ``progress(rows)`` is called every thousand data rows (export jobs show it)."""
    book = xlsxwriter.Workbook(file, {"constant_memory": True, "tmpdir": tempfile.gettempdir()})
    writer, written = _Writer(book), 0
    for spec in sheets:
        sheet = book.add_worksheet(str(spec.title)[:TITLE_MAX])
        for column, width in enumerate(spec.widths):
            sheet.set_column(column, column, width)
        sheet.set_landscape()  # printed: as wide as the page, as long as the rows go
        sheet.fit_to_pages(1, 0)
        top = len(spec.header)
        if top:
            sheet.freeze_panes(top, 0)
        for column, codes in spec.choices.items():
            source = ",".join(codes)
            if codes and len(source) < CHOICES_MAX:
                sheet.data_validation(
                    top, column, LAST_ROW, column, {"validate": "list", "source": list(codes)}
                )
        for row, values in enumerate(spec.header):
            for column, value in enumerate(values):
                writer.cell(sheet, row, column, value, writer.bold)
        for column, note in spec.notes.items():
            sheet.write_comment(top - 1, column, note, {"x_scale": 2, "y_scale": 1.5})
        for row, values in enumerate(spec.rows, start=top):
            for column, value in enumerate(values):
                writer.cell(sheet, row, column, value)
            written += 1
            if progress and written % PROGRESS_EVERY == 0:
                progress(written)
    book.close()
    return written


def to_bytes(sheets: Iterable[Sheet]) -> bytes:
    """The workbook in memory: for small files (tests, the import template)."""
    with tempfile.TemporaryFile() as file:
        write(sheets, file)
        file.seek(0)
        return file.read()


def response(sheets: Iterable[Sheet], *, filename: str) -> FileResponse:
    """The workbook as a download, written to a temporary file and streamed from it."""
    file = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it when sent)
    write(sheets, file)
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=filename, content_type=MIME)
