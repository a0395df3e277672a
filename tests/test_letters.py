"""The official letter of a withdrawal report (seed §6.H: "an official letter issued under the
name of the sales company's representative"), as printable HTML and PDF.

It shows what was filed — nationality, name and date of birth, never the passport number —
addressed to the chief of the competent office, with amounts in thousands and the digest.
"""

import re
from pathlib import Path

import pytest

from investments.models import Investor
from reporting import filings, letters

pytestmark = pytest.mark.django_db

NANUM = Path(letters.DEFAULT_LETTER_PDF_FONT)


@pytest.fixture
def jeju_report(jeju_ledger):
    """company.jeju's report of Wang Fang's KRW 200,000,000 sale of 2025-02-03."""
    obligation = jeju_ledger.obligation
    return filings.file_report(
        by=jeju_ledger.owner, obligation=obligation, remarks="Sold back to the developer."
    )


@pytest.fixture
def kdb_report(kdb_ledger):
    obligation = kdb_ledger.obligation
    return filings.file_report(by=kdb_ledger.owner, obligation=obligation)


def text_of(html):
    """The letter's text with tags dropped and whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_letter_says_what_seed_6h_asks_for(jeju_report):
    text = text_of(letters.render_letter_html(jeju_report))
    for expected in [
        "투자금 회수 신고",
        "Report of Recovery of Investment Funds",
        "To: Chief, Jeju Immigration Office",
        "제주출입국·외국인청장",
        "Halla Resort Development Co., Ltd. 대표 Kim Minjun",
        "중국 / China (CN)",
        "Wang Fang",
        "1975-04-12",
        "Halla Resort A-1203",
        "KRW 1,000,000,000",  # contract amount and paid in by the recovery date
        "KRW 200,000,000",  # recovered
        "2025-02-03",
        "매각 / Sale",
        "일부 회수 / Partial recovery",
        "Sold back to the developer.",
        jeju_report.digest,
    ]:
        assert expected in text, expected


def test_the_letter_carries_no_identification_number(jeju_ledger, jeju_report):
    html = letters.render_letter_html(jeju_report)
    investor = jeju_ledger.investor
    assert investor.passport_number not in html
    assert investor.passport_number_masked not in html
    assert "750412" not in html  # the alien registration number


def test_a_public_interest_letter_names_the_project_and_the_sejongno_branch(kdb_report):
    text = text_of(letters.render_letter_html(kdb_report))
    assert "To: Chief, Sejongno Branch Office" in text
    assert "서울출입국·외국인청 세종로출장소장" in text
    assert "공익사업 투자이민제도" in text
    assert "조기 상환 / Early repayment" in text
    assert "KRW 1,500,000,000" in text and "KRW 100,000,000" in text
    assert "Korea Development Bank 대표 Park Jihoon" in text


def test_an_amendment_is_marked_as_such(jeju_report):
    assert "Amendment" not in text_of(letters.render_letter_html(jeju_report))
    amended = filings.amend_report(
        by=jeju_report.filed_by, report=jeju_report, remarks="Buyer named."
    )
    text = text_of(letters.render_letter_html(amended))
    assert "Amendment 1" in text and "정정 1차" in text
    assert f"WR-{jeju_report.obligation_id}-v2" in text


def test_remarks_are_text_not_markup(jeju_ledger):
    obligation = jeju_ledger.obligation
    report = filings.file_report(
        by=jeju_ledger.owner, obligation=obligation, remarks='<img src="http://x/">\nline 2'
    )
    html = letters.render_letter_html(report)
    assert "<img" not in html
    assert "&lt;img src=&quot;http://x/&quot;&gt;<br>line 2" in html


def test_the_letter_shows_what_was_filed_not_the_ledger_now(jeju_report):
    Investor.objects.filter(full_name="Wang Fang").update(full_name="Renamed Later")
    assert "Wang Fang" in letters.render_letter_html(jeju_report)


def test_the_printable_page_is_a4_with_print_styles(jeju_report):
    html = letters.render_letter_html(jeju_report)
    assert "size: a4" in html and "@media print" in html
    assert "http://" not in html and "https://" not in html  # nothing from a CDN


@pytest.mark.skipif(not NANUM.is_file(), reason="fonts-nanum is not installed")
def test_the_pdf_embeds_the_hangul_font(jeju_report):
    pdf = letters.render_letter_pdf(jeju_report)
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 1000
    assert b"NanumGothic" in pdf


def test_without_the_hangul_font_the_pdf_is_still_made(jeju_report, settings):
    settings.LETTER_PDF_FONT = "/nonexistent/NanumGothic.ttf"
    assert letters.pdf_fonts() == {}
    pdf = letters.render_letter_pdf(jeju_report)
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 1000
    assert b"NanumGothic" not in pdf
