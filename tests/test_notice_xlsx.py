"""The notice as an .xlsx (SPEC §5.2): the seed's column order for sales companies (§7.F) and
for KDB (§7.S), New / Cumulative sub-columns, a detail sheet of the underlying investments,
money as formatted integers, and no cell a spreadsheet program would run as a formula. The
workbooks are read back with openpyxl; when LibreOffice is installed, one is also converted to
PDF to show it opens cleanly."""

import shutil
import subprocess
from datetime import date

import pytest

from investments import services as ledger
from investments.models import FacilityType, Zone
from portal import xlsx
from reporting import notices
from reporting.exports.notice import notice_book
from tests import xlsx_support
from tests.xlsx_support import rows

pytestmark = pytest.mark.django_db

M = 1_000_000


def workbook(notice):
    return xlsx_support.workbook(notice_book(notice).sheets)


def groups(header):
    """The group labels of the first header row, in order (blanks continue a group)."""
    return [label for label in header if label]


@pytest.fixture
def jeju_notice(jeju_ledger, company):
    notices.set_remarks(
        by=company,
        notice=notices.compute_notice(by=company, program="tourism", period=date(2024, 9, 1)),
        remarks="@SUM(A1:A9) remarks",
    )
    return notices.compute_notice(by=company, program="tourism", period=date(2024, 9, 1))


@pytest.fixture
def kdb_notice(kdb_ledger, kdb):
    return notices.compute_notice(by=kdb, program="public_interest", period=date(2025, 1, 1))


def test_sales_company_layout_follows_the_seed_order(jeju_notice):
    book = workbook(jeju_notice)
    assert book.sheetnames == ["Notice", "Detail", "About"]
    first, second, values = rows(book["Notice"])
    assert groups(first) == [
        "투자건수 Number of investments",
        "투자금액 Investment amount (KRW)",
        "체류자격별 현황 Residence type",
        "국적별 현황 Nationality",
        "상환 현황 Repayments",
        "기타 비고 Remarks",
    ]
    assert second[:4] == ["신규 New", "누계 Cumulative"] * 2
    assert second[4:10] == [
        "F-1 신규 New",
        "F-1 누계 Cumulative",
        "F-2 신규 New",
        "F-2 누계 Cumulative",
        "F-5 신규 New",
        "F-5 누계 Cumulative",
    ]
    assert second[10:12] == ["CN 신규 New", "CN 누계 Cumulative"]
    # counts, amount, F-1 / F-2 / F-5 (F-2-8 is granted in October), CN, repayments, remarks
    assert values == [
        0, 1, 500 * M, 1_000 * M, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, "'@SUM(A1:A9) remarks"
    ]  # fmt: skip


def test_money_cells_are_integers_with_a_thousands_format(jeju_notice):
    sheet = workbook(jeju_notice)["Notice"]
    amount = sheet.cell(row=3, column=4)
    assert amount.value == 1_000_000_000 and isinstance(amount.value, int)
    assert amount.number_format == "#,##0"
    assert sheet.cell(row=3, column=1).number_format == "General"  # a count is no money


def test_kdb_layout_follows_the_seed_order(kdb_notice, settings):
    settings.LANGUAGE_CODE = "en"  # the repayment line names its reason in the request language
    first, second, values = rows(workbook(kdb_notice)["Notice"])
    assert groups(first) == [
        "총 투자금액 Total investment amount (KRW)",
        "투자건수 Number of investments",
        "체류자격별 현황 Residence type",
        "국적별 현황 Nationality",
        "조기상환 내역 Early repayment details",
        "기타 비고 Remarks",
    ]
    assert [label.split()[0] for label in second[4:10]] == [
        "C-3",
        "C-3",
        "F-2",
        "F-2",
        "F-5",
        "F-5",
    ]
    assert second[10:12] == ["VN 신규 New", "VN 누계 Cumulative"]
    assert values[:4] == [0, 1_500 * M, 0, 1]
    assert values[12:16] == [1, 1, 100 * M, 100 * M]
    assert values[16] == "2025-01-15 Nguyen Van An KRW 100,000,000 (Early repayment)"


def test_detail_sheet_lists_the_investments_with_masked_passports(jeju_notice, jeju_ledger):
    header, *lines = rows(workbook(jeju_notice)["Detail"])
    assert header[:4] == ["ID", "투자자 Investor", "국적 Nationality", "여권번호 Passport (masked)"]
    (line,) = lines
    investment = jeju_ledger.investment
    assert line[0] == investment.pk and line[1:3] == ["Wang Fang", "CN"]
    assert line[3] == jeju_ledger.investor.passport_number_masked != "E12345678"
    assert line[4:6] == ["Jeju Special Self-Governing Province", "Halla Resort A-1203"]
    assert line[6].date() == date(2024, 3, 4)
    assert line[7:] == [1_000 * M, 1_000 * M, 0]  # the 2025 recovery is after the month


def test_a_formula_in_an_investor_name_comes_out_as_text(company):
    investor = ledger.register_investor(
        by=company,
        full_name='=HYPERLINK("http://evil.example","Click")',
        nationality="CN",
        passport_number="E99999999",
        date_of_birth=date(1970, 1, 1),
    )
    ledger.record_investment(
        by=company,
        investor=investor,
        program="tourism",
        zone=Zone.objects.get(code="jeju"),
        investor_class="registered_owner",
        property_name="-Resort",
        unit_number="+1",
        facility_type=FacilityType.objects.get(code="resort-condominium"),
        contract_date=date(2025, 5, 2),
        contract_amount_krw=1_000 * M,
    )
    notice = notices.compute_notice(by=company, program="tourism", period=date(2025, 5, 1))
    sheet = workbook(notice)["Detail"]
    name, unit = sheet.cell(row=2, column=2), sheet.cell(row=2, column=6)
    assert name.value == '\'=HYPERLINK("http://evil.example","Click")'
    assert name.data_type == "s"
    assert unit.value == "'-Resort +1"


@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed: cannot check that the file opens cleanly",
)
def test_libreoffice_opens_the_workbook(kdb_notice, tmp_path):
    source = tmp_path / "notice.xlsx"
    source.write_bytes(xlsx.to_bytes(notice_book(kdb_notice).sheets))
    done = subprocess.run(  # noqa: S603 - fixed arguments, our own temporary file
        [
            shutil.which("soffice"),
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "notice.pdf"
    assert pdf.exists() and pdf.read_bytes()[:5] == b"%PDF-"
