"""Applying a checked workbook: every row replayed through the service verbs, in dependency
order, each in its own savepoint, inside one transaction; any error rolls back the file."""

import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils.translation import gettext as _

from investments import services as ledger
from portal.forms import field_messages

from .reader import ImportRejected, blank, error, read_workbook
from .validate import SHEETS, CellError, check_layout, code_table

logger = logging.getLogger(__name__)


@dataclass
class ImportResult:
    created: dict = field(default_factory=dict)


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
                add(error(exc, sheet.name, number, column.key, letters.get(column.key)))
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


def cell(values, positions, key):
    """The row's value under ``key``; blank when the file's template predates the column."""
    return values[positions[key]] if key in positions else None


#: How often (rows) an import reports its progress.
PROGRESS_EVERY = 100


@transaction.atomic
def import_ledger(*, by, file, progress=None):
    """Import a filled template for ``by``'s institution: every row saved, or none.

    Raises ``PermissionDenied`` for a user who keeps no ledger, ``FileTooLarge`` or
    ``ImportRejected`` (with every error) when anything is wrong; nothing is saved then.
    ``progress(done, total)`` is called every ``PROGRESS_EVERY`` rows (a background import's
    page shows it)."""
    ledger.require_institution(by)
    sheets = check_layout(read_workbook(file))
    run, created = Run(by), {}
    total, done = sum(len(sheets[sheet.name][2]) for sheet in SHEETS), 0
    for sheet in SHEETS:
        letters, positions, rows = sheets[sheet.name]
        created[sheet.name] = 0
        for number, values in rows:
            raw = [cell(values, positions, key) for key in sheet.keys]
            created[sheet.name] += run.row(sheet, letters, number, raw)
            done += 1
            if progress and done % PROGRESS_EVERY == 0:
                progress(done, total)
    if run.errors:
        raise ImportRejected(run.errors)
    logger.info("Ledger import by %s: %s", by.username, created)
    return ImportResult(created=created)
