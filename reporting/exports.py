"""Spreadsheet exports: row generators and one renderer.

Every export is a list of sheets, each a title, header rows and an iterator of rows; the one
renderer writes them with openpyxl's write-only mode, so a large export streams rows instead
of building a workbook in memory. The renderer owns what makes a file safe and clean to open:

* text starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) is prefixed with
  an apostrophe, so a spreadsheet program shows it instead of running it as a formula (an
  investor named ``=HYPERLINK(…)`` stays a name);
* characters a workbook cannot hold (control characters) are dropped;
* money (:class:`Money`) is an integer with a thousands format, dates are real dates.

The monthly status notice (SPEC §5.2) is laid out in the seed's column order: §7.F for sales
companies and project operators, §7.S for KDB, each figure as a New / Cumulative pair.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO

from django.db.models import OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from investments.choices import RecoveryReason
from investments.models import Investment, Payment, Recovery
from portal.choices import OrganisationKind

from .notices import month_end

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0"
DATE_FORMAT = "yyyy-mm-dd"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NEW, CUMULATIVE = "신규 New", "누계 Cumulative"


class Money(int):
    """A whole amount of KRW: written as an integer with a thousands separator format."""


@dataclass
class Sheet:
    title: str
    header: list[list]
    rows: Iterable[Iterable]
    widths: list[int] = field(default_factory=list)


def safe_text(value):
    """Text as a spreadsheet program will show it, never run it."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _cell(sheet, value, *, bold=False):
    if isinstance(value, str):
        value = safe_text(value)
    elif isinstance(value, datetime):
        value = (
            timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
        )
    if not bold and not isinstance(value, Money | date):
        return value
    cell = WriteOnlyCell(sheet, value=int(value) if isinstance(value, Money) else value)
    if isinstance(value, Money):
        cell.number_format = MONEY_FORMAT
    elif isinstance(value, datetime):
        cell.number_format = f"{DATE_FORMAT} hh:mm"
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    if bold:
        cell.font = Font(bold=True)
    return cell


def render_xlsx(sheets):
    """The workbook of ``sheets`` as bytes (openpyxl write-only: rows are streamed)."""
    workbook = Workbook(write_only=True)
    for spec in sheets:
        sheet = workbook.create_sheet(title=spec.title[:31])
        for number, width in enumerate(spec.widths, start=1):
            sheet.column_dimensions[get_column_letter(number)].width = width
        if spec.header:
            sheet.freeze_panes = f"A{len(spec.header) + 1}"
        sheet.page_setup.orientation = "landscape"  # printed: as wide as the page, as long
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0  # as the rows go
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        for row in spec.header:
            sheet.append([_cell(sheet, value, bold=True) for value in row])
        for row in spec.rows:
            sheet.append([_cell(sheet, value) for value in row])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- the monthly status notice ----------------------------------------------------------------


def _pair(label, figure, money=False):
    kind = Money if money else int
    return [(label, NEW, kind(figure["new"])), ("", CUMULATIVE, kind(figure["cumulative"]))]


def _codes(label, figures):
    """One New / Cumulative pair per code (residence type, nationality)."""
    columns = []
    for code, figure in figures.items() or [("—", {"new": 0, "cumulative": 0})]:
        columns += [
            ("", f"{code} {NEW}", figure["new"]),
            ("", f"{code} {CUMULATIVE}", figure["cumulative"]),
        ]
    columns[0] = (label, *columns[0][1:])
    return columns


def _repayment_line(row):
    reason = dict(RecoveryReason.choices).get(row["reason"], row["reason"])
    return f"{row['date']} {row['investor']} KRW {row['amount_krw']:,} ({reason})"


def notice_columns(notice):
    """``[(group label, sub-label, value)]`` of the notice in the seed's column order."""
    f = notice.figures
    repaid = f["repayments"]
    counted = [
        ("", f"건수 {NEW} Count", repaid["count"]["new"]),
        ("", f"건수 {CUMULATIVE} Count", repaid["count"]["cumulative"]),
        ("", f"금액 {NEW} Amount (KRW)", Money(repaid["amount_krw"]["new"])),
        ("", f"금액 {CUMULATIVE} Amount (KRW)", Money(repaid["amount_krw"]["cumulative"])),
    ]
    residence = _codes("체류자격별 현황 Residence type", f["residence"])
    nationality = _codes("국적별 현황 Nationality", f["nationality"])
    remarks = [("기타 비고 Remarks", "", notice.remarks)]
    if notice.institution.kind == OrganisationKind.KDB:  # seed §7.S
        details = "\n".join(_repayment_line(row) for row in repaid.get("details", []))
        counted[0] = ("조기상환 내역 Early repayment details", *counted[0][1:])
        return [
            *_pair("총 투자금액 Total investment amount (KRW)", f["amount_krw"], money=True),
            *_pair("투자건수 Number of investments", f["investments"]),
            *residence,
            *nationality,
            *counted,
            ("", "당월 내역 Details this month", details),
            *remarks,
        ]
    counted[0] = ("상환 현황 Repayments", *counted[0][1:])
    return [  # seed §7.F (and §6.H's "prescribed format")
        *_pair("투자건수 Number of investments", f["investments"]),
        *_pair("투자금액 Investment amount (KRW)", f["amount_krw"], money=True),
        *residence,
        *nationality,
        *counted,
        *remarks,
    ]


def detail_rows(notice):
    """The investments behind the notice: every contract up to the month's end, with what was
    paid and recovered by then. Identification numbers masked (SPEC §7)."""
    end = month_end(notice.period)

    def total(model, day):
        rows = model.objects.filter(investment=OuterRef("pk"), **{f"{day}__lte": end})
        summed = rows.values("investment").annotate(s=Sum("amount_krw")).values("s")
        return Coalesce(Subquery(summed), Value(0))

    investments = (
        Investment.objects.filter(
            institution=notice.institution_id, program=notice.program, contract_date__lte=end
        )
        .select_related("investor", "zone", "project", "unit")
        .annotate(paid=total(Payment, "paid_on"), recovered=total(Recovery, "recovered_on"))
        .order_by("contract_date", "pk")
    )
    for inv in investments.iterator(chunk_size=2000):
        yield [
            inv.pk,
            inv.investor.full_name,
            inv.investor.nationality,
            inv.investor.passport_number_masked,
            (inv.zone or inv.project).name,
            f"{inv.unit.name} {inv.unit.unit_number}" if inv.unit else "",
            inv.contract_date,
            Money(inv.contract_amount_krw),
            Money(inv.paid),
            Money(inv.recovered),
        ]


DETAIL_HEADER = [
    "ID",
    "투자자 Investor",
    "국적 Nationality",
    "여권번호 Passport (masked)",
    "지역/사업 Zone / project",
    "호실 Unit",
    "계약일 Contract date",
    "계약금액 Contract amount (KRW)",
    "월말까지 납입 Paid to month end (KRW)",
    "월말까지 회수 Recovered to month end (KRW)",
]


def about_rows(notice):
    receipt = notice.receipt_number
    yield ["기관 Institution", notice.institution.name]
    yield ["사업 Program", notice.program]
    yield ["기준월 Month", notice.period.strftime("%Y-%m")]
    yield ["판 Version", notice.version]
    yield ["상태 State", notice.get_state_display()]
    yield ["제출처 Recipient office", notice.recipient_office.name]
    yield ["제출기한 Due on", notice.obligation.due_on]
    yield ["산출일시 Computed at", notice.computed_at]
    yield ["접수번호 Receipt number", receipt or _("not submitted")]
    if receipt:
        yield ["제출일시 Submitted at", notice.submitted_at]
        yield ["요약값 Digest (SHA-256)", notice.digest]
    for check in notice.checks:
        yield [f"점검 Check ({check['level']})", check["text"]]


def notice_workbook(notice):
    """The notice as an .xlsx: the notice in the prescribed layout, its detail, its identity."""
    columns = notice_columns(notice)
    return render_xlsx(
        [
            Sheet(
                title="Notice",
                header=[[c[0] for c in columns], [c[1] for c in columns]],
                rows=[[c[2] for c in columns]],
                widths=[22] * len(columns),
            ),
            Sheet(
                title="Detail",
                header=[DETAIL_HEADER],
                rows=detail_rows(notice),
                widths=[8, 28, 16, 24, 34, 24, 20, 28, 32, 36],
            ),
            Sheet(title="About", header=[], rows=about_rows(notice), widths=[26, 80]),
        ]
    )


def notice_filename(notice):
    return f"monthly-notice-{notice.period:%Y-%m}-{notice.program}-v{notice.version}.xlsx"
