"""The open-data files of the national statistics: CSV and .xlsx, from the rows of
``reporting.statistics.open_data`` (suppressed cells left empty)."""

import csv
import io

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import xlsx
from portal.months import add_months, month_range, previous_month

from . import notices, statistics

#: The longest range one request computes (ten years of months).
MAX_MONTHS = 120


def period_range(first_text=None, last_text=None):
    """``(first, last)`` month days from ``YYYY-MM`` texts; by default the twelve months that
    ended last month. A ValidationError names the bad parameter."""
    last = previous_month(timezone.localdate())
    first = add_months(last, -11)
    parsed = {}
    for name, text in (("from", first_text), ("to", last_text)):
        if text:
            try:
                parsed[name] = notices.parse_month(text)
            except ValidationError:
                raise ValidationError({name: _("Enter the month as YYYY-MM.")}) from None
    first, last = parsed.get("from", first), parsed.get("to", last)
    if last < first:
        raise ValidationError({"to": _("The range ends before it starts.")})
    if len(month_range(first, last)) > MAX_MONTHS:
        raise ValidationError({"to": _("At most %(n)s months at once.") % {"n": MAX_MONTHS}})
    return first, last


def csv_bytes(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(statistics.OPEN_DATA_COLUMNS)
    for row in rows:
        writer.writerow(
            [
                xlsx.safe_text(v) if isinstance(v, str) else ("" if v is None else v)
                for v in (row[c] for c in statistics.OPEN_DATA_COLUMNS)
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")  # a BOM: spreadsheet programs read UTF-8


def xlsx_bytes(rows, first, last):
    sheet = xlsx.Sheet(
        title="open-data",
        header=[list(statistics.OPEN_DATA_COLUMNS)],
        rows=([cell(row, column) for column in statistics.OPEN_DATA_COLUMNS] for row in rows),
        widths=[10, 16, 18, 16, 22, 20, 10, 11],
    )
    return xlsx.to_bytes([sheet])


def cell(row, column):
    value = row[column]
    if column == "value" and value is not None and row["measure"].endswith("_krw"):
        return xlsx.Money(value)
    return value


def filename(first, last, extension):
    return f"investment-immigration-{first:%Y-%m}-{last:%Y-%m}.{extension}"
