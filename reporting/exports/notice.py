"""The monthly status notice as a workbook (SPEC §5.2): the notice in the prescribed layout,
the investments behind it, and its identity (version, receipt, checks), written by the one
writer, ``portal.xlsx``.

The notice sheet follows the seed's column order: §7.F for sales companies and project
operators, §7.S for KDB, each figure as a New / Cumulative pair. The detail sheet reads one
row per investment with ``values_list`` in chunks, so a notice over a national ledger streams.
"""

from django.db.models import OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from investments.choices import RecoveryReason
from investments.models import Investment, Payment, Recovery
from portal.choices import OrganisationKind
from portal.crypto import mask
from portal.money import format_krw
from portal.months import month_end
from portal.xlsx import Book, Money, Sheet

from ..notices import check_text, ledger_lookups, to_another_office

NEW, CUMULATIVE = "신규 New", "누계 Cumulative"


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
    return f"{row['date']} {row['investor']} {format_krw(row['amount_krw'])} ({reason})"


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
    """The investments behind the notice: every contract up to the month's end counted in the
    notice to its office (seed §6.H), with what was paid and recovered by then. Identification
    numbers masked (SPEC §7)."""
    end = month_end(notice.period)

    def total(model, day):
        rows = model.objects.filter(investment=OuterRef("pk"), **{f"{day}__lte": end})
        summed = rows.values("investment").annotate(s=Sum("amount_krw")).values("s")
        return Coalesce(Subquery(summed), Value(0))

    counted = ledger_lookups(notice.institution, notice.program, notice.recipient_office_id)
    investments = (
        Investment.objects.filter(**counted, contract_date__lte=end)
        .annotate(paid=total(Payment, "paid_on"), recovered=total(Recovery, "recovered_on"))
        .order_by("contract_date", "pk")
        .values_list(
            "pk",
            "investor__full_name",
            "investor__nationality",
            "investor__passport_number",
            "zone__name",
            "project__name",
            "unit__name",
            "unit__unit_number",
            "contract_date",
            "contract_amount_krw",
            "paid",
            "recovered",
        )
    )
    for row in investments.iterator(chunk_size=2000):
        pk, name, nationality, passport, zone, project, unit, number, day, amount, paid, back = row
        yield [
            pk,
            name,
            nationality,
            mask(passport),
            zone or project,
            f"{unit} {number}" if unit else "",
            day,
            Money(amount),
            Money(paid),
            Money(back),
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
        yield [f"점검 Check ({check['level']})", check_text(check)]


def notice_book(notice):
    """The notice as an .xlsx: the notice in the prescribed layout, its detail, its identity."""
    columns = notice_columns(notice)
    sheets = [
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
        Sheet(title="About", rows=about_rows(notice), widths=[26, 80]),
    ]
    # a notice to another office than the institution's own names it (seed §6.H)
    office = f"-{notice.recipient_office.code}" if to_another_office(notice) else ""
    filename = (
        f"monthly-notice-{notice.period:%Y-%m}-{notice.program}{office}-v{notice.version}.xlsx"
    )
    return Book(filename, sheets, notice.figures["investments"]["cumulative"])
