"""The investment ledger as a table: one query set for the page and the export, one row
generator, one .xlsx renderer.

The page and the export start from :func:`investment_table` and the same ``InvestmentFilter``,
so what a user filters is exactly what a user exports. Identification numbers are masked, and
text cells that a spreadsheet would run as a formula are escaped (CSV/formula injection).
"""

from datetime import date
from io import BytesIO

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from .api import total
from .models import Investment, Payment, Recovery

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: A text cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def investment_table(user):
    """Investments the user may see, with what was paid and recovered (as in the API)."""
    return (
        Investment.objects.visible_to(user)
        .select_related(
            "investor", "institution", "zone", "project", "office", "unit__facility_type"
        )
        .annotate(
            paid_krw=total(Payment, "amount_krw"),
            recovered_krw=total(Recovery, "amount_krw"),
        )
    )


def where(investment):
    """Zone (tourism) or project (public interest)."""
    return investment.zone.name if investment.zone_id else investment.project.name


COLUMNS = [
    (_("Investment no."), lambda i: i.pk),
    (_("Investor"), lambda i: i.investor.full_name),
    (_("Nationality"), lambda i: i.investor.nationality),
    (_("Date of birth"), lambda i: i.investor.date_of_birth),
    (_("Passport number (masked)"), lambda i: i.investor.passport_number_masked),
    (_("Institution"), lambda i: i.institution.name),
    (_("Program"), lambda i: i.get_program_display()),
    (_("Zone / project"), where),
    (_("Property name"), lambda i: i.unit.name if i.unit_id else ""),
    (_("Unit"), lambda i: i.unit.unit_number if i.unit_id else ""),
    (_("Facility type"), lambda i: i.unit.facility_type.name if i.unit_id else ""),
    (_("Investor class"), lambda i: i.get_investor_class_display()),
    (_("Contract date"), lambda i: i.contract_date),
    (_("Contract amount (KRW)"), lambda i: i.contract_amount_krw),
    (_("Paid (KRW)"), lambda i: i.paid_krw),
    (_("Recovered (KRW)"), lambda i: i.recovered_krw),
    (_("Held (KRW)"), lambda i: i.paid_krw - i.recovered_krw),
    (_("Registered on"), lambda i: i.registered_on),
    (_("Competent office"), lambda i: i.office.name),
]


def investment_rows(queryset):
    """A header row, then one row per investment of ``queryset`` (streamed)."""
    yield [str(header) for header, _value in COLUMNS]
    for investment in queryset.iterator(chunk_size=500):
        yield [value(investment) for _header, value in COLUMNS]


def safe(value):
    """A cell value a spreadsheet shows as typed: text that would start a formula gets a
    leading apostrophe; numbers and dates stay numbers and dates."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    if value is None:
        return ""
    return value


def xlsx_response(rows, *, sheet, filename, widths=None):
    """Render rows (the first is the header) as a one-sheet .xlsx download."""
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=str(sheet)[:31])
    for index, width in enumerate(widths or [], start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = width
    for row in rows:
        worksheet.append([safe(value) for value in row])
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def investments_xlsx(queryset, *, today=None):
    today = today or date.today()
    return xlsx_response(
        investment_rows(queryset),
        sheet=_("Investments"),
        filename=f"investments-{today.isoformat()}.xlsx",
        widths=[10, 24, 8, 12, 14, 28, 22, 24, 22, 10, 18, 20, 12, 16, 16, 16, 16, 12, 24],
    )
