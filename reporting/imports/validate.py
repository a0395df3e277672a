"""What a workbook must hold: the template's sheets and columns, each cell converted to what
the verb takes (``CellError`` otherwise), and the layout check (sheets and header keys)."""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import models
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from investments import choices
from investments import services as ledger
from investments.models import FacilityType, Project, Zone
from portal.models import Office
from portal.money import MoneyError, to_krw

from .. import services
from .reader import README, ImportRejected, error, header_key, limit

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


# --- the template's sheets --------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    parse: object = text
    required: bool = False
    default: object = None
    codes: object = None  # a TextChoices class, or a reference model with a ``code`` field
    #: Added to the template later: a file made from an older template may lack the column,
    #: which then reads as blank, so files prepared before the change still import.
    added_later: bool = False


@dataclass(frozen=True)
class Sheet:
    name: str
    verb: object  # the service function one row is given to
    columns: tuple
    refs: dict = field(default_factory=dict)  # ref column → (sheet it points to, verb argument)
    added_later: bool = False  # as for a column: a missing sheet reads as no rows

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
            Column("kind", code, default=choices.InvestorKind.PERSON, codes=choices.InvestorKind),
            Column("full_name", required=True),
            Column("nationality", upper, required=True),
            Column("date_of_birth", date),
            Column("passport_number", required=True),
            Column("alien_registration_number"),
            Column("email"),
            Column("residence_office", code, codes=Office, added_later=True),
        ),
    ),
    Sheet(
        "investments",
        ledger.record_investment,
        (
            ref(),
            ref("investor_ref"),
            Column("program", code, required=True, codes=choices.ProgramCode),
            Column("zone", code, codes=Zone),
            Column("project", code, codes=Project),
            Column("investor_class", code, required=True, codes=choices.InvestorClass),
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
            Column("kind", code, required=True, codes=choices.PaymentKind),
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
            Column("reason", code, required=True, codes=choices.RecoveryReason),
        ),
        refs={"investment_ref": ("investments", "investment")},
    ),
    Sheet(
        "lapses",
        ledger.record_lapse,
        (
            ref("investment_ref"),
            Column("kind", code, required=True, codes=choices.LapseKind),
            Column("started_on", date, required=True),
            Column("ended_on", date),
        ),
        refs={"investment_ref": ("investments", "investment")},
    ),
    # Last, so the sheets an older template has keep their places.
    Sheet(
        "relatives",
        ledger.record_relative,
        (
            ref("investor_ref"),
            Column("relation", code, required=True, codes=choices.Relation),
            Column("full_name", required=True),
            Column("nationality", upper, required=True),
            Column("date_of_birth", date, required=True),
            Column("passport_number"),
        ),
        refs={"investor_ref": ("investors", "investor")},
        added_later=True,
    ),
)
SHEETS_BY_NAME = {sheet.name: sheet for sheet in SHEETS}


def code_table(codes):
    """``{code: (value passed to the verb, label)}`` of a choices class or reference model."""
    if issubclass(codes, models.Choices):
        return {value: (value, label) for value, label in codes.choices}
    return {row.code: (row, row.name) for row in codes.objects.order_by("code")}


def check_layout(raw):
    """Sheets and header keys as in the template, else ImportRejected.

    Returns ``{sheet: (letters, positions, rows)}``: each key's column letter and index (none
    for a column or sheet added to the template later and absent from the file)."""
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
            if sheet.added_later:
                found[sheet.name] = {}, {}, []
            else:
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
        for column in sheet.columns:
            if column.key not in positions and not column.added_later:
                errors.append(error(_("The column is missing."), sheet.name, 1, column.key))
        if rows and rows[-1][0] > limit("MAX_ROWS") + 1:
            message = _("More than %(n)s rows: split the file.") % {"n": limit("MAX_ROWS")}
            errors.append(error(message, sheet.name))
        found[sheet.name] = letters, positions, rows
    if errors:
        raise ImportRejected(errors)
    if not any(rows for _letters, _positions, rows in found.values()):
        raise ImportRejected([error(_("The file has no rows to import."))])
    return found
