"""Bulk ledger import from one Excel template (SPEC §5.4): all rows or none.

An institution fills the template (``build_template``) from its own system and uploads it;
``import_ledger`` checks the file (size, a real .xlsx zip, how far it unzips, sheets, header
keys, rows per sheet), converts every cell, then replays the rows through the same service
verbs the API uses, in dependency order, inside one transaction. Each row runs in its own
savepoint, so a refused row is undone while later rows are still checked; at the end any error
rolls back the whole file and every error comes back with sheet, Excel row, column and reason.

Layout: row 1 of each data sheet holds the column keys (any order, all required); data starts
on row 2; blank rows are skipped; cells under a blank key or right of the last key are ignored.
``ref`` values are the uploader's own keys linking rows across sheets *of the same file*: they
never name a row already in the database, so another organisation's data cannot be reached
through them (a client already in the ledger is not re-linked: its passport is refused).
Dates are date cells or ``YYYY-MM-DD`` text. Money is a whole number of KRW; Excel keeps every
number as a float, so 1000.0 is taken as 1000 while 1.5 is refused.

Untrusted XML: openpyxl streams worksheets through defusedxml (entity declarations refused) and
parses the other parts with defusedxml too, or with lxml without resolving entities where lxml
is installed; the import refuses to run if defusedxml is missing. Zip bombs: the sizes the
archive declares are summed before anything is unpacked, and zipfile never unpacks past them.
"""

import datetime
import logging
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import openpyxl.xml
from defusedxml import DefusedXmlException
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import DataError, IntegrityError, models, transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from investments import services as ledger
from investments.choices import (
    InvestorClass,
    InvestorKind,
    LapseKind,
    PaymentKind,
    ProgramCode,
    RecoveryReason,
)
from investments.models import FacilityType, Project, Zone
from portal import xlsx
from portal.forms import field_messages
from portal.money import MoneyError, to_krw
from portal.rest import row_error

from . import services

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


@dataclass
class ImportResult:
    created: dict = field(default_factory=dict)


#: The error shape the bulk API writes share (``portal.rest.row_error``).
error = row_error


# --- cells ------------------------------------------------------------------------------------


class CellError(Exception):
    pass


ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def text(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise CellError(_("Enter text."))


def upper(value):
    return text(value).upper()


def code(value):
    return text(value).lower() or None


def date(value):
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        if value.time() != datetime.time(0):
            raise CellError(_("Enter a date without a time of day."))
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and ISO_DATE.fullmatch(value.strip()):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise CellError(_("Enter a date cell or a date written YYYY-MM-DD."))


def krw(value):
    if value is None:
        return None
    try:  # its sign and size are checked by the verb the row goes to
        return to_krw(value, whole_floats=True)
    except MoneyError as error:
        raise CellError(error.message) from None


def decimal(value):
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(_("Enter a number."))
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise CellError(_("Enter a number.")) from None
    if not number.is_finite() or number <= 0:
        raise CellError(_("The amount must be greater than zero."))
    return number


def blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


# --- the template's sheets --------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    parse: object = text
    required: bool = False
    default: object = None
    codes: object = None  # a TextChoices class, or a reference model with a ``code`` field


@dataclass(frozen=True)
class Sheet:
    name: str
    verb: object  # the service function one row is given to
    columns: tuple
    refs: dict = field(default_factory=dict)  # ref column → (sheet it points to, verb argument)

    @property
    def keys(self):
        return [column.key for column in self.columns]


def ref(key="ref"):
    return Column(key, text, required=True)


SHEETS = (
    Sheet(
        "investors",
        ledger.register_investor,
        (
            ref(),
            Column("kind", code, default=InvestorKind.PERSON, codes=InvestorKind),
            Column("full_name", required=True),
            Column("nationality", upper, required=True),
            Column("date_of_birth", date),
            Column("passport_number", required=True),
            Column("alien_registration_number"),
            Column("email"),
        ),
    ),
    Sheet(
        "investments",
        ledger.record_investment,
        (
            ref(),
            ref("investor_ref"),
            Column("program", code, required=True, codes=ProgramCode),
            Column("zone", code, codes=Zone),
            Column("project", code, codes=Project),
            Column("investor_class", code, required=True, codes=InvestorClass),
            Column("property_name"),
            Column("unit_number"),
            Column("facility_type", code, codes=FacilityType),
            Column("contract_date", date, required=True),
            Column("contract_amount_krw", krw, required=True),
            Column("registered_on", date),
            Column("prescreened_on", date),
        ),
        refs={"investor_ref": ("investors", "investor")},
    ),
    Sheet(
        "payments",
        ledger.record_payment,
        (
            ref("investment_ref"),
            Column("paid_on", date, required=True),
            Column("amount_krw", krw, required=True),
            Column("kind", code, required=True, codes=PaymentKind),
            Column("currency", upper, default="KRW"),
            Column("original_amount", decimal),
        ),
        refs={"investment_ref": ("investments", "investment")},
    ),
    Sheet(
        "recoveries",
        services.record_recovery,
        (
            ref("investment_ref"),
            Column("recovered_on", date, required=True),
            Column("amount_krw", krw, required=True),
            Column("reason", code, required=True, codes=RecoveryReason),
        ),
        refs={"investment_ref": ("investments", "investment")},
    ),
    Sheet(
        "lapses",
        ledger.record_lapse,
        (
            ref("investment_ref"),
            Column("kind", code, required=True, codes=LapseKind),
            Column("started_on", date, required=True),
            Column("ended_on", date),
        ),
        refs={"investment_ref": ("investments", "investment")},
    ),
)
SHEETS_BY_NAME = {sheet.name: sheet for sheet in SHEETS}


def code_table(codes):
    """``{code: (value passed to the verb, label)}`` of a choices class or reference model."""
    if issubclass(codes, models.Choices):
        return {value: (value, label) for value, label in codes.choices}
    return {row.code: (row, row.name) for row in codes.objects.order_by("code")}


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
                member.filename.lower().endswith("vbaproject.bin")
                for member in archive.infolist()
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


def check_layout(raw):
    """Sheets and header keys as in the template, else ImportRejected.

    Returns ``{sheet: (letters, positions, rows)}``: each key's column letter and index."""
    errors, found, titles = [], {}, {}
    for title in raw:
        name = title.strip().lower()
        if name in titles:
            errors.append(error(_("The sheet appears twice."), title))
        elif name not in SHEETS_BY_NAME and name != README:
            errors.append(error(_("Unknown sheet: only the template's sheets are read."), title))
        titles.setdefault(name, title)
    for sheet in SHEETS:
        if sheet.name not in titles:
            errors.append(error(_("The sheet is missing."), sheet.name))
            continue
        header, rows = raw[titles[sheet.name]]
        letters, positions = {}, {}
        for index, value in enumerate(header):
            key, letter = header_key(value), get_column_letter(index + 1)
            if not key:
                continue  # a template column that lost its key is reported missing below
            if key not in sheet.keys:
                errors.append(error(_("Unknown column key."), sheet.name, 1, key, letter))
            elif key in positions:
                errors.append(error(_("The column appears twice."), sheet.name, 1, key, letter))
            else:
                letters[key], positions[key] = letter, index
        for key in sheet.keys:
            if key not in positions:
                errors.append(error(_("The column is missing."), sheet.name, 1, key))
        if rows and rows[-1][0] > limit("MAX_ROWS") + 1:
            message = _("More than %(n)s rows: split the file.") % {"n": limit("MAX_ROWS")}
            errors.append(error(message, sheet.name))
        found[sheet.name] = letters, positions, rows
    if errors:
        raise ImportRejected(errors)
    if not any(rows for _letters, _positions, rows in found.values()):
        raise ImportRejected([error(_("The file has no rows to import."))])
    return found


# --- the import -------------------------------------------------------------------------------


class RowError(Exception):
    def __init__(self, column, message):
        super().__init__(message)
        self.column, self.message = column, message


class Run:
    """One import: what each ref became, and the errors so far."""

    def __init__(self, by):
        self.by = by
        self.errors = []
        self.tables = {}
        self.rows = {sheet.name: {} for sheet in SHEETS}  # ref → Excel row of its first use
        self.saved = {sheet.name: {} for sheet in SHEETS}  # ref → saved object

    def cell(self, column, value):
        if blank(value):
            if column.required:
                raise CellError(_("This column is required."))
            return column.default if column.default is not None else column.parse(None)
        value = column.parse(value)
        if column.codes is not None and value is not None:
            if column.codes not in self.tables:
                self.tables[column.codes] = code_table(column.codes)
            table = self.tables[column.codes]
            if value not in table:
                raise CellError(
                    _("Unknown code “%(value)s”: use one of %(codes)s.")
                    % {"value": value, "codes": ", ".join(table)}
                )
            value = table[value][0]
        return value

    def resolve(self, key, target, ref):
        """The object saved from the row of sheet ``target`` whose ref is ``ref``."""
        if ref in self.saved[target]:
            return self.saved[target][ref]
        if ref in self.rows[target]:
            message = _("Depends on row %(row)s of sheet %(sheet)s, which was refused.")
            raise RowError(key, message % {"row": self.rows[target][ref], "sheet": target})
        raise RowError(key, _("No row of sheet %(sheet)s has this ref.") % {"sheet": target})

    def row(self, sheet, letters, number, raw):
        """Convert, then save one row in its own savepoint. True if saved; errors collected."""
        add = self.errors.append
        values, failed = {}, False
        for column, value in zip(sheet.columns, raw, strict=True):
            try:
                values[column.key] = self.cell(column, value)
            except CellError as exc:
                add(error(exc, sheet.name, number, column.key, letters[column.key]))
                failed = True
        ref = values.pop("ref", None)
        if ref is not None:
            if ref in self.rows[sheet.name]:
                message = _("This ref is already used on row %(row)s.")
                message %= {"row": self.rows[sheet.name][ref]}
                add(error(message, sheet.name, number, "ref", letters["ref"]))
                return False
            self.rows[sheet.name][ref] = number
        if failed:
            return False
        try:
            for key, (target, argument) in sheet.refs.items():
                values[argument] = self.resolve(key, target, values.pop(key))
            with transaction.atomic():
                saved = sheet.verb(by=self.by, **values)
        except RowError as exc:
            add(error(exc.message, sheet.name, number, exc.column, letters[exc.column]))
            return False
        except ValidationError as exc:
            for field_name, message in field_messages(exc):
                key = column_of(sheet, field_name)
                if field_name and not key:
                    message = f"{field_name}: {message}"
                add(error(message, sheet.name, number, key, letters.get(key)))
            return False
        except (IntegrityError, DataError):
            logger.info("Import row refused by the database", exc_info=True)
            add(error(_("The database refused this row."), sheet.name, number))
            return False
        if ref is not None:
            self.saved[sheet.name][ref] = saved
        return True


def column_of(sheet, field_name):
    """The column a verb's field came from (``investment`` ← ``investment_ref``)."""
    by_argument = {argument: key for key, (_target, argument) in sheet.refs.items()}
    key = by_argument.get(field_name, {"unit": "unit_number"}.get(field_name, field_name))
    return key if key in sheet.keys else None


@transaction.atomic
def import_ledger(*, by, file):
    """Import a filled template for ``by``'s institution: every row saved, or none.

    Raises ``PermissionDenied`` for a user who keeps no ledger, ``FileTooLarge`` or
    ``ImportRejected`` (with every error) when anything is wrong; nothing is saved then."""
    ledger.require_institution(by)
    sheets = check_layout(read_workbook(file))
    run, created = Run(by), {}
    for sheet in SHEETS:
        letters, positions, rows = sheets[sheet.name]
        created[sheet.name] = sum(
            run.row(sheet, letters, number, [values[positions[key]] for key in sheet.keys])
            for number, values in rows
        )
    if run.errors:
        raise ImportRejected(run.errors)
    logger.info("Ledger import by %s: %s", by.username, created)
    return ImportResult(created=created)


# --- the template -----------------------------------------------------------------------------
# The template is one bilingual document for every uploader, so its hints are English and Korean
# side by side rather than translated per request; code meanings follow the request language.

HINTS = {
    text: ("Text", "텍스트"),
    upper: ("ISO code, e.g. CN / USD", "ISO 코드 (예: CN / USD)"),
    code: ("A code listed on the README sheet", "README 시트의 코드"),
    date: ("Date cell or YYYY-MM-DD", "날짜 셀 또는 YYYY-MM-DD"),
    krw: ("Whole number of KRW", "원 단위 정수"),
    decimal: ("Amount in the original currency", "원래 통화 금액"),
}
RULES = [
    (
        "Row 1 holds the column keys; enter data from row 2.",
        "1행은 열 키입니다. 2행부터 입력하세요.",
    ),
    (
        "ref: your own key for a row; other sheets of this file refer to it (not database ids).",
        "ref: 행의 자체 관리번호이며 이 파일의 다른 시트에서만 참조합니다 (DB 번호 아님).",
    ),
    ("Dates: date cells or YYYY-MM-DD.", "날짜: 날짜 셀 또는 YYYY-MM-DD."),
    ("Money: whole KRW, no decimals.", "금액: 원 단위 정수 (소수 불가)."),
    (
        "One error refuses the whole file; nothing is saved. Fix and upload again.",
        "오류가 하나라도 있으면 파일 전체가 거부되며 아무것도 저장되지 않습니다.",
    ),
]


def template_sheets():
    """The .xlsx template: a README of rules and codes, then one sheet per kind of row whose
    header cells carry a hint and, where the codes are few, a drop-down list."""
    codes = [
        [f"{sheet.name}.{column.key}", value, str(label)]
        for sheet in SHEETS
        for column in sheet.columns
        if column.codes is not None
        for value, (_obj, label) in code_table(column.codes).items()
    ]
    readme = xlsx.Sheet(
        title="README",
        header=[["Ledger import template", "원장 일괄 등록 양식"]],
        rows=[*RULES, [], [_("list"), _("code"), _("meaning")], *codes],
        widths=[32, 28],
    )
    return [readme] + [
        xlsx.Sheet(
            title=sheet.name,
            header=[sheet.keys],
            rows=[],
            widths=[max(14, len(column.key) + 4) for column in sheet.columns],
            notes={index: hint(sheet, column) for index, column in enumerate(sheet.columns)},
            choices={
                index: list(code_table(column.codes))
                for index, column in enumerate(sheet.columns)
                if column.codes is not None
            },
        )
        for sheet in SHEETS
    ]


def hint(sheet, column):
    if column.key == "ref":
        english, korean = "Your own key for this row", "이 행의 자체 관리번호"
    elif column.key in sheet.refs:
        target = sheet.refs[column.key][0]
        english, korean = f"The ref of a row of sheet {target}", f"{target} 시트의 ref"
    else:
        english, korean = HINTS[column.parse]
    if column.required:
        return f"{english} (required)\n{korean} (필수)"
    return f"{english} (optional)\n{korean} (선택)"
